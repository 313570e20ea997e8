package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.util.AntPathMatcher;

/**
 * Whether two locations reach the same objects, so that a job reading one and writing the other
 * would read its own writes, or delete what it was told to keep. Every job with a source and a
 * target asks {@link #check} before it starts.
 *
 * <h2>Same store</h2>
 * Not {@link StoreRegistry#sameStore} (which decides server-side copy and compares credentials):
 * two remotes with other credentials, regions or names on one endpoint see the same buckets. The
 * <em>data namespace</em> of a remote is decided from its {@link RemoteConfig}:
 * <ul>
 *   <li>{@code local}: the real absolute path of {@code root/bucket/path}, symbolic links of its
 *       longest existing ancestor resolved, compared segment by segment; so two local remotes with
 *       other roots that reach one directory ({@code /srv} + bucket {@code archive}, and
 *       {@code /srv/archive}) are one place.</li>
 *   <li>{@code s3}, {@code oss}, {@code qiniu} and any other type: the type and the endpoint's host and
 *       port, lower-cased, scheme dropped, a default port (80, 443) dropped, loopback names
 *       ({@code localhost}, {@code 127.x.x.x}, {@code ::1}) as one. No endpoint, or one on the vendor's public
 *       domain ({@code amazonaws.com}, {@code amazonaws.com.cn} for s3: two partitions; {@code aliyuncs.com}
 *       for oss; Qiniu's own hosts for qiniu), is the vendor's public cloud, where bucket names are
 *       global whatever the region. An oss remote with neither endpoint nor region takes both from the
 *       environment when it opens; not knowing them, it is taken to share every oss namespace. A qiniu
 *       remote without an endpoint but with its six hosts is named by its {@code rs-host}.</li>
 * </ul>
 * Host names are not resolved: two names of one server are two namespaces.
 *
 * <h2>Containment</h2>
 * Key prefixes are directories ({@link MigrateJob#directory}): {@code photos} is {@code photos/}, so it
 * neither contains nor is inside {@code photos2}; {@code ""} is the whole bucket and contains every prefix.
 *
 * <h2>What is refused</h2>
 * The same location, and a source inside the target, always (the target's listing would hold the
 * source's own objects: a sync deletes them as extraneous). A target inside the source too, unless
 * an exclude glob provably leaves every key under it out of the source ({@link #excludesAll}).
 */
public final class LocationOverlap {

    /** How a location stands to another one. */
    public enum Relation {
        /** They share no object. */
        DISJOINT,
        /** They are one location. */
        SAME,
        /** The other location is strictly inside this one. */
        CONTAINS,
        /** This location is strictly inside the other one. */
        INSIDE
    }

    /**
     * How location {@code a} stands to location {@code b}.
     *
     * @param relation the relation of {@code a} to {@code b}
     * @param innerPrefix for {@link Relation#CONTAINS} and {@link Relation#INSIDE}: the inner location's key
     *     prefix relative to the outer one, directory-aligned ({@code "sub/"}); otherwise {@code ""}
     * @param place for all but {@link Relation#DISJOINT}: the outer location as the guard sees it, for messages
     */
    public record Overlap(Relation relation, String innerPrefix, String place) {
        public Overlap {
            requireNonNull(relation, "relation is null");
            requireNonNull(innerPrefix, "innerPrefix is null");
            requireNonNull(place, "place is null");
        }

        static final Overlap DISJOINT = new Overlap(Relation.DISJOINT, "", "");
    }

    /** A job refused before it started because its locations overlap. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final List<String> QINIU_HOSTS = List.of("qiniu.com", "qiniuapi.com", "qbox.me", "qiniucs.com",
            "qiniup.com", "qiniuio.com", "qiniudns.com", "qiniu.io");

    private final StoreRegistry stores;
    private final AntPathMatcher globs = new AntPathMatcher("/");

    /** @param stores where the remotes' configurations are looked up ({@link StoreRegistry#remote}) */
    public LocationOverlap(StoreRegistry stores) {
        this.stores = requireNonNull(stores, "stores is null");
    }

    /**
     * Throws when objects must not be copied, synced or moved from {@code source} to {@code target}.
     *
     * @param source the source location as the user gave it
     * @param target the target location as the user gave it
     * @param excludes the exclude globs of the job's filter, relative to the source ({@link dev.barge.batch.ObjectFilter})
     * @throws Refused naming both locations, what is wrong and what to do
     * @throws dev.barge.storage.StorageException {@code INVALID_ARGUMENT} for a malformed location or unknown remote
     */
    public void check(String source, String target, List<String> excludes) {
        Optional<String> refusal = refusal(source, target, excludes);
        if (refusal.isPresent()) {
            throw new Refused(refusal.get());
        }
    }

