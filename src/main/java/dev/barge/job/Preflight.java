package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.WriteProbe;
import dev.barge.storage.Capabilities;
import dev.barge.storage.ListRequest;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What is checked before a job starts, so that a mistake costs one clear line and no job
 * execution: the source and target do not overlap ({@link dev.barge.job.LocationOverlap}), the
 * remote is known and has credentials, the bucket exists and can be listed (a listing of one
 * entry), the location is a prefix and not a single object, and the target can be written: a
 * zero-byte marker named as {@link WriteProbe}'s is put and deleted at once, and each failure is
 * explained. A dry run writes nothing, so it checks reading only.
 */
public final class Preflight {
    public static final String MARKER = WriteProbe.MARKER;

    private final StoreRegistry stores;
    private final BiFunction<String, String, String> settingName;

    /**
     * @param settingName a remote's setting as the user would write it (the remotes file's or the environment's name for it)
     */
    public Preflight(StoreRegistry stores, BiFunction<String, String, String> settingName) {
        this.stores = requireNonNull(stores, "stores is null");
        this.settingName = requireNonNull(settingName, "settingName is null");
    }


    /**
     * The problems with a migration from {@code source} to {@code target}; empty when it may start.
     * Overlapping locations ({@link LocationOverlap}) are the one problem reported then: nothing is
     * listed or written on them.
     *
     * @param excludes the migration's exclude globs, which may leave a target inside the source out of it
     */
    public List<String> migration(String source, String target, List<String> excludes, boolean writeTarget) {
        List<String> problems = new ArrayList<>();
        Location from = Location.parse(source);
        Location to = Location.parse(target);
        try {
            Optional<String> overlap = new LocationOverlap(stores).refusal(source, target, excludes);
            if (overlap.isPresent()) {
                return List.of(overlap.get());
            }
        } catch (StorageException e) {
            // an unknown remote: the checks below name it
        }
        readable("source '" + source + "'", from, problems);
        if (readable("target '" + target + "'", to, problems) && writeTarget) {
            writable("target '" + target + "'", to, problems);
        }
        return problems;
    }

    /**
     * The problems with deleting under {@code location}; empty when the delete may start. The location
     * must be a listable prefix, and not a single object: a delete takes what is under a directory, and
     * one object is {@code barge rm}'s.
     */
    public List<String> deletion(String location) {
        List<String> problems = new ArrayList<>();
        Location where = Location.parse(location);
        readable("'" + location + "'", where, problems);
        String single = "'" + location + "' is a single object, not a prefix";
        return problems.stream().map(p -> p.startsWith(single) ? single + ": to delete the objects under the"
                + " prefix of that name, write it with a trailing slash (" + location + "/); to delete the object"
                + " itself, barge rm " + location : p).toList();
    }

    /**
     * The problems with giving the objects under {@code location} the storage class {@code family} in
     * place; empty when the archive may start. Beside {@link #readable}, the store must have the class
     * and be able to change it in place; the refusal lists the classes it has.
     */
    public List<String> archive(String location, StorageClass.Family family) {
        List<String> problems = new ArrayList<>();
        Location where = Location.parse(location);
        if (!readable("'" + location + "'", where, problems)) {
            return problems;
        }
        RemoteConfig remote = stores.remote(where.remote());
        Capabilities capabilities = stores.store(where).capabilities();
        if (!capabilities.setStorageClass()) {
            problems.add("remote '" + remote.name() + "' (" + remote.type() + ") cannot change an object's storage"
                    + " class in place; copy the objects to an archive location instead: barge archive " + location
                    + " --storage-class " + family + " --to REMOTE:BUCKET/PREFIX");
        } else if (!capabilities.supportsStorageClass(family)) {
            problems.add("remote '" + remote.name() + "' (" + remote.type() + ") has no storage class " + family
                    + "; it has " + classes(capabilities));
        }
        return problems;
    }

