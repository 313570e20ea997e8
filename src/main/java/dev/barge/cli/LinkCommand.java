package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.PresignRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code barge link LOCATION/key}: a presigned URL that lets anyone holding it GET (or, with
 * {@code --put}, PUT) one object without credentials until it expires. Only on stores that
 * {@linkplain dev.barge.storage.Capabilities#presign() claim presigning}; the others are refused
 * before any request. The URL carries a signature, so it goes to standard output only, never to the log.
 */
@Command(name = "link", mixinStandardHelpOptions = true,
        description = {"Prints a presigned URL for one object: anyone with it can download the object (or, with"
                + " --put, upload it) without credentials until it expires.",
                "Stores that cannot presign (the local file system) refuse it (exit 2)."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge link prod:photos/2024/a.jpg", "  barge link prod:photos/2024/a.jpg --expires 7d",
                "  curl -T report.pdf \"$(barge link s3://uploads/report.pdf --put --expires 15m)\"",
                "  barge link oss-prod:media/cover.jpg --json",
                "",
                "S3 (and S3-compatible stores) sign URLs for at most 7 days. Kodo links are GET only."})
final class LinkCommand implements Callable<Integer> {
    /** The longest expiry a remote type's signature allows; types not listed have no limit of their own. */

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOCATION/KEY", description = "The object: remote:bucket/key or a URI.")
    String location;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "1h", converter = ExpiryConverter.class,
            description = "How long the URL works: 15m, 1h, 7d or ISO-8601 PT15M (default ${DEFAULT-VALUE}).")
    Duration expires;

    @Option(names = "--put", description = "A URL that uploads (HTTP PUT) the object instead of downloading it.")
    boolean put;

    @Option(names = "--json", description = "Print one JSON object: url, method, expires (UTC), remote, bucket, key.")
    boolean json;

    LinkCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() {
        Location where = ObjectLocations.object(location);
        PresignRequest.Method method = put ? PresignRequest.Method.PUT : PresignRequest.Method.GET;
        try (Session session = BargeCommand.root(spec).openStores()) {
            StoreRegistry registry = session.stores();
            RemoteConfig remote = registry.remote(where.remote());
            ObjectStore store = registry.store(where);
            if (!store.capabilities().presign()) {
                throw CliError.usage("remote '" + remote.name() + "' (type " + remote.type() + ") cannot make"
                        + " presigned URLs: its store has no way to grant access by URL; use barge cat or barge cp"
                        + " to read or write " + location);
            }
            Duration max = store.capabilities().presignMaxExpiry();
            if (max != null && expires.compareTo(max) > 0) {
                throw CliError.usage("--expires " + Formats.duration(expires) + " is too long for remote '"
                        + remote.name() + "' (type " + remote.type() + "): its presigned URLs last at most "
                        + max.toDays() + " days; give --expires " + max.toDays() + "d or less");
            }
            Instant expiresAt = Instant.now().plus(expires);
            URI url = store.presign(new PresignRequest(method, where.bucket(), where.path(), expires));
            PrintStream out = terminal.out();
            if (json) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("url", url.toString());
                fields.put("method", method.name());
                fields.put("expires", expiresAt.toString());
                fields.put("remote", where.remote());
                fields.put("bucket", where.bucket());
                fields.put("key", where.path());
                out.println(Json.object(fields));
            } else {
                out.println(url);
            }
            out.flush();
            return ExitCode.OK;
        }
    }

    /** A positive expiry, as {@code 15m}, {@code 1h}, {@code 7d} or ISO-8601 {@code PT15M}. */
    static final class ExpiryConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration expiry;
            try {
                expiry = Formats.parseDuration(value, "an expiry", "15m, 1h or 7d");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (expiry.isNegative() || expiry.isZero()) {
                throw new TypeConversionException("an expiry must be longer than zero, e.g. 15m, 1h or 7d");
            }
            return expiry;
        }
    }
}
