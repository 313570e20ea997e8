package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ObjectFilter;
import dev.barge.job.DeleteParameters;
import dev.barge.job.MigrateJob;
import dev.barge.storage.ListRequest;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.layer.RateLimitSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code barge delete LOCATION}: deletes the objects under a prefix, as a restartable job with the
 * store's batch delete ({@link dev.barge.job.DeleteJob}).
 *
 * <p>The guard, since nothing that is deleted comes back: without {@code --yes}, the objects that
 * would go are counted first (one listing, no job), and on a terminal the user must type the count
 * back; off a terminal the command refuses and deletes nothing. A whole bucket also needs
 * {@code --all}. {@code --dry-run} runs the job and deletes nothing. The count is what the listing
 * held when it was asked; the job deletes what the selection takes under the prefix when it runs.
 */
@Command(name = "delete", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Deletes the objects under a prefix (those the filters take), as a restartable job, with"
                + " the store's batch delete.",
                "Without --yes it counts what would go and asks on a terminal; off a terminal it refuses and deletes"
                        + " nothing. A whole bucket also needs --all. Run the same command again after a failure, a"
                        + " crash or Ctrl-C and it continues."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  barge delete s3-prod:logs/2023/ --dry-run",
                "  barge delete s3-prod:logs/2023/ --include '*.gz' --min-age 365d",
                "  barge delete oss-tmp:scratch/build-42/ --yes --json",
                "  barge delete oss-tmp:scratch --all --yes",
                "",
                "Exit codes: 0 completed; 1 failed or stopped (run again to resume);",
                "2 usage or configuration error, or not confirmed (nothing was deleted);",
                "3 completed, but some objects could not be deleted (see barge jobs failures ID)."})
