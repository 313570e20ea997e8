package dev.barge.storage.s3;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The S3 server of the build's start-up training (pom.xml, antrun {@code start-up-training}): S3Proxy
 * on a free port over a directory, so that the class archives the training records hold the S3
 * driver's and the AWS SDK's classes too (about 2,300 classes, 0.5-0.9 s of every S3 command's start
 * when they are loaded from the jar). Not part of Barge: it runs from the test classes, at build time.
 *
 * <p>Usage: {@code TrainingS3 DIRECTORY REMOTES_FILE STOP_FILE}. Serves the subdirectories of
 * {@code DIRECTORY} as buckets, writes a remotes file with one remote, {@code training}, on it, and
 * stops once {@code STOP_FILE} exists (or its directory is gone, or after ten minutes), deleting the
 * remotes file last: the build waits for that before it removes the directory.
 */
public final class TrainingS3 {
    private static final Duration MAX_LIFE = Duration.ofMinutes(10);

    private TrainingS3() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TrainingS3 DIRECTORY REMOTES_FILE STOP_FILE");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        Path remotes = Path.of(args[1]);
        Path stop = Path.of(args[2]);
        try (S3ProxyServer server = S3ProxyServer.onDisk(directory)) {
            Path written = remotes.resolveSibling(remotes.getFileName() + ".tmp");
            Files.writeString(written, """
                    training:
                      type: s3
                      endpoint: %s
                      region: us-east-1
                      path-style: true
                      access-key-id: %s
                      secret-access-key: %s
                    """.formatted(server.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY),
                    StandardCharsets.UTF_8);
            Files.move(written, remotes); // whole, or not there: the build waits for it
            long deadline = System.nanoTime() + MAX_LIFE.toNanos();
            while (!Files.exists(stop) && Files.isDirectory(stop.getParent()) && System.nanoTime() < deadline) {
                Thread.sleep(50); // a build helper polling for its stop file, not a test
            }
        } finally {
            Files.deleteIfExists(remotes);
        }
    }
}
