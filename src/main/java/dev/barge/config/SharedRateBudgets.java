package dev.barge.config;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateBudget;
import dev.barge.storage.layer.RateBudgets;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The budgets of remotes shared by every process of a PostgreSQL job repository: every
 * {@code barge worker}, every partition and the manager of a job spend one requests/s budget and one
 * bytes/s budget per remote, whichever machine they run on.
 *
 * <p>The tokens are Bucket4j buckets in {@code BARGE_RATE_BUCKET}, through its select-for-update
 * proxy manager (a row lock per bucket and request: no advisory locks to leak, nothing but the
 * repository to run). The adaptive rate they are refilled at is a row of {@code BARGE_RATE_LIMIT}
 * ({@link SharedRateBudget}). A remote's name is its key: every machine must configure it alike, as
 * remote partitions already require.
 *
 * <p>Cost: a database round trip per request would cost more than the request, so a process takes
 * tokens in leases (a twentieth of a second's worth) and spends them locally; it reads the rate
 * once a second. See {@link SharedRateBudget} for what that does to the bound.
 */
final class SharedRateBudgets implements RateBudgets {
    /** How often a process reads the shared rate: a step down elsewhere reaches it within this. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How much of a second's budget one lease takes. */
    static final Duration LEASE = Duration.ofMillis(50);

    private final DataSource dataSource;
    private final ProxyManager<String> buckets;
    private final Duration poll;
    private final Duration lease;

    SharedRateBudgets(DataSource dataSource) {
        this(dataSource, POLL, LEASE);
    }

    SharedRateBudgets(DataSource dataSource, Duration poll, Duration lease) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.poll = requireNonNull(poll, "poll is null");
        this.lease = requireNonNull(lease, "lease is null");
        // wall-clock milliseconds: the buckets are shared by processes (and machines), so a monotonic
        // clock local to one JVM would make no sense to the others
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("barge_rate_bucket")
                .idColumn("id")
                .stateColumn("state")
                .clientClock(TimeMeter.SYSTEM_MILLISECONDS)
                .build();
    }

    @Override
    public RateBudget budget(String remote, Kind kind, double limitPerSecond, AdaptiveRateSettings adaptive) {
        return new SharedRateBudget(remote + "/" + kind.label(), remote, limitPerSecond, adaptive, dataSource, buckets,
                poll, lease);
    }
}
