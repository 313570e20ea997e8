package dev.barge.storage;

/**
 * A range of bytes to read from an object, in one of the three forms HTTP knows:
 * {@code bytes=first-last}, {@code bytes=first-} and {@code bytes=-suffixLength}.
 *
 * <p>Against an object of {@code size} bytes: a range whose first byte is at or past the end
 * (first &gt;= size) cannot be satisfied and fails with {@link ErrorKind#INVALID_ARGUMENT}; a
 * last byte past the end is cut to the last byte; a suffix longer than the object is the
 * whole object. See {@link #resolve(long)}.
 *
 * @param first first byte, inclusive; -1 for a suffix range
 * @param last last byte, inclusive; -1 for "to the end"
 * @param suffixLength for a suffix range, how many bytes from the end; otherwise -1
 */
public record ByteRange(long first, long last, long suffixLength) {

    public ByteRange {
        if (suffixLength >= 0) {
            if (first != -1 || last != -1) {
                throw new IllegalArgumentException("a suffix range has no first or last byte");
            }
        } else {
            if (first < 0) {
                throw new IllegalArgumentException("first byte must be >= 0: " + first);
            }
            if (last != -1 && last < first) {
                throw new IllegalArgumentException("last byte " + last + " is before first byte " + first);
            }
        }
    }

    /** Bytes {@code first} to {@code last}, both inclusive. */
    public static ByteRange of(long first, long last) {
        if (last < 0) {
            throw new IllegalArgumentException("last byte must be >= 0: " + last);
        }
        return new ByteRange(first, last, -1);
    }

    /** Bytes from {@code first} to the end of the object. */
    public static ByteRange from(long first) {
        return new ByteRange(first, -1, -1);
    }

    /** The last {@code length} bytes of the object. */
    public static ByteRange suffix(long length) {
        if (length <= 0) {
            throw new IllegalArgumentException("suffix length must be > 0: " + length);
        }
        return new ByteRange(-1, -1, length);
    }

    public boolean isSuffix() {
        return suffixLength >= 0;
    }

    /**
     * The absolute first byte and length this range selects in an object of {@code size} bytes.
     *
     * @throws IllegalArgumentException when the range starts at or past the end of the object
     */
    public Resolved resolve(long size) {
        if (isSuffix()) {
            long length = Math.min(suffixLength, size);
            return new Resolved(size - length, length);
        }
        if (first >= size) {
            throw new IllegalArgumentException(
                    "range " + this + " starts past the end of the " + size + "-byte object");
        }
        long end = last == -1 ? size - 1 : Math.min(last, size - 1);
        return new Resolved(first, end - first + 1);
    }

    /** The HTTP form, e.g. {@code bytes=0-99}, {@code bytes=100-}, {@code bytes=-10}. */
    @Override
    public String toString() {
        if (isSuffix()) {
            return "bytes=-" + suffixLength;
        }
        return "bytes=" + first + "-" + (last == -1 ? "" : Long.toString(last));
    }

    /** A range resolved against a known object size. */
    public record Resolved(long offset, long length) {}
}
