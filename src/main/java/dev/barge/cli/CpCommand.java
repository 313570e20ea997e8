package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.job.LocationOverlap;
import dev.barge.storage.Checksum;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.WriteResult;
import dev.barge.transfer.ObjectTransfer;
import dev.barge.transfer.TransferRequest;
import dev.barge.transfer.TransferResult;
import dev.barge.transfer.TransferSettings;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code barge cp SRC DST}: one object, between this machine (a file, or standard input and output)
 * and a store, or between two objects. Object to object goes through {@link ObjectTransfer}, as a
 * migration's copies do (server-side within one store, else streamed, large objects as parallel
 * multipart), and so does a local file to an object, read through a local store over {@code /}.
 * An object to this machine is {@link ObjectDownload}; standard input to an object is one put of
 * unknown length, which the driver sends as a multipart upload when it is large. Every way is
 * checked with the checksums the stores report, and a failed copy leaves no partial target.
 */
@Command(name = "cp", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copies one object: a local file to an object, an object to a local file, or an object to"
                + " another object (server-side within one store). SRC or DST - is standard input or output.",
                "Every copy is checked with the checksums the stores report; a failed copy leaves no partial target.",
                "A DST that ends in / (or is a bucket alone, or an existing directory) gets SRC's name.",
                "A local path with a colon is written ./like:this."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge cp report.pdf prod:docs/2024/report.pdf",
                "  barge cp prod:docs/2024/report.pdf ./",
                "  barge cp prod:photos/a.jpg backup:photos/a.jpg --storage-class ARCHIVE",
                "  pg_dump shop | barge cp - prod:backups/shop.sql --content-type application/sql",
                "  barge cp prod:backups/shop.sql - | psql shop",
                "  barge cp data.csv s3://bucket/in/ --metadata source=crm --metadata day=2024-05-01"})