final class DeleteCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOCATION",
            description = "What to delete under: remote:bucket/prefix or a URI. The prefix is a directory: photos"
                    + " deletes photos/..., never photos2/...")
    String location;

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--dry-run", description = "Count what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Delete without asking: the count is not shown first.")
    boolean yes;

    @Option(names = "--all", description = "LOCATION is a whole bucket: delete every object in it (with the filters,"
            + " every object they take).")
    boolean all;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "1000",
            description = "Objects per batch delete and per commit, the unit of restart (default: ${DEFAULT-VALUE},"
                    + " the most one request of S3, OSS or Kodo takes).")
    int chunkSize;

    @Mixin
    PartitionsOption partitions = new PartitionsOption();

    @Mixin
    JobOutputOptions output = new JobOutputOptions();

    DeleteCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        DeleteParameters parameters = parameters();
        Location where = Location.parse(location);
        RateLimitSettings limit = output.rateLimit(spec, 0);
        if (!dryRun && !yes) {
            int refused = confirm(where);
            if (refused != ExitCode.OK) {
                return refused;
            }
        }
        try (Session session = BargeCommand.root(spec).openJobs(limit, Set.of(where.remote()), partitions.properties(spec, limit))) {
            partitions.checkCluster(session);
            Terminal shown = output.shown(terminal);
            return new JobRun(session.jobs(), shown).preflightAndRun(parameters, output.json);
        }
    }

    DeleteParameters parameters() {
        if (chunkSize < 1 || chunkSize > ListRequest.MAX_PAGE_SIZE) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be a whole number from 1 to "
                    + ListRequest.MAX_PAGE_SIZE + " (objects per batch delete); " + chunkSize + " is not");
        }
        Location where;
        try {
            where = Location.parse(location);
        } catch (StorageException e) {
            throw new ParameterException(spec.commandLine(), Errors.message(e));
        }
        if (!where.hasBucket()) {
            throw new ParameterException(spec.commandLine(), "'" + location + "' names no bucket: give"
                    + " remote:bucket/prefix (for file:// the first directory of the path is the bucket)");
        }
        if (where.path().isEmpty() && !all) {
            throw new ParameterException(spec.commandLine(), "'" + location + "' is a whole bucket: to delete every"
                    + " object in it, add --all (and check first with --dry-run); to delete under a prefix, give"
                    + " remote:bucket/prefix; nothing was deleted");
        }
        if (!where.path().isEmpty() && all) {
            throw new ParameterException(spec.commandLine(), "--all deletes a whole bucket, but '" + location
                    + "' names the prefix '" + where.path() + "': leave out --all, or give the bucket alone");
        }
        try {
            return new DeleteParameters(location, all, selection.selection(), dryRun, chunkSize,
                    Long.MAX_VALUE, partitions.partitions(spec), partitions.split(spec));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Counts what would go and asks for the count back on a terminal; off a terminal refuses. Returns
     * {@link ExitCode#OK} to go on, else the exit code of the refusal, having said why.
     */
    private int confirm(Location where) {
        if (!terminal.interactive()) {
            terminal.err().println("barge: refusing to delete under '" + location + "' without --yes: standard input"
                    + " is not a terminal to ask on. Check what would go with --dry-run, then run again with --yes;"
                    + " nothing was deleted");
            return ExitCode.USAGE;
        }
        Count count;
        try (Session session = BargeCommand.root(spec).openStores()) {
            count = count(session.stores(), where);
        }
        if (count.objects() == 0) {
            terminal.err().println("barge: nothing to delete under '" + location + "'"
                    + (count.left() > 0 ? ": the filters leave all " + Formats.count(count.left(), "object") : ""));
            return ExitCode.OK;
        }
        terminal.err().print("barge: this deletes " + count.text() + ". Deleted objects cannot be brought back.\n"
                + "Type " + count.objects() + " to delete them, anything else to stop: ");
        terminal.err().flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().equals(Long.toString(count.objects()))) {
            terminal.err().println("barge: not confirmed; nothing was deleted");
            return ExitCode.USAGE;
        }
        return ExitCode.OK;
    }

    /** What a listing under {@code location} found: the objects the selection takes, and those it leaves. */
    private record Count(String location, long objects, long bytes, long left) {
        String text() {
            return Formats.count(objects, "object") + " (" + Formats.bytes(bytes) + ") under '" + location + "'"
                    + (left > 0 ? ", and the filters leave " + Formats.count(left, "other object") : "");
        }
    }

    private Count count(StoreRegistry stores, Location where) {
        String prefix = MigrateJob.directory(where.path());
        ObjectFilter filter = selection.selection().filter(Instant.now());
        ObjectStore store;
        try {
            store = stores.store(where);
        } catch (StorageException e) {
            throw CliError.usage(Errors.message(e) + "; nothing was deleted");
        }
        long[] taken = new long[3]; // objects, bytes, left by the filters
        try (ProgressCounter counting = new ProgressCounter()) {
            store.listAll(ListRequest.of(where.bucket(), prefix), page -> {
                for (ObjectInfo object : page.objects()) {
                    if (filter.accepts(object.key().substring(prefix.length()), object)) {
                        taken[0]++;
                        taken[1] += object.size();
                    } else {
                        taken[2]++;
                    }
                }
                counting.show(taken[0] + taken[2]);
            });
            return new Count(location, taken[0], taken[1], taken[2]);
        } catch (StorageException e) {
            throw CliError.failed("could not count the objects under '" + location + "': " + Errors.message(e)
                    + "; nothing was deleted");
        }
    }

    /** "counting: 12,000 objects listed" on the terminal while a long listing runs, erased at the end. */
    private final class ProgressCounter implements AutoCloseable {
        private long shownAt = System.nanoTime();
        private boolean shown;

        void show(long listed) {
            if (System.nanoTime() - shownAt > 500_000_000L) {
                terminal.err().print(String.format(Locale.ROOT, "\rcounting: %,d objects listed", listed));
                terminal.err().flush();
                shownAt = System.nanoTime();
                shown = true;
            }
        }

        @Override
        public void close() {
            if (shown) {
                terminal.err().print("\r\033[K");
                terminal.err().flush();
            }
        }
    }
}
