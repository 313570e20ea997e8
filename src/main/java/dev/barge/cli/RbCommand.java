package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code barge rb REMOTE:BUCKET}: removes an empty bucket. A bucket that holds anything is refused
 * before the delete is sent (one listing of one key), and again by the store if an object arrives in
 * between; the message names an object it holds and how to empty it.
 */
@Command(name = "rb", mixinStandardHelpOptions = true,
        description = {"Removes an empty bucket. A bucket that holds objects is refused (exit code 1) and kept"
                + " as it is; empty it first with barge rm or barge delete --all."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge rb prod:photos-2019", "  barge rb s3://old-bucket"})
final class RbCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "REMOTE:BUCKET", description = "The bucket: remote:bucket or a URI.")
    String location;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    RbCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        Location where = BucketLocations.bucket(location);
        try (Session session = BargeCommand.root(spec).openStores()) {
            ObjectStore store = session.stores().store(where);
            ListPage first = store.list(ListRequest.of(where.bucket(), "").withPageSize(1));
            if (!first.objects().isEmpty() || !first.commonPrefixes().isEmpty()) {
                String held = !first.objects().isEmpty() ? first.objects().get(0).key() : first.commonPrefixes().get(0);
                throw notEmpty(where, "it holds " + held + (first.truncated() ? " and more" : ""));
            }
            try {
                store.deleteBucket(where.bucket());
            } catch (StorageException e) {
                if (e.kind() == ErrorKind.CONFLICT) {
                    throw notEmpty(where, Errors.message(e));
                }
                throw e;
            }
            if (json) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("remote", where.remote());
                fields.put("bucket", where.bucket());
                fields.put("removed", true);
                terminal.out().println(Json.object(fields));
            } else {
                terminal.out().println("removed bucket " + where);
            }
            terminal.out().flush();
            return ExitCode.OK;
        }
    }

    private static CliError notEmpty(Location where, String why) {
        String bucket = where.remote() + ":" + where.bucket();
        return CliError.failed("bucket " + bucket + " is not empty (" + why + "), so it was kept: rb removes only"
                + " empty buckets. Empty it first: barge ls -R " + bucket + " lists its objects, barge rm "
                + bucket + "/KEY... deletes some, and barge delete " + bucket + " --all deletes them all (it counts"
                + " them and asks first)");
    }
}
