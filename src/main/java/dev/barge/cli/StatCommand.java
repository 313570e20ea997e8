package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.StoreRegistry;
import java.io.PrintStream;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code barge stat LOCATION/key}: what the store knows about one object. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Shows one object: size, modification time, etag, storage class, content type, checksums,"
                + " user metadata.",
        footerHeading = "%nExamples:%n",
        footer = {"  barge stat prod:photos/2024/a.jpg", "  barge stat file:///tmp/barge-demo/dst/hello.txt"})
final class StatCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOCATION/KEY", description = "The object: remote:bucket/key or a URI.")
    String location;

    StatCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        Location where = ObjectLocations.object(location);
        try (Session session = BargeCommand.root(spec).openStores()) {
            ObjectInfo info = session.bean(StoreRegistry.class).store(where).stat(where.bucket(), where.path());
            PrintStream out = terminal.out();
            out.println("key:           " + info.key());
            out.println("bucket:        " + where.bucket() + " (remote " + where.remote() + ")");
            out.println("size:          " + info.size() + " (" + Formats.bytes(info.size()) + ")");
            out.println("modified:      " + info.lastModified());
            out.println("etag:          " + (info.etag() == null ? "-" : info.etag()));
            out.println("storage class: " + info.storageClass().displayName() + " (" + info.storageClass().family() + ")");
            out.println("content type:  " + (info.contentType() == null ? "-" : info.contentType()));
            for (Checksum checksum : info.checksums()) {
                out.println("checksum:      " + checksum);
            }
            new TreeMap<>(info.userMetadata()).forEach((k, v) -> out.println("metadata:      " + k + "=" + v));
            if (info.storageClass().requiresRestore()) {
                out.println("restore:       " + info.restore());
            }
            out.flush();
            return ExitCode.OK;
        }
    }
}
