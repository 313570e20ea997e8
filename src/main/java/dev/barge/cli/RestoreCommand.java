package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.job.MigrateParameters;
import dev.barge.job.RestoreParameters;
import dev.barge.storage.Location;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.RateLimitSettings;
import java.time.Duration;
import java.util.HashSet;
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
 * {@code barge restore LOCATION}: asks for the archived objects under a prefix to be made readable
 * ({@link dev.barge.job.RestoreJob}); with {@code --wait} waits until they are, and with
 * {@code --then-copy-to} copies them to another location then, on any vendor and in any class.
 */
@Command(name = "restore", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Asks for archived objects to be made readable for a while; with --wait, waits until they are,"
                + " and with --then-copy-to copies them elsewhere then.",
                "Objects already restored or restoring are counted, not asked again. Run the same command again"
                        + " after a failure, a crash or Ctrl-C: a rerun that waits does not ask again."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  barge restore s3-prod:archive/2021/ --days 7 --tier bulk",
                "  barge restore oss-cold:media/ --wait --poll 10m --timeout 48h",
                "  barge restore oss-cold:media/ --wait --then-copy-to kodo-cold:media/ \\",
                "      --then-storage-class ARCHIVE",
                "",
                "Exit codes: 0 completed; 1 failed, stopped or timed out (run again to continue);",
                "2 usage or configuration error (nothing started);",
                "3 completed, but some objects failed (see barge jobs failures ID)."})
final class RestoreCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOCATION", description = "What to restore: remote:bucket/prefix or a URI.")
    String location;

    @Option(names = "--days", paramLabel = "N", defaultValue = "1",
            description = "How many days the restored copies stay readable (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--tier", paramLabel = "TIER", defaultValue = "standard",
            description = "How fast, and at what price: expedited, standard (default) or bulk; each store maps it"
                    + " onto its own options.")
    String tier;

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--wait", description = "Wait until every object asked for is readable.")
    boolean waitFor;

    @Option(names = "--poll", paramLabel = "INTERVAL", defaultValue = "1m",
            converter = MigrateCommand.IntervalConverter.class,
            description = "With --wait: how often to look (default: ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "48h",
            converter = MigrateCommand.IntervalConverter.class,
            description = "With --wait: give up after this long, counted from the first wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--then-copy-to", paramLabel = "LOCATION",
            description = "With --wait: copy the objects here once readable (any vendor), each copy verified.")
    String thenCopyTo;

    @Option(names = "--then-storage-class", paramLabel = "CLASS",
            description = "With --then-copy-to: the storage class of the copies, e.g. ARCHIVE to archive them there.")
    String thenStorageClass;

    @Option(names = "--dry-run", description = "Count what would be asked for; ask for nothing.")
    boolean dryRun;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Objects asked for or copied at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--chunk-size", paramLabel = "N", description = "Objects per commit, the unit of restart.")
    Integer chunkSize;

    @Mixin
    PartitionsOption partitions = new PartitionsOption();

    @Mixin
    JobOutputOptions output = new JobOutputOptions();

    RestoreCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        RestoreParameters parameters = parameters();
        Set<String> remotes = new HashSet<>();
        remotes.add(Location.parse(location).remote());
        if (thenCopyTo != null) {
            remotes.add(Location.parse(thenCopyTo).remote());
        }
        RateLimitSettings limit = output.rateLimit(spec, 0);
        try (Session session = BargeCommand.root(spec).openJobs(limit, remotes, partitions.properties(spec, limit))) {
            partitions.checkCluster(session);
            Terminal shown = output.shown(terminal);
            return new JobRun(session.jobs(), shown).preflightAndRun(parameters, output.json);
        }
    }

    RestoreParameters parameters() {
        if (concurrency < 1 || concurrency > MigrateCommand.MAX_CONCURRENCY) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be a whole number from 1 to "
                    + MigrateCommand.MAX_CONCURRENCY + "; " + concurrency + " is not");
        }
        if (chunkSize != null && chunkSize < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be at least 1; " + chunkSize + " is not");
        }
        if (days < 1) {
            throw new ParameterException(spec.commandLine(), "--days must be at least 1 (how long restored copies stay"
                    + " readable); " + days + " is not");
        }
        RestoreRequest.Tier parsedTier;
        try {
            parsedTier = RestoreRequest.Tier.valueOf(tier.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tier must be expedited, standard or bulk, not '" + tier
                    + "'");
        }
        StorageClass.Family copyClass;
        try {
            copyClass = thenStorageClass == null ? null : StorageClass.Family.parse(thenStorageClass);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--then-storage-class: " + e.getMessage());
        }
        try {
            return new RestoreParameters(location, new RestoreRequest(days, parsedTier), selection.selection(), waitFor,
                    poll, timeout, thenCopyTo, copyClass, dryRun,
                    chunkSize != null ? chunkSize : MigrateParameters.defaultChunkSize(concurrency), concurrency,
                    Long.MAX_VALUE, partitions.partitions(spec), partitions.split(spec));
        } catch (StorageException e) {
            throw new ParameterException(spec.commandLine(), Errors.message(e));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
