package dev.barge.storage.local;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Maps file-system failures onto {@link ErrorKind}s, in one place. */
final class LocalErrors {
    private LocalErrors() {}

    static StorageException io(Operation op, String bucket, String key, IOException e) {
        ErrorKind kind;
        String reason = reason(e);
        if (e instanceof AccessDeniedException || reason.contains("Operation not permitted")
                || reason.contains("Read-only file system")) {
            // EACCES, and EPERM or EROFS (an immutable directory, a read-only mount): no retry changes them
            return StorageException.builder(ErrorKind.ACCESS_DENIED, op).bucket(bucket).key(key)
                    .detail(denied(e)).cause(e).build();
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

    /**
     * A refusal by the file system, naming the file (or, for Barge's own temporary file, the directory it
     * was written in), the system's reason and what to do.
     */
    private static String denied(IOException e) {
        String where = e.getMessage();
        String reason = reason(e).isEmpty() ? "Permission denied" : reason(e);
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            Path file = Path.of(fse.getFile());
            boolean ours = file.getFileName() != null && file.getFileName().toString().startsWith(".barge.");
            where = ours && file.getParent() != null ? "directory " + file.getParent() : file.toString();
        }
        return where + ": " + reason + "; give this user the right to it (its permissions, chattr -i, a writable"
                + " mount), or choose another location";
    }

    /** The operating system's reason for a file-system failure, or "". */
    private static String reason(IOException e) {
        return e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : "";
    }

    static StorageException notFound(Operation op, String bucket, String key) {
        return StorageException.builder(ErrorKind.NOT_FOUND, op).bucket(bucket).key(key).detail("no such object").build();
    }
}
