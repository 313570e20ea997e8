package dev.barge.storage;

import static java.util.Objects.requireNonNull;

/**
 * A request to make an archived object readable for a while.
 *
 * @param days how long the restored copy stays readable
 * @param tier how fast (and at what price) the store should restore
 */
public record RestoreRequest(int days, Tier tier) {
    public RestoreRequest {
        requireNonNull(tier, "tier is null");
        if (days < 1) {
            throw new IllegalArgumentException("a restore lasts at least one day: " + days);
        }
    }

    /** Retrieval speed, as S3 names it; drivers map it onto their vendor's options. */
    public enum Tier {
        EXPEDITED,
        STANDARD,
        BULK
    }
}
