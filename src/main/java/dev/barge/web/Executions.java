package dev.barge.web;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.config.ServeOnlyAutoConfigurations;
import dev.barge.job.ExecutionRecovery;
import dev.barge.job.FailuresCsv;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobDescriptions;
import dev.barge.job.JobRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The job repository as the dashboard and the API read it: executions filtered and paged newest
 * first (by id, keyset: a page costs the same at the 10,000th execution as at the first), one
 * execution in detail, and its failures paged or as CSV. Every value is one the command line shows
 * too ({@code barge jobs list}, {@code show}, {@code failures}); none is a credential: an execution's
 * parameters are locations and options, never a remote's keys.
 */
@Component
@ConditionalOnProperty(name = ServeOnlyAutoConfigurations.ENABLED, havingValue = "true")
public final class Executions {
    /** The most executions or failures one page holds. */
    public static final int MAX_PAGE = 200;

    private final JobRepository repository;
    private final JobRecords records;
    private final JobCatalog catalog;
    private final JdbcTemplate jdbc;
    private final JobDescriptions descriptions = JobDescriptions.standard();

    public Executions(JobRepository repository, JobRecords records, JobCatalog catalog, JdbcTemplate jdbc) {
        this.repository = requireNonNull(repository, "repository is null");
        this.records = requireNonNull(records, "records is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    /**
     * Which executions a list shows.
     *
     * @param status only in this status, or {@code null} for any
     * @param job only of this job ({@code migrate}...), or {@code null} for any
     * @param from only started on this day or later (this server's time zone), or {@code null}
     * @param to only started on this day or earlier, or {@code null}
     */
    public record Filter(BatchStatus status, String job, LocalDate from, LocalDate to) {
        public static final Filter ALL = new Filter(null, null, null, null);

        public Filter {
            job = job == null || job.isBlank() ? null : job.trim();
        }
    }

    /**
     * One execution in a list.
     *
     * @param description its parameters in words ({@code migrate sync disk:a -> disk:b})
     * @param objectsDone the objects it has dealt with: every outcome but failed
     * @param bytesDone the bytes of its job's work ({@link JobDescriptions#work}: copied for a migration)
     * @param failures the objects that failed and were skipped
     */
    public record Summary(long id, String job, String description, BatchStatus status, String exitCode,
            Instant started, Instant ended, long durationMillis, long objectsDone, long bytesDone,
            double objectsPerSecond, double bytesPerSecond, long failures) {
        /** Whether it has not ended (as far as the repository knows). */
        public boolean running() {
            return status.isRunning();
        }
    }

    /**
     * A page of executions, newest first.
     *
     * @param newer the cursor of the page before ({@code after=}), or {@code null} on the first page
     * @param older the cursor of the page after ({@code before=}), or {@code null} on the last page
     */
    public record Page(List<Summary> executions, Long newer, Long older) {
        public Page {
            executions = List.copyOf(executions);
        }
    }

    /** One step of an execution. */
    public record Step(String name, BatchStatus status, long read, long written, long filtered, long skipped,
            long commits, long rollbacks, Instant started, Instant ended, long durationMillis) {}

    /** What an execution counted of one outcome. */
    public record Total(String outcome, long objects, long bytes) {}

    /** One parameter the execution was started with. */
    public record Parameter(String name, String value) {}

    /** What may be done to an execution now (the action itself checks again). */
    public record Actions(boolean stop, boolean restart, boolean abandon) {}

    /**
     * One execution in detail.
     *
     * @param exitDescription why it ended as it did, one line, or {@code null}
     * @param restartedAs the later execution of its run, when it was restarted
     */
    public record Detail(Summary summary, String exitDescription, List<Parameter> parameters, List<Step> steps,
            List<Total> totals, Long restartedAs, Actions actions) {
        public Detail {
            parameters = List.copyOf(parameters);
            steps = List.copyOf(steps);
            totals = List.copyOf(totals);
        }
    }

    /** One object an execution failed on (or, for a verify, found different), with the reason. */
    public record Failure(long id, String step, String key, Long size, String kind, String operation,
            String message, String vendorCode, String requestId, int attempts, Instant failedAt) {}

    /**
     * A page of failures, in the order recorded.
     *
     * @param total how many the execution recorded in all
     * @param next the cursor of the next page ({@code after=}), or {@code null} on the last
     */
    public record FailurePage(long executionId, List<Failure> failures, long total, Long next) {
        public FailurePage {
            failures = List.copyOf(failures);
        }
    }

    /**
     * A page of the executions {@code filter} takes, newest first: those older than {@code before},
     * or the newest newer than {@code after}, or the newest.
     */
    public Page list(Filter filter, Long before, Long after, int size) {
        int limit = Math.max(1, Math.min(size, MAX_PAGE));
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        List<Long> ids;
        if (after != null && before == null) {
            List<Object> a = new ArrayList<>(args);
            a.add(after);
            a.add(limit + 1);
            ids = new ArrayList<>(jdbc.queryForList(select(where + " and e.JOB_EXECUTION_ID > ?")
                    + " order by e.JOB_EXECUTION_ID asc limit ?", Long.class, a.toArray()));
            boolean newer = ids.size() > limit;
            ids = new ArrayList<>(ids.subList(0, Math.min(limit, ids.size())));
            Collections.reverse(ids);
            Long older = ids.isEmpty() ? null : exists(where, args, "<", ids.get(ids.size() - 1));
            return new Page(summaries(ids), newer ? ids.get(0) : null, older);
        }
        List<Object> a = new ArrayList<>(args);
        String page = where;
        if (before != null) {
            page += " and e.JOB_EXECUTION_ID < ?";
            a.add(before);
        }
        a.add(limit + 1);
        ids = new ArrayList<>(jdbc.queryForList(select(page) + " order by e.JOB_EXECUTION_ID desc limit ?",
                Long.class, a.toArray()));
        boolean more = ids.size() > limit;
        ids = new ArrayList<>(ids.subList(0, Math.min(limit, ids.size())));
        Long newer = before == null || ids.isEmpty() ? null : exists(where, args, ">", ids.get(0));
        return new Page(summaries(ids), newer, more ? ids.get(ids.size() - 1) : null);
    }

    /** {@code id} when an execution the filter takes is on that side ({@code <} or {@code >}) of it. */
    private Long exists(String where, List<Object> args, String side, long id) {
        List<Object> a = new ArrayList<>(args);
        a.add(id);
        List<Long> found = jdbc.queryForList(select(where + " and e.JOB_EXECUTION_ID " + side + " ?") + " limit 1",
                Long.class, a.toArray());
        return found.isEmpty() ? null : id;
    }

    private static String select(String where) {
        return "select e.JOB_EXECUTION_ID from BATCH_JOB_EXECUTION e join BATCH_JOB_INSTANCE i"
                + " on i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID where " + where;
    }

    private static String where(Filter filter, List<Object> args) {
        StringBuilder where = new StringBuilder("1 = 1");
        if (filter.status() != null) {
            where.append(" and e.STATUS = ?");
            args.add(filter.status().name());
        }
        if (filter.job() != null) {
            where.append(" and i.JOB_NAME = ?");
            args.add(filter.job());
        }
        if (filter.from() != null) {
            where.append(" and e.START_TIME >= ?");
            args.add(Timestamp.valueOf(filter.from().atStartOfDay()));
        }
        if (filter.to() != null) {
            where.append(" and e.START_TIME < ?");
            args.add(Timestamp.valueOf(filter.to().plusDays(1).atStartOfDay()));
        }
        return where.toString();
    }

    private List<Summary> summaries(List<Long> ids) {
        List<Summary> summaries = new ArrayList<>();
        for (long id : ids) {
            JobExecution e = repository.getJobExecution(id);
            if (e != null) {
                summaries.add(summary(e));
            }
        }
        return summaries;
    }

    /** The names of the jobs the repository has executions of, for the job filter. */
    public List<String> jobNames() {
        List<String> names = new ArrayList<>(repository.getJobNames());
        JobCatalog.names().stream().filter(n -> !names.contains(n)).forEach(names::add);
        names.sort(null);
        return names;
    }

    /** Execution {@code id} in detail; {@link JobCatalog.UnknownExecution} when there is none. */
    public Detail detail(long id) {
        JobExecution e = catalog.execution(id);
        Summary summary = summary(e);
        List<Parameter> parameters = e.getJobParameters().parameters().stream()
                .map(p -> new Parameter(p.name(), String.valueOf(p.value())))
                .sorted(Comparator.comparing(Parameter::name))
                .toList();
        List<Step> steps = new ArrayList<>();
        for (StepExecution s : e.getStepExecutions()) {
            steps.add(new Step(s.getStepName(), s.getStatus(), s.getReadCount(), s.getWriteCount(), s.getFilterCount(),
                    s.getSkipCount(), s.getCommitCount(), s.getRollbackCount(), instant(s.getStartTime()),
                    instant(s.getEndTime()), elapsed(s.getStartTime(), s.getEndTime()).toMillis()));
        }
        List<Total> totals = records.totals(id).entrySet().stream()
                .map(t -> new Total(t.getKey().name().toLowerCase(Locale.ROOT), t.getValue().objects(),
                        t.getValue().bytes()))
                .toList();
        JobExecution last = repository.getLastJobExecution(e.getJobInstance());
        Long restartedAs = last != null && last.getId() > id ? last.getId() : null;
        BatchStatus status = e.getStatus();
        boolean unfinished = ExecutionRecovery.isUnfinished(e);
        boolean ended = status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status == BatchStatus.UNKNOWN;
        Actions actions = new Actions(unfinished, restartedAs == null && ended,
                restartedAs == null && status != BatchStatus.COMPLETED && status != BatchStatus.ABANDONED
                        && !status.isRunning());
        String why = e.getExitStatus().getExitDescription();
        String exitDescription = why == null || why.isBlank() ? null : why.lines().findFirst().orElse(null);
        return new Detail(summary, exitDescription, parameters, steps, totals, restartedAs, actions);
    }

    /** A page of execution {@code id}'s failures, those recorded after failure {@code after} (0: from the first). */
    public FailurePage failures(long id, long after, int size) {
        catalog.execution(id);
        int limit = Math.max(1, Math.min(size, MAX_PAGE));
        List<Failure> failures = jdbc.query("select ID, STEP_NAME, OBJECT_KEY, OBJECT_SIZE, ERROR_KIND, OPERATION,"
                        + " MESSAGE, VENDOR_CODE, REQUEST_ID, ATTEMPTS, FAILED_AT from BARGE_OBJECT_FAILURE"
                        + " where JOB_EXECUTION_ID = ? and ID > ? order by ID limit ?",
                (rs, row) -> failure(rs), id, after, limit + 1);
        Long total = jdbc.queryForObject("select count(*) from BARGE_OBJECT_FAILURE where JOB_EXECUTION_ID = ?",
                Long.class, id);
        boolean more = failures.size() > limit;
        List<Failure> page = failures.subList(0, Math.min(limit, failures.size()));
        return new FailurePage(id, page, total == null ? 0 : total, more ? page.get(page.size() - 1).id() : null);
    }

    /** Every failure of execution {@code id} as CSV ({@link dev.barge.job.FailuresCsv}), streamed from the database. */
    public void writeFailuresCsv(long id, Writer out) {
        catalog.execution(id);
        try {
            out.write(FailuresCsv.HEADER + "\n");
            jdbc.query("select ID, STEP_NAME, OBJECT_KEY, OBJECT_SIZE, ERROR_KIND, OPERATION, MESSAGE, VENDOR_CODE,"
                    + " REQUEST_ID, ATTEMPTS, FAILED_AT from BARGE_OBJECT_FAILURE where JOB_EXECUTION_ID = ?"
                    + " order by ID", rs -> {
                        Failure f = failure(rs);
                        try {
                            out.write(FailuresCsv.line(new JobRecords.Failure(f.step(), f.key(), f.size(),
                                    f.kind(), f.operation(), f.message(), f.vendorCode(), f.requestId(), f.attempts(),
                                    f.failedAt())) + "\n");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, id);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Failure failure(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(11);
        return new Failure(rs.getLong(1), rs.getString(2), rs.getString(3), (Long) rs.getObject(4, Long.class),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10),
                at == null ? null : at.toInstant());
    }

    Summary summary(JobExecution e) {
        String job = e.getJobInstance().getJobName();
        Map<Outcome, ExecutionRecords.Total> totals = records.totals(e.getId());
        long objects = totals.entrySet().stream().filter(t -> t.getKey() != Outcome.FAILED)
                .mapToLong(t -> t.getValue().objects()).sum();
        ExecutionRecords.Total work = totals.get(JobDescriptions.work(job));
        long bytes = work == null ? 0 : work.bytes();
        Duration elapsed = elapsed(e.getStartTime(), e.getEndTime());
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return new Summary(e.getId(), job, descriptions.describe(e), e.getStatus(), e.getExitStatus().getExitCode(),
                instant(e.getStartTime()), instant(e.getEndTime()), e.getStartTime() == null ? 0 : elapsed.toMillis(),
                objects, bytes, e.getStartTime() == null ? 0 : objects / seconds,
                e.getStartTime() == null ? 0 : bytes / seconds, records.failureCount(e.getId()));
    }

    private static Duration elapsed(LocalDateTime start, LocalDateTime end) {
        if (start == null) {
            return Duration.ZERO;
        }
        return Duration.between(start, end != null ? end : LocalDateTime.now());
    }

    private static Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }
}
