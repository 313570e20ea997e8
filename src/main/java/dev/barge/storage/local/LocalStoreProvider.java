package dev.barge.storage.local;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens {@code local} remotes: a directory ({@code root}) whose subdirectories are buckets.
 *
 * <p>Options: {@code multipart-min-part-size} (default 5MB, as S3, so that transfers size their
 * parts the same way everywhere), {@code sync} (default {@code true}: every write is flushed to
 * disk before it becomes visible, so a crash never leaves a torn object) and {@code metadata}
 * ({@code auto}, the default, {@code xattr}, {@code sidecar} or {@code none}: where content type,
 * user metadata, storage class and checksums are kept; see {@link LocalMetadataMode} and
 * {@link LocalMetadataKeeper}).
 */
public final class LocalStoreProvider implements StoreProvider {
    public static final String TYPE = "local";
    static final long DEFAULT_MIN_PART_SIZE = 5L << 20;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectStore open(RemoteConfig config) {
        Path root = config.root();
        if (root == null) {
            throw invalid(config, "a local remote needs root: the directory whose subdirectories are its buckets");
        }
        if (!root.isAbsolute()) {
            root = root.toAbsolutePath();
        }
        if (!Files.isDirectory(root)) {
            throw invalid(config, "root " + root + " is not a directory; create it first");
        }
        long minPartSize = config.longOption("multipart-min-part-size", DEFAULT_MIN_PART_SIZE);
        if (minPartSize < 1) {
            throw invalid(config, "multipart-min-part-size must be at least 1 byte");
        }
        return new LocalObjectStore(root, minPartSize, config.booleanOption("sync", true), metadataMode(config, root));
    }

    private static LocalMetadataMode metadataMode(RemoteConfig config, Path root) {
        String value = config.options().get(LocalMetadataMode.OPTION);
        if (value == null) {
            return LocalMetadataMode.AUTO;
        }
        LocalMetadataMode mode = LocalMetadataMode.parse(value);
        if (mode == null) {
            throw invalid(config, "option " + LocalMetadataMode.OPTION + "=" + value + " must be one of auto (extended"
                    + " attributes where the file system has them, else sidecars), xattr, sidecar or none");
        }
        if (mode == LocalMetadataMode.XATTR && !LocalMetadataKeeper.supportsXattrs(root)) {
            throw invalid(config, "option " + LocalMetadataMode.OPTION + "=xattr, but the file system of root " + root
                    + " keeps no user extended attributes; use metadata: auto or sidecar");
        }
        return mode;
    }

    private static StorageException invalid(RemoteConfig config, String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + config.name() + "': " + detail).build();
    }
}
