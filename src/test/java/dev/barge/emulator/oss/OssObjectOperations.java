package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Single-object operations: PutObject, GetObject, HeadObject, GetObjectMeta, DeleteObject,
 * DeleteMultipleObjects, AppendObject, CopyObject and RestoreObject.
 */
final class OssObjectOperations {

    private final OssStore store;

    OssObjectOperations(OssStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    OssResponse put(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        byte[] data = request.body();
        checkSize(data.length);
        OssHeaders.checkContentMd5(request, data);
        String storageClass = OssHeaders.storageClass(request, bucket.storageClass());
        byte[] md5 = OssCodecs.md5(data);
        OssObject object = new OssObject(request.key(), data, OssCodecs.upperHex(md5), Crc64Ecma.of(data),
                OssCodecs.base64(md5), store.now(), OssHeaders.contentType(request), OssHeaders.userMetadata(request),
                OssHeaders.systemHeaders(request), storageClass, OssObject.Type.Normal, null);
        bucket.locked(() -> {
            OssHeaders.checkForbidOverwrite(request, bucket.stored(request.key()));
            bucket.put(object);
            return null;
        });
        return OssResponse.status(200)
                .header("ETag", OssHeaders.quoted(object.etag()))
                .header("Content-MD5", object.contentMd5())
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(object.crc64()));
    }

