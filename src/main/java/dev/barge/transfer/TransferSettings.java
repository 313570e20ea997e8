package dev.barge.transfer;

/**
 * How objects are moved when they cannot be copied server-side.
 *
 * <p>Memory: a transfer holds at most {@code max(multipartThreshold, partsInFlight * partSize)}
 * bytes, and all transfers together at most the budget of {@link dev.barge.storage.multipart.PartBuffers}
 * (half the heap): a transfer that would go beyond it waits for another to hand bytes back.
 *
 * @param multipartThreshold objects up to this size are read into memory and written in one
 *     request (replayable, so a failed write is retried); larger ones go multipart
 * @param partSize the size of each part, raised where the target's minimum or part count requires
 * @param partsInFlight how many parts of one object are read and written at once
 */
public record TransferSettings(long multipartThreshold, long partSize, int partsInFlight) {

    /** 32 MiB threshold, 16 MiB parts, 4 parts in flight: 64 MiB per large object. */
    public static final TransferSettings DEFAULT = new TransferSettings(32L << 20, 16L << 20, 4);

    public TransferSettings {
        if (multipartThreshold < 0 || multipartThreshold > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("multipartThreshold must be between 0 and 2 GiB: " + multipartThreshold);
        }
        if (partSize < 1 || partSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("partSize must be between 1 byte and 2 GiB: " + partSize);
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("partsInFlight must be >= 1: " + partsInFlight);
        }
    }
}
