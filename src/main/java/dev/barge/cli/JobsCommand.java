package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ExecutionRecords;
import dev.barge.batch.Outcome;
import dev.barge.job.ExecutionControl;
import dev.barge.job.ExecutionOwnership;
import dev.barge.job.ExecutionRecovery;
import dev.barge.job.FailuresCsv;
import dev.barge.job.JobCatalog;
import dev.barge.job.JobDescriptions;
import dev.barge.job.JobRecords;
import dev.barge.job.JobRequest;
import dev.barge.job.MigrateJob;
import dev.barge.job.MigrateParameters;
import dev.barge.storage.layer.RateLimitSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code barge jobs ...}: the job repository: what ran, how it went, and control of executions. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Lists, shows, restarts, stops and abandons job executions; shows their failed objects.",
        subcommands = {JobsCommand.ListExecutions.class, JobsCommand.Show.class, JobsCommand.Restart.class, JobsCommand.RetryFailed.class,
                JobsCommand.Stop.class, JobsCommand.Abandon.class, JobsCommand.Failures.class},
        footerHeading = "%nExamples:%n",
        footer = {"  barge jobs list --status FAILED", "  barge jobs show 42", "  barge jobs failures 42 --csv > failed.csv"})
final class JobsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** The execution with this id, or a usage error saying there is none. */
    static JobExecution execution(Session session, long id) {
        try {
            return session.jobs().catalog().execution(id);
        } catch (JobCatalog.UnknownExecution e) {
            throw CliError.usage(e.getMessage());
        }
    }

    /** The execution in words: which job, from where to where, how (see {@link JobDescriptions}). */
    static String describe(JobExecution e) {
        return JobDescriptions.standard().describe(e);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists job executions, newest first.",
            footerHeading = "%nExamples:%n", footer = {"  barge jobs list", "  barge jobs list --status FAILED --limit 5"})
    static final class ListExecutions implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only executions in this status: STARTED, STOPPING, STOPPED, FAILED, COMPLETED, ABANDONED.")
        BatchStatus status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (default ${DEFAULT-VALUE}).")
        int limit;

        ListExecutions(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() {
            try (Session session = BargeCommand.root(spec).openJobs()) {
                JobRepository repository = session.jobs().repository();
                List<JobExecution> executions = new ArrayList<>();
                for (String name : repository.getJobNames()) {
                    for (JobInstance instance : repository.findJobInstances(name)) {
                        executions.addAll(repository.getJobExecutions(instance));
                    }
                }
                executions.sort(Comparator.comparingLong(JobExecution::getId).reversed());
                PrintStream out = terminal.out();
                out.println(String.format("%6s  %-10s  %-20s  %-19s  %10s  %s", "ID", "STATUS", "EXIT", "STARTED",
                        "DURATION", "JOB"));
                executions.stream()
                        .filter(e -> status == null || e.getStatus() == status)
                        .limit(limit)
                        .forEach(e -> out.println(String.format("%6d  %-10s  %-20s  %-19s  %10s  %s", e.getId(),
                                e.getStatus(), e.getExitStatus().getExitCode(), Formats.time(e.getStartTime()),
                                Formats.duration(Formats.between(e.getStartTime(), e.getEndTime())), describe(e))));
                out.flush();
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows one execution: parameters, steps, counts, rates and failures.",
            footerHeading = "%nExamples:%n", footer = {"  barge jobs show 42"})
    static final class Show implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job execution id (see barge jobs list).")
        long id;

        Show(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() {
            try (Session session = BargeCommand.root(spec).openJobs()) {
                JobExecution e = execution(session, id);
                JobRecords records = session.jobs().records();
                PrintStream out = terminal.out();
                Duration elapsed = Formats.between(e.getStartTime(), e.getEndTime());
                out.println("execution " + e.getId() + ": " + describe(e));
                out.println("  status:    " + e.getStatus() + " (exit " + e.getExitStatus().getExitCode() + ")");
                String why = e.getExitStatus().getExitDescription();
                if (why != null && !why.isBlank()) {
                    out.println("  reason:    " + why.lines().findFirst().orElse(""));
                }
                out.println("  started:   " + Formats.time(e.getStartTime()));
                out.println("  ended:     " + Formats.time(e.getEndTime()) + " (" + Formats.duration(elapsed) + ")");
                ExecutionOwnership.Owner owner = session.jobs().ownership().owner(e.getId());
                if (owner != null && e.getStatus().isRunning()) {
                    out.println("  running in " + owner);
                }
                out.println("  parameters:");
                e.getJobParameters().parameters().forEach(p -> out.println("    " + p.name() + " = " + p.value()));
                out.println("  steps:");
                for (StepExecution s : e.getStepExecutions()) {
                    Duration d = Formats.between(s.getStartTime(), s.getEndTime());
                    out.println(String.format("    %s %s: read %d, written %d, filtered %d, skipped %d, commits %d,"
                                    + " rollbacks %d, %s, %.1f objects/s", s.getStepName(), s.getStatus(),
                            s.getReadCount(), s.getWriteCount(), s.getFilterCount(), s.getSkipCount(),
                            s.getCommitCount(), s.getRollbackCount(), Formats.duration(d),
                            s.getReadCount() / Math.max(d.toMillis() / 1000.0, 0.001)));
                }
                Map<Outcome, ExecutionRecords.Total> totals = records.totals(e.getId());
                out.println("  objects:");
                totals.forEach((outcome, total) -> out.println(String.format("    %-18s %10d  %s",
                        outcome.name().toLowerCase(Locale.ROOT), total.objects(), Formats.bytes(total.bytes()))));
                out.println("  copy rate: " + Formats.rate(totals.get(Outcome.COPIED).bytes(), elapsed));
                List<JobRecords.Failure> failures = records.failures(e.getId());
                out.println("  failures:  " + failures.size() + (failures.isEmpty() ? ""
                        : " (all of them: barge jobs failures " + e.getId() + ")"));
                failures.stream().limit(10).forEach(f -> out.println("    " + f.key() + ": " + f.kind() + " "
                        + f.message().lines().findFirst().orElse("")));
                out.flush();
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = {"Continues a failed or stopped migration where its last chunk committed.",
                    "It does what running its migrate command again would."},
            footerHeading = "%nExamples:%n", footer = {"  barge jobs restart 42",
                    "  barge jobs restart 42 --remote --db-url jdbc:postgresql://db/barge --broker amqp://u:p@mq:5672"})
    static final class Restart implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job execution id.")
        long id;

        @Option(names = "--json", description = "Print one JSON object at the end instead of progress and a summary.")
        boolean json;

        @Option(names = "--remote", description = "Send the partitions of a run with --partitions N to the workers"
                + " (barge worker), as its command's --remote does; without it they run in this process.")
        boolean remote;

        @Option(names = "--broker", paramLabel = "URL",
                description = "With --remote: the RabbitMQ broker (default: $BARGE_BROKER_URL).")
        String broker;

        @Option(names = "--queue", paramLabel = "NAME",
                description = "With --remote: the queue of partition requests, the workers' --queue.")
        String queue;

        Restart(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() {
            if ((broker != null || queue != null) && !remote) {
                throw CliError.usage("--broker and --queue are for --remote; add --remote to send the partitions to"
                        + " the workers, or leave them out");
            }
            Map<String, String> properties = remote ? PartitionsOption.contextProperties(broker, queue) : Map.of();
            try (Session session = BargeCommand.root(spec).openJobs(RateLimitSettings.NONE, Set.of(), properties)) {
                if (remote) {
                    PartitionsOption.refuseUnfit(session.remoteCluster());
                }
                Session.Jobs jobs = session.jobs();
                JobRequest request;
                try {
                    request = jobs.catalog().restartOf(id);
                } catch (JobCatalog.UnknownExecution | ExecutionControl.Refused e) {
                    throw CliError.usage(e.getMessage());
                }
                return new JobRun(jobs, terminal).preflightAndRun(request, json);
            }
        }
    }

    @Command(name = "retry-failed", mixinStandardHelpOptions = true,
            description = {"Copies again exactly the objects a finished migration recorded as failed, as a new"
                    + " execution with the same parameters, looking each object up instead of listing again.",
                    "Remove the cause first (permissions, a key the target refused); objects now identical are"
                            + " skipped. Run it again after a failure or Ctrl-C and it continues."},
            footerHeading = "%nExamples:%n", footer = {"  barge jobs failures 42", "  barge jobs retry-failed 42"})
    static final class RetryFailed implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The execution whose failed objects to copy again.")
        long id;

        @Option(names = "--json", description = "Print one JSON object at the end instead of progress and a summary.")
        boolean json;

        RetryFailed(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() {
            try (Session session = BargeCommand.root(spec).openJobs()) {
                JobExecution e = execution(session, id);
                String job = e.getJobInstance().getJobName();
                if (!MigrateJob.NAME.equals(job)) {
                    throw CliError.usage("execution " + id + " is a " + job + " job; retry-failed retries the objects"
                            + " a migrate job failed on (run the same " + job + " command again to retry its failures)");
                }
                if (ExecutionRecovery.isUnfinished(e)) {
                    throw CliError.usage("execution " + id + " is " + e.getStatus() + ": let it end (or barge jobs stop "
                            + id + ") before retrying its failures");
                }
                JobRecords records = session.jobs().records();
                long failed = records.executionsWithFailures(e.getJobInstanceId()).stream().filter(x -> x <= id)
                        .flatMap(x -> records.failures(x).stream()).filter(f -> !f.isFinding())
                        .map(JobRecords.Failure::key).distinct().count();
                if (failed == 0) {
                    throw CliError.usage("execution " + id + " recorded no failed objects; there is nothing to retry");
                }
                MigrateParameters parameters = MigrateParameters.from(e.getJobParameters());
                terminal.err().println("barge: retrying the " + Formats.count(failed, "failed object") + " of execution "
                        + id + " (" + parameters.source() + " -> " + parameters.target() + ")");
                return new JobRun(session.jobs(), terminal).preflightAndRun(JobCatalog.retryOf(e), json);
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Asks a running execution to stop after the chunk in flight.",
                    "It ends STOPPED, and its migrate command or barge jobs restart resumes it."},
            footerHeading = "%nExamples:%n", footer = {"  barge jobs stop 42"})
    static final class Stop implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job execution id.")
        long id;

        Stop(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() throws Exception {
            try (Session session = BargeCommand.root(spec).openJobs()) {
                try {
                    terminal.out().println(session.jobs().control().stop(id));
                } catch (JobCatalog.UnknownExecution | ExecutionControl.Refused e) {
                    throw CliError.usage(e.getMessage());
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "abandon", mixinStandardHelpOptions = true,
            description = {"Marks a stopped or failed execution as never to be resumed.",
                    "The same migrate command then starts a new run."},
            footerHeading = "%nExamples:%n", footer = {"  barge jobs abandon 42"})
    static final class Abandon implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job execution id.")
        long id;

        Abandon(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() throws Exception {
            try (Session session = BargeCommand.root(spec).openJobs()) {
                try {
                    terminal.out().println(session.jobs().control().abandon(id));
                } catch (JobCatalog.UnknownExecution | ExecutionControl.Refused e) {
                    throw CliError.usage(e.getMessage());
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "failures", mixinStandardHelpOptions = true,
            description = "Lists the objects an execution skipped because they failed, with the reason.",
            footerHeading = "%nExamples:%n", footer = {"  barge jobs failures 42", "  barge jobs failures 42 --csv > failed.csv"})
    static final class Failures implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job execution id.")
        long id;

        @Option(names = "--csv", description = "As CSV with a header line: key,size,kind,operation,attempts,"
                + "vendor_code,request_id,failed_at,message.")
        boolean csv;

        Failures(Terminal terminal) {
            this.terminal = requireNonNull(terminal, "terminal is null");
        }

        @Override
        public Integer call() {
            try (Session session = BargeCommand.root(spec).openJobs()) {
                execution(session, id);
                List<JobRecords.Failure> failures = session.jobs().records().failures(id);
                PrintStream out = terminal.out();
                if (csv) {
                    writeCsv(out, failures);
                } else if (failures.isEmpty()) {
                    out.println("execution " + id + " recorded no failed objects");
                } else {
                    for (JobRecords.Failure f : failures) {
                        out.println(f.key() + "  " + f.kind() + "  " + f.operation() + "  after " + f.attempts()
                                + " attempts: " + f.message().lines().findFirst().orElse(""));
                    }
                }
                out.flush();
                return ExitCode.OK;
            }
        }

        /** The failures (or findings) as CSV, with a header line ({@link FailuresCsv}). */
        static void writeCsv(PrintStream out, List<JobRecords.Failure> failures) {
            StringBuilder csv = new StringBuilder();
            FailuresCsv.write(csv, failures);
            out.print(csv);
        }
    }
}
