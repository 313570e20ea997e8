package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.layer.RateLimitSettings;
import java.nio.file.Path;
import java.util.Set;

/**
 * What the command line asks of the context it runs in.
 *
 * @param config a remotes file given with {@code --config}, or {@code null} for the default
 *     {@code ~/.config/barge/remotes.yml} when it exists
 * @param dbUrl the job repository's JDBC URL from {@code --db-url}, or {@code null} for
 *     {@code BARGE_DB_URL} or the embedded default
 * @param rateLimit limits from {@code --tps-limit} and {@code --bwlimit}
 * @param limitedRemotes the remotes the limits apply to (a job's source and target)
 */
public record Launch(Path config, String dbUrl, RateLimitSettings rateLimit, Set<String> limitedRemotes) {
    public Launch {
        requireNonNull(rateLimit, "rateLimit is null");
        limitedRemotes = Set.copyOf(requireNonNull(limitedRemotes, "limitedRemotes is null"));
    }

    public Launch withRateLimit(RateLimitSettings limit, Set<String> remotes) {
        return new Launch(config, dbUrl, limit, remotes);
    }
}
