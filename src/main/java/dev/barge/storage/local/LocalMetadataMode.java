package dev.barge.storage.local;

import java.util.Locale;

/**
 * Where the local driver keeps what an object carries besides its bytes ({@link LocalMetadata}):
 * the remote option {@code metadata}.
 */
enum LocalMetadataMode {
    /** Extended attributes where the bucket's file system has them, else sidecars; the default. */
    AUTO,
    /**
     * Extended attributes only: a root whose file system lacks them is refused, and an object whose
     * metadata the file system refuses (too large) is not written. No {@code .barge.meta} ever appears.
     */
    XATTR,
    /** Sidecar files in {@code .barge.meta/}, as before extended attributes: for tools that drop them. */
    SIDECAR,
    /**
     * Plain files only: nothing is written or read besides the bytes, so content type, user metadata,
     * storage class (only STANDARD is offered), etag and MD5 are not kept.
     */
    NONE;

    static final String OPTION = "metadata";

    /** The option's value as written in configuration. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the option's value; {@code null} if it is none of the modes. */
    static LocalMetadataMode parse(String value) {
        for (LocalMetadataMode mode : values()) {
            if (mode.value().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        return null;
    }
}
