package dev.barge.storage.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The staging files a write fills beside its object before renaming it into place
 * ({@code .barge.tmp.<boot>-<pid>.<uuid>}), and the ones a writer killed before its rename leaves
 * behind. The name says which machine boot and which process wrote it, so that a listing can tell
 * a stale file from one a live writer is filling, and remove it:
 *
 * <ul>
 *   <li>this machine's boot, a process that no longer runs, and unmodified for
 *       {@link #DEAD_WRITER_AGE}: stale (the age guards against a writer in another PID namespace,
 *       a container sharing the directory, whose process this one cannot see);</li>
 *   <li>another boot (a reboot since, or another machine sharing the directory), or a name without
 *       a writer (written by an older Barge): stale once unmodified for {@link #UNKNOWN_WRITER_AGE}.</li>
 * </ul>
 *
 * Only files with the reserved prefix are ever removed: keys cannot start with it. The same
 * rules, through {@link #isAbandoned}, tell a multipart upload a killed process left in
 * {@code .barge.uploads/} ({@link LocalUpload#removeAbandoned}).
 */
final class StagingFiles {
    static final Duration DEAD_WRITER_AGE = Duration.ofMinutes(10);
    static final Duration UNKNOWN_WRITER_AGE = Duration.ofDays(1);

    private static final Pattern WRITER = Pattern.compile("([0-9a-f]{8})-([0-9]+)");
    private static final Pattern NAMED_WRITER = Pattern.compile("(" + WRITER.pattern() + ")\\..*");
    private static final String BOOT = bootId();
    private static final String THIS_WRITER = BOOT + "-" + ProcessHandle.current().pid();

    private StagingFiles() {}

    /**
     * A fresh staging file name beside {@code target}, invisible to listings: 128 random bits from
     * the thread's own generator (a {@code UUID.randomUUID()} draws on the shared SecureRandom, a
     * lock and a read of {@code /dev/urandom} per object). Unique enough: a staging file is created
     * with {@code CREATE_NEW}, so a clash fails and is retried with another name, never shared.
     */
    static Path nextTo(Path target) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return target.resolveSibling(LocalPaths.TEMP_PREFIX + THIS_WRITER + "." + new UUID(random.nextLong(),
                random.nextLong()));
    }

    /** Whether {@code name} is a staging file's. */
    static boolean isStaging(String name) {
        return name.startsWith(LocalPaths.TEMP_PREFIX);
    }

    /** This process's writer tag, {@code <boot>-<pid>}: what staging names and upload descriptors carry. */
    static String writer() {
        return THIS_WRITER;
    }

    /** Whether the staging file {@code name}, last modified at {@code modified}, is one no writer will finish. */
    static boolean isStale(String name, Instant modified, Instant now) {
        Matcher m = NAMED_WRITER.matcher(name.substring(LocalPaths.TEMP_PREFIX.length()));
        return isAbandoned(m.matches() ? m.group(1) : null, modified, now);
    }

    /**
     * Whether work tagged with {@code writer} (a {@link #writer()} tag, or {@code null} when it has
     * none), last modified at {@code modified}, is work no writer will finish, by the rules above.
     */
    static boolean isAbandoned(String writer, Instant modified, Instant now) {
        Duration age = Duration.between(modified, now);
        Matcher m = writer == null ? null : WRITER.matcher(writer);
        if (m != null && m.matches() && m.group(1).equals(BOOT)) {
            long pid = Long.parseLong(m.group(2));
            boolean running = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return !running && age.compareTo(DEAD_WRITER_AGE) >= 0;
        }
        return age.compareTo(UNKNOWN_WRITER_AGE) >= 0;
    }

    /** Removes the staging file at {@code path} if it is stale; quietly, as a listing's side task. */
    static void removeIfStale(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile()
                    && isStale(path.getFileName().toString(), attributes.lastModifiedTime().toInstant(), Instant.now())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or not ours to remove: the listing goes on without it either way
        }
    }

    /**
     * Eight hex digits of this boot of this machine (Linux's boot id), or of this process's start
     * where there is none: then every staging file of another process counts as another boot's.
     */
    private static String bootId() {
        try {
            String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
            return id.replace("-", "").substring(0, 8).toLowerCase(java.util.Locale.ROOT);
        } catch (IOException | RuntimeException e) {
            return String.format("%08x", (int) (ProcessHandle.current().pid() * 31 + System.nanoTime()));
        }
    }
}
