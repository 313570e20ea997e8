package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a store reports after writing an object.
 *
 * @param etag the new object's etag without quotes, or {@code null} if the store gave none
 * @param checksums checksums of the written content that the store vouches for
 */
public record WriteResult(String etag, List<Checksum> checksums) {

    public WriteResult {
        checksums = List.copyOf(requireNonNull(checksums, "checksums is null"));
    }

    public Optional<Checksum> checksum(Checksum.Algorithm algorithm) {
        return checksums.stream().filter(c -> c.algorithm() == algorithm).findFirst();
    }
}
