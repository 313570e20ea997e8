package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.job.MigrateParameters;
import dev.barge.job.ParameterValues;
import dev.barge.storage.Location;
import dev.barge.storage.StorageClass;
import dev.barge.storage.layer.RateLimitSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code barge migrate SRC DST}: parse, preflight, run the migrate job with progress, summarise. */
@Command(name = "migrate", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Copies, syncs or moves the objects under SRC to DST, as a restartable job.",
                "Objects already identical at DST are skipped. Run the same command again after a failure,"
                        + " a crash or Ctrl-C and it continues where it stopped."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  barge migrate file:///tmp/barge-demo/src file:///tmp/barge-demo/dst",
                "  barge migrate oss-prod:photos s3-backup:photos --mode sync --delete-extraneous",
                "  barge migrate s3://logs/2024/ archive:logs/2024/ --include '*.gz' \\",
                "      --min-age 90d --mode move",
                "  barge migrate prod:media backup:media --dry-run --json",
                "",
                "Exit codes: 0 completed; 1 failed or stopped (run again to resume);",
                "2 usage or configuration error (nothing started);",
                "3 completed with skipped objects (see barge jobs failures ID)."})
final class MigrateCommand implements Callable<Integer> {
    /** The most objects copied at once: each holds a thread and, for large objects, parts in memory. */
    static final int MAX_CONCURRENCY = 256;

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "Where to copy from: remote:bucket/prefix or a URI.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Where to copy to.")
    String target;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "copy",
            description = "copy (default): copy what is missing or different; sync: the same, and with"
                    + " --delete-extraneous delete what DST has and SRC has not; move: delete each source object"
                    + " once its copy is verified.")
    MigrationMode mode;

    @Option(names = "--delete-extraneous", description = "With --mode sync: delete objects under DST that SRC lacks.")
    boolean deleteExtraneous;

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--storage-class", paramLabel = "CLASS",
            description = "Storage class of the copies: STANDARD, INFREQUENT, ARCHIVE, COLD_ARCHIVE, DEEP_ARCHIVE"
                    + " (the target's default when absent).")
    String storageClass;

    @Option(names = "--dry-run", description = "Show what would be done; write and delete nothing.")
    boolean dryRun;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "Objects copied at once,"
            + " from 1 to " + MAX_CONCURRENCY + " (default: ${DEFAULT-VALUE}); more is capped at " + MAX_CONCURRENCY
            + " with a warning.")
    int concurrency;

    @Option(names = "--chunk-size", paramLabel = "N",
            description = "Objects per commit, the unit of restart (default: 16 per object copied at once,"
                    + " from 100 to 1000).")
    Integer chunkSize;

    @Mixin
    PartitionsOption partitions = new PartitionsOption();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Identity identity;

    static final class Identity {
        @Option(names = "--checksum", description = "Objects are identical when size and checksum match (default).")
        boolean checksum;

        @Option(names = "--size-only", description = "Objects are identical when their sizes match.")
        boolean sizeOnly;
    }

    @Option(names = "--bwlimit", paramLabel = "RATE", converter = SizeConverter.class,
            description = "At most RATE bytes per second to and from each of the job's remotes, e.g. 10MB.")
    DataSize bwLimit;

    @Mixin
    JobOutputOptions output = new JobOutputOptions();

    MigrateCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        MigrateParameters parameters = parameters();
        Location from = Location.parse(source);
        Location to = Location.parse(target);
        RateLimitSettings limit = output.rateLimit(spec, bwLimit == null ? 0 : bwLimit.toBytes());
        try (Session session = BargeCommand.root(spec).openJobs(limit, new HashSet<>(List.of(from.remote(), to.remote())),
                partitions.properties(spec, limit))) {
            partitions.checkCluster(session);
            Terminal shown = output.shown(terminal);
            return new JobRun(session.jobs(), shown).preflightAndRun(parameters, output.json);
        }
    }

    MigrateParameters parameters() {
        if (deleteExtraneous && mode != MigrationMode.SYNC) {
            throw new ParameterException(spec.commandLine(), "--delete-extraneous needs --mode sync: it deletes"
                    + " target objects the source does not have, which only a sync does");
        }
        if (concurrency < 1) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be a whole number from 1 to "
                    + MAX_CONCURRENCY + " (objects copied at once), e.g. --concurrency 16; " + concurrency + " is not");
        }
        if (concurrency > MAX_CONCURRENCY) {
            terminal.err().println("barge: --concurrency " + concurrency + " is above the maximum of " + MAX_CONCURRENCY
                    + "; copying " + MAX_CONCURRENCY + " objects at once");
            concurrency = MAX_CONCURRENCY;
        }
        if (chunkSize != null && chunkSize < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be a whole number of at least 1"
                    + " (objects per commit), e.g. --chunk-size 500; " + chunkSize + " is not");
        }
        int ranges = partitions.partitions(spec);
        try {
            return MigrateParameters.builder(source, target)
                    .mode(mode)
                    .deleteExtraneous(deleteExtraneous)
                    .selection(selection.selection())
                    .targetStorageClass(storageClass == null ? null : StorageClass.of(
                            StorageClass.Family.parse(storageClass)))
                    .identityCheck(identity != null && identity.sizeOnly ? IdentityCheck.SIZE_ONLY
                            : IdentityCheck.CHECKSUM)
                    .dryRun(dryRun)
                    .chunkSize(chunkSize != null ? chunkSize : MigrateParameters.defaultChunkSize(concurrency))
                    .concurrency(concurrency)
                    .partitions(ranges)
                    .partitionBy(partitions.split(spec))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Sizes as {@code 100}, {@code 10KB}, {@code 5MB}, {@code 1GiB} (powers of 1024 either way): {@link ParameterValues#size}. */
    static final class SizeConverter implements ITypeConverter<DataSize> {
        @Override
        public DataSize convert(String value) {
            try {
                return ParameterValues.size(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A positive interval, as {@code 30s}, {@code 1m} or ISO-8601 {@code PT30S}: {@link ParameterValues#interval}. */
    static final class IntervalConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return ParameterValues.interval(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Ages as {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s} or ISO-8601 {@code P1DT2H}: {@link ParameterValues#age}. */
    static final class AgeConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return ParameterValues.age(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
