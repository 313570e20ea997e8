package dev.barge.storage.multipart;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;

/**
 * How an object of known size is cut into the parts of a multipart upload or copy: part <i>n</i>
 * (1-based) holds the bytes from (<i>n</i> − 1) × {@code partSize}, every part but the last is
 * exactly {@code partSize} bytes. The first piece of the shared multipart engine: every caller that
 * cuts an object into parts (transfers, and the drivers' copies and puts as they move onto the
 * engine) plans it here, from the object's size and the store's declared limits.
 *
 * @param size the object's size in bytes
 * @param partSize the size of every part but the last
 * @param partCount how many parts; at least 1 (an empty object is one empty part)
 */
public record PartPlan(long size, long partSize, int partCount) {

    /** The largest part Barge holds in memory: a Java array's limit. */
    public static final long MAX_IN_MEMORY_PART_SIZE = Integer.MAX_VALUE - 8;

    public PartPlan {
        if (size < 0 || partSize < 1 || partCount < 1) {
            throw new IllegalArgumentException("a plan needs size >= 0, part size >= 1, part count >= 1: "
                    + size + ", " + partSize + ", " + partCount);
        }
    }

    /**
     * The plan for an object of {@code size} bytes: the preferred part size, raised to the store's
     * minimum part size and to whatever keeps the part count within the store's maximum.
     *
     * @param operation the operation the plan is for, named in the error
     * @param bucket the target bucket, named in the error
     * @param key the target key, named in the error
     * @throws StorageException {@code INVALID_ARGUMENT} when the parts this needs are larger than the
     *     store's maximum part size or than Barge can hold in memory
     */
    public static PartPlan of(Operation operation, String bucket, String key, long size, long preferredPartSize,
            Capabilities store) {
        long partSize = Math.max(preferredPartSize, store.multipartMinPartSize());
        long forPartCount = (size + store.multipartMaxParts() - 1) / store.multipartMaxParts();
        partSize = Math.max(Math.max(partSize, forPartCount), 1);
        if (partSize > store.multipartMaxPartSize() || partSize > MAX_IN_MEMORY_PART_SIZE) {
            long largest = store.multipartMaxParts() * Math.min(store.multipartMaxPartSize(), MAX_IN_MEMORY_PART_SIZE);
            throw StorageException.invalidArgument(operation, bucket, key,
                    "'" + bucket + "/" + key + "' is " + size + " bytes, more than the target can hold: at most "
                            + store.multipartMaxParts() + " parts of " + Math.min(store.multipartMaxPartSize(),
                            MAX_IN_MEMORY_PART_SIZE) + " bytes (" + largest + " bytes); split the object, or choose"
                            + " a target that takes objects this large");
        }
        int partCount = (int) Math.max(1, (size + partSize - 1) / partSize);
        return new PartPlan(size, partSize, partCount);
    }

    /** The bytes of part {@code number}, 1 to {@link #partCount()}. */
    public ByteRange range(int number) {
        if (number < 1 || number > partCount) {
            throw new IllegalArgumentException("part " + number + " is outside 1.." + partCount);
        }
        long first = (number - 1) * partSize;
        return ByteRange.of(first, Math.max(first, Math.min(size, first + partSize) - 1));
    }

    /** The length of part {@code number} in bytes. */
    public long length(int number) {
        range(number);
        long first = (number - 1) * partSize;
        return Math.min(size, first + partSize) - first;
    }
}
