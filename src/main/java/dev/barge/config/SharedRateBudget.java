package dev.barge.config;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateBudget;
import dev.barge.storage.layer.RateBudgets;
import dev.barge.storage.layer.RateState;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * One remote's budget of one kind, shared through the job repository.
 *
 * <p><b>Tokens.</b> A Bucket4j bucket in PostgreSQL holds the cluster's tokens (one second's worth
 * at most, refilled at the shared rate). A process takes a lease of {@code rate * lease} tokens
 * (at least what one call asks) in one round trip, waiting there as Bucket4j reserves them, and
 * spends the lease locally; refunds (bytes paid for and not read) go back to the lease. Every token
 * any process spends came out of the shared bucket, so over any window of {@code t} seconds the
 * cluster admits at most {@code rate * (t + 1)} plus what the processes held leased when the window
 * began: at most {@code processes * rate * lease} (a twentieth of a second's worth each). In round
 * trips: at most 20 a second per process and budget, whatever the request rate, and one per call at
 * rates below 20/s, where a round trip is small beside the wait for a token.
 *
 * <p><b>Rate.</b> The row of {@code BARGE_RATE_LIMIT} holds a {@link RateState}: written only by a
 * step down (in a transaction, the row locked: a burst of throttled answers from several workers
 * steps down once per hold, whoever hears it first), read by every process once per poll. Recovery
 * is computed from the row and the time, so nobody writes it, and all agree. The bucket's refill
 * rate follows through Bucket4j's implicit configuration replacement, versioned by
 * {@link RateState#version}: a process that has not yet read a step down cannot put the old rate back.
 * Clocks of different machines are assumed to agree within a fraction of the hold (NTP), as
 * Bucket4j's own refill assumes.
 *
 * <p>Its own JDBC connections, never the caller's transaction: a step down heard during a chunk
 * commits whatever the chunk does.
 */
final class SharedRateBudget implements RateBudget {
    private static final Logger log = LoggerFactory.getLogger(SharedRateBudget.class);

    private final String id;
    private final String remote;
    private final AdaptiveRateSettings adaptive;
    private final DataSource dataSource;
    private final ProxyManager<String> buckets;
    private final long pollMillis;
    private final double leaseSeconds;
    private final ReentrantLock leaseLock = new ReentrantLock();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final long decreasesAtStart;
    private volatile RateState state;
    private volatile long readAt;
    private long leased; // guarded by leaseLock
    private BucketProxy bucket; // guarded by leaseLock
    private long bucketVersion = -1; // guarded by leaseLock

    SharedRateBudget(String id, String remote, double limitPerSecond, AdaptiveRateSettings adaptive,
            DataSource dataSource, ProxyManager<String> buckets, Duration poll, Duration lease) {
        this.id = requireNonNull(id, "id is null");
        this.remote = requireNonNull(remote, "remote is null");
        this.adaptive = requireNonNull(adaptive, "adaptive is null");
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.pollMillis = poll.toMillis();
        this.leaseSeconds = lease.toNanos() / 1e9;
        if (limitPerSecond > 0) {
            configure(RateState.initial(limitPerSecond, adaptive));
        }
        this.state = read();
        this.readAt = now();
        this.decreasesAtStart = state.decreases();
    }

    @Override
    public void acquire(long tokens) throws InterruptedException {
        RateState current = current();
        if (current.unlimited()) {
            return;
        }
        leaseLock.lockInterruptibly();
        try {
            if (leased >= tokens) {
                leased -= tokens;
                return;
            }
            long now = now();
            double rate = current.rateAt(now, adaptive);
            long lease = Math.max(tokens - leased, Math.max(1, Math.round(rate * leaseSeconds)));
            bucket(current, now).asBlocking().consume(lease);
            leased += lease - tokens;
        } finally {
            leaseLock.unlock();
        }
    }

    @Override
    public void refund(long tokens) {
        if (tokens <= 0) {
            return;
        }
        leaseLock.lock();
        try {
            leased += tokens;
        } finally {
            leaseLock.unlock();
        }
    }

    @Override
    public void throttled(double admittedPerSecond) {
        if (!adaptive.enabled()) {
            return;
        }
        long now = now();
        RateState known = state;
        if (known.throttledAt(now, admittedPerSecond, adaptive) == known) {
            return; // within the hold of a step down this process has already seen: no round trip
        }
        RateState[] result = stepDown(now, admittedPerSecond);
        state = result[1];
        readAt = now;
        if (result[0] != result[1]) {
            log.warn("{} is throttling: the rate all workers share steps down to {} requests/s", remote,
                    Math.round(result[1].baseRate() * 10) / 10.0);
        }
    }

    @Override
    public double rate() {
        return current().rateAt(now(), adaptive);
    }

    @Override
    public long stepDowns() {
        return Math.max(0, current().decreases() - decreasesAtStart);
    }

    /** The rate as last read, read again when older than the poll (by one thread; the others go on). */
    private RateState current() {
        long now = now();
        if (now - readAt >= pollMillis && reading.compareAndSet(false, true)) {
            try {
                state = read();
            } catch (RuntimeException e) {
                // the repository did not answer: go on at the rate last read (a metrics scrape, a
                // request), and try again after the next poll rather than fail what asked
                log.debug("cannot read the shared rate of {}, going on at {}/s: {}", remote,
                        state.rateAt(now, adaptive), e.getMessage());
            } finally {
                readAt = now;
                reading.set(false);
            }
        }
        return state;
    }

    private BucketProxy bucket(RateState current, long now) {
        long version = current.version(now, adaptive);
        if (bucket == null || version != bucketVersion) {
            double rate = current.rateAt(now, adaptive);
            bucket = buckets.builder()
                    .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.PROPORTIONALLY)
                    .build(id, () -> RateBudgets.bucketConfiguration(rate));
            bucketVersion = version;
        }
        return bucket;
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /**
     * Makes the row say the configured limit. A row of another limit (the configuration changed
     * since) starts over from this one, one decrease further so that the buckets take it; the same
     * limit leaves the row, and any step down in force, as it is.
     */
    private void configure(RateState initial) {
        sql(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO barge_rate_limit (id, base_rate, changed_at, ceiling, step, decreases)"
                            + " VALUES (?, ?, 0, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET base_rate = EXCLUDED.base_rate,"
                            + " changed_at = 0, ceiling = EXCLUDED.ceiling, step = EXCLUDED.step,"
                            + " decreases = barge_rate_limit.decreases + 1"
                            + " WHERE barge_rate_limit.ceiling <> EXCLUDED.ceiling")) {
                insert.setString(1, id);
                insert.setDouble(2, initial.baseRate());
                insert.setDouble(3, initial.ceiling());
                insert.setDouble(4, initial.step());
                insert.executeUpdate();
            }
            return null;
        });
    }

    private RateState read() {
        return sql(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT base_rate, changed_at, ceiling, step, decreases FROM barge_rate_limit WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? state(row) : RateState.initial(0, adaptive);
                }
            }
        });
    }

    /** The state before and after a throttled answer, the row locked between the two. */
    private RateState[] stepDown(long now, double admittedPerSecond) {
        return sql(connection -> {
            connection.setAutoCommit(false);
            try {
                RateState before = RateState.initial(0, adaptive);
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO barge_rate_limit (id, base_rate, changed_at, ceiling, step, decreases)"
                                + " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                    // no limit configured and none set yet: the first throttle starts one
                    RateState first = before.throttledAt(now, admittedPerSecond, adaptive);
                    insert.setString(1, id);
                    insert.setDouble(2, first.baseRate());
                    insert.setLong(3, first.changedAtMillis());
                    insert.setDouble(4, first.step());
                    insert.setLong(5, first.decreases());
                    if (insert.executeUpdate() == 1) {
                        connection.commit();
                        return new RateState[] {before, first};
                    }
                }
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT base_rate, changed_at, ceiling, step, decreases FROM barge_rate_limit WHERE id = ?"
                                + " FOR UPDATE")) {
                    select.setString(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        row.next();
                        before = state(row);
                    }
                }
                RateState after = before.throttledAt(now, admittedPerSecond, adaptive);
                if (after != before) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE barge_rate_limit SET base_rate = ?, changed_at = ?, step = ?, decreases = ?"
                                    + " WHERE id = ?")) {
                        update.setDouble(1, after.baseRate());
                        update.setLong(2, after.changedAtMillis());
                        update.setDouble(3, after.step());
                        update.setLong(4, after.decreases());
                        update.setString(5, id);
                        update.executeUpdate();
                    }
                }
                connection.commit();
                return new RateState[] {before, after};
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        });
    }

    private static RateState state(ResultSet row) throws SQLException {
        double ceiling = row.getDouble("ceiling");
        return new RateState(row.getDouble("base_rate"), row.getLong("changed_at"),
                ceiling > 0 ? ceiling : Double.POSITIVE_INFINITY, row.getDouble("step"), row.getLong("decreases"));
    }

    private <T> T sql(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("the shared rate limit of " + remote
                    + " in the job repository: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
