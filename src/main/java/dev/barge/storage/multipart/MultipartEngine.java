package dev.barge.storage.multipart;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.ContentHashes;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * The one multipart engine of Barge's drivers: it writes a put of unknown length and copies an object
 * too large for one copy request, over the multipart pieces of the {@link ObjectStore} SPI
 * ({@code initiateMultipart}, {@code uploadPart}, {@code uploadPartCopy}, {@code completeMultipart},
 * {@code abortMultipart}). Drivers implement the pieces; this does the rest, once for all of them:
 *
 * <ul>
 *   <li>parts run in parallel, at most {@link Settings#partsInFlight()} per object, so memory is
 *       bounded by parts in flight × part size, and by the budget of all transfers' bytes; part
 *       buffers are reused ({@link PartBuffers});</li>
 *   <li>each part is one call on the store it is given, which is the store as its caller sees it
 *       (layers included): the retry layer sends a failed part again on its own, and a failed part
 *       never restarts the object;</li>
 *   <li>a part that fails for good, or an interruption, stops the parts not yet started, waits for
 *       those being sent (a part still in flight would outlive the abort) and aborts the upload, so
 *       that no upload Barge could abort is left behind ({@link PartBatch});</li>
 *   <li>part sizes follow the object's size and the store's limits (minimum and maximum part size,
 *       maximum part count): {@link PartPlan} for a known size; for a stream of unknown length the
 *       configured size, growing as the part count does where the store allows parts of different
 *       sizes ({@link Settings#growParts()});</li>
 *   <li>a stream that ends within {@link Settings#singlePutLimit()} bytes becomes one ordinary put,
 *       with its MD5 where the store checks one ({@link Settings#singlePutMd5()});</li>
 *   <li>a put's expected checksums are computed as the bytes are read and compared before the upload
 *       is completed, so that a mismatch leaves nothing behind; with them only the checksums of the whole the
 *       driver asks for ({@link Settings#wholeChecksums()}), compared with the store's after: nothing else
 *       is hashed.</li>
 * </ul>
 *
 * Thread-safe; one engine serves a whole store. Closing it stops its threads.
 */
public final class MultipartEngine implements AutoCloseable {

    /**
     * How a store's parts are cut and sent.
     *
     * @param partSize the size of a put's parts (raised to the store's minimum, and to what the object's
     *     size needs within the store's maximum part count)
     * @param partsInFlight parts of one object read, uploaded or copied at once; a part being read from
     *     the stream counts
     * @param singlePutLimit a stream that ends within this many bytes is written by one
     *     {@link ObjectStore#put} of known length, which the driver must write itself (not through this
     *     engine again); at most {@code partSize} and {@code partsAbove}
     * @param partsAbove a put of known length above this many bytes is written in parts too, so that
     *     the layers above the driver send and retry its parts one by one (Kodo above its form-upload
     *     threshold); {@link Long#MAX_VALUE} where one request writes any put the store takes
     * @param growParts whether a stream of unknown length may be cut into parts of growing size (twice
     *     as large every tenth of the store's maximum part count), for stores that take parts of
     *     different sizes; otherwise every part but the last is {@code partSize} bytes, as some stores
     *     (Kodo's qetag blocks, some S3-compatible stores) need
     * @param wholeChecksums checksums of the whole object computed of the bytes sent, besides the
     *     expected ones: those the store reports of an object it assembled from parts (OSS's CRC-64,
     *     Kodo's qetag) are compared with them, and a store that assembled something else has its
     *     object deleted and the put fails; the others are reported in the result (Kodo's MD5)
     * @param singlePutMd5 whether a short stream's single put carries the MD5 of its bytes, when none
     *     is expected: S3 and OSS check it in transit (Content-MD5), and S3 over http then spares the
     *     SDK's chunked SHA-256 signing, which costs more than the MD5; the result reports it
     * @param partsWhenExpected a put of known length above {@code partSize} that expects one of these
     *     checksums is written in parts too: the store cannot check them before a single put commits,
     *     and this engine checks them of the bytes sent before it completes (OSS's CRC-64); empty for none
     */
    public record Settings(long partSize, int partsInFlight, long singlePutLimit, long partsAbove, boolean growParts,
            Set<Checksum.Algorithm> wholeChecksums, boolean singlePutMd5, Set<Checksum.Algorithm> partsWhenExpected) {
        public Settings {
            if (partSize < 1 || partSize > PartPlan.MAX_IN_MEMORY_PART_SIZE) {
                throw new IllegalArgumentException("partSize must be 1.." + PartPlan.MAX_IN_MEMORY_PART_SIZE + ": "
                        + partSize);
            }
            if (partsInFlight < 1) {
                throw new IllegalArgumentException("partsInFlight must be >= 1: " + partsInFlight);
            }
            if (singlePutLimit < 0 || singlePutLimit > partSize || singlePutLimit > partsAbove) {
                throw new IllegalArgumentException("singlePutLimit must be 0..min(partSize, partsAbove): "
                        + singlePutLimit);
            }
            wholeChecksums = Set.copyOf(requireNonNull(wholeChecksums, "wholeChecksums is null"));
            partsWhenExpected = Set.copyOf(requireNonNull(partsWhenExpected, "partsWhenExpected is null"));
        }
    }

    private final Settings settings;
    private final ThreadPoolExecutor executor;
    private final PartBuffers buffers;

    /**
     * An engine whose parts are held in the process's {@link PartBuffers#shared() shared buffers}.
     *
     * @param threadName the prefix of the names of the threads that send parts (the remote's name, say)
     */
    public MultipartEngine(Settings settings, String threadName) {
        this(settings, threadName, PartBuffers.shared());
    }

    /** As {@link #MultipartEngine(Settings, String)}, with the parts held in {@code buffers}. */
    public MultipartEngine(Settings settings, String threadName, PartBuffers buffers) {
        this.settings = requireNonNull(settings, "settings is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        requireNonNull(threadName, "threadName is null");
        AtomicInteger threads = new AtomicInteger();
        // threads on demand: each object bounds its own parts, so the pool needs no bound of its own
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, threadName + "-part-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Whether this store's puts of this payload are the engine's, cut into parts: when its length is
     * not known, or above {@link Settings#partsAbove()}.
     */
    public boolean writesInParts(Payload payload) {
        return !payload.hasKnownLength() || payload.length() > settings.partsAbove();
    }

    /**
     * Whether this store's put of this payload, for this request, is the engine's: as
     * {@link #writesInParts(Payload)}, and also above {@link Settings#partSize()} when the request
     * expects a checksum of {@link Settings#partsWhenExpected()}. The layers ask this, so that such a
     * put's parts pass them one by one, each retried on its own.
     */
    public boolean writesInParts(PutRequest request, Payload payload) {
        if (writesInParts(payload)) {
            return true;
        }
        if (settings.partsWhenExpected().isEmpty() || payload.length() <= settings.partSize()) {
            return false;
        }
        for (Checksum checksum : request.expectedChecksums()) {
            if (settings.partsWhenExpected().contains(checksum.algorithm())) {
                return true;
            }
        }
        return false;
    }

    // ---- put ----------------------------------------------------------------------------

    /**
     * Writes a put in parts read from its payload one after the other, as {@link ObjectStore#put} does:
     * nothing is visible at the key until the last part is uploaded and the expected checksums have
     * matched. A payload that ends within {@link Settings#singlePutLimit()} bytes is one
     * {@code parts.put} of those bytes.
     *
     * @param parts the store to send each request to: the store as its caller sees it
     * @throws StorageException as {@link ObjectStore#put}; {@code INVALID_ARGUMENT} when the payload needs
     *     more parts than the store takes, or holds other than the length it announced
     */
    public WriteResult put(ObjectStore parts, PutRequest request, Payload payload) {
        requireNonNull(parts, "parts is null");
        requireNonNull(request, "request is null");
        Capabilities store = parts.capabilities();
        if (!store.multipart()) {
            throw StorageException.unsupported(Operation.PUT, request.bucket(), request.key(),
                    "this store has no multipart upload");
        }
        IntToLongFunction sizes = partSizes(request, payload.length(), store);
        byte[] buffer = null;
        try (InputStream opened = payload.open()) {
            PushbackInputStream in = new PushbackInputStream(opened, 1);
            buffer = take(request, Math.toIntExact(sizes.applyAsLong(1)));
            int n = in.readNBytes(buffer, 0, buffer.length);
            if (n <= settings.singlePutLimit() && atEnd(in)) {
                checkLength(request, payload.length(), n, true);
                return parts.put(withMd5(request, buffer, n), Payload.ofBytes(buffer, 0, n));
            }
            byte[] first = buffer;
            buffer = null; // the upload owns it now
            return new StreamedPut(parts, request, payload.length(), store, sizes, in).run(first, n);
        } catch (IOException e) {
            throw payloadFailure(request, e);
        } finally {
            if (buffer != null) {
                buffers.release(buffer);
            }
        }
    }

    /** The request of a short stream's single put, with the MD5 of its bytes if the settings ask for it. */
    private PutRequest withMd5(PutRequest request, byte[] bytes, int length) {
        if (!settings.singlePutMd5()
                || request.expectedChecksums().stream().anyMatch(c -> c.algorithm() == Checksum.Algorithm.MD5)) {
            return request;
        }
        ContentHashes md5 = new ContentHashes(EnumSet.of(Checksum.Algorithm.MD5));
        md5.update(bytes, 0, length);
        List<Checksum> expected = new ArrayList<>(request.expectedChecksums());
        expected.addAll(md5.finish());
        return new PutRequest(request.bucket(), request.key(), request.contentType(), request.userMetadata(),
                request.storageClass(), expected);
    }

    /** The size of each part of a put, by part number. */
    private IntToLongFunction partSizes(PutRequest request, long length, Capabilities store) {
        long preferred = Math.max(settings.partSize(), store.multipartMinPartSize());
        if (length != Payload.UNKNOWN_LENGTH) {
            long partSize = PartPlan.of(Operation.PUT, request.bucket(), request.key(), length, preferred, store)
                    .partSize();
            return n -> partSize;
        }
        long largest = Math.min(store.multipartMaxPartSize(), PartPlan.MAX_IN_MEMORY_PART_SIZE);
        long base = Math.min(preferred, largest);
        if (!settings.growParts()) {
            return n -> base;
        }
        int every = Math.max(1, store.multipartMaxParts() / 10);
        int headroom = Long.numberOfLeadingZeros(base) - 1;
        return n -> {
            int doublings = (n - 1) / every;
            return doublings >= headroom ? largest : Math.min(largest, base << doublings);
        };
    }

    /** One put in parts: reads part after part, each uploaded while the next is read. */
    private final class StreamedPut {
        private final ObjectStore parts;
        private final PutRequest request;
        private final long length;
        private final Capabilities store;
        private final IntToLongFunction sizes;
        private final PushbackInputStream in;

        StreamedPut(ObjectStore parts, PutRequest request, long length, Capabilities store, IntToLongFunction sizes,
                PushbackInputStream in) {
            this.parts = parts;
            this.request = request;
            this.length = length;
            this.store = store;
            this.sizes = sizes;
            this.in = in;
        }

        WriteResult run(byte[] first, int firstLength) throws IOException {
            MultipartUpload upload;
            try {
                // the engine checks the expected checksums itself: stores may refuse them on an upload
                upload = parts.initiateMultipart(new PutRequest(request.bucket(), request.key(),
                        request.contentType(), request.userMetadata(), request.storageClass(), List.of()));
            } catch (RuntimeException | Error e) {
                buffers.release(first);
                throw e;
            }
            Set<Checksum.Algorithm> expected = EnumSet.noneOf(Checksum.Algorithm.class);
            request.expectedChecksums().forEach(c -> expected.add(c.algorithm()));
            expected.addAll(settings.wholeChecksums());
            ContentHashes hashes = new ContentHashes(expected);
            PartBatch<CompletedPart> batch = new PartBatch<>(executor, parts, upload);
            List<CompletedPart> uploaded = new ArrayList<>();
            byte[] buffer = first;
            List<Checksum> computed;
            WriteResult written;
            try {
                int n = firstLength;
                long total = 0;
                for (int number = 1; ; number++) {
                    hashes.update(buffer, 0, n);
                    total += n;
                    checkLength(request, length, total, false);
                    byte[] sent = buffer;
                    buffer = null; // the part owns it now, and hands it back however it ends
                    batch.submit(uploadTask(parts, upload, number, sent, n), () -> buffers.release(sent));
                    if (atEnd(in)) {
                        break;
                    }
                    if (number == store.multipartMaxParts()) {
                        throw StorageException.invalidArgument(Operation.PUT, request.bucket(), request.key(),
                                "the payload is longer than " + store.multipartMaxParts() + " parts of at most "
                                        + sizes.applyAsLong(number) + " bytes, the most this store takes in one"
                                        + " object; raise the part size; nothing was written");
                    }
                    awaitBelow(batch, uploaded, settings.partsInFlight()); // the part read next is in flight too
                    buffer = take(request, Math.toIntExact(sizes.applyAsLong(number + 1)));
                    n = in.readNBytes(buffer, 0, buffer.length);
                }
                checkLength(request, length, total, true);
                awaitBelow(batch, uploaded, 1);
                computed = hashes.finish();
                for (Checksum want : request.expectedChecksums()) {
                    Checksum actual = computed.stream().filter(c -> c.algorithm() == want.algorithm()).findFirst()
                            .orElseThrow();
                    if (!actual.equals(want)) {
                        throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT)
                                .bucket(request.bucket()).key(request.key())
                                .detail("expected " + want.algorithm() + " " + want.value() + " but the payload has "
                                        + actual.value() + "; the upload was abandoned, nothing was written").build();
                    }
                }
                written = parts.completeMultipart(upload, uploaded);
            } catch (IOException | RuntimeException | Error e) {
                if (buffer != null) {
                    buffers.release(buffer);
                }
                batch.abort(e, part -> { });
                throw e;
            }
            return withComputed(written, computed); // the upload is complete: nothing left to abort
        }

        /**
         * The completed object's result with the checksums computed of what was sent, once what the
         * store reports agrees with them; if it does not, the object the store assembled is not the
         * payload: it is deleted and the put fails.
         */
        private WriteResult withComputed(WriteResult written, List<Checksum> computed) {
            List<Checksum> checksums = new ArrayList<>(written.checksums());
            for (Checksum sent : computed) {
                Checksum stored = written.checksum(sent.algorithm()).orElse(null);
                if (stored == null) {
                    checksums.add(sent);
                } else if (!stored.equals(sent)) {
                    StorageException mismatch = StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT)
                            .bucket(request.bucket()).key(request.key()).detail("the store assembled an object with "
                                    + sent.algorithm() + " " + stored.value() + " but the payload has " + sent.value()
                                    + "; the damaged object was deleted").build();
                    try {
                        parts.delete(request.bucket(), request.key());
                    } catch (RuntimeException e) {
                        mismatch.addSuppressed(e);
                    }
                    throw mismatch;
                }
            }
            return new WriteResult(written.etag(), checksums);
        }
    }

    /** A part's upload, which hands its buffer back however it ends. */
    private Callable<CompletedPart> uploadTask(ObjectStore parts, MultipartUpload upload, int number,
            byte[] buffer, int length) {
        return () -> {
            try {
                return parts.uploadPart(upload, number, Payload.ofBytes(buffer, 0, length));
            } finally {
                buffers.release(buffer); // sent, or given up: the store holds its bytes no longer
            }
        };
    }

    /** A part buffer, waiting while the budget of all transfers' bytes is spent. */
    private byte[] take(PutRequest request, int size) {
        try {
            return buffers.take(size);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.builder(ErrorKind.PERMANENT, Operation.PUT).bucket(request.bucket())
                    .key(request.key()).detail("interrupted while waiting for memory for a part; nothing was written")
                    .cause(e).build();
        }
    }

    // ---- copy ---------------------------------------------------------------------------

    /**
     * Copies an object into a started upload part by part ({@link ObjectStore#uploadPartCopy}), each
     * part pinned to the source's etag so that a source replaced meanwhile fails the copy instead of
     * mixing versions, then completes it; on a failure the upload is aborted.
     *
     * @param parts the store to send each request to: the store as its caller sees it
     * @param upload the upload, started by the driver with the object's headers
     * @param plan the parts, from the source's size
     * @param sourceEtag the source's etag, or {@code null} to copy whatever each part finds
     */
    public WriteResult copy(ObjectStore parts, MultipartUpload upload, PartPlan plan, String sourceBucket,
            String sourceKey, String sourceEtag) {
        requireNonNull(parts, "parts is null");
        requireNonNull(upload, "upload is null");
        requireNonNull(plan, "plan is null");
        PartBatch<CompletedPart> batch = new PartBatch<>(executor, parts, upload);
        List<CompletedPart> copied = new ArrayList<>();
        try {
            for (int number = 1; number <= plan.partCount(); number++) {
                awaitBelow(batch, copied, settings.partsInFlight());
                int n = number;
                ByteRange range = plan.range(n);
                batch.submit(() -> parts.uploadPartCopy(upload, n, sourceBucket, sourceKey, sourceEtag, range),
                        () -> { });
            }
            awaitBelow(batch, copied, 1);
            return parts.completeMultipart(upload, copied);
        } catch (RuntimeException | Error e) {
            batch.abort(e, part -> { });
            throw e;
        }
    }

    /** Waits, oldest first, until fewer than {@code limit} parts are in flight, adding each to {@code done}. */
    private static void awaitBelow(PartBatch<CompletedPart> batch, List<CompletedPart> done, int limit) {
        while (batch.inFlight() >= limit) {
            done.add(batch.awaitOldest());
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static void checkLength(PutRequest request, long announced, long read, boolean atEnd) {
        if (announced != Payload.UNKNOWN_LENGTH && (read > announced || atEnd && read != announced)) {
            throw StorageException.invalidArgument(Operation.PUT, request.bucket(), request.key(), "the payload held "
                    + (read > announced ? "more than " : "") + read + " bytes but " + announced
                    + " were announced; nothing was written");
        }
    }

    private static boolean atEnd(PushbackInputStream in) throws IOException {
        int next = in.read();
        if (next == -1) {
            return true;
        }
        in.unread(next);
        return false;
    }

    private static StorageException payloadFailure(PutRequest request, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException se) {
                return se;
            }
        }
        return StorageException.builder(ErrorKind.TRANSIENT, Operation.PUT).bucket(request.bucket())
                .key(request.key()).detail("reading the payload failed: " + e.getClass().getSimpleName() + ": "
                        + e.getMessage()).cause(e).build();
    }

    /** Stops the engine's threads; parts in flight fail. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
