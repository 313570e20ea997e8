package dev.barge.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories and files for what a JUnit {@code @TempDir} cannot serve: the static
 * settings of a Spring test context ({@code @DynamicPropertySource}), which outlive any one test,
 * and the files of processes a test starts. Each is deleted, with all it holds, when the test JVM
 * ends, so that test runs leave nothing behind in the temporary directory.
 */
public final class TempDirs {
    private TempDirs() {}

    /** A new directory whose name starts with {@code prefix}, deleted when the JVM ends. */
    public static Path create(String prefix) {
        try {
            return deletedAtExit(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty file named {@code prefix<random>suffix}, deleted when the JVM ends. */
    public static Path file(String prefix, String suffix) {
        try {
            return deletedAtExit(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path deletedAtExit(Path path) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(path), "delete " + path));
        return path;
    }

    private static void deleteQuietly(Path path) {
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // the JVM is ending; what cannot be deleted now is the system's to clean
        }
    }
}
