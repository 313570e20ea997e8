package dev.barge.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateBudget;
import dev.barge.storage.layer.RateBudgets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A process spending one shared budget, for {@link SharedRateLimitTest}: arguments URL, user,
 * remote, rate per second, threads, milliseconds. It prints {@code @ready} (its lines start with
 * {@code @}: logs may share its standard output), waits for a line on
 * standard input (so that every process starts at once), spends tokens from that many threads for
 * that long, and prints the wall-clock millisecond of each admission, then {@code @done}.
 */
public final class SharedRateBudgetChild {
    private SharedRateBudgetChild() {}

    public static void main(String[] args) throws Exception {
        // pooled, as the job repository's DataSource is: a connection opened per lease would be measured instead
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(args[0]);
        dataSource.setUsername(args[1]);
        dataSource.setMaximumPoolSize(4);
        String remote = args[2];
        double rate = Double.parseDouble(args[3]);
        int threads = Integer.parseInt(args[4]);
        long millis = Long.parseLong(args[5]);
        RateBudget budget = new SharedRateBudgets(dataSource).budget(remote, RateBudgets.Kind.OPERATIONS, rate,
                AdaptiveRateSettings.OFF);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("@ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        long deadline = System.currentTimeMillis() + millis;
        List<Long> admitted = Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                try {
                    while (System.currentTimeMillis() < deadline) {
                        budget.acquire(1);
                        admitted.add(System.currentTimeMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        synchronized (admitted) {
            for (long t : admitted) {
                out.println("@" + t);
            }
        }
        out.println("@done");
    }
}
