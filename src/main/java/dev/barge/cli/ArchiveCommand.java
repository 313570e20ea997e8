package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.job.ArchiveParameters;
import dev.barge.job.JobRequest;
import dev.barge.job.MigrateParameters;
import dev.barge.storage.Location;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.RateLimitSettings;
import java.util.HashSet;
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
 * {@code barge archive LOCATION --storage-class CLASS}: in place, gives every object the filters take
 * a colder storage class ({@link dev.barge.job.ArchiveJob}); with {@code --to}, copies them to an
 * archive location in that class instead, a {@code migrate} whose copies get the class, and with
 * {@code --delete-source} a move, which deletes each source object only once its copy is verified.
 */
@Command(name = "archive", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Moves objects to a colder storage class: in place (each store's own way), or, with --to,"
                + " as verified copies in another location.",
                "Objects already in the class are counted and left alone. Run the same command again after a"
                        + " failure, a crash or Ctrl-C and it continues."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  barge archive s3-prod:logs/ --storage-class ARCHIVE --min-age 90d --dry-run",
                "  barge archive oss-prod:media/2022/ --storage-class COLD_ARCHIVE --include '*.mp4'",
                "  barge archive s3-prod:backups/ --storage-class DEEP_ARCHIVE --to kodo-cold:backups/ \\",
                "      --delete-source",
                "",
                "Exit codes: 0 completed; 1 failed or stopped (run again to resume);",
                "2 usage or configuration error, or a class the store lacks (nothing started);",
                "3 completed, but some objects failed (see barge jobs failures ID)."})
final class ArchiveCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOCATION", description = "What to archive: remote:bucket/prefix or a URI.")
    String location;

    @Option(names = "--storage-class", paramLabel = "CLASS", required = true,
            description = "The class to move to: INFREQUENT, ARCHIVE, COLD_ARCHIVE or DEEP_ARCHIVE (STANDARD too,"
                    + " for objects that are readable at once).")
    String storageClass;

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--to", paramLabel = "LOCATION",
            description = "Copy the objects to this location in the class instead of changing them in place;"
                    + " each copy is verified.")
    String to;

    @Option(names = "--delete-source", description = "With --to: delete each source object once its copy is verified.")
    boolean deleteSource;

    @Option(names = "--dry-run", description = "Count what would change; change nothing.")
    boolean dryRun;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Objects changed or copied at once, from 1 to " + MigrateCommand.MAX_CONCURRENCY
                    + " (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--chunk-size", paramLabel = "N",
            description = "Objects per commit, the unit of restart (default: 16 per object at once, from 100 to 1000).")
    Integer chunkSize;

    @Mixin
    PartitionsOption partitions = new PartitionsOption();

    @Mixin
    JobOutputOptions output = new JobOutputOptions();

    ArchiveCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        StorageClass.Family family = family();
        if (deleteSource && to == null) {
            throw new ParameterException(spec.commandLine(), "--delete-source needs --to: in place, the archived"
                    + " object is the source, and it is kept");
        }
        if (concurrency < 1 || concurrency > MigrateCommand.MAX_CONCURRENCY) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be a whole number from 1 to "
                    + MigrateCommand.MAX_CONCURRENCY + "; " + concurrency + " is not");
        }
        if (chunkSize != null && chunkSize < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be a whole number of at least 1; "
                    + chunkSize + " is not");
        }
        Set<String> remotes = new HashSet<>();
        remotes.add(parse(location).remote());
        if (to != null) {
            remotes.add(parse(to).remote());
        }
        int chunk = chunkSize != null ? chunkSize : MigrateParameters.defaultChunkSize(concurrency);
        int ranges = partitions.partitions(spec);
        RateLimitSettings limit = output.rateLimit(spec, 0);
        try (Session session = BargeCommand.root(spec).openJobs(limit, remotes, partitions.properties(spec, limit))) {
            partitions.checkCluster(session);
            Terminal shown = output.shown(terminal);
            JobRequest request;
            try {
                request = to == null
                        ? new ArchiveParameters(location, family, selection.selection(), dryRun, chunk, concurrency,
                                Long.MAX_VALUE, ranges, partitions.split(spec))
                        : MigrateParameters.builder(location, to)
                                .mode(deleteSource ? MigrationMode.MOVE : MigrationMode.COPY)
                                .selection(selection.selection())
                                .targetStorageClass(StorageClass.of(family))
                                .identityCheck(IdentityCheck.CHECKSUM)
                                .dryRun(dryRun)
                                .chunkSize(chunk)
                                .concurrency(concurrency)
                                .partitions(ranges)
                                .partitionBy(partitions.split(spec))
                                .build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return new JobRun(session.jobs(), shown).preflightAndRun(request, output.json);
        }
    }

    private StorageClass.Family family() {
        try {
            return StorageClass.Family.parse(storageClass);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--storage-class: " + e.getMessage());
        }
    }

    private Location parse(String text) {
        try {
            Location parsed = Location.parse(text);
            if (!parsed.hasBucket()) {
                throw new ParameterException(spec.commandLine(), "'" + text + "' names no bucket: give"
                        + " remote:bucket/prefix (for file:// the first directory of the path is the bucket)");
            }
            return parsed;
        } catch (StorageException e) {
            throw new ParameterException(spec.commandLine(), Errors.message(e));
        }
    }
}
