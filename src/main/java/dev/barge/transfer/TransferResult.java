package dev.barge.transfer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import java.util.List;

/**
 * How an object was moved and what vouches for it.
 *
 * @param method the strategy used
 * @param bytesRead bytes that passed through Barge (0 for a server-side copy)
 * @param verified checksums that matched on both sides; empty when neither side offered one to
 *     compare and only the size was checked
 */
public record TransferResult(Method method, long bytesRead, List<Checksum> verified) {

    public TransferResult {
        requireNonNull(method, "method is null");
        verified = List.copyOf(requireNonNull(verified, "verified is null"));
    }

    public enum Method {
        /** The target store copied the object itself. */
        SERVER_SIDE_COPY,
        /** Read whole into memory, written in one request. */
        SINGLE_PUT,
        /** Read with parallel ranged reads, written as a multipart upload. */
        MULTIPART,
        /** Streamed into one request, for a large object on a target without multipart upload. */
        STREAMED_PUT
    }
}
