package dev.barge.storage.azure;

import com.azure.storage.blob.models.AccessTier;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageClass.Family;
import dev.barge.storage.StorageException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Azure access tiers and Barge's storage class families: Hot is {@code STANDARD}; Cool and Cold are
 * {@code INFREQUENT} (online, read at once, with a minimum retention of 30 and 90 days); Archive is
 * {@code ARCHIVE} (offline, read after a rehydration of hours). A family alone asks for Hot, Cool or
 * Archive; Cold is asked for by its vendor name.
 */
final class AzureTiers {
    static final Set<Family> FAMILIES = EnumSet.of(Family.STANDARD, Family.INFREQUENT, Family.ARCHIVE);

    private AzureTiers() {}

    /** The storage class of a blob whose tier the service reports (null: the account's default, Hot). */
    static StorageClass storageClass(AccessTier tier) {
        if (tier == null) {
            return new StorageClass(Family.STANDARD, "Hot");
        }
        String name = canonical(tier.toString());
        if (name == null) {
            return new StorageClass(Family.STANDARD, tier.toString()); // premium tiers (P10...) are online
        }
        return new StorageClass(family(name), name);
    }

    /** The tier to ask for, or {@code null} for the account's default when no class is given. */
    static AccessTier tier(Operation op, String bucket, String key, StorageClass storageClass) {
        if (storageClass == null) {
            return null;
        }
        if (storageClass.vendorName() != null) {
            String name = canonical(storageClass.vendorName());
            if (name == null || family(name) != storageClass.family()) {
                throw StorageException.unsupported(op, bucket, key, "Azure has no tier '" + storageClass.vendorName()
                        + "' in the " + storageClass.family() + " family: use Hot (STANDARD), Cool or Cold (INFREQUENT)"
                        + " or Archive (ARCHIVE)");
            }
            return AccessTier.fromString(name);
        }
        return switch (storageClass.family()) {
            case STANDARD -> AccessTier.HOT;
            case INFREQUENT -> AccessTier.COOL;
            case ARCHIVE -> AccessTier.ARCHIVE;
            default -> throw StorageException.unsupported(op, bucket, key, "Azure has no tier for "
                    + storageClass.family() + ": its coldest is Archive (ARCHIVE)");
        };
    }

    /** The canonical name of an online tier a restore may rehydrate to, or {@code null}. */
    static String rehydrateTier(String name) {
        String canonical = canonical(name);
        return canonical == null || canonical.equals("Archive") ? null : canonical;
    }

    private static String canonical(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "hot" -> "Hot";
            case "cool" -> "Cool";
            case "cold" -> "Cold";
            case "archive" -> "Archive";
            default -> null;
        };
    }

    private static Family family(String canonical) {
        return switch (canonical) {
            case "Hot" -> Family.STANDARD;
            case "Cool", "Cold" -> Family.INFREQUENT;
            default -> Family.ARCHIVE;
        };
    }
}
