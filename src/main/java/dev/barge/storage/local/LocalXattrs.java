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
 * {@link LocalMetadata} as extended attributes of the object's own file, in the {@code user.barge.}
 * namespace ({@code getfattr -d -m user.barge FILE} shows them):
 * <ul>
 *   <li>{@code user.barge.stamp}: {@code <size>:<modification time in ns>} of the data described;
 *       attributes whose stamp no longer matches the file (another program changed it in place) are
 *       ignored, and without a stamp there is no metadata at all, so the stamp is written last;
 *   <li>{@code user.barge.md5}, and {@code user.barge.etag} when the etag is not the MD5 (multipart);
 *   <li>{@code user.barge.content-type};
 *   <li>{@code user.barge.storage-class}: the family, then {@code :} and the vendor's name if any;
 *       absent for STANDARD;
 *   <li>{@code user.barge.meta}: the user metadata, form-encoded ({@code name=value&name=value}).
 * </ul>
 * Values are UTF-8. The user metadata is one attribute, not one per name, so that names never pass
 * through the platform's file name encoding and one write replaces them all.
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

    /** Whether a file carries any of Barge's attributes, valid or not. */
    static boolean present(Path file) throws IOException {
        for (String name : view(file).list()) {
            if (name.startsWith(PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records metadata on a file that carries none of Barge's attributes (a new staging file, or a
     * file that had none), the stamp last. On failure some attributes may have been written, but
     * never the stamp, so none of them counts; {@link #removeAll} clears them.
     *
     * @throws IOException when the file system refuses, for instance because the values are larger
     *     than it keeps (ext4: about 4 KiB per file in all)
     */
    static void write(Path file, LocalMetadata meta) throws IOException {
        UserDefinedFileAttributeView view = view(file);
        LocalAttributes attributes = meta.attributes();
        if (meta.md5() != null) {
            write(view, MD5, meta.md5());
        }
        if (meta.etag() != null && !meta.etag().equals(meta.md5())) {
            write(view, ETAG, meta.etag());
        }
        if (attributes.contentType() != null) {
            write(view, CONTENT_TYPE, attributes.contentType());
        }
        if (!attributes.storageClass().equals(StorageClass.STANDARD)) {
            write(view, STORAGE_CLASS, formatStorageClass(attributes.storageClass()));
        }
        if (!attributes.userMetadata().isEmpty()) {
            write(view, USER_METADATA, encode(attributes.userMetadata()));
        }
        write(view, STAMP, meta.size() + ":" + meta.modifiedNanos());
    }

    /**
     * Changes the storage class of a file whose attributes are valid: one attribute written or
     * removed, so a reader sees the old class or the new one, never a mix.
     */
    static void writeStorageClass(Path file, StorageClass storageClass) throws IOException {
        UserDefinedFileAttributeView view = view(file);
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
