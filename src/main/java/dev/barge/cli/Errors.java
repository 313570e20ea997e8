package dev.barge.cli;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Location;
import dev.barge.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ParseResult;

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

    /**
     * A storage failure as one line: a bad input's own explanation, else the full message. A refusal the
     * store sent (it has the vendor's code) is given in full, so that it names the request and the object.
     */
    static String message(StorageException e) {
        return e.kind() == ErrorKind.INVALID_ARGUMENT && e.vendorCode() != null ? e.getMessage() : e.userMessage();
    }

    /**
     * A storage failure as one line that names the remote it came from, as the command line named
     * it, and what to do: for a missing bucket how to create it, for rejected credentials and denied
     * requests which settings to check, for a store that could not be reached its endpoint.
     *
     * @param remote the remote the failed request went to, or {@code null} when not known (the
     *     message is then {@link #message(StorageException)})
     */
    static String message(StorageException e, String remote) {
        if (remote == null || remote.equals("file")) {
            return message(e); // a local path: the message names it
        }
        String message = message(e);
        String named = "remote '" + remote + "'";
        return switch (e.kind()) {
            case BUCKET_NOT_FOUND -> e.bucket() == null ? named + ": " + message
                    : "bucket '" + e.bucket() + "' does not exist on " + named + ": create it with 'barge mb " + remote
                            + ":" + e.bucket() + "', or check the name (" + message + ")";
            case INVALID_CREDENTIALS -> message.contains(named) ? message
                    : named + " rejects its credentials: " + message + (message.contains("secret-access-key") ? ""
                            : "; check access-key-id and secret-access-key of " + named);
            case ACCESS_DENIED -> named + " denies the request: " + message + "; grant its credentials that"
                    + " permission, or use other credentials";
            default -> {
                String prefixed = message.contains(named) ? message : named + ": " + message;
                yield e.isConnectFailure() && !message.contains("check ") ? prefixed + "; check endpoint of " + named
                        + " and that this machine can reach it (network, proxy, firewall)" : prefixed;
            }
        };
    }

    /**
     * The remote a failure of the command {@code parsed} came from: of the locations among its
     * arguments, the one in the failed request's bucket, else the first; {@code null} when it has none.
     */
    static String remote(StorageException e, ParseResult parsed) {
        ParseResult command = parsed;
        while (command.subcommand() != null) {
            command = command.subcommand();
        }
        List<Location> locations = new ArrayList<>();
        for (var positional : command.matchedPositionals()) {
            for (String value : positional.stringValues()) {
                if (value.contains(":")) {
                    try {
                        locations.add(Location.parse(value));
                    } catch (RuntimeException notALocation) {
                        // a file name or "-": no remote
                    }
                }
            }
        }
        for (Location location : locations) {
            if (location.hasBucket() && location.bucket().equals(e.bucket())) {
                return location.remote();
            }
        }
        return locations.isEmpty() ? null : locations.get(0).remote();
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
