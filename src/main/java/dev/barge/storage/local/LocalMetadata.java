package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What Barge records about an object file: its etag and MD5 and its {@link LocalAttributes}. The
 * etag is the MD5, except for an object completed from multipart parts, which gets an S3-style etag
 * and no MD5; both are {@code null} for a file that Barge did not write, whose metadata only holds
 * attributes. It also records the size and modification time of the data it describes (the stamp);
 * metadata whose file has since been changed by another program no longer matches and is ignored,
 * so a stale checksum is never reported.
 *
 * <p>It lives in extended attributes of the file ({@link LocalXattrs}) or in a sidecar,
 * {@code dir/.barge.meta/<name>}, read and written here; {@link LocalMetadataKeeper} decides which.
 */
record LocalMetadata(String etag, String md5, long size, long modifiedNanos, LocalAttributes attributes) {

    LocalMetadata {
        requireNonNull(attributes, "attributes is null");
        if (etag == null) {
            etag = md5;
        }
    }

    /** The metadata for a file as it is now. */
    static LocalMetadata describing(BasicFileAttributes file, String etag, String md5, LocalAttributes attributes) {
        return new LocalMetadata(etag, md5, file.size(), file.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes);
    }

    /** Whether this describes the file as it is now. */
    boolean matches(BasicFileAttributes file) {
        return file.size() == size && file.lastModifiedTime().to(TimeUnit.NANOSECONDS) == modifiedNanos;
    }

    /**
     * Whether this records nothing the file does not: no etag or MD5, no content type, no user
     * metadata, the STANDARD class. Such metadata is not written anywhere.
     */
    boolean empty() {
        return etag == null && md5 == null && attributes.equals(LocalAttributes.NONE);
    }

    LocalMetadata withAttributes(LocalAttributes newAttributes) {
        return new LocalMetadata(etag, md5, size, modifiedNanos, newAttributes);
    }

    /** Reads a sidecar; {@code null} if there is none or it cannot be understood. */
    static LocalMetadata read(Path sidecar) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
            p.load(reader);
            return new LocalMetadata(p.getProperty("etag"), p.getProperty("md5"), Long.parseLong(p.getProperty("size")),
                    Long.parseLong(p.getProperty("modified-nanos")), LocalAttributes.readFrom(p));
        } catch (IOException | RuntimeException e) {
            return null; // missing or unreadable: the object is described from the file alone
        }
    }

    /** The sidecar's text. */
    String serialize() {
        Properties p = new Properties();
        if (md5 != null) {
            p.setProperty("md5", md5);
        }
        if (etag != null && !etag.equals(md5)) {
            p.setProperty("etag", etag);
        }
        p.setProperty("size", Long.toString(size));
        p.setProperty("modified-nanos", Long.toString(modifiedNanos));
        attributes.writeTo(p);
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
