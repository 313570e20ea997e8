package dev.barge.transfer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import dev.barge.storage.multipart.PartBatch;
import dev.barge.storage.multipart.PartBuffers;
import dev.barge.storage.multipart.PartPlan;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one object from one store to another, choosing per object:
 *
 * <ul>
 *   <li>both sides one store that can copy: a server-side copy, no bytes through Barge;</li>
 *   <li>up to {@link TransferSettings#multipartThreshold()}: read into memory, checked, and written
 *       in one request that carries the expected checksum, so the target refuses corrupt data before
 *       it becomes visible, and that is replayable, so the retry layer can resend it;</li>
 *   <li>larger, on a target with multipart upload: parts read with parallel ranged GETs and uploaded
 *       in parallel, at most {@link TransferSettings#partsInFlight()} at a time, hashed in order, and
 *       compared before the upload is completed (a mismatch aborts it: nothing becomes visible);</li>
 *   <li>larger, on a target without multipart: streamed in one request and checked afterwards.</li>
 * </ul>
 *
 * Every byte read is checksummed, in the fewest algorithms that compare it with what the source and
 * the target report ({@link StreamingChecksums#needed}), each byte hashed once; a mismatch is a {@link ErrorKind#CHECKSUM_MISMATCH}
 * failure and a target object already written with bad data is deleted. Content type and user
 * metadata go with the object; a multipart copy also records the source's MD5 in
 * {@value #MD5_METADATA}, since its etag cannot carry it.
 */
public final class ObjectTransfer {
    /** User metadata holding the content's MD5 where the target's etag is not one. */
    public static final String MD5_METADATA = "barge-md5";

    /** Reads of one part, the first included, before a transfer gives up on the object. */
    static final int PART_READ_ATTEMPTS = 4;

    private static final Logger log = LoggerFactory.getLogger(ObjectTransfer.class);

    private final TransferSettings settings;
    private final ExecutorService partExecutor;
    private final PartBuffers buffers;

    /**
     * A transfer that holds object bytes in the process's {@link PartBuffers#shared() shared buffers}.
     *
     * @param settings thresholds and part sizes
     * @param partExecutor runs the reads and writes of parts; must not be the executor that runs
     *     transfers, which wait on it
     */
    public ObjectTransfer(TransferSettings settings, ExecutorService partExecutor) {
        this(settings, partExecutor, PartBuffers.shared());
    }

    /** As {@link #ObjectTransfer(TransferSettings, ExecutorService)}, with the bytes held in {@code buffers}. */
    public ObjectTransfer(TransferSettings settings, ExecutorService partExecutor, PartBuffers buffers) {
        this.settings = requireNonNull(settings, "settings is null");
        this.partExecutor = requireNonNull(partExecutor, "partExecutor is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
    }

    public TransferResult transfer(TransferRequest request) {
        if (request.sameStore() && request.target().capabilities().copy()) {
            return serverSideCopy(request);
        }
        long size = request.sourceObject().size();
        if (size <= settings.multipartThreshold()) {
            return singlePut(request);
        }
        return request.target().capabilities().multipart() ? multipart(request) : streamedPut(request);
    }

    private TransferResult serverSideCopy(TransferRequest r) {
        ObjectInfo source = r.sourceObject();
        requireTargetAsListed(r);
        WriteResult written = r.target().copy(CopyRequest.of(r.sourceBucket(), source.key(), r.targetBucket(),
                r.targetKey()).withStorageClass(r.targetStorageClass()).withListedSource(source));
        List<Checksum> verified = new ArrayList<>();
        for (Checksum expected : source.checksums()) {
            written.checksum(expected.algorithm()).ifPresent(actual -> {
                if (!actual.equals(expected)) {
                    throw mismatchAfterWrite(r, "the server-side copy has " + actual + ", the source " + expected);
                }
                verified.add(actual);
            });
        }
        return new TransferResult(TransferResult.Method.SERVER_SIDE_COPY, 0, verified);
    }

    private TransferResult singlePut(TransferRequest r) {
        // the bytes counted before they are read, against the budget of all transfers' bytes
        try (PartBuffers.Reservation reserved = reserve(r, Operation.GET, r.sourceObject().size())) {
            return singlePut(r, reserved);
        }
    }

    private TransferResult singlePut(TransferRequest r, PartBuffers.Reservation reserved) {
        String key = r.sourceObject().key();
        try (ObjectContent content = r.source().get(r.sourceBucket(), r.sourceObject(), null)) {
            if (content.length() > settings.multipartThreshold()) {
                log.debug("{} grew to {} bytes since it was listed; transferring it as a large object", key,
                        content.length());
                content.close();
                reserved.close();
                return transfer(withSource(r, content.info()));
            }
            byte[] data = readExactly(r, content);
            StreamingChecksums sums = StreamingChecksums.of(algorithms(r, content.info()));
            sums.update(data, 0, data.length);
            List<Checksum> computed = sums.finish();
            List<Checksum> verified = new ArrayList<>(compareWithSource(r, content.info(), computed));
            requireTargetAsListed(r);
            WriteResult written = r.target().put(putRequest(r, content.info(), false)
                            .expectedChecksums(verifiableBy(r.target(), computed)).build(),
                    Payload.ofBytes(data));
            verified.addAll(compareWithTarget(r, computed, written, verified));
            return new TransferResult(TransferResult.Method.SINGLE_PUT, data.length, verified);
        } catch (IOException e) {
            throw readFailure(r, e);
        }
    }

    private TransferResult streamedPut(TransferRequest r) {
        String key = r.sourceObject().key();
        try (ObjectContent content = r.source().get(r.sourceBucket(), r.sourceObject(), null)) {
            StreamingChecksums sums = StreamingChecksums.of(algorithms(r, content.info()));
            ChecksummingInputStream in = new ChecksummingInputStream(content.body(), sums);
            List<Checksum> announced = verifiableBy(r.target(), content.info().checksums());
            requireTargetAsListed(r);
            WriteResult written = r.target().put(putRequest(r, content.info(), false).expectedChecksums(announced).build(),
                    Payload.ofStream(in, content.length()));
            if (in.count() != content.length()) {
                deleteQuietly(r);
                throw readFailure(r, new IOException("the source sent " + in.count() + " of " + content.length() + " bytes"));
            }
            List<Checksum> computed = sums.finish();
            List<Checksum> verified = new ArrayList<>();
            try {
                verified.addAll(compareWithSource(r, content.info(), computed));
            } catch (StorageException e) {
                deleteQuietly(r);
                throw e;
            }
            verified.addAll(compareWithTarget(r, computed, written, verified));
            return new TransferResult(TransferResult.Method.STREAMED_PUT, in.count(), verified);
        } catch (IOException e) {
            throw readFailure(r, e);
        }
    }

    /** A part read and uploaded: its bytes are {@code data[0, length)}, a buffer of {@link #buffers}. */
    private record Part(int number, byte[] data, int length, CompletedPart uploaded) {}

    /**
     * Parts are read and uploaded on the part executor, at most {@link TransferSettings#partsInFlight()}
     * at a time, and hashed here in order. Each part's buffer is taken here before the part is sent
     * off, and handed back once it is hashed; when the budget of all transfers' bytes is spent
     * ({@link PartBuffers}), this transfer first hashes its oldest part in flight, which hands one back,
     * and waits only when it holds none. On a failure the upload is given up as every multipart upload
     * is ({@link PartBatch#abort}): parts not started are dropped, those in flight waited for, and
     * their buffers handed back, before the upload is aborted.
     */
    private TransferResult multipart(TransferRequest r) {
        ObjectInfo source = r.source().stat(r.sourceBucket(), r.sourceObject().key());
        Capabilities target = r.target().capabilities();
        PartPlan plan = PartPlan.of(Operation.MULTIPART_INITIATE, r.targetBucket(), r.targetKey(), source.size(),
                settings.partSize(), target);
        long partSize = plan.partSize();
        int bufferSize = Math.toIntExact(partSize);
        int partCount = plan.partCount();
        MultipartUpload upload = r.target().initiateMultipart(putRequest(r, source, true).build(), partSize);
        PartBatch<Part> batch = new PartBatch<>(partExecutor, r.target(), upload);
        try {
            StreamingChecksums sums = StreamingChecksums.of(algorithms(r, source));
            List<CompletedPart> parts = new ArrayList<>(partCount);
            for (int i = 0; i < partCount; i++) {
                int number = i + 1;
                long first = i * partSize;
                long last = Math.min(source.size(), first + partSize) - 1;
                byte[] buffer = buffers.tryTake(bufferSize);
                while (buffer == null && batch.inFlight() > 0) {
                    hashInOrder(batch.awaitOldest(), sums, parts);
                    buffer = buffers.tryTake(bufferSize);
                }
                if (buffer == null) {
                    buffer = take(r, bufferSize);
                }
                byte[] taken = buffer;
                batch.submit(() -> copyPart(r, source, upload, number, first, last, taken),
                        () -> buffers.release(taken));
                if (batch.inFlight() >= settings.partsInFlight()) {
                    hashInOrder(batch.awaitOldest(), sums, parts);
                }
            }
            while (batch.inFlight() > 0) {
                hashInOrder(batch.awaitOldest(), sums, parts);
            }
            List<Checksum> computed = sums.finish();
            List<Checksum> verified = new ArrayList<>(compareWithSource(r, source, computed));
            requireTargetAsListed(r);
            WriteResult written = r.target().completeMultipart(upload, parts);
            verified.addAll(compareWithTarget(r, computed, written, verified));
            return new TransferResult(TransferResult.Method.MULTIPART, source.size(), verified);
        } catch (RuntimeException | Error e) {
            // parts uploaded but not yet hashed hold their buffers: handed back as they are abandoned
            batch.abort(e, part -> buffers.release(part.data()));
            throw e;
        }
    }

    /**
     * Reads one part with a ranged GET into {@code buffer} and uploads it. A read that breaks off
     * mid-part (a reset, a body cut short) is read again, up to {@value #PART_READ_ATTEMPTS} times,
     * without touching the other parts: a failed part never restarts the object. The requests
     * themselves (the GET, the upload) are retried by the store's retry layer. A part that fails hands
     * its buffer back.
     */
    private Part copyPart(TransferRequest r, ObjectInfo source, MultipartUpload upload, int number, long first,
            long last, byte[] buffer) {
        int length = Math.toIntExact(last - first + 1);
        try {
            readPart(r, source, number, first, last, buffer, length);
            return new Part(number, buffer, length,
                    r.target().uploadPart(upload, number, Payload.ofBytes(buffer, 0, length)));
        } catch (RuntimeException | Error e) {
            buffers.release(buffer); // the store is done with it: the upload returned or failed
            throw e;
        }
    }

    /** Reads bytes {@code first..last} of the source into {@code buffer[0, length)}. */
    private void readPart(TransferRequest r, ObjectInfo source, int number, long first, long last, byte[] buffer,
            int length) {
        String key = source.key();
        for (int attempt = 1; ; attempt++) {
            try (ObjectContent content = r.source().get(r.sourceBucket(), source, ByteRange.of(first, last))) {
                // every part from the version the upload started with, or none: a part read again
                // after a change would mix two versions in one object
                Optional<String> change = content.info().changesSince(source);
                if (change.isPresent()) {
                    throw StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(r.sourceBucket())
                            .key(key).detail("the object changed while it was being copied (" + change.get()
                                    + "); it will be copied again from the start").build();
                }
                readExactly(r, content, buffer, length);
                return;
            } catch (IOException e) {
                StorageException failure = readFailure(r, e);
                if (!failure.isRetryable() || attempt == PART_READ_ATTEMPTS) {
                    throw failure;
                }
                log.debug("part {} of {}: reading bytes {}-{} failed ({}); reading the part again", number, key,
                        first, last, e.getMessage());
            }
        }
    }

    private byte[] take(TransferRequest r, int size) {
        try {
            return buffers.take(size);
        } catch (InterruptedException e) {
            throw interruptedWaitingForMemory(r, Operation.GET, e);
        }
    }

    private PartBuffers.Reservation reserve(TransferRequest r, Operation op, long bytes) {
        try {
            return buffers.reserve(bytes);
        } catch (InterruptedException e) {
            throw interruptedWaitingForMemory(r, op, e);
        }
    }

    private static StorageException interruptedWaitingForMemory(TransferRequest r, Operation op,
            InterruptedException e) {
        Thread.currentThread().interrupt();
        return StorageException.builder(ErrorKind.PERMANENT, op).bucket(r.sourceBucket()).key(r.sourceObject().key())
                .detail("interrupted while waiting for memory to hold the object's bytes; nothing was written")
                .cause(e).build();
    }

    private void hashInOrder(Part part, StreamingChecksums sums, List<CompletedPart> parts) {
        sums.update(part.data(), 0, part.length());
        parts.add(part.uploaded());
        buffers.release(part.data());
    }

    // ---- checksums ----------------------------------------------------------------------

    /**
     * The algorithms worth computing: the fewest that check the copy against the source and the target
     * ({@link StreamingChecksums#needed}). Whether it goes multipart mirrors {@link #transfer}.
     */
    private Set<Checksum.Algorithm> algorithms(TransferRequest r, ObjectInfo source) {
        Set<Checksum.Algorithm> reported = EnumSet.noneOf(Checksum.Algorithm.class);
        source.checksums().forEach(c -> reported.add(c.algorithm()));
        Capabilities target = r.target().capabilities();
        boolean multipart = source.size() > settings.multipartThreshold() && target.multipart();
        return StreamingChecksums.needed(reported, target.checksums(), multipart);
    }

    /**
     * The checksums to announce to the target, which verifies them before the object becomes visible:
     * those it knows, and of those only the MD5 when there is one (every driver checks an MD5 without
     * hashing the bytes again; a second checksum of the same bytes would add nothing but work).
     */
    static List<Checksum> verifiableBy(ObjectStore target, List<Checksum> checksums) {
        List<Checksum> known = checksums.stream()
                .filter(c -> target.capabilities().checksums().contains(c.algorithm())).toList();
        return known.stream().filter(c -> c.algorithm() == Checksum.Algorithm.MD5).findFirst()
                .map(List::of).orElse(known);
    }

    /** Compares what was read with what the source says it holds: the bytes must not have changed in transit. */
    private static List<Checksum> compareWithSource(TransferRequest r, ObjectInfo source, List<Checksum> computed) {
        List<Checksum> verified = new ArrayList<>();
        for (Checksum reported : source.checksums()) {
            for (Checksum actual : computed) {
                if (actual.algorithm() == reported.algorithm()) {
                    if (!actual.equals(reported)) {
                        throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.GET)
                                .bucket(r.sourceBucket()).key(source.key())
                                .detail("the bytes read have " + actual.algorithm() + " " + actual.value()
                                        + " but the source reports " + reported.value()).build();
                    }
                    verified.add(actual);
                }
            }
        }
        return verified;
    }

    /** Compares what was read with what the target says it stored; deletes the target object on a mismatch. */
    private List<Checksum> compareWithTarget(TransferRequest r, List<Checksum> computed, WriteResult written,
            List<Checksum> alreadyVerified) {
        List<Checksum> verified = new ArrayList<>();
        for (Checksum actual : computed) {
            written.checksum(actual.algorithm()).ifPresent(stored -> {
                if (!stored.equals(actual)) {
                    deleteQuietly(r);
                    throw mismatchAfterWrite(r, "the target stored " + stored.algorithm() + " " + stored.value()
                            + " but the bytes sent have " + actual.value());
                }
                if (!alreadyVerified.contains(stored)) {
                    verified.add(stored);
                }
            });
        }
        return verified;
    }

    /**
     * Last before the write that replaces what the target holds: that must still be the version the
     * caller listed and compared ({@link TransferRequest#targetAsListed}). An object written there
     * since by someone else is not overwritten on the strength of a comparison with what it was; the
     * transfer fails with {@link ErrorKind#PRECONDITION_FAILED}, and nothing was written. One stat,
     * for updates only; the window left is that one request.
     */
    private static void requireTargetAsListed(TransferRequest r) {
        ObjectInfo listed = r.targetAsListed();
        if (listed == null) {
            return;
        }
        ObjectInfo now;
        try {
            now = r.target().stat(r.targetBucket(), r.targetKey());
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return; // deleted since: nobody's object is overwritten
            }
            throw e;
        }
        Optional<String> change = now.changesSince(listed);
        if (change.isPresent()) {
            throw StorageException.builder(ErrorKind.PRECONDITION_FAILED, Operation.PUT).bucket(r.targetBucket())
                    .key(r.targetKey()).detail("not overwritten: the target object changed after it was listed ("
                            + change.get() + "), so it was not the version compared with the source; the next"
                            + " run compares it again").build();
        }
    }

    private static StorageException mismatchAfterWrite(TransferRequest r, String detail) {
        return StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(r.targetBucket())
                .key(r.targetKey()).detail(detail + "; the copy was deleted").build();
    }

    private void deleteQuietly(TransferRequest r) {
        try {
            r.target().delete(r.targetBucket(), r.targetKey());
        } catch (RuntimeException e) {
            log.warn("could not delete the bad copy {}/{}: {}", r.targetBucket(), r.targetKey(), e.getMessage());
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private PutRequest.Builder putRequest(TransferRequest r, ObjectInfo source, boolean recordMd5) {
        Map<String, String> metadata = new HashMap<>(source.userMetadata());
        if (recordMd5) {
            source.checksum(Checksum.Algorithm.MD5).ifPresent(md5 -> metadata.put(MD5_METADATA, md5.value()));
        }
        return PutRequest.builder(r.targetBucket(), r.targetKey())
                .contentType(source.contentType())
                .userMetadata(metadata)
                .storageClass(r.targetStorageClass());
    }

    private static TransferRequest withSource(TransferRequest r, ObjectInfo fresh) {
        return new TransferRequest(r.source(), r.sourceBucket(), fresh, r.target(), r.targetBucket(), r.targetKey(),
                r.sameStore(), r.targetStorageClass(), r.targetAsListed());
    }

    private static byte[] readExactly(TransferRequest r, ObjectContent content) throws IOException {
        byte[] data = new byte[Math.toIntExact(content.length())];
        readExactly(r, content, data, data.length);
        return data;
    }

    /** Reads the whole body into {@code buffer[0, length)}: exactly {@code length} bytes, or fails. */
    private static void readExactly(TransferRequest r, ObjectContent content, byte[] buffer, int length)
            throws IOException {
        InputStream body = content.body();
        if (content.length() != length) {
            throw new IOException("the source announced " + content.length() + " bytes where " + length
                    + " were asked for");
        }
        int read = body.readNBytes(buffer, 0, length); // into the array: no staging buffers, no copy
        if (read != length || body.read() != -1) {
            throw new IOException("the source sent " + (read == length ? "more" : read)
                    + " bytes where " + length + " were announced");
        }
    }

    private static StorageException readFailure(TransferRequest r, IOException e) {
        if (e.getCause() instanceof StorageException se) {
            return se;
        }
        return StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(r.sourceBucket())
                .key(r.sourceObject().key()).detail("reading the source failed: " + e.getMessage()).cause(e).build();
    }

    /** Counts and checksums the bytes the target reads. */
    private static final class ChecksummingInputStream extends FilterInputStream {
        private final StreamingChecksums sums;
        private long count;

        ChecksummingInputStream(InputStream in, StreamingChecksums sums) {
            super(in);
            this.sums = sums;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sums.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0; // every byte must pass through the checksums
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
