package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.DeleteResult;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code barge rm LOCATION/KEY...}: deletes exactly the objects named, in batches per bucket (the
 * store's batch delete). Never a prefix and never a bucket: every argument is checked before anything
 * is deleted, and one that names a bucket alone or ends in {@code /} refuses the whole command. A
 * key that does not exist counts as deleted; keys the store refuses are listed, and the exit code is
 * then 1.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deletes the objects named, exactly those keys: never what is under a prefix, never a"
                + " bucket.",
                "Arguments that name a bucket alone or end in / are refused before anything is deleted.",
                "A key that does not exist counts as deleted; keys that could not be deleted are listed (exit code 1)."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge rm prod:photos/2024/a.jpg prod:photos/2024/b.jpg",
                "  barge ls -R prod:tmp/old/ | sed 's|^|prod:tmp/old/|' | xargs -d '\\n' barge rm"})
final class RmCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOCATION/KEY", arity = "1..*", description = "Objects: remote:bucket/key or URIs.")
    List<String> locations;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    RmCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    /** The keys of one bucket of one remote, in the order given, each once. */
    private record Bucket(String remote, String bucket) {}

    @Override
    public Integer call() {
        Map<Bucket, Set<String>> keys = new LinkedHashMap<>();
        for (String text : locations) {
            Location location = exactKey(text);
            keys.computeIfAbsent(new Bucket(location.remote(), location.bucket()), b -> new LinkedHashSet<>())
                    .add(location.path());
        }
        List<String> deleted = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        try (Session session = BargeCommand.root(spec).openStores()) {
            StoreRegistry stores = session.stores();
            for (Map.Entry<Bucket, Set<String>> entry : keys.entrySet()) {
                Bucket bucket = entry.getKey();
                try {
                    ObjectStore store = stores.store(bucket.remote());
                    DeleteResult result = store.deleteAll(bucket.bucket(), entry.getValue());
                    for (String key : entry.getValue()) {
                        String name = new Location(bucket.remote(), bucket.bucket(), key).toString();
                        StorageException failure = result.failed().get(key);
                        if (failure != null) {
                            failed.put(name, Errors.message(failure));
                        } else {
                            deleted.add(name);
                        }
                    }
                } catch (StorageException e) {
                    // the whole request failed: keys of this bucket may or may not be gone; the others go on
                    for (String key : entry.getValue()) {
                        failed.put(new Location(bucket.remote(), bucket.bucket(), key).toString(), Errors.message(e));
                    }
                }
            }
        }
        report(deleted, failed);
        return failed.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The location of one key, or a refusal: rm never turns an argument into a prefix or a bucket. */
    private static Location exactKey(String text) {
        Location location = Location.parse(text);
        if (!location.hasBucket()) {
            throw CliError.usage("'" + text + "' names a remote, not an object; nothing was deleted");
        }
        if (location.path().isEmpty()) {
            throw CliError.usage("'" + text + "' names the bucket " + location.bucket() + ", not an object; nothing was"
                    + " deleted. rm deletes exactly the keys given; barge rb " + location.remote() + ":"
                    + location.bucket() + " removes the bucket once it is empty");
        }
        if (location.path().endsWith("/")) {
            throw CliError.usage("'" + text + "' ends with '/', so it is a prefix, not an object key; nothing was"
                    + " deleted. rm deletes exactly the keys given, never what is under a prefix: barge ls -R " + text
                    + " lists the keys under it");
        }
        return location;
    }

    private void report(List<String> deleted, Map<String, String> failed) {
        PrintStream out = terminal.out();
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("deleted", deleted);
            List<Map<String, String>> failures = new ArrayList<>();
            failed.forEach((name, reason) -> {
                Map<String, String> failure = new LinkedHashMap<>();
                failure.put("location", name);
                failure.put("error", reason);
                failures.add(failure);
            });
            fields.put("failed", failures);
            out.println(Json.object(fields));
        } else {
            deleted.forEach(name -> out.println("deleted " + name));
        }
        out.flush();
        if (!failed.isEmpty()) {
            failed.forEach((name, reason) -> terminal.err().println("barge: could not delete " + name + ": " + reason));
            // "the others" only when there were any; and a refusal (credentials, permissions) is not cured by
            // running the command again alone
            terminal.err().println("barge: " + failed.size() + " of " + (deleted.size() + failed.size())
                    + " objects could not be deleted" + (deleted.isEmpty() ? "" : " (the others were)")
                    + "; once what is said above is fixed, run the same command again to delete them");
            terminal.err().flush();
        }
    }
}
