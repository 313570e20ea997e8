package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps buckets and keys to paths under the root, refusing anything that could escape it or
 * collide with Barge's own files. Keys are split on {@code /}; every segment must be a plain
 * file name. Names starting with {@value #RESERVED_PREFIX} are Barge's: metadata sidecars,
 * temporary files and multipart staging, which listings never show.
 */
final class LocalPaths {
    static final String RESERVED_PREFIX = ".barge";
    static final String METADATA_DIR = ".barge.meta";
    static final String UPLOADS_DIR = ".barge.uploads";
    static final String TEMP_PREFIX = ".barge.tmp.";
    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_SEGMENT_BYTES = 255;

    /** Beyond this many, {@link #realDirectories} starts afresh: a bound on memory, not a cache policy. */
    private static final int MAX_REAL_DIRECTORIES = 1 << 16;

    private final Path root;
    /**
     * Directories inside buckets already seen not to be symbolic links, so that the objects of one
     * directory cost one check of it rather than one per object. Checked once per store: a link put
     * in place of a directory later is the same race as one put between a check and an open.
     */
    private final Set<Path> realDirectories = ConcurrentHashMap.newKeySet();

    LocalPaths(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    static boolean isReserved(String name) {
        return name.startsWith(RESERVED_PREFIX);
    }

    /** The directory of a bucket, which must exist; {@code key} (or {@code null}) names the object in errors. */
    Path existingBucket(Operation op, String bucket, String key) {
        Path dir = bucketDir(op, bucket);
        if (!Files.isDirectory(dir)) {
            throw StorageException.builder(ErrorKind.BUCKET_NOT_FOUND, op).bucket(bucket).key(key)
                    .detail("no such bucket: " + dir + " is not a directory").build();
        }
        return dir;
    }

    /** The directory a bucket has or would have. */
    Path bucketDir(Operation op, String bucket) {
        requireNonNull(bucket, "bucket is null");
        String problem = segmentProblem(bucket);
        if (problem != null) {
            throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, op).bucket(bucket)
                    .detail("invalid bucket name '" + bucket + "': " + problem).build();
        }
        return root.resolve(bucket);
    }

    /**
     * The path of a key inside an existing bucket directory. Refuses keys that are not plain
     * relative paths, and paths that would pass through a symbolic link inside the bucket.
     */
    Path object(Operation op, String bucket, Path bucketDir, String key) {
        requireNonNull(key, "key is null");
        String problem = keyProblem(key);
        if (problem != null) {
            throw StorageException.invalidArgument(op, bucket, key, "the local driver cannot store this key: " + problem);
        }
        Path path = bucketDir;
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            path = path.resolve(segments[i]);
            boolean directory = i < segments.length - 1;
            if (directory && realDirectories.contains(path)) {
                continue;
            }
            if (Files.isSymbolicLink(path)) {
                throw StorageException.invalidArgument(op, bucket, key,
                        "the path " + path + " is a symbolic link; the local driver does not follow links");
            }
            if (directory && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                if (realDirectories.size() >= MAX_REAL_DIRECTORIES) {
                    realDirectories.clear();
                }
                realDirectories.add(path);
            }
        }
        if (!path.normalize().startsWith(bucketDir)) {
            throw StorageException.invalidArgument(op, bucket, key, "the key resolves outside its bucket");
        }
        return path;
    }

    /** Why a key cannot be stored, or {@code null} if it can. */
    static String keyProblem(String key) {
        if (key.isEmpty()) {
            return "it is empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "it is longer than " + MAX_KEY_BYTES + " UTF-8 bytes";
        }
        if (key.startsWith("/")) {
            return "it starts with '/'";
        }
        if (key.endsWith("/")) {
            return "it ends with '/' (a directory marker); a file system has no objects of that name";
        }
        for (String segment : key.split("/", -1)) {
            String problem = segmentProblem(segment);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String segmentProblem(String segment) {
        if (segment.isEmpty()) {
            return "it has an empty path segment ('//')";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "it has a '" + segment + "' path segment";
        }
        if (segment.indexOf('\0') >= 0) {
            return "it contains a NUL character";
        }
        if (segment.contains("/")) {
            return "it contains '/'";
        }
        if (isReserved(segment)) {
            return "names starting with '" + RESERVED_PREFIX + "' are reserved for Barge's metadata";
        }
        if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            return "the segment '" + segment.substring(0, 16) + "...' is longer than " + MAX_SEGMENT_BYTES
                    + " bytes, the file system's limit";
        }
        return null;
    }

    /** Where the sidecar of an object file lives: {@code dir/.barge.meta/name}. */
    static Path sidecar(Path file) {
        return file.resolveSibling(METADATA_DIR).resolve(file.getFileName().toString());
    }


    /**
     * Whether {@code bucketDir} is a directory: asked only after a write or a read found no such file,
     * to tell a missing bucket from a missing key without a check on every call.
     */
    static boolean bucketExists(Path bucketDir) {
        return Files.isDirectory(bucketDir);
    }

    /** Creates the parent directories of a key's file, refusing when one of them is an object. */
    static void createParents(Operation op, String bucket, String key, Path bucketDir, Path file) {
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            // An ancestor that is a file: "already exists" when it is the parent, "Not a directory" deeper.
            for (Path p = parent; p != null && p.startsWith(bucketDir) && !p.equals(bucketDir); p = p.getParent()) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw StorageException.builder(ErrorKind.CONFLICT, op).bucket(bucket).key(key)
                            .detail("'" + bucketDir.relativize(p) + "' is an object, so no key can continue it"
                                    + " with '/' on a file system").build();
                }
            }
            throw LocalErrors.io(op, bucket, key, e);
        }
    }
}
