package dev.barge.storage;

import static java.util.Objects.requireNonNull;

/**
 * A part that was uploaded, as {@link ObjectStore#completeMultipart} needs it back.
 *
 * @param partNumber 1-based part number
 * @param etag the etag the store returned for the part
 * @param size the part's size in bytes
 */
public record CompletedPart(int partNumber, String etag, long size) {
    public CompletedPart {
        requireNonNull(etag, "etag is null");
        if (partNumber < 1) {
            throw new IllegalArgumentException("part numbers start at 1: " + partNumber);
        }
    }
}
