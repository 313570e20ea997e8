package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line holds the one subcommand it is asked for, or all of them. */
class SubcommandChoiceTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final BargeCli cli = new BargeCli(launch -> {
        throw new AssertionError("not started");
    }, new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
            false, Duration.ofHours(1)));

    @Test
    void theSubcommandIsTheFirstArgumentThatIsNeitherAGlobalOptionNorItsValue() {
        assertThat(BargeCli.subcommandNamed("ls", "file:///tmp")).isEqualTo(LsCommand.class);
        assertThat(BargeCli.subcommandNamed("--config", "ls", "migrate", "a", "b")).isEqualTo(MigrateCommand.class);
        assertThat(BargeCli.subcommandNamed("--db-url", "jdbc:h2:mem:x", "jobs", "list")).isEqualTo(JobsCommand.class);
        assertThat(BargeCli.subcommandNamed("--config=remotes.yml", "worker")).isEqualTo(WorkerCommand.class);
        assertThat(BargeCli.subcommandNamed("--help")).isNull();
        assertThat(BargeCli.subcommandNamed("migrat", "a", "b")).isNull();
        assertThat(BargeCli.subcommandNamed()).isNull();
    }

    @Test
    void theWholeCommandLineHoldsEverySubcommandInOrderEachUnderANameOfItsOwn() {
        List<String> names = BargeCommand.SUBCOMMANDS.stream()
                .map(command -> command.getAnnotation(CommandLine.Command.class).name()).toList();

        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        assertThat(cli.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(names);
    }

    @Test
    void theUsageListsEverySubcommandAndAMistypedOneIsNamedInTheError() {
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("migrate", "verify", "ls", "worker", "serve");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BargeCli quiet = new BargeCli(launch -> {
            throw new AssertionError("not started");
        }, new Terminal(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, Duration.ofHours(1)));
        assertThat(quiet.execute("migrat", "a", "b")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'migrat'").contains("Try 'barge --help'");
    }
}
