package dev.barge.storage.local;

import dev.barge.storage.StorageClass;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link LocalMetadata} as one extended attribute of the object's own file, {@code user.barge}
 * ({@code getfattr -n user.barge FILE} shows it): form-encoded {@code name=value} pairs, UTF-8:
 * <ul>
 *   <li>{@code stamp}: {@code <size>:<modification time in ns>} of the data described; metadata whose
 *       stamp no longer matches the file (another program changed it in place) is ignored;
 *   <li>{@code md5}, and {@code etag} when the etag is not the MD5 (multipart);
 *   <li>{@code ct}: the content type;
 *   <li>{@code sc}: the storage class, its family, then {@code :} and the vendor's name if any;
 *       absent for STANDARD;
 *   <li>{@code meta}: the user metadata, form-encoded in turn.
 * </ul>
 * One attribute, written in one call, so that a write (or a change of class) replaces all of it
 * at once, and a read is one call after the list. Files written by Barge before this form carry
 * one attribute per field ({@code user.barge.stamp}, {@code user.barge.md5}, ...); those are
 * read as they are, and replaced by the one attribute at the next change.
 */
final class LocalXattrs {
    // Java's view names attributes without the "user." namespace.
    private static final String PREFIX = "barge.";
    private static final String STAMP = PREFIX + "stamp";
    private static final String MD5 = PREFIX + "md5";
    private static final String ETAG = PREFIX + "etag";
    private static final String CONTENT_TYPE = PREFIX + "content-type";
    private static final String STORAGE_CLASS = PREFIX + "storage-class";
    private static final String USER_METADATA = PREFIX + "meta";
    private static final int FIRST_READ = 256;
    /** The one attribute of today's form. */
    private static final String COMBINED = "barge";

    private LocalXattrs() {}

