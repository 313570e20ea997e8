package dev.barge.storage.qiniu;

import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Kodo's storage types and Barge's storage classes. Kodo numbers its types (0 standard, 1 infrequent
 * access, 2 archive, 3 deep archive, 4 archive IR, 5 intelligent tiering) and names them in its S3
 * API ({@code STANDARD}, {@code LINE}, {@code GLACIER}, {@code DEEP_ARCHIVE}, {@code GLACIER_IR},
 * {@code INTELLIGENT_TIERING}); the name is the vendor name Barge keeps. Archive IR is read at once,
 * so it belongs to the INFREQUENT family; intelligent tiering to STANDARD.
 */
final class QiniuStorageTypes {

    static final int STANDARD = 0;
    static final int ARCHIVE = 2;
    static final int DEEP_ARCHIVE = 3;

    private static final String[] NAMES = {
        "STANDARD", "LINE", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "INTELLIGENT_TIERING"
    };
    private static final StorageClass.Family[] FAMILIES = {
        StorageClass.Family.STANDARD, StorageClass.Family.INFREQUENT, StorageClass.Family.ARCHIVE,
        StorageClass.Family.DEEP_ARCHIVE, StorageClass.Family.INFREQUENT, StorageClass.Family.STANDARD
    };

    /** The families a put, copy or setStorageClass accepts: Kodo has no class between archive and deep archive. */
    static final Set<StorageClass.Family> FAMILIES_OFFERED = EnumSet.of(StorageClass.Family.STANDARD,
            StorageClass.Family.INFREQUENT, StorageClass.Family.ARCHIVE, StorageClass.Family.DEEP_ARCHIVE);

    private QiniuStorageTypes() {}

    static StorageClass storageClass(int type) {
        if (type >= 0 && type < NAMES.length) {
            return new StorageClass(FAMILIES[type], NAMES[type]);
        }
        return new StorageClass(StorageClass.Family.STANDARD, "TYPE_" + type);
    }

    /**
     * The Kodo type for a requested class: its vendor name (a Kodo name or number) when that names a
     * type of the requested family, else the family's usual type; -1 when Kodo has no such family.
     */
    static int typeOf(StorageClass storageClass) {
        if (storageClass.vendorName() != null) {
            int named = typeNamed(storageClass.vendorName());
            if (named >= 0 && FAMILIES[named] == storageClass.family()) {
                return named;
            }
        }
        return switch (storageClass.family()) {
            case STANDARD -> STANDARD;
            case INFREQUENT -> 1;
            case ARCHIVE -> ARCHIVE;
            case DEEP_ARCHIVE -> DEEP_ARCHIVE;
            case COLD_ARCHIVE -> -1;
        };
    }

    private static int typeNamed(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(upper) || Integer.toString(i).equals(upper)) {
                return i;
            }
        }
        return -1;
    }

    /** Kodo's restoreStatus (1 restoring, 2 restored, absent when frozen) of an object of this type. */
    static RestoreStatus restoreStatus(int type, Integer restoreStatus) {
        if (type != ARCHIVE && type != DEEP_ARCHIVE || restoreStatus == null) {
            return RestoreStatus.NONE;
        }
        return switch (restoreStatus) {
            case 1 -> RestoreStatus.IN_PROGRESS;
            case 2 -> RestoreStatus.restoredUntil(null);
            default -> RestoreStatus.NONE;
        };
    }
}
