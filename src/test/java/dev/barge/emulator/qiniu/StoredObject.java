package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One object as Kodo keeps it. Immutable: every change makes a new record.
 *
 * @param putTime upload time in Kodo's unit, 100 ns since the epoch
 * @param type storage type: 0 standard, 1 IA, 2 archive, 3 deep archive, 4 archive IR, 5 intelligent tiering
 * @param status 0 enabled, 1 disabled
 * @param restore restore state of an archived object; null while frozen (or not archived)
 * @param meta user metadata without the {@code x-qn-meta-} prefix
 */
record StoredObject(String key, byte[] data, String hash, String md5, String mimeType, long putTime,
        int type, int status, Restore restore, Map<String, String> meta) {

    static final int STANDARD = 0;
    static final int ARCHIVE = 2;
    static final int DEEP_ARCHIVE = 3;
    static final int MAX_TYPE = 5;

    /**
     * A restore of an archived object.
     *
     * @param done false while the restore runs (restoreStatus 1), true once readable (restoreStatus 2)
     * @param days how long the object stays readable once done
     * @param expiresAt when a finished restore freezes again; null while it runs
     */
    record Restore(boolean done, int days, Instant expiresAt) {
    }

    StoredObject {
        requireNonNull(key, "key is null");
        requireNonNull(data, "data is null");
        requireNonNull(hash, "hash is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(mimeType, "mimeType is null");
        meta = Map.copyOf(requireNonNull(meta, "meta is null"));
    }

    static StoredObject create(String key, byte[] data, String mimeType, Map<String, String> meta, int type,
            Instant now) {
        return new StoredObject(key, data, QiniuEtag.of(data), Codec.md5Hex(data), mimeType, putTime(now), type,
                0, null, meta);
    }

    static long putTime(Instant now) {
        return now.getEpochSecond() * 10_000_000L + now.getNano() / 100;
    }

    long size() {
        return data.length;
    }

    boolean archived() {
        return type == ARCHIVE || type == DEEP_ARCHIVE;
    }

    /** Kodo's restoreStatus at {@code now}: 1 in progress, 2 done, null when frozen or not archived. */
    Integer restoreStatus(Instant now) {
        if (!archived() || restore == null) {
            return null;
        }
        if (!restore.done()) {
            return 1;
        }
        return now.isBefore(restore.expiresAt()) ? 2 : null;
    }

    /** Whether the content can be read (downloaded) at {@code now}. */
    boolean readable(Instant now) {
        return !archived() || Integer.valueOf(2).equals(restoreStatus(now));
    }

    StoredObject withKey(String newKey, Instant now, boolean newPutTime) {
        return new StoredObject(newKey, data, hash, md5, mimeType, newPutTime ? putTime(now) : putTime, type, status,
                newPutTime ? null : restore, meta);
    }

    StoredObject withType(int newType) {
        return new StoredObject(key, data, hash, md5, mimeType, putTime, newType, status, null, meta);
    }

    StoredObject withRestore(Restore newRestore) {
        return new StoredObject(key, data, hash, md5, mimeType, putTime, type, status, newRestore, meta);
    }

    StoredObject withMimeAndMeta(String newMime, Map<String, String> newMeta) {
        return new StoredObject(key, data, hash, md5, newMime, putTime, type, status, restore, newMeta);
    }

    StoredObject withStatus(int newStatus) {
        return new StoredObject(key, data, hash, md5, mimeType, putTime, type, newStatus, restore, meta);
    }
}
