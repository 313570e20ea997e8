package dev.barge.storage.oss;

import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.OSSObjectSummary;
import dev.barge.storage.Checksum;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object attributes both ways between Barge's model and OSS's headers: what a write sends (content
 * type, {@code x-oss-meta-*}, {@code x-oss-storage-class}, {@code Content-MD5}) and what HEAD, GET
 * and listings report ({@link ObjectInfo} with storage class, checksums and restore state).
 */
final class OssHeaders {

    static final String STORAGE_CLASS = "x-oss-storage-class";
    static final String OBJECT_TYPE = "x-oss-object-type";
    static final String RESTORE = "x-oss-restore";
    static final String CONTENT_RANGE = "Content-Range";
    static final String CONTENT_MD5 = "Content-MD5";

    /** Standard headers OSS keeps with an object; a copy made part by part carries them over. */
    static final List<String> STORED_HEADERS =
            List.of("Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires");

    private static final Pattern HEX_MD5 = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern ONGOING = Pattern.compile("ongoing-request\\s*=\\s*\"(true|false)\"");
    private static final Pattern EXPIRY = Pattern.compile("expiry-date\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONTENT_RANGE_VALUE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+)");

    private OssHeaders() {}

    /** The metadata of a new object: content type, user metadata, storage class. */
    static ObjectMetadata forWrite(String contentType, Map<String, String> userMetadata, StorageClass storageClass) {
        ObjectMetadata metadata = new ObjectMetadata();
        if (contentType != null) {
            metadata.setContentType(contentType);
        }
        userMetadata.forEach(metadata::addUserMetadata);
        if (storageClass != null) {
            metadata.setHeader(STORAGE_CLASS, OssStorageClasses.vendorName(storageClass));
        }
        return metadata;
    }

    /** The base64 {@code Content-MD5} form of a lower-case hex MD5. */
    static String contentMd5(String hexMd5) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hexMd5));
    }

    static boolean isHexMd5(String value) {
        return value != null && HEX_MD5.matcher(value).matches();
    }

    /**
     * The object as HEAD or GET describes it; {@code size} is the whole object's size. A ranged
     * GET's {@code Content-MD5}, if any, is not taken for the object's.
     */
    static ObjectInfo describe(String key, long size, ObjectMetadata metadata, boolean wholeBody) {
        Map<String, Object> raw = metadata.getRawMetadata();
        StorageClass storageClass = OssStorageClasses.fromVendor(header(raw, STORAGE_CLASS));
        String etag = unquote(metadata.getETag());
        List<Checksum> checksums = new ArrayList<>(2);
        String md5 = md5Of(wholeBody ? header(raw, CONTENT_MD5) : null, header(raw, OBJECT_TYPE), etag);
        if (md5 != null) {
            checksums.add(Checksum.md5Hex(md5));
        }
        Long crc = metadata.getServerCRC();
        if (crc != null) {
            checksums.add(crc64(crc));
        }
        Map<String, String> userMetadata = new LinkedHashMap<>();
        metadata.getUserMetadata().forEach((name, value) -> userMetadata.put(name.toLowerCase(Locale.ROOT), value));
        return new ObjectInfo(key, size, instant(metadata.getLastModified()), etag, storageClass,
                metadata.getContentType(), userMetadata, checksums,
                restoreStatus(storageClass, header(raw, RESTORE)));
    }

    /** An object of a listing (key already decoded): no content type, no user metadata, no CRC. */
    static ObjectInfo describe(String key, OSSObjectSummary summary) {
        StorageClass storageClass = OssStorageClasses.fromVendor(summary.getStorageClass());
        String etag = unquote(summary.getETag());
        String md5 = md5Of(null, summary.getType(), etag);
        return new ObjectInfo(key, summary.getSize(), instant(summary.getLastModified()), etag, storageClass, null,
                Map.of(), md5 == null ? List.of() : List.of(Checksum.md5Hex(md5)),
                restoreStatus(storageClass, summary.getRestoreInfo()));
    }

    static Checksum crc64(long crc) {
        return new Checksum(Checksum.Algorithm.CRC64_ECMA, Long.toUnsignedString(crc));
    }

    /**
     * The MD5 of the content, when OSS vouches for one: its {@code Content-MD5}, or the etag of an
     * object written in one piece (type Normal). Multipart and appendable etags are not MD5s.
     */
    static String md5Of(String contentMd5, String objectType, String etag) {
        if (contentMd5 != null && !contentMd5.isBlank()) {
            try {
                byte[] digest = Base64.getDecoder().decode(contentMd5.trim());
                if (digest.length == 16) {
                    return HexFormat.of().formatHex(digest);
                }
            } catch (IllegalArgumentException e) {
                // not base64: fall back to the etag
            }
        }
        if ("Normal".equals(objectType) && isHexMd5(etag)) {
            return etag.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /**
     * {@code x-oss-restore} (or a listing's RestoreInfo) of an archived object:
     * {@code ongoing-request="true"} while restoring, {@code ongoing-request="false",
     * expiry-date="<RFC 1123 date>"} once readable.
     */
    static RestoreStatus restoreStatus(StorageClass storageClass, String header) {
        if (header == null || !storageClass.requiresRestore()) {
            return RestoreStatus.NONE;
        }
        Matcher ongoing = ONGOING.matcher(header);
        if (!ongoing.find()) {
            return RestoreStatus.NONE;
        }
        if (ongoing.group(1).equals("true")) {
            return RestoreStatus.IN_PROGRESS;
        }
        Matcher expiry = EXPIRY.matcher(header);
        Instant until = null;
        if (expiry.find()) {
            try {
                until = ZonedDateTime.parse(expiry.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // an unreadable expiry: restored, until unknown
            }
        }
        if (until != null && !until.isAfter(Instant.now())) {
            return RestoreStatus.NONE;
        }
        return RestoreStatus.restoredUntil(until);
    }

    /** The first and last byte and the total size of a {@code Content-Range: bytes a-b/size}. */
    static long[] contentRange(ObjectMetadata metadata) {
        String value = header(metadata.getRawMetadata(), CONTENT_RANGE);
        if (value == null) {
            return null;
        }
        Matcher m = CONTENT_RANGE_VALUE.matcher(value.trim());
        if (!m.matches()) {
            return null;
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    /** A response header by name, ignoring case (the SDK keeps the case the server sent). */
    static String header(Map<String, ?> raw, String name) {
        Object value = raw.get(name);
        if (value == null) {
            for (Map.Entry<String, ?> entry : raw.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    value = entry.getValue();
                    break;
                }
            }
        }
        return value == null ? null : value.toString();
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String value = etag.trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Instant instant(Date date) {
        return date == null ? Instant.EPOCH : date.toInstant();
    }
}
