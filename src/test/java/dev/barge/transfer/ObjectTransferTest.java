package dev.barge.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.ObjectStoreLayer;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.storage.multipart.MultipartEngine;
import dev.barge.storage.multipart.PartBuffers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transfer engine between two real local stores (two roots: not one store). */
class ObjectTransferTest {
    private static final int MIB = 1 << 20;
    private static final TransferSettings SMALL_PARTS = new TransferSettings(MIB, MIB, 3);

    @TempDir
    Path temp;

    private ObjectStore source;
    private ObjectStore target;
    private final ExecutorService parts = Executors.newFixedThreadPool(4);
    private final PartBuffers buffers = new PartBuffers(64L * MIB);
    private final ObjectTransfer transfer = new ObjectTransfer(SMALL_PARTS, parts, buffers);

    @BeforeEach
    void stores() throws IOException {
        source = open("src");
        target = open("dst");
        source.createBucket("in");
        target.createBucket("out");
    }

    @AfterEach
    void stop() {
        parts.shutdownNow();
        // every byte taken was handed back, whether the transfer succeeded or failed
        assertThat(buffers.inUse()).isZero();
    }

    private ObjectStore open(String dir) throws IOException {
        return new LocalStoreProvider().open(RemoteConfig.local(dir, Files.createDirectories(temp.resolve(dir)))
                .withOption("multipart-min-part-size", "1MB").withOption("sync", "false"));
    }

    private ObjectInfo put(String key, int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        source.put(PutRequest.builder("in", key).contentType("image/jpeg").userMetadata(Map.of("camera", "x100")).build(),
                Payload.ofBytes(data));
        return source.list(ListRequest.of("in", key)).objects().get(0);
    }

    private TransferRequest request(ObjectStore from, ObjectInfo object, ObjectStore to, boolean sameStore) {
        return new TransferRequest(from, "in", object, to, sameStore ? "in" : "out", "copy/" + object.key(), sameStore,
                null);
    }

