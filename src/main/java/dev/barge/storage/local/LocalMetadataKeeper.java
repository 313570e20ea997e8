package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Operation;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the local driver keeps an object's {@link LocalMetadata}, by the remote's
 * {@link LocalMetadataMode}, and in what order it is written so that an object never becomes
 * visible with another object's metadata.
 *
 * <p><b>Where.</b> In extended attributes of the object's file ({@link LocalXattrs}) when the mode
 * is {@code xattr}, or {@code auto} and the bucket's file store has user attributes
 * ({@link UserDefinedFileAttributeView}); in {@code auto}, an object whose metadata the file system
 * refuses (too large for it) gets a sidecar instead. In a sidecar ({@code dir/.barge.meta/<name>})
 * in {@code sidecar} mode, or {@code auto} without attributes. Nowhere in {@code none} mode.
 *
 * <p><b>When.</b> Whenever the metadata records something ({@link LocalMetadata#empty}), and every
 * object Barge writes has at least the MD5 the write computed (and verified, when the caller gave
 * one), or a multipart etag. The MD5 is kept although it could be computed again from the file:
 * the store claims MD5, so its listings and stats report it, and syncs compare it to skip identical
 * objects, and {@code verify} to confirm them, without reading every file again (without it they
 * fall back to size and time, which miss a changed byte). In attributes this costs two small
 * values on the file's own inode ({@code md5}, {@code stamp}), no second file, no directory and
 * no second fsync; that is what makes the per-object cost of issue 18 go away. A sidecar costs a
 * second file (and, with {@code sync}, a second fsync), which is why it is only the fallback. Only
 * a file Barge did not write, in the STANDARD class, has no metadata (setting such a file back to
 * STANDARD removes its sidecar or attributes rather than writing empty ones).
 *
 * <p><b>Reading and precedence.</b> Attributes whose stamp matches the file win; else a sidecar
 * whose stamp matches (objects written before attributes, or by the fallback, keep their metadata);
 * else the file is described from itself alone. {@code none} reads neither.
 *
 * <p><b>Order.</b> Attributes are set on the staging file before it is flushed and renamed into
 * place, so the object appears with its metadata at once. A sidecar is written (and made durable)
 * before the rename, so the new object is never visible without it: until the rename, the old
 * object's stamp does not match the new sidecar, and to make sure it cannot, a staged file whose
 * stamp would equal the old object's has its modification time moved on. After the rename, a
 * sidecar left from an earlier version is deleted; until then its stamp does not match either.
 */
final class LocalMetadataKeeper {
    private static final int MAX_DIRECTORIES = 1 << 16;
    private final LocalMetadataMode mode;
    private final boolean sync;
    private final Map<Path, Boolean> xattrsByBucket = new ConcurrentHashMap<>();
    /**
     * Directories seen without {@code .barge.meta}, whose files have no sidecar to read or delete: a
     * check per directory instead of a failed open per file. Trusted only until this store writes a
     * sidecar of its own ({@link #sidecarsWritten}); bounded like any cache of paths.
     */
    private final Set<Path> withoutSidecars = ConcurrentHashMap.newKeySet();
    private volatile boolean sidecarsWritten;

    /** Where a staged object's metadata went. */
    enum Placement {
        XATTRS,
        SIDECAR,
        NOWHERE
    }

    LocalMetadataKeeper(LocalMetadataMode mode, boolean sync) {
        this.mode = requireNonNull(mode, "mode is null");
        this.sync = sync;
    }

    LocalMetadataMode mode() {
        return mode;
    }

    /** Whether the file store of a directory keeps user extended attributes. */
    static boolean supportsXattrs(Path dir) {
        try {
            return Files.getFileStore(dir).supportsFileAttributeView(UserDefinedFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The metadata of a file as it is now, or {@code null} when it has none that matches.
     *
     * @param withHeaders whether the content type and user metadata are wanted (a listing has no use
     *     for them; a sidecar holds them anyway)
     */
    LocalMetadata read(Path bucketDir, Path file, BasicFileAttributes now, boolean withHeaders) {
        if (mode == LocalMetadataMode.NONE) {
            return null;
        }
        LocalMetadata fromXattrs = readsXattrs(bucketDir) ? validXattrs(file, now, withHeaders) : null;
        return fromXattrs != null ? fromXattrs : validSidecar(file, now);
    }

    /**
     * Records the metadata of a filled staging file, before it is flushed and renamed onto
     * {@code file}: in its attributes, or in the sidecar of {@code file} (written now, durably), or
     * nowhere. Call {@link #placed} after the rename.
     */
    Placement stage(Operation op, String bucket, String key, Path bucketDir, Path temp, Path file, String etag,
            String md5, LocalAttributes attributes) throws IOException {
        if (mode == LocalMetadataMode.NONE) {
            return Placement.NOWHERE;
        }
        LocalMetadata meta = LocalMetadata.describing(attributesOf(temp), etag, md5, attributes);
        if (writesXattrs(bucketDir)) {
            try {
                LocalXattrs.write(temp, meta);
                return Placement.XATTRS;
            } catch (IOException e) {
                removeXattrsQuietly(temp);
                if (mode == LocalMetadataMode.XATTR) {
                    throw refused(op, bucket, key, e);
                }
            }
        }
        meta = distinctFromCurrent(temp, file, meta);
        if (meta.empty()) {
            return Placement.NOWHERE;
        }
        writeSidecar(op, bucket, key, file, meta);
        return Placement.SIDECAR;
    }

    /** After a staged object was renamed onto {@code file}: a sidecar of an earlier version goes. */
    void placed(Path file, Placement placement) {
        if (placement != Placement.SIDECAR) {
            deleteSidecar(file);
        }
    }

    /** Changes the storage class recorded for an existing file, keeping the rest of its metadata. */
    void changeStorageClass(Operation op, String bucket, String key, Path bucketDir, Path file,
            BasicFileAttributes now, StorageClass storageClass) {
        try {
            LocalMetadata fromXattrs = readsXattrs(bucketDir) ? validXattrs(file, now, true) : null;
            if (fromXattrs != null && writesXattrs(bucketDir)) {
                LocalXattrs.writeStorageClass(file, storageClass); // one attribute: atomic
                flush(file);
                return;
            }
            LocalMetadata current = fromXattrs != null ? fromXattrs : validSidecar(file, now);
            // a file Barge did not write is not read to hash it: it keeps no etag and no MD5
            LocalMetadata changed = current != null
                    ? current.withAttributes(current.attributes().withStorageClass(storageClass))
                    : LocalMetadata.describing(now, null, null, LocalAttributes.NONE.withStorageClass(storageClass));
            if (writesXattrs(bucketDir)) {
                try {
                    LocalXattrs.removeAll(file); // leftovers whose stamp no longer matched
                    if (!changed.empty()) {
                        LocalXattrs.write(file, changed); // the stamp last: until then the sidecar, if any, counts
                    }
                    flush(file);
                    deleteSidecar(file);
                    return;
                } catch (IOException e) {
                    removeXattrsQuietly(file);
                    if (mode == LocalMetadataMode.XATTR) {
                        throw refused(op, bucket, key, e);
                    }
                }
            }
            if (changed.empty()) {
                deleteSidecar(file);
            } else {
                writeSidecar(op, bucket, key, file, changed);
            }
            if (fromXattrs != null) {
                LocalXattrs.removeAll(file); // the stamp first: from then on the sidecar counts
                flush(file);
            }
        } catch (IOException e) {
            throw LocalErrors.io(op, bucket, key, e);
        }
    }

    private boolean readsXattrs(Path bucketDir) {
        return mode == LocalMetadataMode.XATTR || xattrsByBucket.computeIfAbsent(bucketDir, LocalMetadataKeeper::supportsXattrs);
    }

    private boolean writesXattrs(Path bucketDir) {
        return mode == LocalMetadataMode.XATTR || (mode == LocalMetadataMode.AUTO && readsXattrs(bucketDir));
    }

    private static LocalMetadata validXattrs(Path file, BasicFileAttributes now, boolean withHeaders) {
        try {
            LocalMetadata meta = LocalXattrs.read(file, withHeaders);
            return meta != null && meta.matches(now) ? meta : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or not Barge's: the object is described from the file alone
        }
    }

    /**
     * Deletes the sidecar of a file, if any, and {@code .barge.meta} once it is empty. Best effort: a
     * sidecar left behind no longer matches its file, and valid attributes win over it anyway.
     */
    private void deleteSidecar(Path file) {
        if (!maySidecar(file)) {
            return;
        }
        Path sidecar = LocalPaths.sidecar(file);
        try {
            if (Files.deleteIfExists(sidecar)) {
                Files.deleteIfExists(sidecar.getParent());
            }
        } catch (IOException e) {
            // not empty, or not ours to delete
        }
    }

    private LocalMetadata validSidecar(Path file, BasicFileAttributes now) {
        if (!maySidecar(file)) {
            return null;
        }
        LocalMetadata meta = LocalMetadata.read(LocalPaths.sidecar(file));
        return meta != null && meta.matches(now) ? meta : null;
    }

    /**
     * The staged metadata, with the staging file's modification time moved on if its stamp would
     * otherwise equal that of the object it replaces: a sidecar must never match the wrong version.
     */
    private static LocalMetadata distinctFromCurrent(Path temp, Path file, LocalMetadata meta) throws IOException {
        BasicFileAttributes current;
        try {
            current = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return meta;
        }
        // 1 ms; then 2 s, for file systems that keep coarse times (FAT)
        for (long step : new long[] {1_000_000L, 2_000_000_000L}) {
            if (!meta.matches(current)) {
                break;
            }
            Files.setLastModifiedTime(temp, FileTime.from(meta.modifiedNanos() + step, TimeUnit.NANOSECONDS));
            meta = LocalMetadata.describing(attributesOf(temp), meta.etag(), meta.md5(), meta.attributes());
        }
        return meta;
    }

    /**
     * Whether {@code file} may have a sidecar: false once its directory was seen without
     * {@code .barge.meta}, as long as this store has written no sidecar since it started.
     */
    private boolean maySidecar(Path file) {
        if (mode == LocalMetadataMode.SIDECAR || sidecarsWritten) {
            return true;
        }
        Path dir = file.getParent();
        if (withoutSidecars.contains(dir)) {
            return false;
        }
        if (Files.exists(dir.resolve(LocalPaths.METADATA_DIR), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (withoutSidecars.size() >= MAX_DIRECTORIES) {
            withoutSidecars.clear();
        }
        withoutSidecars.add(dir);
        return false;
    }

    private void writeSidecar(Operation op, String bucket, String key, Path file, LocalMetadata meta) {
        sidecarsWritten = true; // before the sidecar exists: from now on every file's sidecar is looked for
        Path sidecar = LocalPaths.sidecar(file);
        Path temp = null;
        try {
            FileChannel channel = null;
            for (int attempt = 1; channel == null; attempt++) {
                Files.createDirectories(sidecar.getParent());
                temp = StagingFiles.nextTo(sidecar);
                try {
                    channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (NoSuchFileException e) {
                    temp = null;
                    if (attempt == 3) { // a concurrent delete keeps removing the emptied directory
                        throw e;
                    }
                }
            }
            try (FileChannel out = channel) {
                out.write(ByteBuffer.wrap(meta.serialize().getBytes(StandardCharsets.UTF_8)));
                if (sync) {
                    out.force(true);
                }
            }
            Files.move(temp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            if (sync) {
                try (FileChannel dir = FileChannel.open(sidecar.getParent(), StandardOpenOption.READ)) {
                    dir.force(true);
                }
            }
        } catch (IOException e) {
            throw LocalErrors.io(op, bucket, key, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary name is reserved and never listed
                }
            }
        }
    }

    /** Makes a changed file's attributes durable, when this store syncs (a file may be read-only). */
    private void flush(Path file) throws IOException {
        if (sync) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    private static BasicFileAttributes attributesOf(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void removeXattrsQuietly(Path file) {
        try {
            LocalXattrs.removeAll(file);
        } catch (IOException | RuntimeException e) {
            // without a stamp, whatever is left does not count
        }
    }

    private static StorageException refused(Operation op, String bucket, String key, IOException e) {
        return StorageException.invalidArgument(op, bucket, key, "the file system refused the object's metadata as"
                + " extended attributes (" + e.getMessage() + "), and with options.metadata: xattr nothing else may"
                + " keep it; use metadata: auto to fall back to a sidecar for such objects; nothing was written");
    }
}
