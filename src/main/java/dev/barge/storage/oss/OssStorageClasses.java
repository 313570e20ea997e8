package dev.barge.storage.oss;

import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageClass.Family;
import java.util.Map;

/**
 * OSS's storage classes and Barge's families: Standard, IA (infrequent access), Archive,
 * ColdArchive and DeepColdArchive. Archive and colder must be restored before a read.
 */
final class OssStorageClasses {

    private static final Map<String, Family> FAMILIES = Map.of(
            "Standard", Family.STANDARD,
            "IA", Family.INFREQUENT,
            "Archive", Family.ARCHIVE,
            "ColdArchive", Family.COLD_ARCHIVE,
            "DeepColdArchive", Family.DEEP_ARCHIVE);

    private static final Map<Family, String> NAMES = Map.of(
            Family.STANDARD, "Standard",
            Family.INFREQUENT, "IA",
            Family.ARCHIVE, "Archive",
            Family.COLD_ARCHIVE, "ColdArchive",
            Family.DEEP_ARCHIVE, "DeepColdArchive");

    private OssStorageClasses() {}

    /**
     * The OSS name to send: the requested vendor name when it is an OSS class of the requested
     * family (the object came from OSS), otherwise OSS's class for the family.
     */
    static String vendorName(StorageClass storageClass) {
        String vendor = storageClass.vendorName();
        if (vendor != null && FAMILIES.get(vendor) == storageClass.family()) {
            return vendor;
        }
        return NAMES.get(storageClass.family());
    }

    /** The class OSS reports; none means Standard, an unknown name keeps its name as Standard. */
    static StorageClass fromVendor(String name) {
        if (name == null || name.isBlank()) {
            return new StorageClass(Family.STANDARD, "Standard");
        }
        Family family = FAMILIES.get(name.trim());
        return new StorageClass(family == null ? Family.STANDARD : family, name.trim());
    }
}
