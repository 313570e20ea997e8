package dev.barge.storage.local;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a file's stat says of which content it holds: size, modification and status-change times,
 * and the file it is (device and inode). A write to the file moves its times, a rename over it
 * changes the file: if any of these differ between the open of a read and its last byte, the bytes
 * read may come from two versions, and the read must not be taken for either.
 *
 * <p>The status-change time ({@code ctime}) moves on every write and cannot be set back the way
 * {@code touch -r} sets back the modification time; it is read where the platform has a
 * {@code unix} attribute view (Linux, macOS), and left out elsewhere.
 */
record FileVersion(Map<String, Object> attributes) {
    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final String NAMES = UNIX ? "unix:size,lastModifiedTime,ctime,fileKey"
            : "basic:size,lastModifiedTime,fileKey";

    /** The file's version now, read with one stat; a symbolic link is not followed. */
    static FileVersion of(Path file) throws IOException {
        return new FileVersion(Map.copyOf(Files.readAttributes(file, NAMES, LinkOption.NOFOLLOW_LINKS)
                .entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    /**
     * Fails with an {@link IOException} naming the file when it is no longer at this version (or is
     * gone): what was read from it since may be torn.
     */
    void checkUnchanged(Path file) throws IOException {
        FileVersion now;
        try {
            now = of(file);
        } catch (IOException e) {
            throw new IOException(file + " was removed or replaced while it was being read; read it again", e);
        }
        if (!Objects.equals(attributes, now.attributes)) {
            throw new IOException(file + " changed while it was being read (size " + attributes.get("size") + " -> "
                    + now.attributes.get("size") + ", modified " + attributes.get("lastModifiedTime") + " -> "
                    + now.attributes.get("lastModifiedTime") + "); what was read may mix two versions: read it again");
        }
    }
}
