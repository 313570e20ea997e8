package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.job.Preflight;
import dev.barge.storage.BucketInfo;
import dev.barge.storage.ListRequest;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code barge ls LOCATION}: the objects under a prefix, or a remote's buckets. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"Lists the objects and directories under LOCATION, with names relative to it.",
                "With a remote alone (remote:), lists its buckets."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge ls prod:photos/2024/", "  barge ls -R --long file:///tmp/barge-demo/dst", "  barge ls prod:"})
final class LsCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOCATION", description = "remote:bucket/prefix, remote:, or a URI.")
    String location;

    @Option(names = {"-R", "--recursive"}, description = "List every object below, not just one level.")
    boolean recursive;

    @Option(names = {"-l", "--long"}, description = "Also size, modification time, storage class and etag.")
    boolean longFormat;

    LsCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        Location where = Location.parse(location);
        try (Session session = BargeCommand.root(spec).openStores()) {
            ObjectStore store = session.stores().store(where);
            PrintStream out = terminal.out();
            if (!where.hasBucket()) {
                for (BucketInfo bucket : store.listBuckets()) {
                    out.println(Formats.oneLine(bucket.name()));
                }
                return ExitCode.OK;
            }
            String prefix = Preflight.directory(where.path());
            ListRequest request = ListRequest.of(where.bucket(), prefix);
            if (!recursive) {
                request = request.withDelimiter("/");
            }
            store.listAll(request, page -> {
                // a key's control characters are escaped: one line per entry, and nothing a terminal acts on
                for (String directory : page.commonPrefixes()) {
                    String name = Formats.oneLine(directory.substring(prefix.length()));
                    out.println(longFormat ? String.format("%12s  %-19s  %-12s  %-34s  %s", "-", "-", "-", "-",
                            name) : name);
                }
                for (ObjectInfo object : page.objects()) {
                    String name = Formats.oneLine(object.key().substring(prefix.length()));
                    out.println(longFormat ? String.format("%12d  %-19s  %-12s  %-34s  %s", object.size(),
                            Formats.time(object.lastModified()), object.storageClass().displayName(),
                            object.etag() == null ? "-" : object.etag(), name) : name);
                }
            });
            out.flush();
            return ExitCode.OK;
        }
    }
}
