package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.KeyOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Walks a bucket directory lazily, yielding keys in ascending UTF-8 byte order.
 *
 * <p>Order: a depth-first walk gives full-key order when each directory's entries are sorted
 * with directory names followed by {@code /}: siblings never contain {@code /}, so comparing
 * {@code "name/"} with a sibling decides the order of every key under {@code name} too. Only one
 * directory's names per level of depth are in memory, never the tree.
 *
 * <p>Each directory is read once, when the walk enters it, as {@code find} and rclone read it: its
 * names, sorted (and its entries' attributes, which serve the page being listed; a later page reads
 * an entry's attributes again as it returns it, so that they are as fresh as the page). A listing
 * that goes on over many pages goes on walking ({@link #peek}, and the store keeps the walk between
 * pages: {@link LocalObjectStore}), so that a
 * flat directory of N files costs one read of it, not one per page: reading it again for every page
 * of a thousand keys made a listing of 100,000 files in one directory cost 10 million stats (2
 * minutes) and one of a million files never end. An entry created in a directory after the walk
 * read it is listed by the next listing, as with a store's listing that began before the write.
 *
 * <p>Pruning: a subdirectory is skipped without being read when none of its keys can start with
 * the prefix, when all of its keys lie at or before the resume bound, or when its keys all roll
 * up into one common prefix (which is then emitted once, if the directory holds an object).
 */
final class LocalListing {

    /** Where a listing resumes: after a key, or after every key starting with a common prefix. */
    record Bound(String value, boolean afterPrefix) {
        static final Bound START = new Bound(null, false);

        boolean admits(String key) {
            if (value == null) {
                return true;
            }
            if (afterPrefix && key.startsWith(value)) {
                return false;
            }
            return KeyOrder.before(value, key);
        }

        /** Whether every key under the directory key {@code dir} (ending in '/') lies at or before the bound. */
        boolean passed(String dir) {
            if (value == null) {
                return false;
            }
            if (afterPrefix && dir.startsWith(value)) {
                return true;
            }
            return !value.startsWith(dir) && KeyOrder.before(dir, value);
        }

        String toToken() {
            String raw = (afterPrefix ? "p" : "k") + value;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /** Decodes a page token; {@code null} if it is not one this driver issued. */
        static Bound fromToken(String token) {
            String raw;
            try {
                raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (raw.length() < 2 || (raw.charAt(0) != 'p' && raw.charAt(0) != 'k')) {
                return null;
            }
            return new Bound(raw.substring(1), raw.charAt(0) == 'p');
        }
    }

    /** One key or common prefix of the listing. */
    record Entry(String key, Path file, BasicFileAttributes attributes, boolean commonPrefix) {}

    private static final Comparator<Named> ORDER = Comparator.comparing(Named::name, KeyOrder.UTF8);

    private final String prefix;
    private final String delimiter;
    private final Bound bound;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private String lastCommonPrefix;
    private Entry peeked;
    /** Whether {@link #peeked} is a file looked at during a page that is done: to be looked at again. */
    private boolean peekedStale;

    /**
     * A directory being walked: its names, sorted ({@link #read}), and the next one to look at. The
     * attributes read with the names serve the page during which they were read, and are dropped
     * after it ({@link #pageDone}): a later page reads an entry's attributes when it returns it.
     */
    private static final class Frame {
        final String dirKey;
        final Path dir;
        final String[] names;
        BasicFileAttributes[] attributes;
        int next;

        Frame(String dirKey, Path dir) {
            this.dirKey = dirKey;
            this.dir = dir;
            List<Named> entries = read(dir);
            this.names = new String[entries.size()];
            this.attributes = new BasicFileAttributes[entries.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = entries.get(i).name();
                attributes[i] = entries.get(i).attributes();
            }
        }
    }

    /** An entry of a directory as it was read: its name ({@code /} after a directory's) and attributes. */
    private record Named(String name, BasicFileAttributes attributes) {}

    LocalListing(Path bucketDir, String prefix, String delimiter, Bound bound) {
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.delimiter = delimiter;
        this.bound = requireNonNull(bound, "bound is null");
        stack.push(new Frame("", bucketDir));
    }

    /**
     * The page being listed is done: the attributes read for it are dropped, so that a walk kept for
     * the next page holds its directories' names only (a directory's attributes are ten times the
     * size of its names), and the next page reads the attributes of what it returns as they are then.
     */
    void pageDone() {
        for (Frame frame : stack) {
            frame.attributes = null;
        }
        peekedStale = peeked != null && !peeked.commonPrefix();
    }

    /** Names of directories this walk holds: one directory's per level of depth. */
    long namesHeld() {
        long held = 0;
        for (Frame frame : stack) {
            held += frame.names.length;
        }
        return held;
    }

    /** The entry {@link #next} returns next, without taking it; {@code null} at the end. */
    Entry peek() {
        if (peekedStale) {
            // the entry that told the last page more follows: as it is now, or the one after it if it is gone
            peekedStale = false;
            BasicFileAttributes now = regularFile(peeked.file());
            peeked = now != null ? new Entry(peeked.key(), peeked.file(), now, false) : null;
        }
        if (peeked == null) {
            peeked = walk();
        }
        return peeked;
    }

    /** The next entry, or {@code null} at the end. */
    Entry next() {
        Entry entry = peek();
        peeked = null;
        return entry;
    }

    private Entry walk() {
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            if (frame.next == frame.names.length) {
                stack.pop();
                continue;
            }
            int at = frame.next++;
            String name = frame.names[at];
            String key = frame.dirKey + name;
            if (name.endsWith("/")) {
                Entry rolledUp = enterDirectory(key, subdirectory(frame.dir, name));
                if (rolledUp != null) {
                    return rolledUp;
                }
            } else if (key.startsWith(prefix) && bound.admits(key)) {
                String commonPrefix = commonPrefixOf(key);
                if (commonPrefix == null) {
                    Path file = frame.dir.resolve(name);
                    BasicFileAttributes attributes = frame.attributes != null ? frame.attributes[at] : regularFile(file);
                    if (attributes != null) {
                        return new Entry(key, file, attributes, false);
                    }
                } else if (!commonPrefix.equals(lastCommonPrefix)) {
                    lastCommonPrefix = commonPrefix;
                    return new Entry(commonPrefix, null, null, true);
                }
            }
        }
        return null;
    }

    /** Descends into a directory, skips it, or returns the common prefix all its keys roll up into. */
    private Entry enterDirectory(String dir, Path path) {
        if (!(dir.startsWith(prefix) || prefix.startsWith(dir)) || bound.passed(dir)) {
            return null;
        }
        if (lastCommonPrefix != null && dir.startsWith(lastCommonPrefix)) {
            return null;
        }
        String commonPrefix = dir.length() > prefix.length() ? commonPrefixOf(dir) : null;
        if (commonPrefix != null) {
            if (!(bound.afterPrefix() && commonPrefix.equals(bound.value())) && holdsAnObject(path)) {
                lastCommonPrefix = commonPrefix;
                return new Entry(commonPrefix, null, null, true);
            }
            return null;
        }
        stack.push(new Frame(dir, path));
        return null;
    }

    /** The common prefix a key (or directory key) under the prefix rolls up into, or {@code null}. */
    private String commonPrefixOf(String key) {
        if (delimiter == null || !key.startsWith(prefix)) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    /** Whether a directory holds at least one object, at any depth. */
    static boolean holdsAnObject(Path dir) {
        for (Named entry : read(dir)) {
            String name = entry.name();
            if (!name.endsWith("/") || holdsAnObject(subdirectory(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** The subdirectory of {@code dir} that {@code name} (ending with {@code /}) names. */
    private static Path subdirectory(Path dir, String name) {
        return dir.resolve(name.substring(0, name.length() - 1));
    }

    /** A file's attributes now, or {@code null} when it is gone or no longer a regular file. */
    private static BasicFileAttributes regularFile(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entries of a directory that can be objects or hold objects, a directory's name followed by
     * {@code /}, sorted so that a depth-first walk yields keys in order. Barge's reserved names,
     * symbolic links and special files are left out. A directory that vanished has no entries.
     */
    private static List<Named> read(Path dir) {
        List<Named> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (LocalPaths.isReserved(name)) {
                    if (StagingFiles.isStaging(name)) {
                        StagingFiles.removeIfStale(path); // what a writer killed before its rename left
                    }
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (attributes.isDirectory()) {
                    entries.add(new Named(name + "/", null));
                } else if (attributes.isRegularFile()) {
                    entries.add(new Named(name, attributes));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(ORDER);
        return entries;
    }
}