    /**
     * The problems with restoring under {@code location} and, with {@code copyTo}, copying there in
     * {@code copyClass}; empty when the restore may start. The store must have restores; the copy is
     * checked as a migration's ({@link #migration}), and its class must be the target's.
     */
    public List<String> restore(String location, String copyTo, StorageClass.Family copyClass, boolean write) {
        List<String> problems = new ArrayList<>();
        if (copyTo != null) {
            problems.addAll(migration(location, copyTo, List.of(), write));
        } else {
            readable("'" + location + "'", Location.parse(location), problems);
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        Location where = Location.parse(location);
        RemoteConfig remote = stores.remote(where.remote());
        if (!stores.store(where).capabilities().restore()) {
            problems.add("remote '" + remote.name() + "' (" + remote.type() + ") has no archive restore: its objects"
                    + " can be read at once, with barge cp or barge migrate");
        }
        if (copyTo != null && copyClass != null) {
            Location target = Location.parse(copyTo);
            Capabilities capabilities = stores.store(target).capabilities();
            if (!capabilities.supportsStorageClass(copyClass)) {
                RemoteConfig targetRemote = stores.remote(target.remote());
                problems.add("remote '" + targetRemote.name() + "' (" + targetRemote.type() + ") has no storage class "
                        + copyClass + "; it has " + classes(capabilities));
            }
        }
        return problems;
    }

    private static String classes(Capabilities capabilities) {
        return capabilities.storageClasses().stream().sorted().map(Enum::name)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * The problems with verifying {@code source} against {@code target}; empty when it may start. Both
     * must be listable prefixes; nothing is written, so they may overlap, but not be one location.
     */
    public List<String> verification(String source, String target) {
        List<String> problems = new ArrayList<>();
        try {
            LocationOverlap.Overlap overlap = new LocationOverlap(stores).compare(Location.parse(source),
                    Location.parse(target));
            if (overlap.relation() == LocationOverlap.Relation.SAME) {
                return List.of("source '" + source + "' and target '" + target + "' are the same location ("
                        + overlap.place() + "): they match by definition; give the copy to check as the target");
            }
        } catch (StorageException e) {
            // an unknown remote: the checks below name it
        }
        readable("source '" + source + "'", Location.parse(source), problems);
        readable("target '" + target + "'", Location.parse(target), problems);
        return problems;
    }

    /** Checks that a location can be listed; adds a line per problem; true when it can. */
    boolean readable(String where, Location location, List<String> problems) {
        if (!location.hasBucket()) {
            problems.add(where + " names no bucket: use remote:bucket/prefix (for file:// the first directory"
                    + " of the path is the bucket, as in file:///tmp/data)");
            return false;
        }
        RemoteConfig remote;
        ObjectStore store;
        try {
            remote = stores.remote(location.remote());
            store = stores.store(location);
        } catch (StorageException e) {
            problems.add(where + ": " + e.userMessage());
            return false;
        }
        String prefix = directory(location.path());
        try {
            store.list(new ListRequest(location.bucket(), prefix, "/", null, null, 1));
        } catch (StorageException e) {
            problems.add(where + ": " + explain(e, remote, location.bucket(), "list"));
            return false;
        }
        if (!location.path().isEmpty() && !location.path().endsWith("/")) {
            try {
                store.stat(location.bucket(), location.path());
                problems.add(where + " is a single object, not a prefix: give the prefix (directory) that holds it");
                return false;
            } catch (StorageException e) {
                // NOT_FOUND is the usual answer; anything else is left to the write check and the job
            }
        }
        return true;
    }

    private void writable(String where, Location target, List<String> problems) {
        RemoteConfig remote = stores.remote(target.remote());
        ObjectStore store = stores.store(target);
        WriteProbe.Result probe = WriteProbe.probe(store, target.bucket(), directory(target.path()));
        if (probe.refusal() != null) {
            problems.add(where + ": " + explain(probe.refusal(), remote, target.bucket(), "write to"));
        } else if (probe.deleteFailure() != null) {
            problems.add(where + ": wrote the check marker '" + probe.marker() + "' but cannot delete it ("
                    + probe.deleteFailure().kind() + "): the credentials need delete permission; remove the marker"
                    + " by hand");
        }
    }

    private String explain(StorageException e, RemoteConfig remote, String bucket, String action) {
        String name = remote.name();
        return switch (e.kind()) {
            case BUCKET_NOT_FOUND -> "bucket '" + bucket + "' does not exist on remote '" + name + "'"
                    + (remote.type().equals("local") ? " (a directory under " + remote.root() + ")" : "")
                    + ": create it, or check the name";
            // a driver that explains its own default sign-in (azure: Entra ID) names the remote and what to set
            case INVALID_CREDENTIALS -> remote.credentials() == null && e.detail() != null
                    && e.detail().startsWith("remote '" + name + "' ") ? e.detail()
                    // the store refused what the default chain found (it answered with its own code)
                    : remote.credentials() == null && e.vendorCode() != null
                    ? "remote '" + name + "' rejects the credentials its " + remote.type() + " default chain found: "
                            + e.getMessage()
                    : remote.credentials() == null
                    ? "remote '" + name + "' has no credentials: none were given, and the " + remote.type()
                            + " default chain found none" + (remote.type().equals("s3") ? " (AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, web identity, container or instance role)"
                            : "") + "; set " + settingName.apply(name, "access-key-id") + " and "
                            + settingName.apply(name, "secret-access-key")
                    : "remote '" + name + "' rejects its credentials: check " + settingName.apply(name, "access-key-id")
                            + " and " + settingName.apply(name, "secret-access-key");
            // a local remote has no credentials: the file system's refusal names the directory and what to do
            case ACCESS_DENIED -> remote.type().equals("local") && e.detail() != null
                    ? "cannot " + action + " bucket '" + bucket + "' on remote '" + name + "': " + e.detail()
                    : "remote '" + name + "' denies the right to " + action + " bucket '" + bucket
                            + "': grant the credentials that permission, or use other credentials";
            case CONFLICT -> "cannot " + action + " bucket '" + bucket + "' on remote '" + name + "': a file stands"
                    + " where a directory is expected (" + e.getMessage() + ")";
            case INVALID_ARGUMENT -> e.userMessage();
            // a driver that names the host also says what to check
            default -> "cannot " + action + " bucket '" + bucket + "' on remote '" + name + "'"
                    + (host(e, remote) != null ? " at " + host(e, remote) : "") + ": " + e.getMessage()
                    + (e.host() != null ? "" : "; check the endpoint and the network");
        };
    }

    /**
     * Where the failed request went: the host the driver reports (for a remote without an endpoint, the
     * default host it chose for the region), else the remote's endpoint; {@code null} if neither is known.
     */
    private static String host(StorageException e, RemoteConfig remote) {
        if (e.host() != null) {
            return e.host();
        }
        return remote.endpoint() != null && !remote.endpoint().isBlank() ? remote.endpoint() : null;
    }

    /** A location's path as a key prefix: a directory, so "photos" does not take "photos2/". */
    public static String directory(String path) {
        return path.isEmpty() || path.endsWith("/") ? path : path + "/";
    }

}
