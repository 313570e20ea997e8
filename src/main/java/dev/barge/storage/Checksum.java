package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A checksum of an object's content, in the textual form the vendor uses.
 *
 * @param algorithm what was computed
 * @param value the value, in the form {@link Algorithm} documents
 */
public record Checksum(Algorithm algorithm, String value) {

    public Checksum {
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(value, "value is null");
        value = algorithm.normalize(value);
    }

    public static Checksum md5Hex(String hex) {
        return new Checksum(Algorithm.MD5, hex);
    }

    /** The checksum algorithms Barge compares across stores. */
    public enum Algorithm {
        /** MD5, lower-case hex (the S3 etag of a single-part upload, without quotes). */
        MD5 {
            @Override
            String normalize(String value) {
                return value.toLowerCase(Locale.ROOT);
            }
        },
        /** SHA-256, lower-case hex. */
        SHA256 {
            @Override
            String normalize(String value) {
                return value.toLowerCase(Locale.ROOT);
            }
        },
        /** CRC-64/ECMA-182 as Aliyun OSS reports it in {@code x-oss-hash-crc64ecma}: unsigned decimal. */
        CRC64_ECMA,
        /** Qiniu's etag (qetag): URL-safe base64 of a prefix byte and SHA-1 of 4 MiB blocks. */
        QETAG;

        String normalize(String value) {
            return value;
        }
    }
}