    private byte[] bytes(ObjectStore store, String bucket, String key) {
        try (ObjectContent content = store.get(bucket, key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSmallObjectIsReadWholeAndWrittenWithItsMetadata() {
        ObjectInfo object = put("small.jpg", 300_000);

        TransferResult result = transfer.transfer(request(source, object, target, false));

        assertThat(result.method()).isEqualTo(TransferResult.Method.SINGLE_PUT);
        assertThat(result.bytesRead()).isEqualTo(300_000);
        assertThat(result.verified()).extracting(Checksum::algorithm).contains(Checksum.Algorithm.MD5);
        assertThat(bytes(target, "out", "copy/small.jpg")).isEqualTo(bytes(source, "in", "small.jpg"));
        ObjectInfo copy = target.stat("out", "copy/small.jpg");
        assertThat(copy.contentType()).isEqualTo("image/jpeg");
        assertThat(copy.userMetadata()).containsEntry("camera", "x100");
    }

    @Test
    void aLargeObjectGoesMultipartWithBoundedPartsInFlight() {
        ObjectInfo object = put("big.bin", 10 * MIB + 12345);
        AtomicInteger ranged = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        ObjectStore countingSource = new ObjectStoreLayer(source) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public ObjectContent get(String bucket, String key, ByteRange range) {
                if (range != null) {
                    ranged.incrementAndGet();
                }
                return super.get(bucket, key, range);
            }
        };
        ObjectStore countingTarget = countingUploads(target, maxActive);

        TransferResult result = transfer.transfer(request(countingSource, object, countingTarget, false));

        assertThat(result.method()).isEqualTo(TransferResult.Method.MULTIPART);
        assertThat(ranged).hasValue(11);
        assertThat(maxActive.get()).isBetween(1, 3);
        assertThat(bytes(target, "out", "copy/big.bin")).isEqualTo(bytes(source, "in", "big.bin"));
        ObjectInfo copy = target.stat("out", "copy/big.bin");
        assertThat(copy.contentType()).isEqualTo("image/jpeg");
        assertThat(copy.userMetadata()).containsEntry("camera", "x100")
                .containsEntry(ObjectTransfer.MD5_METADATA, object.etag());
        assertThat(result.verified()).contains(Checksum.md5Hex(object.etag()));
    }

    @Test
    void partBuffersReusedAcrossObjectsCarryNothingOfThePreviousObject() {
        // the second object's parts go into the first's buffers (PartBuffers); its last part is
        // shorter than the first object's, so any stale byte past its length would show in the copy
        ObjectInfo first = put("first.bin", 6 * MIB + 777_777);
        ObjectInfo second = put("second.bin", 5 * MIB + 10);

        transfer.transfer(request(source, first, target, false));
        TransferResult result = transfer.transfer(request(source, second, target, false));

        assertThat(result.method()).isEqualTo(TransferResult.Method.MULTIPART);
        assertThat(bytes(target, "out", "copy/first.bin")).isEqualTo(bytes(source, "in", "first.bin"));
        assertThat(bytes(target, "out", "copy/second.bin")).isEqualTo(bytes(source, "in", "second.bin"));
    }

    @Test
    void aBudgetOfOnePartBoundsThePartsOfAllTransfersAndNoneWaitsForever() throws Exception {
        // three large objects at once, with room for one part in all: each transfer hashes (and so hands
        // back) its own part before it waits for another's, so all three finish, one part at a time
        PartBuffers onePart = new PartBuffers(MIB);
        ExecutorService objects = Executors.newFixedThreadPool(3);
        AtomicInteger maxActive = new AtomicInteger();
        ObjectStore countingTarget = countingUploads(target, maxActive);
        ObjectTransfer budgeted = new ObjectTransfer(SMALL_PARTS, parts, onePart);
        try {
            List<ObjectInfo> large = List.of(put("a.bin", 4 * MIB + 1), put("b.bin", 5 * MIB), put("c.bin", 3 * MIB + 9));
            List<Future<TransferResult>> results = new ArrayList<>();
            for (ObjectInfo object : large) {
                results.add(objects.submit(() -> budgeted.transfer(request(source, object, countingTarget, false))));
            }
            for (Future<TransferResult> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).method()).isEqualTo(TransferResult.Method.MULTIPART);
            }
        } finally {
            objects.shutdownNow();
        }

        assertThat(maxActive).hasValue(1);
        assertThat(onePart.inUse()).isZero();
        for (String key : List.of("a.bin", "b.bin", "c.bin")) {
            assertThat(bytes(target, "out", "copy/" + key)).isEqualTo(bytes(source, "in", key));
        }
    }