    /** GetObject and HeadObject. */
    OssResponse get(OssRequest request) {
        boolean head = request.isHead();
        OssObject object = access(request.bucket(), request.key(), head);
        if (!head && !object.readable()) {
            throw OssError.invalidObjectState(object.key());
        }
        OssResponse notModified = checkConditions(request, object);
        if (notModified != null) {
            return notModified;
        }
        byte[] data = object.data();
        OssRange range = OssRange.parse(request.header("Range"), data.length,
                "standard".equalsIgnoreCase(request.header("x-oss-range-behavior")));
        OssResponse response = OssResponse.status(range == null ? 200 : 206);
        OssHeaders.writeObjectHeaders(response, object, range == null);
        overrideResponseHeaders(request, response);
        if (range != null) {
            response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + data.length);
        }
        int from = range == null ? 0 : (int) range.first();
        int count = range == null ? data.length : (int) range.length();
        if (head) {
            return response.contentLength(count);
        }
        return response.body(data, from, count);
    }

    /** GetObjectMeta ({@code HEAD /key?objectMeta}): size, etag, time, CRC; no body. */
    OssResponse objectMeta(OssRequest request) {
        OssObject object = access(request.bucket(), request.key(), true);
        return OssResponse.status(200)
                .header("ETag", OssHeaders.quoted(object.etag()))
                .header("Last-Modified", OssCodecs.formatRfc1123(object.lastModified()))
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(object.crc64()))
                .contentLength(object.size());
    }

    OssResponse delete(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        bucket.locked(() -> bucket.remove(request.key()));
        return OssResponse.status(204);
    }

    /** DeleteMultipleObjects: up to 1000 keys; missing keys count as deleted; quiet mode answers with no body. */
    OssResponse deleteMultiple(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        if (request.header("Content-MD5") == null) {
            throw new OssError(400, "MissingArgument", "Missing Some Required Arguments: Content-MD5.")
                    .detail("ArgumentName", "Content-MD5").ec("0016-00000606");
        }
        OssHeaders.checkContentMd5(request, request.body());
        Element root = OssXml.parse(request.body());
        if (!root.getTagName().equals("Delete")) {
            throw OssError.malformedXml("the root element must be Delete");
        }
        boolean quiet = "true".equalsIgnoreCase(String.valueOf(OssXml.childText(root, "Quiet")).trim());
        List<Element> objects = OssXml.children(root, "Object");
        if (objects.isEmpty()) {
            throw OssError.malformedXml("no Object element").ec("0016-00000615");
        }
        if (objects.size() > 1000) {
            throw OssError.malformedXml("at most 1000 objects can be deleted in one request, got " + objects.size());
        }
        List<String> keys = new ArrayList<>();
        for (Element object : objects) {
            String key = OssXml.childText(object, "Key");
            if (key == null) {
                throw OssError.malformedXml("an Object element has no Key").ec("0016-00000613");
            }
            OssHeaders.checkKey(key);
            keys.add(key);
        }
        bucket.locked(() -> {
            keys.forEach(bucket::remove);
            return null;
        });
        if (quiet) {
            return OssResponse.status(200);
        }
        boolean urlEncoded = urlEncoding(request);
        OssXml xml = OssXml.document().open("DeleteResult");
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        for (String key : keys) {
            xml.open("Deleted").element("Key", urlEncoded ? OssCodecs.uriEncode(key, false) : key).close("Deleted");
        }
        return OssResponse.xml(200, xml.close("DeleteResult").toBytes());
    }

    /** AppendObject: {@code POST /key?append&position=N}. */
    OssResponse append(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String positionText = request.param("position");
        long position;
        try {
            position = Long.parseLong(String.valueOf(positionText));
        } catch (NumberFormatException e) {
            throw OssError.invalidArgument("position must be a non-negative number.", "position", positionText);
        }
        if (position < 0) {
            throw OssError.invalidArgument("position must be a non-negative number.", "position", positionText);
        }
        byte[] data = request.body();
        OssHeaders.checkContentMd5(request, data);
        OssObject appended = bucket.locked(() -> {
            OssObject existing = bucket.stored(request.key());
            if (existing != null && existing.type() != OssObject.Type.Appendable) {
                throw new OssError(409, "ObjectNotAppendable", "The object is not appendable").detail("Key", request.key());
            }
            long length = existing == null ? 0 : existing.size();
            if (position != length) {
                throw new OssError(409, "PositionNotEqualToLength", "Position is not equal to file length")
                        .header("x-oss-next-append-position", String.valueOf(length))
                        .detail("Key", request.key());
            }
            checkSize(length + data.length);
            // OSS's etag of an appendable object is not the MD5 of its content
            String etag = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
            OssObject object;
            if (existing == null) {
                object = new OssObject(request.key(), data, etag, Crc64Ecma.of(data), null, store.now(),
                        OssHeaders.contentType(request), OssHeaders.userMetadata(request),
                        OssHeaders.systemHeaders(request), OssHeaders.storageClass(request, bucket.storageClass()),
                        OssObject.Type.Appendable, null);
            } else {
                byte[] joined = new byte[existing.data().length + data.length];
                System.arraycopy(existing.data(), 0, joined, 0, existing.data().length);
                System.arraycopy(data, 0, joined, existing.data().length, data.length);
                object = new OssObject(request.key(), joined, etag,
                        Crc64Ecma.update(existing.crc64(), data, 0, data.length), null, store.now(),
                        existing.contentType(), existing.userMetadata(), existing.systemHeaders(),
                        existing.storageClass(), OssObject.Type.Appendable, existing.restore());
            }
            bucket.put(object);
            return object;
        });
        return OssResponse.status(200)
                .header("ETag", OssHeaders.quoted(appended.etag()))
                .header("x-oss-next-append-position", String.valueOf(appended.size()))
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(appended.crc64()));
    }

    /**
     * CopyObject: {@code PUT /key} with {@code x-oss-copy-source: /bucket/url-encoded-key}. The
     * copy keeps the source's etag and type (an appendable source becomes a normal object);
     * metadata comes from the source (COPY, the default) or the request (REPLACE); the storage
     * class from {@code x-oss-storage-class} or the target bucket's default.
     */
    OssResponse copy(OssRequest request) {
        OssBucketState target = store.bucket(request.bucket());
        OssObject source = readableSource(request);
        if (source.size() > store.settings().maxCopyObjectSize()) {
            throw new OssError(400, "EntityTooLarge", "CopyObject supports source objects up to "
                    + store.settings().maxCopyObjectSize() + " bytes; copy larger objects with UploadPartCopy.")
                    .detail("Key", source.key());
        }
        String directive = request.header("x-oss-metadata-directive");
        boolean replace;
        if (directive == null || directive.equals("COPY")) {
            replace = false;
        } else if (directive.equals("REPLACE")) {
            replace = true;
        } else {
            throw OssError.invalidArgument("x-oss-metadata-directive must be COPY or REPLACE.",
                    "x-oss-metadata-directive", directive);
        }
        String storageClass = OssHeaders.storageClass(request, target.storageClass());
        boolean appendable = source.type() == OssObject.Type.Appendable;
        byte[] md5 = appendable ? OssCodecs.md5(source.data()) : null;
        OssObject copy = new OssObject(request.key(), source.data(),
                appendable ? OssCodecs.upperHex(md5) : source.etag(), source.crc64(),
                appendable ? OssCodecs.base64(md5) : source.contentMd5(), store.now(),
                replace ? OssHeaders.contentType(request) : source.contentType(),
                replace ? OssHeaders.userMetadata(request) : source.userMetadata(),
                replace ? OssHeaders.systemHeaders(request) : source.systemHeaders(),
                storageClass, appendable ? OssObject.Type.Normal : source.type(), null);
        target.locked(() -> {
            OssHeaders.checkForbidOverwrite(request, target.stored(request.key()));
            target.put(copy);
            return null;
        });
        byte[] xml = OssXml.document().open("CopyObjectResult")
                .element("ETag", OssHeaders.quoted(copy.etag()))
                .element("LastModified", OssCodecs.ISO_8601.format(copy.lastModified()))
                .close("CopyObjectResult").toBytes();
        return OssResponse.xml(200, xml)
                .header("ETag", OssHeaders.quoted(copy.etag()))
                .header("x-oss-hash-crc64ecma", Crc64Ecma.format(copy.crc64()));
    }

    /**
     * RestoreObject: 202 when a restore starts, 200 when the object is already restored (the
     * expiry is extended), 409 RestoreAlreadyInProgress while one runs.
     */
    OssResponse restore(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        int days = 1;
        if (request.body().length > 0) {
            Element root = OssXml.parse(request.body());
            String daysText = OssXml.childText(root, "Days");
            if (daysText != null) {
                try {
                    days = Integer.parseInt(daysText.trim());
                } catch (NumberFormatException e) {
                    throw OssError.malformedXml("Days is not a number");
                }
                if (days < 1 || days > 365) {
                    throw OssError.invalidArgument("Days must be between 1 and 365.", "Days", daysText);
                }
            }
        }
        int restoreDays = days;
        Instant now = store.instant();
        RestorePolicy policy = store.settings().restorePolicy();
        int status = bucket.locked(() -> {
            OssObject object = bucket.access(request.key(), now, policy, false);
            if (object == null) {
                throw OssError.noSuchKey(request.key());
            }
            if (!OssObject.isArchiveClass(object.storageClass())) {
                throw new OssError(400, "OperationNotSupported", "The operation is not supported for this resource.")
                        .detail("Key", request.key());
            }
            OssObject.Restore restore = object.restore();
            if (restore == null) {
                int heads = policy instanceof RestorePolicy.AfterHeads afterHeads ? afterHeads.heads() : 0;
                bucket.put(object.withRestore(new OssObject.Restore(true, now, restoreDays, heads, null)));
                return 202;
            }
            if (restore.ongoing()) {
                throw new OssError(409, "RestoreAlreadyInProgress", "The restore operation is in progress.")
                        .detail("Key", request.key());
            }
            bucket.put(object.withRestore(new OssObject.Restore(false, restore.requestedAt(), restoreDays, 0,
                    now.plusSeconds(restoreDays * 86_400L))));
            return 200;
        });
        return OssResponse.status(status);
    }

    // ---- helpers shared with multipart

    /** The object named by {@code x-oss-copy-source}, which must be readable (not frozen archive). */
    OssObject readableSource(OssRequest request) {
        String header = request.header("x-oss-copy-source");
        String value = header.startsWith("/") ? header.substring(1) : header;
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw OssError.invalidArgument("x-oss-copy-source must be /bucket/key.", "x-oss-copy-source", header);
        }
        String bucket = value.substring(0, slash);
        int question = value.indexOf('?');
        String rawKey = question < 0 ? value.substring(slash + 1) : value.substring(slash + 1, question);
        String key = OssCodecs.percentDecode(rawKey, false);
        OssObject source = access(bucket, key, false);
        if (!source.readable()) {
            throw OssError.invalidObjectState(key);
        }
        checkCopySourceConditions(request, source);
        return source;
    }

    private OssObject access(String bucketName, String key, boolean head) {
        OssBucketState bucket = store.bucket(bucketName);
        OssObject object = bucket.access(key, store.instant(), store.settings().restorePolicy(), head);
        if (object == null) {
            throw OssError.noSuchKey(key);
        }
        return object;
    }

    private void checkSize(long size) {
        if (size > store.settings().maxObjectSize()) {
            throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.")
                    .detail("MaxSizeAllowed", String.valueOf(store.settings().maxObjectSize()))
                    .detail("ProposedSize", String.valueOf(size));
        }
    }

    /** If-Match / If-Unmodified-Since fail with 412; If-None-Match / If-Modified-Since answer 304. */
    private static OssResponse checkConditions(OssRequest request, OssObject object) {
        String ifMatch = request.header("If-Match");
        if (ifMatch != null && !etagMatches(ifMatch, object.etag())) {
            throw preconditionFailed("If-Match");
        }
        Instant ifUnmodifiedSince = OssCodecs.parseRfc1123(request.header("If-Unmodified-Since"));
        if (ifUnmodifiedSince != null && object.lastModified().isAfter(ifUnmodifiedSince)) {
            throw preconditionFailed("If-Unmodified-Since");
        }
        String ifNoneMatch = request.header("If-None-Match");
        boolean notModified;
        if (ifNoneMatch != null) {
            notModified = etagMatches(ifNoneMatch, object.etag());
        } else {
            Instant ifModifiedSince = OssCodecs.parseRfc1123(request.header("If-Modified-Since"));
            notModified = ifModifiedSince != null && !object.lastModified().isAfter(ifModifiedSince);
        }
        if (!notModified) {
            return null;
        }
        return OssResponse.status(304)
                .header("ETag", OssHeaders.quoted(object.etag()))
                .header("Last-Modified", OssCodecs.formatRfc1123(object.lastModified()));
    }

    private static void checkCopySourceConditions(OssRequest request, OssObject source) {
        String ifMatch = request.header("x-oss-copy-source-if-match");
        if (ifMatch != null && !etagMatches(ifMatch, source.etag())) {
            throw preconditionFailed("x-oss-copy-source-if-match");
        }
        String ifNoneMatch = request.header("x-oss-copy-source-if-none-match");
        if (ifNoneMatch != null && etagMatches(ifNoneMatch, source.etag())) {
            throw preconditionFailed("x-oss-copy-source-if-none-match");
        }
        Instant ifUnmodifiedSince = OssCodecs.parseRfc1123(request.header("x-oss-copy-source-if-unmodified-since"));
        if (ifUnmodifiedSince != null && source.lastModified().isAfter(ifUnmodifiedSince)) {
            throw preconditionFailed("x-oss-copy-source-if-unmodified-since");
        }
        Instant ifModifiedSince = OssCodecs.parseRfc1123(request.header("x-oss-copy-source-if-modified-since"));
        if (ifModifiedSince != null && !source.lastModified().isAfter(ifModifiedSince)) {
            throw preconditionFailed("x-oss-copy-source-if-modified-since");
        }
    }

    private static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || OssHeaders.unquoted(value).equalsIgnoreCase(etag)) {
                return true;
            }
        }
        return false;
    }

    private static OssError preconditionFailed(String condition) {
        return new OssError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.")
                .detail("Condition", condition);
    }

    /** The {@code response-*} query parameters override response headers of GetObject. */
    private static void overrideResponseHeaders(OssRequest request, OssResponse response) {
        String[][] overrides = {
            {"response-content-type", "Content-Type"},
            {"response-content-language", "Content-Language"},
            {"response-expires", "Expires"},
            {"response-cache-control", "Cache-Control"},
            {"response-content-disposition", "Content-Disposition"},
            {"response-content-encoding", "Content-Encoding"},
        };
        for (String[] override : overrides) {
            String value = request.param(override[0]);
            if (value != null) {
                response.header(override[1], value);
            }
        }
    }

    static boolean urlEncoding(OssRequest request) {
        String encoding = request.param("encoding-type");
        if (encoding == null) {
            return false;
        }
        if (!encoding.equals("url")) {
            throw OssError.invalidArgument("encoding-type must be url.", "encoding-type", encoding);
        }
        return true;
    }
}
