package dev.barge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Makes the log file ({@code logging.file.name}, {@code $BARGE_HOME/barge.log}) readable by its owner
 * only (0600), before logging opens it: it names remotes, buckets and keys, which are nobody else's
 * business. Runs once the environment is prepared and just before Spring Boot's logging starts. Where
 * the file system has no POSIX permissions, nothing changes.
 */
final class PrivateLogFile implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String name = event.getEnvironment().getProperty("logging.file.name");
        if (name == null || name.isBlank()) {
            return;
        }
        protect(Path.of(name));
    }

    /**
     * Makes {@code file} owner-only (0600), creating it if needed, and creates its missing parent
     * directories owner-only (0700). Logback rotates the log ({@code barge.log.<date>.<n>.gz} at 10 MB)
     * with {@link PrivateRollingPolicy}, which keeps the archives and the next log 0600 too. A directory
     * that already exists keeps its permissions: it is the user's.
     */
    static void protect(Path file) {
        try {
            if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
                try {
                    createPrivateDirectories(file.getParent().toAbsolutePath());
                } catch (UnsupportedOperationException noPosix) {
                    Files.createDirectories(file.getParent());
                }
            }
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            } else {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // logging reports a file it cannot write; permissions are not worth a failed start
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
            createPrivateDirectories(dir.getParent());
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER - 1;
    }
}