    @Test
    void singlePutsThroughATargetThatCutsThemIntoPartsNeverWaitForever() throws Exception {
        // a Kodo-like target: a put above 256 KiB goes through the multipart engine, which takes part
        // buffers while the transfer holds the object's bytes. Three such puts at once with a budget
        // that holds one object: were a thread holding a reservation made to wait for a part buffer,
        // each would wait for the others' objects forever
        PartBuffers oneObject = new PartBuffers(MIB);
        int partSize = 256 * 1024;
        MultipartEngine engine = new MultipartEngine(new MultipartEngine.Settings(partSize, 2, partSize, partSize,
                false, java.util.Set.of(), false, java.util.Set.of()), "test-parts", oneObject);
        ObjectStore cutting = new ObjectStoreLayer(target) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public dev.barge.storage.WriteResult put(PutRequest request, Payload payload) {
                return engine.writesInParts(payload) ? engine.put(target, request, payload)
                        : super.put(request, payload);
            }
        };
        ObjectTransfer budgeted = new ObjectTransfer(SMALL_PARTS, parts, oneObject);
        ExecutorService objects = Executors.newFixedThreadPool(3);
        try {
            List<ObjectInfo> small = List.of(put("x.bin", 900_000), put("y.bin", 800_000), put("z.bin", 700_000));
            List<Future<TransferResult>> results = new ArrayList<>();
            for (ObjectInfo object : small) {
                results.add(objects.submit(() -> budgeted.transfer(request(source, object, cutting, false))));
            }
            for (Future<TransferResult> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).method()).isEqualTo(TransferResult.Method.SINGLE_PUT);
            }
        } finally {
            objects.shutdownNow();
            engine.close();
        }

        assertThat(oneObject.inUse()).isZero();
        for (String key : List.of("x.bin", "y.bin", "z.bin")) {
            assertThat(bytes(target, "out", "copy/" + key)).isEqualTo(bytes(source, "in", key));
        }
    }

    @Test
    void aSmallObjectsBytesCountAgainstTheBudgetWhileItIsCopied() {
        ObjectInfo object = put("counted.bin", 300_000);
        long[] during = new long[1];
        ObjectStore watchingTarget = new ObjectStoreLayer(target) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                if (call.operation() == dev.barge.storage.Operation.PUT) {
                    during[0] = buffers.inUse();
                }
                return action.get();
            }
        };

        transfer.transfer(request(source, object, watchingTarget, false));

        assertThat(during[0]).isEqualTo(300_000);
    }

    @Test
    void oneStoreCopiesServerSideWithoutReadingTheBytes() {
        ObjectInfo object = put("same.bin", 2 * MIB);
        AtomicInteger gets = new AtomicInteger();
        ObjectStore watched = new ObjectStoreLayer(source) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                if (call.operation() == dev.barge.storage.Operation.GET) {
                    gets.incrementAndGet();
                }
                return action.get();
            }
        };

        TransferResult result = transfer.transfer(request(watched, object, watched, true));

        assertThat(result.method()).isEqualTo(TransferResult.Method.SERVER_SIDE_COPY);
        assertThat(result.bytesRead()).isZero();
        assertThat(gets).hasValue(0);
        assertThat(bytes(source, "in", "copy/same.bin")).isEqualTo(bytes(source, "in", "same.bin"));
    }

    @Test
    void aLargeObjectOnATargetWithoutMultipartIsStreamed() {
        ObjectInfo object = put("stream.bin", 3 * MIB + 7);

        TransferResult result = transfer.transfer(request(source, object, withoutMultipart(target), false));

        assertThat(result.method()).isEqualTo(TransferResult.Method.STREAMED_PUT);
        assertThat(result.bytesRead()).isEqualTo(3 * MIB + 7);
        assertThat(bytes(target, "out", "copy/stream.bin")).isEqualTo(bytes(source, "in", "stream.bin"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {200_000, 3 * MIB + 5})
    void corruptedBytesFailTheObjectAndLeaveNothing(int size) {
        ObjectInfo object = put("bad.bin", size);
        for (ObjectStore to : new ObjectStore[] {target, withoutMultipart(target)}) {
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> transfer.transfer(request(corrupting(source), object, to, false)));

            assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains("bad.bin");
            assertThat(target.list(ListRequest.of("out", "")).objects()).isEmpty();
            assertThat(leftoverUploads()).isEmpty();
        }
    }

    @Test
    void aSourceChangingDuringAMultipartCopyIsCaughtAndTheUploadAborted() {
        ObjectInfo object = put("moving.bin", 5 * MIB);
        ObjectStore changing = new ObjectStoreLayer(source) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public ObjectContent get(String bucket, String key, ByteRange range) {
                ObjectContent content = super.get(bucket, key, range);
                if (range != null && range.first() >= 3L * MIB) {
                    ObjectInfo i = content.info();
                    ObjectInfo newer = new ObjectInfo(i.key(), i.size(), i.lastModified(), "another-etag",
                            i.storageClass(), i.contentType(), i.userMetadata(), i.checksums(), RestoreStatus.NONE);
                    return new ObjectContent(newer, content.offset(), content.length(), content.body());
                }
                return content;
            }
        };

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> transfer.transfer(request(changing, object, target, false)));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).contains("changed while it was being copied");
        assertThat(target.list(ListRequest.of("out", "")).objects()).isEmpty();
        assertThat(leftoverUploads()).isEmpty();
    }

    @Test
    void anAbortedMultipartCopyIntoTheSourcesOwnBucketRemovesItsUploadAndNothingOfTheSource() {
        // the source's bucket is the target's too (copy/ beside the original), on one store: the
        // abort after a mismatch, with parts in flight, must take the upload away and nothing else
        ObjectInfo object = put("kept.bin", 5 * MIB + 3);
        byte[] before = bytes(source, "in", "kept.bin");

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> transfer.transfer(new TransferRequest(corrupting(source), "in", object, source, "in",
                        "copy/kept.bin", false, null)));

        assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH);
        assertThat(source.list(ListRequest.of("in", "")).objects()).extracting(ObjectInfo::key)
                .containsExactly("kept.bin");
        assertThat(bytes(source, "in", "kept.bin")).isEqualTo(before);
        Path uploads = temp.resolve("src/in/.barge.uploads");
        assertThat(!Files.exists(uploads) || uploads.toFile().list().length == 0).as("uploads left in %s", uploads)
                .isTrue();
    }

    @Test
    void aFileWithoutEtagRewrittenBetweenTwoPartsIsCaughtByItsTimeAndNothingIsWritten() throws IOException {
        Path file = temp.resolve("src").resolve("in").resolve("raw.bin");
        byte[] first = new byte[5 * MIB];
        new Random(1).nextBytes(first);
        Files.write(file, first); // written by another program: no etag, no MD5 to compare with
        ObjectInfo object = source.stat("in", "raw.bin");
        assertThat(object.etag()).isNull();
        assertThat(object.checksums()).isEmpty();
        ObjectStore rewritten = new ObjectStoreLayer(source) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public ObjectContent get(String bucket, String key, ByteRange range) {
                if (range != null && range.first() == 3L * MIB) {
                    byte[] second = first.clone();
                    second[0] ^= 1; // the same size: only the file's time tells the versions apart
                    try {
                        Files.write(file, second);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return super.get(bucket, key, range);
            }
        };

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> transfer.transfer(request(rewritten, object, target, false)));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).contains("changed while it was being copied").contains("modified at");
        assertThat(target.list(ListRequest.of("out", "")).objects()).isEmpty();
        assertThat(leftoverUploads()).isEmpty();
    }

    @Test
    void theRequestedStorageClassIsApplied() {
        ObjectInfo object = put("cold.bin", 1000);
        transfer.transfer(new TransferRequest(source, "in", object, target, "out", "cold.bin", false,
                StorageClass.of(StorageClass.Family.ARCHIVE)));
        assertThat(target.stat("out", "cold.bin").storageClass().family()).isEqualTo(StorageClass.Family.ARCHIVE);
    }

    private Stream<Path> leftoverUploads() {
        Path uploads = temp.resolve("dst/out/.barge.uploads");
        try {
            return Files.exists(uploads) ? Files.list(uploads).toList().stream() : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The store, counting in {@code maxActive} the most part uploads it had at once. */
    private static ObjectStore countingUploads(ObjectStore store, AtomicInteger maxActive) {
        AtomicInteger active = new AtomicInteger();
        return new ObjectStoreLayer(store) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
                maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                try {
                    return super.uploadPart(upload, partNumber, payload);
                } finally {
                    active.decrementAndGet();
                }
            }
        };
    }

    /** The store, flipping one byte in the middle of every download. */
    private static ObjectStore corrupting(ObjectStore store) {
        return new ObjectStoreLayer(store) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            protected InputStream download(Call call, InputStream body) {
                return new FilterInputStream(body) {
                    private long position;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0 && position <= 1000 && position + n > 1000) {
                            b[off + (int) (1000 - position)] ^= 0x5a;
                        }
                        position += Math.max(n, 0);
                        return n;
                    }
                };
            }
        };
    }

    private static ObjectStore withoutMultipart(ObjectStore store) {
        Capabilities c = store.capabilities();
        Capabilities without = Capabilities.builder().copy(c.maxCopySize()).storageClasses(c.storageClasses())
                .checksums(c.checksums()).listStartAfter(true).keysNestUnderObjects(c.keysNestUnderObjects()).build();
        return new ObjectStoreLayer(store) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public Capabilities capabilities() {
                return without;
            }
        };
    }
}
