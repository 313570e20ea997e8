package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a store can do beyond the core operations. Callers check these before choosing a
 * strategy (server-side copy or streaming, multipart part sizes, batch sizes); an optional
 * operation called on a store that does not claim it fails at once with
 * {@link ErrorKind#UNSUPPORTED}, before any request is sent. The conformance suite runs the
 * tests of every capability a store claims.
 *
 * @param copy server-side {@link ObjectStore#copy} within the store
 * @param maxCopySize the largest object one copy request can copy (S3: 5 GiB); larger copies
 *     need multipart copy, which the driver does inside {@code copy} when it can
 * @param append {@link ObjectStore#append} with a position check
 * @param multipart the multipart upload calls
 * @param multipartMinPartSize smallest size of any part but the last
 * @param multipartMaxPartSize largest size of a part
 * @param multipartMaxParts largest part number
 * @param multipartCopy {@link ObjectStore#uploadPartCopy}: a part of an upload copied by the store from
 *     a range of another object, so that copies above {@code maxCopySize} need no bytes through Barge
 * @param maxPutSize the largest object a single {@link ObjectStore#put} can write
 * @param storageClasses the storage class families a put, copy or {@code setStorageClass} accepts
 * @param setStorageClass {@link ObjectStore#setStorageClass} in place
 * @param restore {@link ObjectStore#restore} of archived objects, and restore state in {@code stat}
 * @param presign {@link ObjectStore#presign} of GET URLs; PUT URLs too where the vendor has them
 *     (Qiniu has none: a PUT request is refused with {@link ErrorKind#UNSUPPORTED})
 * @param presignMaxExpiry the longest a presigned URL may stay valid, or {@code null} when the
 *     store sets no limit of its own (its signatures carry an expiry time of any size)
 * @param listStartAfter {@link ListRequest#startAfter()}
 * @param maxBatchDeleteSize how many keys one batch delete request takes; 1 means the store
 *     deletes one key per request and {@link ObjectStore#deleteAll} loops
 * @param checksums the checksum algorithms the store reports in {@link ObjectInfo#checksums()}
 *     and can verify on a put
 * @param keysNestUnderObjects whether a key may continue another object's key with {@code /}, so
 *     that {@code a} and {@code a/b} exist together: true for object stores; false for file
 *     systems, which refuse the second with {@link ErrorKind#CONFLICT}
 */
public record Capabilities(
        boolean copy,
        long maxCopySize,
        boolean append,
        boolean multipart,
        long multipartMinPartSize,
        long multipartMaxPartSize,
        int multipartMaxParts,
        boolean multipartCopy,
        long maxPutSize,
        Set<StorageClass.Family> storageClasses,
        boolean setStorageClass,
        boolean restore,
        boolean presign,
        Duration presignMaxExpiry,
        boolean listStartAfter,
        int maxBatchDeleteSize,
        Set<Checksum.Algorithm> checksums,
        boolean keysNestUnderObjects) {

    public Capabilities {
        storageClasses = Set.copyOf(requireNonNull(storageClasses, "storageClasses is null"));
        checksums = Set.copyOf(requireNonNull(checksums, "checksums is null"));
        if (maxBatchDeleteSize < 1) {
            throw new IllegalArgumentException("maxBatchDeleteSize must be >= 1: " + maxBatchDeleteSize);
        }
        if (multipart && (multipartMinPartSize <= 0 || multipartMaxPartSize < multipartMinPartSize
                || multipartMaxParts < 1)) {
            throw new IllegalArgumentException("multipart needs 0 < min part size <= max part size and max parts >= 1");
        }
        if (multipartCopy && !multipart) {
            throw new IllegalArgumentException("a part copy is a part of a multipart upload: multipartCopy needs multipart");
        }
        if (!storageClasses.contains(StorageClass.Family.STANDARD)) {
            throw new IllegalArgumentException("every store keeps STANDARD objects");
        }
    }

    /** A builder starting from a store that has only the core operations. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the store accepts objects of this storage class family. */
    public boolean supportsStorageClass(StorageClass.Family family) {
        return storageClasses.contains(family);
    }

    public static final class Builder {
        private boolean copy;
        private long maxCopySize;
        private boolean append;
        private boolean multipart;
        private long multipartMinPartSize;
        private long multipartMaxPartSize;
        private int multipartMaxParts;
        private boolean multipartCopy;
        private long maxPutSize = Long.MAX_VALUE;
        private Set<StorageClass.Family> storageClasses = EnumSet.of(StorageClass.Family.STANDARD);
        private boolean setStorageClass;
        private boolean restore;
        private boolean presign;
        private Duration presignMaxExpiry;
        private boolean listStartAfter;
        private int maxBatchDeleteSize = 1;
        private Set<Checksum.Algorithm> checksums = Set.of();
        private boolean keysNestUnderObjects = true;

        private Builder() {}

        public Builder copy(long maxCopySize) {
            this.copy = true;
            this.maxCopySize = maxCopySize;
            return this;
        }

        public Builder append(boolean append) {
            this.append = append;
            return this;
        }

        public Builder multipart(long minPartSize, long maxPartSize, int maxParts) {
            this.multipart = true;
            this.multipartMinPartSize = minPartSize;
            this.multipartMaxPartSize = maxPartSize;
            this.multipartMaxParts = maxParts;
            return this;
        }

        /** Parts copied by the store from ranges of other objects ({@link ObjectStore#uploadPartCopy}). */
        public Builder multipartCopy(boolean multipartCopy) {
            this.multipartCopy = multipartCopy;
            return this;
        }

        public Builder maxPutSize(long maxPutSize) {
            this.maxPutSize = maxPutSize;
            return this;
        }

        public Builder storageClasses(Set<StorageClass.Family> storageClasses) {
            this.storageClasses = storageClasses;
            return this;
        }

        public Builder setStorageClass(boolean setStorageClass) {
            this.setStorageClass = setStorageClass;
            return this;
        }

        public Builder restore(boolean restore) {
            this.restore = restore;
            return this;
        }

        public Builder presign(boolean presign) {
            this.presign = presign;
            return this;
        }

        /** The longest a presigned URL may stay valid; unset when the store sets no limit. */
        public Builder presignMaxExpiry(Duration presignMaxExpiry) {
            this.presignMaxExpiry = presignMaxExpiry;
            return this;
        }

        public Builder listStartAfter(boolean listStartAfter) {
            this.listStartAfter = listStartAfter;
            return this;
        }

        public Builder maxBatchDeleteSize(int maxBatchDeleteSize) {
            this.maxBatchDeleteSize = maxBatchDeleteSize;
            return this;
        }

        public Builder checksums(Set<Checksum.Algorithm> checksums) {
            this.checksums = checksums;
            return this;
        }

        public Builder keysNestUnderObjects(boolean keysNestUnderObjects) {
            this.keysNestUnderObjects = keysNestUnderObjects;
            return this;
        }

        public Capabilities build() {
            return new Capabilities(copy, maxCopySize, append, multipart, multipartMinPartSize, multipartMaxPartSize,
                    multipartMaxParts, multipartCopy, maxPutSize, storageClasses, setStorageClass, restore, presign, presignMaxExpiry,
                    listStartAfter, maxBatchDeleteSize, checksums, keysNestUnderObjects);
        }
    }
}
