package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import dev.barge.storage.ObjectContent;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code barge cat LOCATION/key}: an object's bytes on standard output. */
@Command(name = "cat", mixinStandardHelpOptions = true,
        description = "Writes the content of one object to standard output.",
        footerHeading = "%nExamples:%n",
        footer = {"  barge cat prod:logs/2024/app.log", "  barge cat s3://media/cover.jpg > cover.jpg"})
final class CatCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOCATION/KEY", description = "The object: remote:bucket/key or a URI.")
    String location;

    CatCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() throws IOException {
        Location where = ObjectLocations.object(location);
        try (Session session = BargeCommand.root(spec).openStores();
                ObjectContent content = session.stores().store(where).get(where.bucket(),
                        where.path())) {
            content.body().transferTo(terminal.out());
            terminal.out().flush();
            return ExitCode.OK;
        }
    }
}