final class CpCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "A local file, -, or an object: remote:bucket/key or a URI.")
    String source;

    @Parameters(index = "1", paramLabel = "DST",
            description = "A local file or directory, -, or an object, bucket or prefix/ to copy to.")
    String target;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "Content type of the copy (default: the source's; for a file, guessed from its name).")
    String contentType;

    @Option(names = "--metadata", paramLabel = "NAME=VALUE",
            description = "User metadata of the copy, instead of the source's; repeat for more.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--storage-class", paramLabel = "CLASS",
            description = "Storage class of the copy: STANDARD, INFREQUENT, ARCHIVE, COLD_ARCHIVE or DEEP_ARCHIVE"
                    + " (default: the target bucket's).")
    String storageClass;

    @Option(names = "--json", description = "Print the result as one JSON object (not with DST -).")
    boolean json;

    CpCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    /** What was copied, for the report. */
    private record Copied(String source, String target, long bytes, String method, List<Checksum> verified) {}

    @Override
    public Integer call() {
        CopyEndpoint from = CopyEndpoint.parse(source);
        CopyEndpoint to = CopyEndpoint.parse(target);
        if (!(from instanceof CopyEndpoint.StoredObject) && !(to instanceof CopyEndpoint.StoredObject)) {
            throw CliError.usage("neither '" + source + "' nor '" + target + "' is an object (remote:bucket/key or a"
                    + " URI): cp copies to or from a store; for two local files use cp(1)");
        }
        if (json && to instanceof CopyEndpoint.Stdio) {
            throw CliError.usage("--json cannot be used when DST is -: standard output is the object's bytes");
        }
        if ((contentType != null || !metadata.isEmpty() || storageClass != null)
                && !(to instanceof CopyEndpoint.StoredObject)) {
            throw CliError.usage("--content-type, --metadata and --storage-class describe an object: DST '" + target
                    + "' is not one");
        }
        StorageClass targetClass = storageClass();
        long start = System.nanoTime();
        try (Session session = BargeCommand.root(spec).openStores()) {
            Copied copied;
            if (to instanceof CopyEndpoint.StoredObject object) {
                if (from instanceof CopyEndpoint.StoredObject sourceObject) {
                    copied = objectToObject(session, sourceObject, object, targetClass);
                } else if (from instanceof CopyEndpoint.LocalFile file) {
                    copied = fileToObject(session, file, object, targetClass);
                } else {
                    copied = stdinToObject(session, object, targetClass);
                }
            } else {
                CopyEndpoint.StoredObject object = (CopyEndpoint.StoredObject) from;
                copied = to instanceof CopyEndpoint.LocalFile file ? objectToFile(session, object, file)
                        : objectToStdout(session, object);
            }
            report(copied, Duration.ofNanos(System.nanoTime() - start));
            return ExitCode.OK;
        }
    }

    // ---- the ways of copying ------------------------------------------------------------

    private Copied objectToObject(Session session, CopyEndpoint.StoredObject from, CopyEndpoint.StoredObject to,
            StorageClass targetClass) {
        StoreRegistry stores = session.stores();
        Location src = objectKey(from, "SRC");
        ObjectStore sourceStore = stores.store(src);
        ObjectInfo object = statSource(sourceStore, src, from.text());
        Location dst = targetLocation(to, baseName(src.path()));
        ObjectStore targetStore = stores.store(dst);
        boolean sameStore = stores.sameStore(src.remote(), dst.remote());
        boolean relabel = contentType != null || !metadata.isEmpty();
        boolean inPlace = sameStore && src.bucket().equals(dst.bucket()) && src.path().equals(dst.path());
        if (inPlace && !relabel && targetClass == null) {
            throw CliError.usage("SRC and DST are the same object, " + dst + ": nothing to copy (give"
                    + " --storage-class, --content-type or --metadata to change it in place)");
        }
        if (!inPlace) {
            // two remotes reaching one bucket: a bad copy is deleted, and it would be the source
            Optional<String> overlap = new LocationOverlap(stores).refusal(src.toString(), dst.toString(), List.of());
            if (overlap.isPresent()) {
                throw CliError.usage(overlap.get() + "; nothing was copied");
            }
        }
        if (sameStore && relabel && targetStore.capabilities().copy()) {
            return serverSideCopyWithMetadata(targetStore, from.text(), src, object, dst, targetClass, inPlace);
        }
        boolean serverSide = sameStore && targetStore.capabilities().copy();
        try (ByteProgress bar = serverSide ? ByteProgress.none() : ByteProgress.start(terminal, "cp", object.size())) {
            CopySource copySource = new CopySource(sourceStore, contentType, copyMetadata(object), bar);
            TransferResult result = transfer(session, new TransferRequest(copySource, src.bucket(),
                    copySource.relabel(object), targetStore, dst.bucket(), dst.path(), sameStore, targetClass));
            targetStore.sync(); // durable when cp returns
            return new Copied(from.text(), dst.toString(), object.size(), method(result.method()), result.verified());
        }
    }

    /** A copy within one store whose content type or metadata change: one request, checked as a transfer's. */
    private Copied serverSideCopyWithMetadata(ObjectStore store, String text, Location src, ObjectInfo object,
            Location dst, StorageClass targetClass, boolean inPlace) {
        WriteResult written = store.copy(CopyRequest.of(src.bucket(), src.path(), dst.bucket(), dst.path())
                .withMetadata(contentType != null ? contentType : object.contentType(), copyMetadata(object) != null
                        ? copyMetadata(object) : object.userMetadata())
                .withStorageClass(targetClass).withListedSource(object));
        List<Checksum> verified = new ArrayList<>();
        for (Checksum expected : object.checksums()) {
            Optional<Checksum> actual = written.checksum(expected.algorithm());
            if (actual.isPresent() && !actual.get().equals(expected)) {
                if (!inPlace) { // in place, the copy is the only one there is: it is kept
                    deleteQuietly(store, dst);
                }
                throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.COPY).bucket(dst.bucket())
                        .key(dst.path()).detail("the copy has " + actual.get().algorithm() + " " + actual.get().value()
                                + ", the source " + expected.value() + (inPlace
                                ? "; the object was changed in place and is kept: check it"
                                : "; the copy was deleted")).build();
            }
            actual.ifPresent(verified::add);
        }
        store.sync();
        return new Copied(text, dst.toString(), object.size(), "server-side copy", verified);
    }

    private Copied fileToObject(Session session, CopyEndpoint.LocalFile from, CopyEndpoint.StoredObject to,
            StorageClass targetClass) {
        Path file = sourceFile(from);
        if (file.getNameCount() < 2) {
            throw CliError.usage("'" + from.text() + "' is directly under /: copy it from a directory below");
        }
        String bucket = file.getName(0).toString();
        String key = file.subpath(1, file.getNameCount()).toString().replace(file.getFileSystem().getSeparator(), "/");
        Location dst = targetLocation(to, file.getFileName().toString());
        StoreRegistry stores = session.stores();
        // a local remote's object can be this very file: a copy that fails its check is deleted, and it would be SRC
        if (new LocationOverlap(stores).localFile(dst).filter(file::equals).isPresent()) {
            throw CliError.usage("'" + from.text() + "' and '" + to.text() + "' are the same file, " + file
                    + ": nothing to copy; nothing was changed");
        }
        ObjectStore targetStore = stores.store(dst);
        // the file's directory tree as a read-only local store, so that the transfer reads it as it reads objects
        try (ObjectStore files = session.localFiles().open(
                RemoteConfig.local("local-files", file.getRoot()))) {
            ObjectInfo object = files.stat(bucket, key);
            String type = contentType != null ? contentType
                    : object.contentType() != null ? null : URLConnection.guessContentTypeFromName(file.toString());
            try (ByteProgress bar = ByteProgress.start(terminal, "cp", object.size())) {
                CopySource copySource = new CopySource(files, type, copyMetadata(object), bar);
                TransferResult result = transfer(session, new TransferRequest(copySource, bucket,
                        copySource.relabel(object), targetStore, dst.bucket(), dst.path(), false, targetClass));
                targetStore.sync();
                return new Copied(from.text(), dst.toString(), object.size(), method(result.method()),
                        result.verified());
            }
        }
    }

    private Copied stdinToObject(Session session, CopyEndpoint.StoredObject to, StorageClass targetClass) {
        Location dst = to.location();
        if (to.namesPrefix()) {
            throw CliError.usage("'" + to.text() + "' names no key, and standard input has no name: give DST as"
                    + " remote:bucket/key");
        }
        ObjectStore store = session.stores().store(dst);
        PutRequest request = PutRequest.builder(dst.bucket(), dst.path()).contentType(contentType)
                .userMetadata(metadata).storageClass(targetClass).build();
        ContentDigest md5 = ContentDigest.md5();
        try (ByteProgress bar = ByteProgress.start(terminal, "cp", Payload.UNKNOWN_LENGTH)) {
            MeteredInputStream in = new MeteredInputStream(terminal.in(), md5, bar);
            WriteResult written = store.put(request, Payload.ofStream(in, Payload.UNKNOWN_LENGTH));
            Checksum sent = md5.finish();
            Optional<Checksum> stored = written.checksum(Checksum.Algorithm.MD5);
            if (stored.isPresent() && !stored.get().equals(sent)) {
                deleteQuietly(store, dst);
                throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(dst.bucket())
                        .key(dst.path()).detail("the store has MD5 " + stored.get().value() + " but the bytes sent have "
                                + sent.value() + "; the object was deleted").build();
            }
            store.sync();
            return new Copied("-", dst.toString(), in.count(), "streamed upload", stored.map(List::of).orElse(List.of()));
        }
    }

    private Copied objectToFile(Session session, CopyEndpoint.StoredObject from, CopyEndpoint.LocalFile to) {
        Location src = objectKey(from, "SRC");
        StoreRegistry stores = session.stores();
        ObjectStore store = stores.store(src);
        ObjectInfo object = statSource(store, src, from.text());
        Path file = targetFile(to, baseName(src.path()));
        if (new LocationOverlap(stores).localFile(src).filter(LocationOverlap.realFile(file)::equals).isPresent()) {
            throw CliError.usage("'" + from.text() + "' and '" + to.text() + "' are the same file, "
                    + LocationOverlap.realFile(file) + ": nothing to copy; nothing was changed");
        }
        try (ByteProgress bar = ByteProgress.start(terminal, "cp", object.size())) {
            ObjectDownload.Result result = new ObjectDownload(store, src.bucket(), src.path(), from.text())
                    .toFile(file, bar);
            return new Copied(from.text(), file.toString(), result.bytes(), "download",
                    result.verified().map(List::of).orElse(List.of()));
        } catch (IOException e) {
            throw CliError.failed("writing " + file + " failed: " + Errors.rootMessage(e) + "; it is unchanged");
        }
    }

    private Copied objectToStdout(Session session, CopyEndpoint.StoredObject from) {
        Location src = objectKey(from, "SRC");
        ObjectStore store = session.stores().store(src);
        ObjectInfo object = statSource(store, src, from.text());
        try (ByteProgress bar = ByteProgress.start(terminal, "cp", object.size())) {
            ObjectDownload.Result result = new ObjectDownload(store, src.bucket(), src.path(), from.text())
                    .toStream(terminal.out(), bar);
            return new Copied(from.text(), "-", result.bytes(), "download",
                    result.verified().map(List::of).orElse(List.of()));
        } catch (IOException e) {
            throw CliError.failed("writing to standard output failed: " + Errors.rootMessage(e));
        }
    }

    // ---- the two sides ------------------------------------------------------------------

    private static Location objectKey(CopyEndpoint.StoredObject endpoint, String side) {
        if (endpoint.namesPrefix()) {
            throw CliError.usage(side + " '" + endpoint.text() + "' names no object: give remote:bucket/key (cp copies"
                    + " one object; barge migrate copies everything under a prefix)");
        }
        return endpoint.location();
    }

    private static ObjectInfo statSource(ObjectStore store, Location location, String text) {
        try {
            return store.stat(location.bucket(), location.path());
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                String parent = location.path().contains("/")
                        ? location.path().substring(0, location.path().lastIndexOf('/') + 1) : "";
                throw CliError.failed("'" + text + "' does not exist: no object has the key '" + location.path()
                        + "' (barge ls " + new Location(location.remote(), location.bucket(), parent)
                        + " lists what is there)");
            }
            throw e;
        }
    }

    /** The object to write: DST itself, or SRC's name under DST when DST is a bucket or a prefix. */
    private static Location targetLocation(CopyEndpoint.StoredObject to, String name) {
        Location location = to.location();
        return to.namesPrefix() ? new Location(location.remote(), location.bucket(), location.path() + name) : location;
    }

    /** The file to read: it must exist and be a regular file; symbolic links are followed. */
    private static Path sourceFile(CopyEndpoint.LocalFile from) {
        Path path = from.path();
        if (Files.isDirectory(path)) {
            throw CliError.usage("'" + from.text() + "' is a directory: cp copies one file (barge migrate"
                    + " file://" + path.toAbsolutePath().normalize() + " remote:bucket/prefix copies a directory)");
        }
        try {
            Path real = path.toRealPath();
            if (!Files.isRegularFile(real)) {
                throw CliError.usage("'" + from.text() + "' is not a regular file; to copy what a program writes, pipe"
                        + " it: ... | barge cp - DST");
            }
            return real;
        } catch (NoSuchFileException e) {
            throw CliError.usage("'" + from.text() + "' does not exist");
        } catch (IOException e) {
            throw CliError.usage("cannot read '" + from.text() + "': " + Errors.rootMessage(e));
        }
    }

    /** The file to write: DST itself, or SRC's name in DST when DST is a directory. */
    private static Path targetFile(CopyEndpoint.LocalFile to, String name) {
        Path path = to.path();
        if (to.namesDirectory() || Files.isDirectory(path)) {
            if (!Files.isDirectory(path)) {
                throw CliError.usage("directory '" + to.text() + "' does not exist; create it first");
            }
            path = path.resolve(name);
        }
        if (Files.isDirectory(path)) {
            throw CliError.usage("target '" + path + "' is a directory: give the file to write, as in " + path.resolve(name));
        }
        Path parent = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw CliError.usage("directory '" + parent + "' does not exist; create it first");
        }
        return path;
    }

    // ---- helpers ------------------------------------------------------------------------

    /**
     * The copy's user metadata when {@code --metadata} replaces the source's, or {@code null} to keep
     * the source's. Barge's own record of the content's MD5 goes with the content either way.
     */
    private Map<String, String> copyMetadata(ObjectInfo source) {
        if (metadata.isEmpty()) {
            return null;
        }
        Map<String, String> copy = new HashMap<>(metadata);
        String md5 = source.userMetadata().get(ObjectTransfer.MD5_METADATA);
        if (md5 != null) {
            copy.putIfAbsent(ObjectTransfer.MD5_METADATA, md5);
        }
        return copy;
    }

    private StorageClass storageClass() {
        if (storageClass == null) {
            return null;
        }
        try {
            return StorageClass.of(StorageClass.Family.parse(storageClass));
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        }
    }

    /** One transfer with the settings a migration uses ({@code barge.transfer.*}), on threads of its own. */
    private static TransferResult transfer(Session session, TransferRequest request) {
        TransferSettings settings = session.transferSettings();
        ExecutorService parts = Executors.newFixedThreadPool(settings.partsInFlight(), r -> {
            Thread thread = new Thread(r, "barge-cp-part");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return new ObjectTransfer(settings, parts).transfer(request);
        } finally {
            parts.shutdownNow();
        }
    }

    private static String method(TransferResult.Method method) {
        return switch (method) {
            case SERVER_SIDE_COPY -> "server-side copy";
            case SINGLE_PUT -> "single put";
            case MULTIPART -> "multipart upload";
            case STREAMED_PUT -> "streamed upload";
        };
    }

    private static String baseName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static void deleteQuietly(ObjectStore store, Location location) {
        try {
            store.delete(location.bucket(), location.path());
        } catch (RuntimeException e) {
            // the mismatch is the failure to report; the bad copy is named in it
        }
    }

    private void report(Copied copied, Duration elapsed) {
        if (copied.target().equals("-")) {
            return; // standard output is the data
        }
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("source", copied.source());
            fields.put("target", copied.target());
            fields.put("bytes", copied.bytes());
            fields.put("method", copied.method());
            Map<String, String> verified = new LinkedHashMap<>();
            copied.verified().forEach(c -> verified.put(c.algorithm().name(), c.value()));
            fields.put("verified", verified);
            fields.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
            terminal.out().println(Json.object(fields));
        } else {
            String check = copied.verified().isEmpty() ? "size checked (no checksum to compare)"
                    : String.join(" and ", copied.verified().stream().map(c -> ObjectFields.algorithm(c.algorithm()))
                            .toList()) + " verified";
            String from = copied.source().equals("-") ? "standard input" : copied.source();
            terminal.out().println(String.format(Locale.ROOT, "copied %s to %s: %s, %s, %s in %s", from,
                    copied.target(), ObjectFields.size(copied.bytes()), check, copied.method(),
                    Formats.duration(elapsed)));
        }
        terminal.out().flush();
    }
}
