package dev.barge.storage.local;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Maps file-system failures onto {@link ErrorKind}s, in one place. */
final class LocalErrors {
    private LocalErrors() {}

    static StorageException io(Operation op, String bucket, String key, IOException e) {
        ErrorKind kind;
        if (e instanceof AccessDeniedException) {
            kind = ErrorKind.ACCESS_DENIED;
        } else if (e instanceof NoSuchFileException) {
            kind = ErrorKind.NOT_FOUND;
        } else if (reason(e).contains("No space left")) {
            kind = ErrorKind.PERMANENT;
        } else if (reason(e).contains("File name too long")) {
            return StorageException.builder(ErrorKind.INVALID_ARGUMENT, op).bucket(bucket).key(key)
                    .detail("the key is too long for the local file system (at most 255 bytes per path segment):"
                            + " " + e.getMessage()).cause(e).build();
        } else {
            kind = ErrorKind.TRANSIENT;
        }
        return StorageException.builder(kind, op).bucket(bucket).key(key)
                .detail(e.getClass().getSimpleName() + ": " + e.getMessage()).cause(e).build();
    }

    /** The operating system's reason for a file-system failure, or "". */
    private static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason() : "";
    }

    static StorageException notFound(Operation op, String bucket, String key) {
        return StorageException.builder(ErrorKind.NOT_FOUND, op).bucket(bucket).key(key).detail("no such object").build();
    }
}