    /** What {@link #check} would refuse with, or empty when the job may start. */
    public Optional<String> refusal(String source, String target, List<String> excludes) {
        requireNonNull(excludes, "excludes is null");
        Overlap overlap = compare(Location.parse(source), Location.parse(target));
        return switch (overlap.relation()) {
            case DISJOINT -> Optional.empty();
            case SAME -> Optional.of("source '" + source + "' and target '" + target + "' are the same location ("
                    + overlap.place() + "): a migration onto itself can only lose data; choose a target outside the"
                    + " source");
            case INSIDE -> Optional.of("source '" + source + "' is inside target '" + target + "' (at '"
                    + overlap.innerPrefix() + "' under the target, " + overlap.place() + "): the target's listing would"
                    + " hold the source's own objects, which a sync deletes as extraneous; choose a target that"
                    + " neither contains nor is inside the source");
            case CONTAINS -> excludesAll(excludes, overlap.innerPrefix()) ? Optional.empty()
                    : Optional.of("target '" + target + "' is inside source '" + source + "' (at '"
                            + overlap.innerPrefix() + "' under the source, " + overlap.place() + "): the migration"
                            + " would read back its own copies; choose a target outside the source"
                            + suggestion(overlap.innerPrefix()));
        };
    }

    /**
     * How {@code a} stands to {@code b}. Locations without a bucket, or on remotes whose settings
     * can't be opened (a local remote without a root), are {@link Relation#DISJOINT}: the job fails
     * on them anyway, before it touches an object.
     *
     * @throws dev.barge.storage.StorageException {@code INVALID_ARGUMENT} for an unknown remote
     */
    public Overlap compare(Location a, Location b) {
        requireNonNull(a, "a is null");
        requireNonNull(b, "b is null");
        Place x = place(a);
        Place y = place(b);
        if (x == null || y == null || !x.sameNamespace(y)) {
            return Overlap.DISJOINT;
        }
        if (isPrefix(x.segments(), y.segments())) {
            return x.segments().size() == y.segments().size()
                    ? new Overlap(Relation.SAME, "", x.shown())
                    : new Overlap(Relation.CONTAINS, relative(x, y), x.shown());
        }
        if (isPrefix(y.segments(), x.segments())) {
            return new Overlap(Relation.INSIDE, relative(y, x), y.shown());
        }
        return Overlap.DISJOINT;
    }

    /**
     * The file a location reaches on a {@code local} remote, as a real path (symbolic links of its longest
     * existing ancestor resolved), so that a copy between a local file and an object can tell that they are
     * one file; empty for other remotes and locations without a bucket.
     *
     * @throws dev.barge.storage.StorageException {@code INVALID_ARGUMENT} for an unknown remote
     */
    public Optional<Path> localFile(Location location) {
        requireNonNull(location, "location is null");
        if (!location.hasBucket()) {
            return Optional.empty();
        }
        RemoteConfig remote = stores.remote(location.remote());
        if (!remote.type().equals("local") || remote.root() == null) {
            return Optional.empty();
        }
        return Optional.of(realPath(remote.root().toAbsolutePath().resolve(location.bucket()).resolve(location.path())));
    }

    /** {@code path} as {@link #localFile} gives a location's: its real path, for comparing the two. */
    public static Path realFile(Path path) {
        return realPath(requireNonNull(path, "path is null").toAbsolutePath());
    }

