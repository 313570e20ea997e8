package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One stored object, immutable: a write replaces the record.
 *
 * @param key the key
 * @param data the content (never changed after construction)
 * @param etag upper-case, without quotes
 * @param crc64 CRC-64/ECMA of the content
 * @param contentMd5 base64 MD5 of the content for objects written in one piece, else {@code null}
 * @param lastModified second precision
 * @param contentType never {@code null}
 * @param userMetadata lower-case names without the {@code x-oss-meta-} prefix
 * @param systemHeaders stored standard headers (Cache-Control, Content-Disposition...) as sent
 * @param storageClass one of {@link #STORAGE_CLASSES}
 * @param type how the object was written
 * @param restore restore state of an archive-class object, or {@code null}
 */
record OssObject(
        String key,
        byte[] data,
        String etag,
        long crc64,
        String contentMd5,
        Instant lastModified,
        String contentType,
        Map<String, String> userMetadata,
        Map<String, String> systemHeaders,
        String storageClass,
        Type type,
        Restore restore) {

    static final Set<String> STORAGE_CLASSES = Set.of("Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive");

    /** Standard headers OSS keeps with an object and returns on GET and HEAD. */
    static final Set<String> STORED_HEADERS =
            Set.of("Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires");

    OssObject {
        requireNonNull(key, "key is null");
        requireNonNull(data, "data is null");
        requireNonNull(etag, "etag is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(contentType, "contentType is null");
        userMetadata = Map.copyOf(userMetadata);
        systemHeaders = Map.copyOf(systemHeaders);
        requireNonNull(storageClass, "storageClass is null");
        requireNonNull(type, "type is null");
    }

    long size() {
        return data.length;
    }

    static boolean isArchiveClass(String storageClass) {
        return storageClass.equals("Archive") || storageClass.equals("ColdArchive")
                || storageClass.equals("DeepColdArchive");
    }

    /** Whether a GET may read the content: not an archive class, or restored and not yet expired. */
    boolean readable() {
        return !isArchiveClass(storageClass) || (restore != null && !restore.ongoing());
    }

    OssObject withRestore(Restore newRestore) {
        return new OssObject(key, data, etag, crc64, contentMd5, lastModified, contentType, userMetadata,
                systemHeaders, storageClass, type, newRestore);
    }

    /** The {@code x-oss-object-type} values. */
    enum Type {
        Normal,
        Appendable,
        Multipart
    }

    /**
     * Restore state of an archive-class object.
     *
     * @param ongoing whether the restore is still running
     * @param requestedAt when the first restore request arrived
     * @param days how long the restored copy stays readable once restored
     * @param headsLeft HEAD requests that still report the restore as ongoing (restore policy "after heads")
     * @param expiry when the restored copy expires; {@code null} while ongoing
     */
    record Restore(boolean ongoing, Instant requestedAt, int days, int headsLeft, Instant expiry) {

        Restore {
            requireNonNull(requestedAt, "requestedAt is null");
        }

        Restore completed(Instant now) {
            return new Restore(false, requestedAt, days, 0, now.plusSeconds(days * 86_400L));
        }

        Restore headSeen() {
            return new Restore(ongoing, requestedAt, days, Math.max(0, headsLeft - 1), expiry);
        }

        /** The {@code x-oss-restore} header value (and the listing's {@code RestoreInfo}). */
        String header() {
            return ongoing
                    ? "ongoing-request=\"true\""
                    : "ongoing-request=\"false\", expiry-date=\"" + OssCodecs.formatRfc1123(expiry) + "\"";
        }
    }
}
