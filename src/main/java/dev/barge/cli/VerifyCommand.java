package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.job.JobRecords;
import dev.barge.job.MigrateParameters;
import dev.barge.job.VerifyParameters;
import dev.barge.storage.Location;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.RateLimitSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code barge verify SRC DST}: checks that DST holds what SRC holds, like {@code rclone check}, by
 * merging the two listings ({@link dev.barge.job.VerifyJob}); with {@code --download} the bytes are
 * hashed where no checksum both stores report can decide. It writes nothing to either store.
 */
@Command(name = "verify", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Checks that DST holds what SRC holds: objects missing on either side, objects that differ"
                + " (size or checksum), and the count that match. Writes nothing to either store.",
                "With --download, content is hashed where checksums cannot be compared across vendors (an S3"
                        + " multipart etag against a Kodo etag, say)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  barge verify oss-prod:photos s3-backup:photos",
                "  barge verify s3-prod:media kodo-backup:media --download --csv differences.csv",
                "  barge verify file:///data/export s3-backup:export --size-only --json",
                "",
                "Exit codes: 0 the two sides match; 4 differences found (barge jobs failures ID lists them);",
                "1 failed or stopped (run again to continue); 2 usage or configuration error;",
                "3 some objects could not be read (see barge jobs failures ID)."})
final class VerifyCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "What should be there: remote:bucket/prefix or a URI.")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "Where it should be.")
    String target;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Identity identity;

    static final class Identity {
        @Option(names = "--checksum", description = "Objects match when size and checksum match (default).")
        boolean checksum;

        @Option(names = "--size-only", description = "Objects match when their sizes match.")
        boolean sizeOnly;
    }

    @Option(names = "--download", description = "Hash the content of both sides where no checksum both report can"
            + " decide; reads every such object twice.")
    boolean download;

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the differences and unreadable objects"
            + " to FILE as CSV (key,size,kind,operation,attempts,vendor_code,request_id,failed_at,message).")
    Path csv;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Objects checked at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--chunk-size", paramLabel = "N", description = "Keys per commit, the unit of restart.")
    Integer chunkSize;

    @Mixin
    PartitionsOption partitions = new PartitionsOption();

    @Mixin
    JobOutputOptions output = new JobOutputOptions();

    VerifyCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        VerifyParameters parameters = parameters();
        if (csv != null && csv.toAbsolutePath().getParent() != null && !Files.isDirectory(csv.toAbsolutePath().getParent())) {
            throw new ParameterException(spec.commandLine(), "--csv " + csv + ": directory "
                    + csv.toAbsolutePath().getParent() + " does not exist");
        }
        RateLimitSettings limit = output.rateLimit(spec, 0);
        try (Session session = BargeCommand.root(spec).openJobs(limit, new HashSet<>(List.of(
                Location.parse(source).remote(), Location.parse(target).remote())), partitions.properties(spec, limit))) {
            partitions.checkCluster(session);
            Terminal shown = output.shown(terminal);
            Session.Jobs jobs = session.jobs();
            JobRun.Plan plan = JobRun.Plan.of(jobs, parameters);
            if (csv != null) {
                plan = plan.whenEnded(id -> writeCsv(jobs.records().failures(id)));
            }
            return new JobRun(jobs, shown).preflightAndRun(plan, output.json);
        }
    }

    private void writeCsv(List<JobRecords.Failure> findings) {
        try (PrintStream out = new PrintStream(Files.newOutputStream(csv), false, StandardCharsets.UTF_8)) {
            JobsCommand.Failures.writeCsv(out, findings);
        } catch (IOException e) {
            throw CliError.failed("writing " + csv + " failed: " + Errors.rootMessage(e)
                    + "; barge jobs failures ID --csv gives the same rows");
        }
    }

    VerifyParameters parameters() {
        if (concurrency < 1 || concurrency > MigrateCommand.MAX_CONCURRENCY) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be a whole number from 1 to "
                    + MigrateCommand.MAX_CONCURRENCY + "; " + concurrency + " is not");
        }
        if (chunkSize != null && chunkSize < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be at least 1; " + chunkSize + " is not");
        }
        try {
            return new VerifyParameters(source, target, selection.selection(),
                    identity != null && identity.sizeOnly ? IdentityCheck.SIZE_ONLY : IdentityCheck.CHECKSUM, download,
                    concurrency, chunkSize != null ? chunkSize : MigrateParameters.defaultChunkSize(concurrency),
                    Long.MAX_VALUE, partitions.partitions(spec), partitions.split(spec));
        } catch (StorageException e) {
            throw new ParameterException(spec.commandLine(), Errors.message(e));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
