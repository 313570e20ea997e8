package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.layer.RateLimitSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code barge}: the root command, its global options and the subcommands. */
@Command(name = "barge",
        mixinStandardHelpOptions = true,
        versionProvider = BargeVersion.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Moves objects in bulk between object stores: S3 and S3-compatible stores, Aliyun OSS,"
                + " Qiniu Kodo and the local file system, as restartable jobs.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  barge migrate file:///data/photos s3-backup:photos --mode sync",
                "  barge ls s3-backup:photos/2024/ --long",
                "  barge cp report.pdf s3-backup:docs/report.pdf",
                "  barge delete s3-backup:tmp/2023/ --dry-run",
                "  barge jobs list --status FAILED",
                "  barge serve --bind 0.0.0.0 --port 8080",
                "  barge worker --db-url jdbc:postgresql://db/barge --broker amqp://user:pw@mq:5672",
                "",
                "Locations: remote:bucket/prefix (a configured remote), s3://bucket/prefix,",
                "oss://bucket/prefix, qiniu://bucket/prefix, file:///absolute/path",
                "(for file:// the first directory of the path is the bucket).",
                "Remotes: ~/.config/barge/remotes.yml (or --config FILE) and",
                "BARGE_REMOTE_<NAME>_<SETTING> variables; see barge remotes.",
                "Exit codes: 0 done; 1 failed; 2 usage or configuration error;",
                "3 completed with skipped objects; 4 verify found differences."})
public final class BargeCommand implements Callable<Integer> {
    /**
     * The subcommands, in the order the usage lists them. {@link BargeCli} adds to the command line
     * only the one a command line names (all of them when it names none): picocli builds a command's
     * model by reflection when it is added, and building all eighteen cost every command's start
     * about 0.1-0.3 s.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(MigrateCommand.class, VerifyCommand.class,
            ArchiveCommand.class, RestoreCommand.class, DeleteCommand.class, LsCommand.class, CatCommand.class,
            StatCommand.class, CpCommand.class, AppendCommand.class, RmCommand.class, MbCommand.class, RbCommand.class,
            LinkCommand.class, JobsCommand.class, RemotesCommand.class, ServeCommand.class, WorkerCommand.class);

    private final ContextStarter starter;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Remotes file (default: ~/.config/barge/remotes.yml when it exists).")
    Path config;

    @Option(names = "--db-url", paramLabel = "JDBC_URL", scope = ScopeType.INHERIT,
            description = "Job repository, e.g. jdbc:postgresql://db/barge (default: $BARGE_DB_URL, else an"
                    + " embedded H2 file under $BARGE_HOME).")
    String dbUrl;

    public BargeCommand(ContextStarter starter) {
        this.starter = requireNonNull(starter, "starter is null");
    }

    /** {@code barge} alone: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /**
     * The context of a command that only reaches stores ({@code ls}, {@code cat}...): the remotes,
     * configured by the global options; no job repository.
     */
    Session openStores() {
        return open(Launch.Needs.STORES, RateLimitSettings.NONE, Set.of(), Map.of());
    }

    /** The context of a command that works with jobs, configured by the global options. */
    Session openJobs() {
        return openJobs(RateLimitSettings.NONE, Set.of());
    }

    /** The context for a job whose remotes are limited by {@code --tps-limit}/{@code --bwlimit}. */
    Session openJobs(RateLimitSettings limit, Set<String> limitedRemotes) {
        return open(Launch.Needs.JOBS, limit, limitedRemotes, Map.of());
    }

    /**
     * The context for a job, with {@code properties} of the command line above every other source
     * ({@link PartitionsOption#properties}: remote partitions).
     */
    Session openJobs(RateLimitSettings limit, Set<String> limitedRemotes, Map<String, String> properties) {
        return open(Launch.Needs.JOBS, limit, limitedRemotes, properties);
    }

    /**
     * {@code barge serve}'s web application, configured by the global options, started and serving.
     * A failure to start is left to the caller, which knows the refusals of a server.
     */
    ConfigurableApplicationContext openServe(ServeOptions options) {
        return starter.serve(new Launch(Launch.Needs.JOBS, config, dbUrl, RateLimitSettings.NONE, Set.of()), options);
    }

    private Session open(Launch.Needs needs, RateLimitSettings limit, Set<String> limitedRemotes,
            Map<String, String> properties) {
        try {
            return starter.start(new Launch(needs, config, dbUrl, limit, limitedRemotes, properties));
        } catch (CliError e) {
            throw e;
        } catch (RuntimeException e) {
            throw CliError.usage("cannot start: " + Errors.rootMessage(e));
        }
    }

    /** The root command of the command line {@code spec} belongs to. */
    static BargeCommand root(CommandSpec spec) {
        return (BargeCommand) spec.root().userObject();
    }
}
