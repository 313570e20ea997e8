package dev.barge.storage.layer;

/**
 * Limits on what one remote is sent, in this process: operations per second and bytes per
 * second (up plus down). Each limit allows a burst of one second's worth at most, so over any
 * window of {@code t} seconds at most {@code rate * (t + 1)} is admitted. Zero means no limit.
 *
 * @param operationsPerSecond requests per second, 0 for none
 * @param bytesPerSecond bytes per second, 0 for none
 */
public record RateLimitSettings(double operationsPerSecond, long bytesPerSecond) {

    public static final RateLimitSettings NONE = new RateLimitSettings(0, 0);

    public RateLimitSettings {
        if (operationsPerSecond < 0 || Double.isNaN(operationsPerSecond) || Double.isInfinite(operationsPerSecond)) {
            throw new IllegalArgumentException("operationsPerSecond must be >= 0: " + operationsPerSecond);
        }
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0: " + bytesPerSecond);
        }
    }

    public boolean limitsOperations() {
        return operationsPerSecond > 0;
    }

    public boolean limitsBytes() {
        return bytesPerSecond > 0;
    }
}
