package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Location;
import dev.barge.storage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code barge mb REMOTE:BUCKET}: creates a bucket. */
@Command(name = "mb", mixinStandardHelpOptions = true,
        description = {"Makes a bucket. A bucket that exists already is an error (exit code 1), whoever owns it."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge mb prod:photos-2025", "  barge mb s3://my-new-bucket"})
final class MbCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REMOTE:BUCKET", description = "The bucket: remote:bucket or a URI.")
    String location;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    MbCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        Location where = BucketLocations.bucket(location);
        try (Session session = BargeCommand.root(spec).openStores()) {
            try {
                session.stores().store(where).createBucket(where.bucket());
            } catch (StorageException e) {
                if (e.kind() == ErrorKind.CONFLICT) {
                    throw CliError.failed("bucket " + where + " exists already (" + Errors.message(e) + ")");
                }
                throw e;
            }
            if (json) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("remote", where.remote());
                fields.put("bucket", where.bucket());
                fields.put("created", true);
                terminal.out().println(Json.object(fields));
            } else {
                terminal.out().println("made bucket " + where);
            }
            terminal.out().flush();
            return ExitCode.OK;
        }
    }
}
