package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Location;
import java.nio.file.Path;

/**
 * What one side of {@code barge cp} names: {@code -} (standard input or output), a file on this
 * machine, or an object (a location). Text is a location when it has a remote or a scheme before a
 * colon ({@code prod:photos/a.jpg}, {@code s3://photos/a.jpg}, {@code file:///data/a.jpg}); anything
 * else is a local path. A local path with a colon in its first segment is written {@code ./a:b}.
 */
sealed interface CopyEndpoint {

    /** How this side is named on the command line, for messages. */
    String text();

    /** Standard input (as a source) or standard output (as a target). */
    record Stdio() implements CopyEndpoint {
        @Override
        public String text() {
            return "-";
        }
    }

    /**
     * A file on this machine.
     *
     * @param path the path as given
     * @param namesDirectory whether it was written with a trailing separator, as a directory
     */
    record LocalFile(Path path, boolean namesDirectory, String text) implements CopyEndpoint {
        public LocalFile {
            requireNonNull(path, "path is null");
            requireNonNull(text, "text is null");
        }
    }

    /** An object, or a prefix (a key ending in {@code /}) or bucket the object's name goes under. */
    record StoredObject(Location location, String text) implements CopyEndpoint {
        public StoredObject {
            requireNonNull(location, "location is null");
            requireNonNull(text, "text is null");
        }

        /** Whether the location names where an object goes rather than one key: a bucket or a prefix. */
        boolean namesPrefix() {
            return location.path().isEmpty() || location.path().endsWith("/");
        }
    }

    static CopyEndpoint parse(String text) {
        requireNonNull(text, "text is null");
        if (text.equals("-")) {
            return new Stdio();
        }
        if (text.isEmpty()) {
            throw CliError.usage("an empty argument names neither a file nor an object");
        }
        if (text.matches("[A-Za-z][A-Za-z0-9+.-]*://.*") || text.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*:.*")) {
            Location location = Location.parse(text);
            if (!location.hasBucket()) {
                throw CliError.usage("'" + text + "' names a remote but no bucket: give remote:bucket/key");
            }
            return new StoredObject(location, text);
        }
        return new LocalFile(Path.of(text), text.endsWith("/"), text);
    }
}