    /**
     * Whether one of {@code excludes} certainly matches every key under {@code prefix} (a source-relative,
     * directory-aligned prefix such as {@code "sub/"}) the way {@link dev.barge.batch.ObjectFilter} matches:
     * the glob is {@code P/**} where {@code P} has no {@code **} segment and matches the prefix's path or a
     * parent of it ({@code sub/**} and {@code s?b/**} prove {@code sub/} and {@code sub/deep/}).
     * Conservative: {@code sub/*} (keys can be deeper), {@code *.tmp} (a last segment only) and any
     * include prove nothing; a prefix starting with {@code /} or with an empty segment can't be proven.
     */
    public boolean excludesAll(List<String> excludes, String prefix) {
        requireNonNull(excludes, "excludes is null");
        requireNonNull(prefix, "prefix is null");
        if (prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//")) {
            return false;
        }
        String[] segments = prefix.substring(0, prefix.length() - 1).split("/");
        for (String exclude : excludes) {
            String glob = exclude.startsWith("/") ? exclude.substring(1) : exclude;
            if (!glob.endsWith("/**")) {
                continue;
            }
            String head = glob.substring(0, glob.length() - "/**".length());
            if (head.isEmpty() || List.of(head.split("/", -1)).contains("**")) {
                continue;
            }
            // head matches one segment per segment: it proves the prefix when it matches the prefix or a parent
            for (int k = 1; k <= segments.length; k++) {
                if (globs.match(head, String.join("/", List.of(segments).subList(0, k)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private String suggestion(String prefix) {
        String exclude = prefix + "**";
        return excludesAll(List.of(exclude), prefix)
                ? ", or leave it out of the source with --exclude '" + exclude.replace("'", "'\\''") + "'"
                : "";
    }

    /** A location as a namespace and the path segments below it (bucket first, for object stores). */
    private record Place(String type, String namespace, List<String> segments, String shown) {
        /** {@code namespace} null: not known, may be any namespace of the type. */
        boolean sameNamespace(Place other) {
            return type.equals(other.type)
                    && (namespace == null || other.namespace == null || namespace.equals(other.namespace));
        }
    }

    private Place place(Location location) {
        if (!location.hasBucket()) {
            return null;
        }
        RemoteConfig remote = stores.remote(location.remote());
        if (remote.type().equals("local")) {
            return local(remote, location);
        }
        List<String> segments = new ArrayList<>();
        segments.add(location.bucket());
        String prefix = MigrateJob.directory(location.path());
        if (!prefix.isEmpty()) {
            segments.addAll(List.of(prefix.substring(0, prefix.length() - 1).split("/", -1)));
        }
        String namespace = namespace(remote);
        String where = namespace == null ? remote.type() + " from the environment" : namespace;
        return new Place(remote.type(), namespace, List.copyOf(segments), "bucket '" + location.bucket() + "'"
                + (prefix.isEmpty() ? "" : " prefix '" + prefix + "'") + " on " + where);
    }

    private static Place local(RemoteConfig remote, Location location) {
        if (remote.root() == null) {
            return null;
        }
        Path path = realPath(remote.root().toAbsolutePath().resolve(location.bucket()).resolve(location.path()));
        List<String> segments = new ArrayList<>();
        path.forEach(name -> segments.add(name.toString()));
        String root = path.getRoot() == null ? "" : path.getRoot().toString();
        return new Place("local", root, List.copyOf(segments), "directory " + path);
    }

    /** The real path of the longest existing ancestor of {@code path}, with the rest appended. */
    private static Path realPath(Path path) {
        Deque<Path> rest = new ArrayDeque<>();
        Path existing = path.normalize();
        while (existing != null && !Files.exists(existing)) {
            if (existing.getFileName() != null) {
                rest.push(existing.getFileName());
            }
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing == null ? path.getRoot() : existing.toRealPath();
        } catch (IOException | SecurityException e) {
            return path.normalize();
        }
        while (!rest.isEmpty()) {
            real = real.resolve(rest.pop());
        }
        return real.normalize();
    }

    /** The data namespace of a remote other than local; {@code null} when not known. */
    private static String namespace(RemoteConfig remote) {
        String type = remote.type();
        String endpoint = blank(remote.endpoint()) ? null : remote.endpoint().trim();
        if (endpoint == null && type.equals("qiniu")) {
            String rsHost = remote.options().get("rs-host");
            endpoint = blank(rsHost) ? null : rsHost.trim();
        }
        if (endpoint == null) {
            return switch (type) {
                case "s3" -> remote.region() != null && remote.region().trim().toLowerCase(Locale.ROOT).startsWith("cn-")
                        ? "AWS S3 China (amazonaws.com.cn)" : "AWS S3 (amazonaws.com)";
                case "oss" -> blank(remote.region()) ? null : "Aliyun OSS (aliyuncs.com)";
                case "qiniu" -> "Qiniu Kodo (public cloud)";
                default -> type + " at its default endpoint";
            };
        }
        String host = host(endpoint);
        String bare = host.replaceFirst(":\\d+$", "");
        if (type.equals("s3") && domainOf(bare, "amazonaws.com.cn")) {
            return "AWS S3 China (amazonaws.com.cn)";
        }
        if (type.equals("s3") && domainOf(bare, "amazonaws.com")) {
            return "AWS S3 (amazonaws.com)";
        }
        if (type.equals("oss") && domainOf(bare, "aliyuncs.com")) {
            return "Aliyun OSS (aliyuncs.com)";
        }
        if (type.equals("qiniu") && QINIU_HOSTS.stream().anyMatch(d -> domainOf(bare, d))) {
            return "Qiniu Kodo (public cloud)";
        }
        return type + " at " + host;
    }

    /** {@code host[:port]} of an endpoint, lower-cased, without a default port, loopback names as one. */
    private static String host(String endpoint) {
        String text = endpoint.contains("://") ? endpoint : "https://" + endpoint;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return endpoint.toLowerCase(Locale.ROOT);
        }
        if (uri.getHost() == null) {
            return endpoint.toLowerCase(Locale.ROOT);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]")
                || host.equals("[0:0:0:0:0:0:0:1]")) {
            host = "localhost";
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == 80 || port == 443;
        return defaultPort ? host : host + ":" + port;
    }

    private static boolean domainOf(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static boolean isPrefix(List<String> prefix, List<String> of) {
        return prefix.size() <= of.size() && of.subList(0, prefix.size()).equals(prefix);
    }

    private static String relative(Place outer, Place inner) {
        return String.join("/", inner.segments().subList(outer.segments().size(), inner.segments().size())) + "/";
    }
}
