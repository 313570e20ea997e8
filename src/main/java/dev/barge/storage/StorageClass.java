package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A storage class: the vendor-neutral {@link Family} Barge reasons with, and the vendor's own
 * name for it ({@code GLACIER}, {@code ColdArchive}, Qiniu type {@code 3}...) so that nothing is
 * lost when an object goes back to the same vendor.
 *
 * @param family what the class means to a mover: above all, whether reads need a restore
 * @param vendorName the store's own name, or {@code null} when asking for a family and letting
 *     the store pick its usual class for it
 */
public record StorageClass(Family family, String vendorName) {

    public static final StorageClass STANDARD = new StorageClass(Family.STANDARD, null);

    public StorageClass {
        requireNonNull(family, "family is null");
        if (vendorName != null && vendorName.isBlank()) {
            throw new IllegalArgumentException("vendor name of a storage class must not be blank");
        }
    }

    /** The store's usual class for a family. */
    public static StorageClass of(Family family) {
        return new StorageClass(family, null);
    }

    /**
     * Vendor-neutral storage classes, ordered from hottest to coldest. Classes that can be read
     * at once (S3 Glacier Instant Retrieval, Qiniu Archive IR) belong to {@link #INFREQUENT}:
     * what matters to a mover is whether a read first needs a restore.
     */
    public enum Family {
        STANDARD,
        INFREQUENT,
        ARCHIVE,
        COLD_ARCHIVE,
        DEEP_ARCHIVE;

        /** Whether objects of this family must be restored before they can be read. */
        public boolean requiresRestore() {
            return compareTo(ARCHIVE) >= 0;
        }

        /** Parses a family name case-insensitively, with {@code -} or {@code _} between words. */
        public static Family parse(String name) {
            String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                return valueOf(normalized);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown storage class '" + name
                        + "': expected one of STANDARD, INFREQUENT, ARCHIVE, COLD_ARCHIVE, DEEP_ARCHIVE", e);
            }
        }
    }

    public boolean requiresRestore() {
        return family.requiresRestore();
    }

    /** The vendor name if there is one, else the family name. */
    public String displayName() {
        return vendorName != null ? vendorName : family.name();
    }
}
