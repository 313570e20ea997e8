package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageClass;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What Barge keeps beside an object file, in {@code dir/.barge.meta/<name>}: the MD5, content
 * type, user metadata and storage class. The sidecar also records the size and modification time
 * of the data it describes; a sidecar whose file has since been changed by another program no
 * longer matches and is ignored, so a stale checksum is never reported.
 */
record LocalMetadata(
        String md5,
        long size,
        long modifiedNanos,
        String contentType,
        Map<String, String> userMetadata,
        StorageClass storageClass) {

    LocalMetadata {
        requireNonNull(md5, "md5 is null");
        requireNonNull(storageClass, "storageClass is null");
        userMetadata = Map.copyOf(requireNonNull(userMetadata, "userMetadata is null"));
    }

    /** Whether this sidecar describes the file as it is now. */
    boolean matches(BasicFileAttributes attributes) {
        return attributes.size() == size && attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) == modifiedNanos;
    }

    LocalMetadata describing(BasicFileAttributes attributes) {
        return new LocalMetadata(md5, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                contentType, userMetadata, storageClass);
    }

    LocalMetadata withStorageClass(StorageClass newStorageClass) {
        return new LocalMetadata(md5, size, modifiedNanos, contentType, userMetadata, newStorageClass);
    }

    /** Reads a sidecar; {@code null} if there is none or it cannot be understood. */
    static LocalMetadata read(Path sidecar) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        try {
            Map<String, String> user = new TreeMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith("meta.")) {
                    user.put(name.substring("meta.".length()), p.getProperty(name));
                }
            }
            StorageClass storageClass = new StorageClass(
                    StorageClass.Family.valueOf(p.getProperty("storage-class", "STANDARD")),
                    p.getProperty("storage-class-name"));
            return new LocalMetadata(p.getProperty("md5"), Long.parseLong(p.getProperty("size")),
                    Long.parseLong(p.getProperty("modified-nanos")), p.getProperty("content-type"), user, storageClass);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The sidecar's text. */
    String serialize() {
        Properties p = new Properties();
        p.setProperty("md5", md5);
        p.setProperty("size", Long.toString(size));
        p.setProperty("modified-nanos", Long.toString(modifiedNanos));
        if (contentType != null) {
            p.setProperty("content-type", contentType);
        }
        p.setProperty("storage-class", storageClass.family().name());
        if (storageClass.vendorName() != null) {
            p.setProperty("storage-class-name", storageClass.vendorName());
        }
        userMetadata.forEach((name, value) -> p.setProperty("meta." + name, value));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
