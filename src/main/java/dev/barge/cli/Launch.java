package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.layer.RateLimitSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What the command line asks of the context it runs in.
 *
 * @param needs what the command works with: the stores alone, or jobs and their repository
 * @param config a remotes file given with {@code --config}, or {@code null} for the default
 *     {@code ~/.config/barge/remotes.yml} when it exists
 * @param dbUrl the job repository's JDBC URL from {@code --db-url}, or {@code null} for
 *     {@code BARGE_DB_URL} or the embedded default
 * @param rateLimit limits from {@code --tps-limit} and {@code --bwlimit}
 * @param limitedRemotes the remotes the limits apply to (a job's source and target)
 * @param properties what else the command line says, as properties above every other source
 *     ({@code --remote} and {@code --broker}, say)
 */
public record Launch(Needs needs, Path config, String dbUrl, RateLimitSettings rateLimit, Set<String> limitedRemotes,
        Map<String, String> properties) {
    public Launch {
        requireNonNull(needs, "needs is null");
        requireNonNull(rateLimit, "rateLimit is null");
        limitedRemotes = Set.copyOf(requireNonNull(limitedRemotes, "limitedRemotes is null"));
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    /** A launch with no further properties. */
    public Launch(Needs needs, Path config, String dbUrl, RateLimitSettings rateLimit, Set<String> limitedRemotes) {
        this(needs, config, dbUrl, rateLimit, limitedRemotes, Map.of());
    }

    public Launch withRateLimit(RateLimitSettings limit, Set<String> remotes) {
        return new Launch(needs, config, dbUrl, limit, remotes, properties);
    }

    /** What a command's context must hold. */
    public enum Needs {
        /**
         * The remotes and their stores ({@code ls}, {@code cat}, {@code stat}, {@code cp}, {@code append},
         * {@code rm}, {@code mb}, {@code rb}, {@code link}, {@code remotes}): no
         * job repository, no DataSource, no Flyway, no Spring Batch.
         */
        STORES,
        /** Everything: the job repository (migrated by Flyway first), Spring Batch, the jobs. */
        JOBS
    }
}
