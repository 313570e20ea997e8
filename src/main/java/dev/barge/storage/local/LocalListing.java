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
import java.util.Iterator;
import java.util.List;

/**
 * Walks a bucket directory lazily, yielding keys in ascending UTF-8 byte order.
 *
 * <p>Order: a depth-first walk gives full-key order when each directory's entries are sorted
 * with directory names followed by {@code /}: siblings never contain {@code /}, so comparing
 * {@code "name/"} with a sibling decides the order of every key under {@code name} too. Only one
 * directory's entries per level of depth are in memory, never the tree.
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

    private record DirEntry(String name, Path path, BasicFileAttributes attributes, boolean directory, String sortKey) {}

    private static final Comparator<DirEntry> ORDER = Comparator.comparing(DirEntry::sortKey, KeyOrder.UTF8);

    private final String prefix;
    private final String delimiter;
    private final Bound bound;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private String lastCommonPrefix;

    private record Frame(String dirKey, Iterator<DirEntry> entries) {}

    LocalListing(Path bucketDir, String prefix, String delimiter, Bound bound) {
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.delimiter = delimiter;
        this.bound = requireNonNull(bound, "bound is null");
        stack.push(new Frame("", sortedEntries(bucketDir).iterator()));
    }

    /** The next entry, or {@code null} at the end. */
    Entry next() {
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            if (!frame.entries().hasNext()) {
                stack.pop();
                continue;
            }
            DirEntry e = frame.entries().next();
            String key = frame.dirKey() + e.name();
            if (e.directory()) {
                Entry rolledUp = enterDirectory(key + "/", e.path());
                if (rolledUp != null) {
                    return rolledUp;
                }
            } else if (key.startsWith(prefix) && bound.admits(key)) {
                String commonPrefix = commonPrefixOf(key);
                if (commonPrefix == null) {
                    return new Entry(key, e.path(), e.attributes(), false);
                }
                if (!commonPrefix.equals(lastCommonPrefix)) {
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
        stack.push(new Frame(dir, sortedEntries(path).iterator()));
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
        for (DirEntry e : sortedEntries(dir)) {
            if (!e.directory() || holdsAnObject(e.path())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The entries of a directory that can be objects or hold objects, sorted so that a
     * depth-first walk yields keys in order. Barge's reserved names, symbolic links and special
     * files are left out. A directory that vanished has no entries.
     */
    private static List<DirEntry> sortedEntries(Path dir) {
        List<DirEntry> entries = new ArrayList<>();
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
                    entries.add(new DirEntry(name, path, attributes, true, name + "/"));
                } else if (attributes.isRegularFile()) {
                    entries.add(new DirEntry(name, path, attributes, false, name));
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