    /**
     * The metadata recorded on a file, or {@code null} if it carries no stamp (none was written, or
     * the write did not finish). Not checked against the file: see {@link LocalMetadata#matches}.
     *
     * @param withHeaders whether to read the content type and user metadata too (listings need neither)
     * @throws IOException when the attributes cannot be read
     * @throws IllegalArgumentException when they are not what Barge writes
     */
    static LocalMetadata read(Path file, boolean withHeaders) throws IOException {
        UserDefinedFileAttributeView view = view(file);
        List<String> names = view.list();
        if (names.contains(COMBINED)) {
            return parse(read(view, COMBINED), withHeaders);
        }
        if (!names.contains(STAMP)) {
            return null;
        }
        String stamp = read(view, STAMP);
        int colon = stamp.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a stamp: " + stamp);
        }
        String md5 = names.contains(MD5) ? read(view, MD5) : null;
        String etag = names.contains(ETAG) ? read(view, ETAG) : md5;
        StorageClass storageClass = names.contains(STORAGE_CLASS)
                ? parseStorageClass(read(view, STORAGE_CLASS)) : StorageClass.STANDARD;
        String contentType = withHeaders && names.contains(CONTENT_TYPE) ? read(view, CONTENT_TYPE) : null;
        Map<String, String> userMetadata = withHeaders && names.contains(USER_METADATA)
                ? decode(read(view, USER_METADATA)) : Map.of();
        return new LocalMetadata(etag, md5, Long.parseLong(stamp.substring(0, colon)),
                Long.parseLong(stamp.substring(colon + 1)), new LocalAttributes(contentType, userMetadata, storageClass));
    }

    /** Metadata of the one-attribute form. */
    private static LocalMetadata parse(String value, boolean withHeaders) {
        Map<String, String> fields = decode(value);
        String stamp = fields.get("stamp");
        int colon = stamp == null ? -1 : stamp.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no stamp in " + COMBINED + ": " + value);
        }
        String md5 = fields.get("md5");
        String etag = fields.getOrDefault("etag", md5);
        StorageClass storageClass = fields.containsKey("sc") ? parseStorageClass(fields.get("sc")) : StorageClass.STANDARD;
        String contentType = withHeaders ? fields.get("ct") : null;
        Map<String, String> userMetadata = withHeaders && fields.containsKey("meta") ? decode(fields.get("meta")) : Map.of();
        return new LocalMetadata(etag, md5, Long.parseLong(stamp.substring(0, colon)),
                Long.parseLong(stamp.substring(colon + 1)), new LocalAttributes(contentType, userMetadata, storageClass));
    }

    /** The one-attribute form of {@code meta}. */
    private static String format(LocalMetadata meta) {
        LocalAttributes attributes = meta.attributes();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("stamp", meta.size() + ":" + meta.modifiedNanos());
        if (meta.md5() != null) {
            fields.put("md5", meta.md5());
        }
        if (meta.etag() != null && !meta.etag().equals(meta.md5())) {
            fields.put("etag", meta.etag());
        }
        if (attributes.contentType() != null) {
            fields.put("ct", attributes.contentType());
        }
        if (!attributes.storageClass().equals(StorageClass.STANDARD)) {
            fields.put("sc", formatStorageClass(attributes.storageClass()));
        }
        if (!attributes.userMetadata().isEmpty()) {
            fields.put("meta", encode(attributes.userMetadata()));
        }
        return encode(fields);
    }

    /** Whether a file carries any of Barge's attributes, valid or not. */
    static boolean present(Path file) throws IOException {
        for (String name : view(file).list()) {
            if (name.equals(COMBINED) || name.startsWith(PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records metadata on a file that carries none of Barge's attributes (a new staging file, or a
     * file that had none): one attribute, written in one call.
     *
     * @throws IOException when the file system refuses, for instance because the value is larger
     *     than it keeps (ext4: about 4 KiB per file in all)
     */
    static void write(Path file, LocalMetadata meta) throws IOException {
        write(view(file), COMBINED, format(meta));
    }

    /**
     * Changes the storage class of a file whose attributes are valid: one attribute written or
     * removed, so a reader sees the old class or the new one, never a mix.
     */
    static void writeStorageClass(Path file, StorageClass storageClass) throws IOException {
        UserDefinedFileAttributeView view = view(file);
        if (view.list().contains(COMBINED)) {
            LocalMetadata current = parse(read(view, COMBINED), true);
            write(view, COMBINED, format(current.withAttributes(current.attributes().withStorageClass(storageClass))));
            return;
        }
        if (storageClass.equals(StorageClass.STANDARD)) {
            if (view.list().contains(STORAGE_CLASS)) {
                view.delete(STORAGE_CLASS);
            }
        } else {
            write(view, STORAGE_CLASS, formatStorageClass(storageClass));
        }
    }

    /** Removes Barge's attributes from a file, the stamp first, so that what remains never counts. */
    static void removeAll(Path file) throws IOException {
        UserDefinedFileAttributeView view = view(file);
        List<String> names = view.list();
        if (names.contains(COMBINED)) {
            view.delete(COMBINED);
        }
        if (names.contains(STAMP)) {
            view.delete(STAMP);
        }
        for (String name : names) {
            if (name.startsWith(PREFIX) && !name.equals(STAMP)) {
                view.delete(name);
            }
        }
    }

    private static UserDefinedFileAttributeView view(Path file) throws IOException {
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(file, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new FileSystemException(file.toString(), null, "the file system has no extended attributes");
        }
        return view;
    }

    private static String read(UserDefinedFileAttributeView view, String name) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(FIRST_READ);
        try {
            view.read(name, buffer);
        } catch (FileSystemException tooSmall) {
            // most values fit the first buffer; asking for the size first would cost a call for each
            buffer = ByteBuffer.allocate(view.size(name));
            view.read(name, buffer);
        }
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    private static void write(UserDefinedFileAttributeView view, String name, String value) throws IOException {
        view.write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String formatStorageClass(StorageClass storageClass) {
        return storageClass.vendorName() == null ? storageClass.family().name()
                : storageClass.family().name() + ":" + storageClass.vendorName();
    }

    private static StorageClass parseStorageClass(String value) {
        int colon = value.indexOf(':');
        return colon < 0 ? new StorageClass(StorageClass.Family.valueOf(value), null)
                : new StorageClass(StorageClass.Family.valueOf(value.substring(0, colon)), value.substring(colon + 1));
    }

    private static String encode(Map<String, String> userMetadata) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(userMetadata).entrySet()) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> userMetadata = new TreeMap<>();
        if (encoded.isEmpty()) {
            return userMetadata;
        }
        for (String pair : encoded.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a name=value pair: " + pair);
            }
            userMetadata.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return userMetadata;
    }
}
