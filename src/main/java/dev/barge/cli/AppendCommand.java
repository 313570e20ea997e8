package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code barge append LOCATION/KEY FILE|-}: adds bytes to the end of an appendable object, creating
 * it when it does not exist, on stores that can append ({@code Capabilities.append}: local and OSS).
 * The append is at the object's length as {@code stat} reads it just before, so an append that
 * races another one is refused by the store and changes nothing.
 */
@Command(name = "append", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Appends a file (or standard input, -) to the end of an object, creating it when it does"
                + " not exist.",
                "Only stores that can append support it (local and OSS remotes); others refuse it and nothing is"
                        + " written. On OSS only objects created by an append can be appended to."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge append oss-prod:logs/app.log today.log",
                "  tail -n 100 app.log | barge append file:///var/archive/logs/app.log -"})
final class AppendCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOCATION/KEY", description = "The object: remote:bucket/key or a URI.")
    String location;

    @Parameters(index = "1", paramLabel = "FILE|-", description = "The bytes to append: a local file, or - for"
            + " standard input.")
    String input;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "Content type of the object when the append creates it.")
    String contentType;

    @Option(names = "--metadata", paramLabel = "NAME=VALUE",
            description = "User metadata of the object when the append creates it; repeat for more.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    AppendCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() throws IOException {
        Location where = ObjectLocations.object(location);
        Path file = input.equals("-") ? null : Path.of(input);
        if (file != null && !Files.isRegularFile(file)) {
            throw CliError.usage("'" + input + "' is not a file" + (Files.isDirectory(file) ? " but a directory" : "")
                    + ": give a file to append, or - for standard input");
        }
        try (Session session = BargeCommand.root(spec).openStores()) {
            StoreRegistry stores = session.stores();
            ObjectStore store = stores.store(where);
            if (!store.capabilities().append()) {
                throw CliError.usage("remote '" + where.remote() + "' (type " + stores.remote(where.remote()).type()
                        + ") cannot append to objects, so nothing was written: append works on local and oss"
                        + " remotes; to replace the object instead, use barge cp");
            }
            long position = currentLength(store, where);
            PutRequest.Builder request = PutRequest.builder(where.bucket(), where.path()).contentType(contentType)
                    .userMetadata(metadata);
            long newLength;
            long appended;
            if (file != null) {
                if (store.capabilities().checksums().contains(Checksum.Algorithm.MD5)) {
                    request.expectedChecksums(List.of(md5(file)));
                }
                Payload payload = Payload.ofFile(file);
                appended = payload.length();
                newLength = append(store, where, request.build(), position, payload);
            } else {
                MeteredInputStream in = new MeteredInputStream(terminal.in(), null, n -> { });
                newLength = append(store, where, request.build(), position, Payload.ofStream(in, Payload.UNKNOWN_LENGTH));
                appended = in.count();
            }
            if (json) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("target", where.toString());
                fields.put("appended", appended);
                fields.put("position", position);
                fields.put("size", newLength);
                terminal.out().println(Json.object(fields));
            } else {
                terminal.out().println("appended " + ObjectFields.size(appended) + " to " + where + (position == 0
                        ? ", which it created" : "") + "; it now holds " + ObjectFields.size(newLength));
            }
            terminal.out().flush();
            return ExitCode.OK;
        }
    }

    private static long currentLength(ObjectStore store, Location where) {
        try {
            return store.stat(where.bucket(), where.path()).size();
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return 0;
            }
            throw e;
        }
    }

    private static long append(ObjectStore store, Location where, PutRequest request, long position, Payload payload) {
        try {
            return store.append(request, position, payload);
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.CONFLICT) {
                throw CliError.failed("cannot append to " + where + ": " + Errors.message(e) + " (an object written by"
                        + " a plain put or cp cannot be appended to on OSS; another append may also have come first)");
            }
            throw e;
        }
    }

    private static Checksum md5(Path file) throws IOException {
        ContentDigest digest = ContentDigest.md5();
        try (InputStream in = new MeteredInputStream(Files.newInputStream(file), digest, n -> { })) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return digest.finish();
    }
}
