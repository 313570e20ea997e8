package dev.barge.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateBudget;
import dev.barge.storage.layer.RateBudgets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

/**
 * What a shared budget costs a request, measured, not asserted (issue 11: Barge must stay fast).
 * Arguments: a JDBC URL of a PostgreSQL database (its current schema gets the V8 tables if
 * missing) and a user. For each of: in-process, shared with leases, shared with a round trip per
 * token, it spends 200,000 tokens (2,000 for a round trip each) from 8 threads at a limit far
 * above what they reach, and prints the wall time per token.
 */
public final class SharedRateBudgetOverhead {
    private SharedRateBudgetOverhead() {}

    public static void main(String[] args) throws Exception {
        // pooled, as the job repository's DataSource is: a connection opened per lease would be measured instead
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(args[0]);
        dataSource.setUsername(args[1]);
        dataSource.setMaximumPoolSize(4);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (!c.getMetaData().getTables(null, null, "barge_rate_limit", null).next()) {
                s.execute(Files.readString(Path.of("db/migration/postgresql/V8__rate_limits.sql")));
            }
            s.execute("DELETE FROM barge_rate_limit WHERE id LIKE 'overhead-%'");
            s.execute("DELETE FROM barge_rate_bucket WHERE id LIKE 'overhead-%'");
        }
        double limit = 10_000_000;
        for (int round = 0; round < 2; round++) {
            System.out.println("round " + (round + 1) + (round == 0 ? " (warm-up)" : ""));
            measure("in-process", RateBudgets.IN_PROCESS.budget("overhead-local", RateBudgets.Kind.OPERATIONS, limit,
                    AdaptiveRateSettings.DEFAULT), 200_000);
            measure("shared, 50 ms leases", new SharedRateBudgets(dataSource).budget("overhead-leased" + round,
                    RateBudgets.Kind.OPERATIONS, limit, AdaptiveRateSettings.DEFAULT), 200_000);
            // a lease of one token: one round trip per request, what leases save
            measure("shared, a round trip per token", new SharedRateBudgets(dataSource, SharedRateBudgets.POLL,
                    Duration.ZERO).budget("overhead-each" + round, RateBudgets.Kind.OPERATIONS, limit,
                    AdaptiveRateSettings.DEFAULT), 2_000);
            measure("shared, a round trip per token, 1 thread", new SharedRateBudgets(dataSource,
                    SharedRateBudgets.POLL, Duration.ZERO).budget("overhead-one" + round, RateBudgets.Kind.OPERATIONS,
                    limit, AdaptiveRateSettings.DEFAULT), 500, 1);
        }
    }

    private static void measure(String what, RateBudget budget, int tokens) throws InterruptedException {
        measure(what, budget, tokens, 8);
    }

    private static void measure(String what, RateBudget budget, int tokens, int threads) throws InterruptedException {
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                try {
                    for (int n = 0; n < tokens / threads; n++) {
                        budget.acquire(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            workers[i].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double nanos = System.nanoTime() - start;
        System.out.printf("  %-42s %,9d tokens in %,7.0f ms: %,8.0f ns per token (%,.0f tokens/s)%n", what, tokens,
                nanos / 1e6, nanos / tokens, tokens / (nanos / 1e9));
    }
}
