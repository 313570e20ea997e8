package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code barge stat LOCATION/key}: what the store knows about one object. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Shows one object: size, modification time, etag, storage class, content type, checksums,"
                + " user metadata.",
        footerHeading = "%nExamples:%n",
        footer = {"  barge stat prod:photos/2024/a.jpg", "  barge stat file:///tmp/barge-demo/dst/hello.txt",
                "  barge stat s3://media/cover.jpg --json"})
final class StatCommand implements Callable<Integer> {
    private static final String FIELD = "%-15s%s%n";

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOCATION/KEY", description = "The object: remote:bucket/key or a URI.")
    String location;

    @Option(names = "--json", description = "Print the object as one JSON object, times in UTC to the nanosecond.")
    boolean json;

    StatCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        Location where = ObjectLocations.object(location);
        try (Session session = BargeCommand.root(spec).openStores()) {
            ObjectInfo info = session.stores().store(where).stat(where.bucket(), where.path());
            PrintStream out = terminal.out();
            if (json) {
                out.println(Json.object(fields(where, info)));
            } else {
                print(out, where, info);
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    private static void print(PrintStream out, Location where, ObjectInfo info) {
        out.printf(FIELD, "Key", info.key());
        out.printf(FIELD, "Bucket", where.bucket() + " (remote " + where.remote() + ")");
        out.printf(FIELD, "Size", ObjectFields.size(info.size()));
        out.printf(FIELD, "Modified", ObjectFields.time(info.lastModified()));
        out.printf(FIELD, "ETag", info.etag() == null ? "-" : info.etag());
        out.printf(FIELD, "Storage class", ObjectFields.storageClass(info.storageClass()));
        out.printf(FIELD, "Content type", info.contentType() == null ? "-" : info.contentType());
        for (Checksum checksum : info.checksums()) {
            out.printf(FIELD, ObjectFields.algorithm(checksum.algorithm()), checksum.value());
        }
        String label = "Metadata";
        for (Map.Entry<String, String> entry : new TreeMap<>(info.userMetadata()).entrySet()) {
            out.printf(FIELD, label, entry.getKey() + "=" + entry.getValue());
            label = "";
        }
        if (info.storageClass().requiresRestore()) {
            out.printf(FIELD, "Restore", ObjectFields.restore(info.restore()));
        }
    }

    private static Map<String, Object> fields(Location where, ObjectInfo info) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("remote", where.remote());
        fields.put("bucket", where.bucket());
        fields.put("key", info.key());
        fields.put("size", info.size());
        fields.put("lastModified", info.lastModified().toString());
        fields.put("etag", info.etag());
        fields.put("storageClass", info.storageClass().displayName());
        fields.put("storageClassFamily", info.storageClass().family().name());
        fields.put("contentType", info.contentType());
        Map<String, String> checksums = new LinkedHashMap<>();
        info.checksums().forEach(c -> checksums.put(c.algorithm().name(), c.value()));
        fields.put("checksums", checksums);
        fields.put("metadata", new TreeMap<>(info.userMetadata()));
        if (info.storageClass().requiresRestore()) {
            fields.put("restore", info.restore().state().name());
            fields.put("readableUntil", info.restore().readableUntil() == null ? null
                    : info.restore().readableUntil().toString());
        }
        return fields;
    }
}
