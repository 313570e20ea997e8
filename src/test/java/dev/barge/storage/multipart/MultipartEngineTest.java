package dev.barge.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.Crc64;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's own logic over an in-memory store of multipart pieces: how parts are cut, how many
 * are in flight, what a failure, a mismatch or an interruption leaves behind.
 */
class MultipartEngineTest {
    private final List<MultipartEngine> engines = new ArrayList<>();
    private final PartBuffers buffers = new PartBuffers(1L << 30);

    @AfterEach
    void close() {
        engines.forEach(MultipartEngine::close);
        // every part buffer was handed back: after parts sent, failed, or never started
        assertThat(buffers.inUse()).isZero();
    }

    private MultipartEngine engine(long partSize, int partsInFlight, boolean grow, Set<Checksum.Algorithm> whole) {
        MultipartEngine engine = new MultipartEngine(new MultipartEngine.Settings(partSize, partsInFlight, partSize,
                Long.MAX_VALUE, grow, whole, true, Set.of()), "test", buffers);
        engines.add(engine);
        return engine;
    }

    private static Payload stream(byte[] data) {
        return Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH);
    }

    private static PutRequest request() {
        return PutRequest.builder("b", "k").contentType("text/plain").build();
    }

    @Test
    void aShortStreamIsOnePutCarryingItsMd5() {
        PieceStore store = new PieceStore(100);
        byte[] data = bytes(100, 1); // exactly one part, and then the end

        WriteResult written = engine(100, 2, false, Set.of()).put(store, request(), stream(data));

        assertThat(store.puts).hasSize(1);
        assertThat(store.puts.get(0).expectedChecksums()).containsExactly(Checksum.md5Hex(md5(data)));
        assertThat(store.events).containsExactly("put");
        assertThat(written.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5(data)));
    }

    @Test
    void aLongerStreamIsCutIntoPartsOfThePartSizeAndAssembledInOrder() {
        PieceStore store = new PieceStore(100);
        byte[] data = bytes(1050, 2);

        engine(100, 3, false, Set.of()).put(store, request(), stream(data));

        assertThat(store.object()).isEqualTo(data);
        assertThat(store.partSizes()).containsExactly(100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50);
        assertThat(store.initiated.get(0).expectedChecksums()).isEmpty();
        assertThat(store.initiated.get(0).contentType()).isEqualTo("text/plain");
        assertThat(store.events).startsWith("initiate").endsWith("complete").doesNotContain("abort");
    }

    @Test
    void partsGrowEveryTenthOfTheMaximumPartCountWhereTheStoreTakesPartsOfAnySize() {
        PieceStore store = new PieceStore(20); // a tenth: 2 parts
        byte[] data = bytes(100 + 100 + 200 + 200 + 400 + 50, 3);

        engine(100, 2, true, Set.of()).put(store, request(), stream(data));

        assertThat(store.partSizes()).containsExactly(100, 100, 200, 200, 400, 50);
        assertThat(store.object()).isEqualTo(data);
    }

    @Test
    void aStreamLongerThanTheStoresPartsHoldIsRefusedAndTheUploadAborted() {
        PieceStore store = new PieceStore(3);

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> engine(100, 2, false, Set.of()).put(store, request(), stream(bytes(350, 4))));

        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(store.events).endsWith("abort").doesNotContain("complete");
    }

    @Test
    void aKnownLengthIsPlannedToFitTheStoresPartCount() {
        PieceStore store = new PieceStore(4);
        byte[] data = bytes(1000, 5);

        engine(100, 2, false, Set.of()).put(store, request(), Payload.ofBytes(data));

        assertThat(store.partSizes()).containsExactly(250, 250, 250, 250);
        assertThat(store.object()).isEqualTo(data);
    }

    @Test
    void aPayloadHoldingOtherThanItsAnnouncedLengthIsRefusedAndNothingCompleted() {
        PieceStore store = new PieceStore(100);
        byte[] data = bytes(550, 6);
        Payload lying = Payload.ofStream(new ByteArrayInputStream(data), 500);

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> engine(100, 2, false, Set.of()).put(store, request(), lying));

        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(store.events).endsWith("abort").doesNotContain("complete");
    }

    @Test
    void neverMorePartsInFlightThanConfiguredTheOneBeingReadIncluded() throws Exception {
        PieceStore store = new PieceStore(100);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch threeRunning = new CountDownLatch(3);
        store.onPart = n -> {
            threeRunning.countDown();
            await(release);
        };
        byte[] data = bytes(1000, 7);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                engine(100, 3, false, Set.of()).put(store, request(), stream(data));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();

        assertThat(threeRunning.await(10, TimeUnit.SECONDS)).isTrue();
        // the writer now waits for a part to finish before it reads the next into a buffer
        assertThat(store.started.get()).isEqualTo(3);
        release.countDown();
        writer.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat(store.maxConcurrent.get()).isEqualTo(3);
        assertThat(store.object()).isEqualTo(data);
    }

    @Test
    void aPartThatFailsForGoodAbortsOnceThePartsInFlightHaveFinished() throws Exception {
        PieceStore store = new PieceStore(100);
        CountDownLatch thirdStarted = new CountDownLatch(1);
        store.onPart = n -> {
            if (n == 2) {
                await(thirdStarted);
                throw StorageException.builder(ErrorKind.ACCESS_DENIED, Operation.MULTIPART_UPLOAD_PART)
                        .detail("no").build();
            }
            if (n == 3) {
                thirdStarted.countDown();
            }
        };

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> engine(100, 3, false, Set.of()).put(store, request(), stream(bytes(1000, 8))));

        assertThat(e.kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
        List<String> events = store.events;
        assertThat(events).endsWith("abort").doesNotContain("complete");
        assertThat(events.subList(0, events.size() - 1)).as("no part runs on after the abort")
                .allMatch(ev -> !ev.startsWith("part-start") || events.contains("part-end-" + ev.substring(11)));
    }

    @Test
    void anExpectedChecksumThatDoesNotMatchAbortsBeforeCompleting() {
        PieceStore store = new PieceStore(100);
        PutRequest expecting = PutRequest.builder("b", "k").expectedChecksums(List.of(Checksum.md5Hex(
                "00000000000000000000000000000000"))).build();

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> engine(100, 2, false, Set.of()).put(store, expecting, stream(bytes(500, 9))));

        assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH);
        assertThat(store.events).endsWith("abort").doesNotContain("complete");
    }

    @Test
    void anExpectedChecksumThatMatchesIsReportedWithTheStoresOwn() {
        PieceStore store = new PieceStore(100);
        byte[] data = bytes(500, 10);
        PutRequest expecting = PutRequest.builder("b", "k").expectedChecksums(List.of(Checksum.md5Hex(md5(data))))
                .build();

        WriteResult written = engine(100, 2, false, Set.of(Checksum.Algorithm.CRC64_ECMA))
                .put(store, expecting, stream(data));

        assertThat(written.checksums()).contains(Checksum.md5Hex(md5(data)), crc64(data));
    }

    @Test
    void anAssembledObjectWhoseReportedChecksumDiffersIsDeleted() {
        PieceStore store = new PieceStore(100);
        store.reportedCrc = new Crc64().checksum(); // the CRC-64 of nothing: not the object's

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> engine(100, 2, false, Set.of(Checksum.Algorithm.CRC64_ECMA))
                        .put(store, request(), stream(bytes(500, 11))));

        assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH);
        assertThat(store.events).endsWith("complete", "delete");
    }

    @Test
    void anInterruptedPutAbortsTheUploadAndKeepsTheInterrupt() throws Exception {
        PieceStore store = new PieceStore(100);
        CountDownLatch partRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.onPart = n -> {
            partRunning.countDown();
            await(release);
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                engine(100, 1, false, Set.of()).put(store, request(), stream(bytes(500, 12)));
            } catch (Throwable t) {
                failure.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        writer.start();
        assertThat(partRunning.await(10, TimeUnit.SECONDS)).isTrue();

        writer.interrupt();
        release.countDown(); // the part being sent finishes; then the upload is aborted
        writer.join(10_000);

        assertThat(failure.get()).isInstanceOf(StorageException.class);
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(store.events).endsWith("abort").doesNotContain("complete");
    }

    @Test
    void aCopyCopiesEveryRangeOfThePlanPinnedToTheEtagAndCompletes() {
        PieceStore store = new PieceStore(100);
        PartPlan plan = PartPlan.of(Operation.COPY, "b", "k", 1050, 300, store.capabilities());
        MultipartUpload upload = store.initiateMultipart(request());

        engine(300, 2, false, Set.of()).copy(store, upload, plan, "src", "source", "etag-1");

        assertThat(store.copied).containsExactlyInAnyOrder("1:0-299@etag-1", "2:300-599@etag-1", "3:600-899@etag-1",
                "4:900-1049@etag-1");
        assertThat(store.events).endsWith("complete");
    }

    @Test
    void aCopyWhosePartFailsIsAborted() {
        PieceStore store = new PieceStore(100);
        store.failCopyOf = 2;
        PartPlan plan = PartPlan.of(Operation.COPY, "b", "k", 1050, 300, store.capabilities());
        MultipartUpload upload = store.initiateMultipart(request());

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> engine(300, 2, false, Set.of()).copy(store, upload, plan, "src", "source", "etag-1"));

        assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThat(store.events).endsWith("abort").doesNotContain("complete");
    }

    // ---- the store ------------------------------------------------------------------------

    /** Multipart pieces in memory; every other operation is refused. Records what was called. */
    private static final class PieceStore implements ObjectStore {
        final Capabilities capabilities;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<PutRequest> puts = new ArrayList<>();
        final List<PutRequest> initiated = new ArrayList<>();
        final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
        final List<String> copied = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        volatile IntConsumer onPart = n -> {};
        volatile int failCopyOf;
        volatile Checksum reportedCrc;
        private byte[] object;

        PieceStore(int maxParts) {
            capabilities = Capabilities.builder().multipart(1, 1 << 20, maxParts).multipartCopy(true)
                    .checksums(EnumSet.of(Checksum.Algorithm.MD5)).build();
        }

        byte[] object() {
            return object;
        }

        List<Integer> partSizes() {
            return parts.keySet().stream().sorted().map(n -> parts.get(n).length).toList();
        }

        @Override
        public Capabilities capabilities() {
            return capabilities;
        }

        @Override
        public WriteResult put(PutRequest request, Payload payload) {
            events.add("put");
            puts.add(request);
            object = read(payload);
            return new WriteResult("etag", request.expectedChecksums());
        }

        @Override
        public MultipartUpload initiateMultipart(PutRequest request) {
            events.add("initiate");
            initiated.add(request);
            return new MultipartUpload(request.bucket(), request.key(), "upload");
        }

        @Override
        public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
            events.add("part-start-" + partNumber);
            started.incrementAndGet();
            maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                onPart.accept(partNumber);
                parts.put(partNumber, read(payload));
                return new CompletedPart(partNumber, "e" + partNumber, payload.length());
            } finally {
                running.decrementAndGet();
                events.add("part-end-" + partNumber);
            }
        }

        @Override
        public CompletedPart uploadPartCopy(MultipartUpload upload, int partNumber, String sourceBucket,
                String sourceKey, String sourceEtag, ByteRange range) {
            if (partNumber == failCopyOf) {
                throw StorageException.builder(ErrorKind.PRECONDITION_FAILED, Operation.MULTIPART_UPLOAD_PART_COPY)
                        .detail("the source changed").build();
            }
            copied.add(partNumber + ":" + range.first() + "-" + range.last() + "@" + sourceEtag);
            return new CompletedPart(partNumber, "c" + partNumber, range.last() - range.first() + 1);
        }

        @Override
        public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> done) {
            events.add("complete");
            List<Integer> numbers = done.stream().map(CompletedPart::partNumber).toList();
            assertThat(numbers).isSorted().doesNotHaveDuplicates();
            if (!parts.isEmpty()) {
                int size = parts.values().stream().mapToInt(p -> p.length).sum();
                object = new byte[size];
                int offset = 0;
                for (int n : numbers) {
                    byte[] part = parts.get(n);
                    System.arraycopy(part, 0, object, offset, part.length);
                    offset += part.length;
                }
            }
            List<Checksum> reported = new ArrayList<>();
            if (reportedCrc != null) {
                reported.add(reportedCrc);
            } else if (object != null) {
                reported.add(crc64(object));
            }
            return new WriteResult("multipart-etag", reported);
        }

        @Override
        public void abortMultipart(MultipartUpload upload) {
            events.add("abort");
        }

        @Override
        public void delete(String bucket, String key) {
            events.add("delete");
        }

        private static byte[] read(Payload payload) {
            try (InputStream in = payload.open()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ListPage list(ListRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ObjectInfo stat(String bucket, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ObjectContent get(String bucket, String key, ByteRange range) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createBucket(String bucket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<BucketInfo> listBuckets() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteBucket(String bucket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Checksum crc64(byte[] data) {
        Crc64 crc = new Crc64();
        crc.update(data, 0, data.length);
        return crc.checksum();
    }
}
