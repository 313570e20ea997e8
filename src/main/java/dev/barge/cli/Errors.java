package dev.barge.cli;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.StorageException;

/** How failures become exit codes and one-line messages. */
final class Errors {
    private Errors() {}

    /** The exit code of a storage failure: the user's to fix (2), or the work's (1). */
    static int exitCode(StorageException e) {
        return switch (e.kind()) {
            case INVALID_ARGUMENT, BUCKET_NOT_FOUND, ACCESS_DENIED, INVALID_CREDENTIALS, UNSUPPORTED -> ExitCode.USAGE;
            default -> ExitCode.FAILED;
        };
    }

    /** A storage failure as one line: a bad input's own explanation, else the full message. */
    static String message(StorageException e) {
        return e.userMessage();
    }

    /** The first {@link StorageException} in a cause chain, or {@code null}. */
    static StorageException storageCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * The message that says what went wrong: a {@link StorageException}'s (Barge's own messages
     * name the setting to fix), else the innermost cause's.
     */
    static String rootMessage(Throwable e) {
        StorageException storage = storageCause(e);
        if (storage != null) {
            return message(storage);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message != null ? message : root.getClass().getSimpleName();
    }

    static boolean isKind(Throwable e, ErrorKind kind) {
        StorageException s = storageCause(e);
        return s != null && s.kind() == kind;
    }
}
