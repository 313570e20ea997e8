package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageClass;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What Barge keeps of an object besides its bytes: content type, user metadata and storage class.
 * Stored as properties, in sidecars ({@link LocalMetadata}) and multipart descriptors ({@link LocalUpload}).
 */
record LocalAttributes(String contentType, Map<String, String> userMetadata, StorageClass storageClass) {
    private static final String META = "meta.";

    LocalAttributes {
        userMetadata = Map.copyOf(requireNonNull(userMetadata, "userMetadata is null"));
        requireNonNull(storageClass, "storageClass is null");
    }

    /** No content type, no metadata, standard class: a file some other program wrote. */
    static final LocalAttributes NONE = new LocalAttributes(null, Map.of(), StorageClass.STANDARD);

    LocalAttributes withStorageClass(StorageClass newStorageClass) {
        return new LocalAttributes(contentType, userMetadata, newStorageClass);
    }

    void writeTo(Properties p) {
        if (contentType != null) {
            p.setProperty("content-type", contentType);
        }
        p.setProperty("storage-class", storageClass.family().name());
        if (storageClass.vendorName() != null) {
            p.setProperty("storage-class-name", storageClass.vendorName());
        }
        userMetadata.forEach((name, value) -> p.setProperty(META + name, value));
    }

    /** @throws IllegalArgumentException when the properties do not hold valid attributes */
    static LocalAttributes readFrom(Properties p) {
        Map<String, String> user = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(META)) {
                user.put(name.substring(META.length()), p.getProperty(name));
            }
        }
        StorageClass storageClass = new StorageClass(
                StorageClass.Family.valueOf(p.getProperty("storage-class", StorageClass.Family.STANDARD.name())),
                p.getProperty("storage-class-name"));
        return new LocalAttributes(p.getProperty("content-type"), user, storageClass);
    }
}
