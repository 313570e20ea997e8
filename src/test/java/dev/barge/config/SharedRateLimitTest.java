package dev.barge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateBudget;
import dev.barge.storage.layer.RateBudgets;
import dev.barge.test.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The budget shared through PostgreSQL: two processes (two JVMs, four threads each) spending one
 * remote's budget together never exceed it. Counted, not timed: over every window of the run the
 * admissions of both together are at most {@code rate * (window + 1 s)} plus the leases the two
 * may hold when it begins. And a step down heard by one process is the rate of the other.
 */
class SharedRateLimitTest {
    private static final TestPostgres.Schema SCHEMA = TestPostgres.freshSchema();
    private static final double RATE = 40;
    private static final long RUN_MILLIS = 3_000;

    @BeforeAll
    static void tables() throws Exception {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of("db/migration/postgresql/V8__rate_limits.sql")));
        }
    }

    @AfterAll
    static void drop() {
        SCHEMA.close();
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(SCHEMA.url());
        dataSource.setUser(SCHEMA.user());
        return dataSource;
    }

    @Test
    void twoProcessesTogetherNeverExceedTheSharedRate() throws Exception {
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SharedRateBudgetChild.class.getName(),
                    SCHEMA.url(), SCHEMA.user(), "shared", String.valueOf(RATE), "4", String.valueOf(RUN_MILLIS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        List<BufferedReader> outputs = new ArrayList<>();
        for (Process child : children) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(protocolLine(out)).isEqualTo("ready");
            outputs.add(out);
        }
        for (Process child : children) {
            OutputStream in = child.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        List<Long> all = new ArrayList<>();
        List<List<Long>> each = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            List<Long> admitted = admissions(outputs.get(i));
            assertThat(children.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(children.get(i).exitValue()).isZero();
            each.add(admitted);
            all.addAll(admitted);
        }
        Collections.sort(all);

        assertThat(each).allSatisfy(admitted -> assertThat(admitted).as("each process was admitted tokens").isNotEmpty());
        assertThat(overlap(each.get(0), each.get(1))).as("the two spent the budget at the same time").isPositive();
        long lease = Math.max(1, Math.round(RATE * SharedRateBudgets.LEASE.toNanos() / 1e9));
        for (long window : new long[] {500, 1_000, 2_000, 3_000}) {
            // timestamps are whole milliseconds: a window of W ms holds admissions up to W + 1 ms apart
            long bound = (long) Math.floor(RATE * ((window + 1) / 1000.0 + 1)) + 2 * lease;
            assertThat(mostIn(all, window)).as("admitted in any %d ms window, both processes together", window)
                    .isLessThanOrEqualTo(bound);
        }
        assertThat(all.size()).as("the run admitted about its budget, not far below it")
                .isGreaterThanOrEqualTo((int) (RATE * RUN_MILLIS / 1000 / 2));
    }

    @Test
    void aStepDownHeardByOneProcessIsTheRateOfEveryOther() {
        RateBudget first = new SharedRateBudgets(dataSource()).budget("stepped", RateBudgets.Kind.OPERATIONS, 100,
                AdaptiveRateSettings.DEFAULT);
        RateBudget second = new SharedRateBudgets(dataSource(), java.time.Duration.ZERO, SharedRateBudgets.LEASE)
                .budget("stepped", RateBudgets.Kind.OPERATIONS, 100, AdaptiveRateSettings.DEFAULT);
        assertThat(second.rate()).isEqualTo(100);

        first.throttled(0);
        second.throttled(0); // the same burst, heard by the other: counts once

        assertThat(first.rate()).isEqualTo(50);
        assertThat(second.rate()).isEqualTo(50);
        assertThat(second.stepDowns()).isEqualTo(1);
    }

    private static List<Long> admissions(BufferedReader out) throws IOException {
        List<Long> times = new ArrayList<>();
        for (String line = protocolLine(out); line != null && !line.equals("done"); line = protocolLine(out)) {
            times.add(Long.parseLong(line.trim()));
        }
        return times;
    }

    /** The child's next line of its own (after "@"), past any log lines; null at the end. */
    private static String protocolLine(BufferedReader out) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("@")) {
                return line.substring(1);
            }
        }
        return null;
    }

    /** The most admissions within {@code window} ms of one another. */
    private static long mostIn(List<Long> sorted, long window) {
        long most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) <= window) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    private static long overlap(List<Long> a, List<Long> b) {
        long from = Math.max(Collections.min(a), Collections.min(b));
        long to = Math.min(Collections.max(a), Collections.max(b));
        return to - from;
    }
}
