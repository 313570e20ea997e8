package dev.barge.storage.s3;

import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageClass.Family;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * S3 storage class names and Barge's families, both ways. Names S3-compatible stores use on
 * their S3 endpoints (Tencent COS, Huawei OBS, Aliyun OSS, Qiniu) are read as well; a name not
 * known here is kept as it is, in the STANDARD family (readable without restore).
 */
final class S3StorageClasses {
    /** The families a put, copy or storage class change accepts. */
    static final Set<Family> OFFERED = EnumSet.of(Family.STANDARD, Family.INFREQUENT, Family.ARCHIVE, Family.DEEP_ARCHIVE);

    private static final Map<String, Family> FAMILIES = Map.ofEntries(
            // AWS
            Map.entry("STANDARD", Family.STANDARD),
            Map.entry("REDUCED_REDUNDANCY", Family.STANDARD),
            Map.entry("EXPRESS_ONEZONE", Family.STANDARD),
            Map.entry("OUTPOSTS", Family.STANDARD),
            Map.entry("SNOW", Family.STANDARD),
            Map.entry("STANDARD_IA", Family.INFREQUENT),
            Map.entry("ONEZONE_IA", Family.INFREQUENT),
            Map.entry("INTELLIGENT_TIERING", Family.INFREQUENT),
            Map.entry("GLACIER_IR", Family.INFREQUENT),
            Map.entry("GLACIER", Family.ARCHIVE),
            Map.entry("DEEP_ARCHIVE", Family.DEEP_ARCHIVE),
            // S3-compatible stores
            Map.entry("MAZ_STANDARD", Family.STANDARD),
            Map.entry("MAZ_STANDARD_IA", Family.INFREQUENT),
            Map.entry("IA", Family.INFREQUENT),
            Map.entry("WARM", Family.INFREQUENT),
            Map.entry("LINE", Family.INFREQUENT),
            Map.entry("ARCHIVE", Family.ARCHIVE),
            Map.entry("COLD", Family.ARCHIVE),
            Map.entry("COLDARCHIVE", Family.COLD_ARCHIVE),
            Map.entry("COLD_ARCHIVE", Family.COLD_ARCHIVE),
            Map.entry("DEEPCOLDARCHIVE", Family.DEEP_ARCHIVE),
            Map.entry("DEEP_COLD_ARCHIVE", Family.DEEP_ARCHIVE));

    private S3StorageClasses() {}

    /** The storage class an S3 response names; STANDARD when it names none (HEAD omits STANDARD). */
    static StorageClass fromS3(String name) {
        if (name == null || name.isBlank() || name.equals("STANDARD")) {
            return StorageClass.STANDARD;
        }
        Family family = FAMILIES.getOrDefault(name.toUpperCase(Locale.ROOT), Family.STANDARD);
        return new StorageClass(family, name);
    }

    /**
     * The S3 name to send for a requested class: its vendor name when it has one, S3's usual
     * class of its family otherwise; {@code null} for the bucket's default.
     */
    static String toS3(StorageClass storageClass) {
        if (storageClass == null) {
            return null;
        }
        if (storageClass.vendorName() != null) {
            return storageClass.vendorName();
        }
        return switch (storageClass.family()) {
            case STANDARD -> "STANDARD";
            case INFREQUENT -> "STANDARD_IA";
            case ARCHIVE -> "GLACIER";
            case DEEP_ARCHIVE -> "DEEP_ARCHIVE";
            case COLD_ARCHIVE -> throw new IllegalStateException("S3 has no cold archive class; check OFFERED first");
        };
    }
}
