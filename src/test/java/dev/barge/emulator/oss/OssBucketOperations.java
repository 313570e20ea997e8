package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Service- and bucket-level operations: ListBuckets (GetService), PutBucket, DeleteBucket,
 * GetBucketInfo, GetBucketLocation, GetBucketAcl, ListObjects and ListObjectsV2.
 */
final class OssBucketOperations {

    private final OssStore store;

    OssBucketOperations(OssStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    OssResponse listBuckets(OssRequest request) {
        String prefix = request.param("prefix") == null ? "" : request.param("prefix");
        String marker = request.param("marker");
        // without paging parameters OSS lists every bucket; with them max-keys defaults to 100
        boolean paged = request.hasParam("prefix") || request.hasParam("marker") || request.hasParam("max-keys");
        int maxKeys = paged ? intParam(request, "max-keys", 100, 1, 1000) : Integer.MAX_VALUE;
        List<OssBucketState> matching = new ArrayList<>();
        for (OssBucketState bucket : store.buckets()) {
            if (bucket.name().startsWith(prefix) && (marker == null || bucket.name().compareTo(marker) > 0)) {
                matching.add(bucket);
            }
        }
        boolean truncated = matching.size() > maxKeys;
        List<OssBucketState> page = truncated ? matching.subList(0, maxKeys) : matching;
        OssXml xml = OssXml.document().open("ListAllMyBucketsResult");
        if (paged) {
            xml.element("Prefix", prefix).element("Marker", marker).element("MaxKeys", maxKeys)
                    .element("IsTruncated", truncated);
            if (truncated) {
                xml.element("NextMarker", page.get(page.size() - 1).name());
            }
        }
        owner(xml).open("Buckets");
        for (OssBucketState bucket : page) {
            xml.open("Bucket")
                    .element("CreationDate", OssCodecs.ISO_8601.format(bucket.created()))
                    .element("ExtranetEndpoint", extranetEndpoint())
                    .element("IntranetEndpoint", intranetEndpoint())
                    .element("Location", location())
                    .element("Name", bucket.name())
                    .element("Region", store.settings().region())
                    .element("StorageClass", bucket.storageClass())
                    .close("Bucket");
        }
        return OssResponse.xml(200, xml.close("Buckets").close("ListAllMyBucketsResult").toBytes());
    }

    /** PutBucket; the optional body {@code <CreateBucketConfiguration><StorageClass>} sets the default class. */
    OssResponse putBucket(OssRequest request) {
        OssHeaders.checkBucketName(request.bucket());
        String storageClass = "Standard";
        if (request.body().length > 0) {
            Element root = OssXml.parse(request.body());
            String requested = OssXml.childText(root, "StorageClass");
            if (requested != null) {
                if (!OssObject.STORAGE_CLASSES.contains(requested.trim())) {
                    throw OssError.invalidArgument("Invalid storage class " + requested, "StorageClass", requested);
                }
                storageClass = requested.trim();
            }
        }
        store.create(request.bucket(), storageClass);
        return OssResponse.status(200).header("Location", "/" + request.bucket());
    }

    OssResponse deleteBucket(OssRequest request) {
        store.delete(request.bucket());
        return OssResponse.status(204);
    }

    OssResponse bucketInfo(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String owner = store.settings().ownerId();
        byte[] xml = OssXml.document().open("BucketInfo").open("Bucket")
                .element("AccessMonitor", "Disabled")
                .element("CreationDate", OssCodecs.ISO_8601.format(bucket.created()))
                .element("ExtranetEndpoint", extranetEndpoint())
                .element("IntranetEndpoint", intranetEndpoint())
                .element("Location", location())
                .element("StorageClass", bucket.storageClass())
                .element("TransferAcceleration", "Disabled")
                .element("CrossRegionReplication", "Disabled")
                .element("DataRedundancyType", "LRS")
                .element("Name", bucket.name())
                .element("ResourceGroupId", "rg-default")
                .open("Owner").element("DisplayName", owner).element("ID", owner).close("Owner")
                .open("AccessControlList").element("Grant", "private").close("AccessControlList")
                .element("Comment", "")
                .element("Versioning", "")
                .open("ServerSideEncryptionRule").element("SSEAlgorithm", "None").close("ServerSideEncryptionRule")
                .open("BucketPolicy").element("LogBucket", "").element("LogPrefix", "").close("BucketPolicy")
                .close("Bucket").close("BucketInfo").toBytes();
        return OssResponse.xml(200, xml);
    }

    OssResponse location(OssRequest request) {
        store.bucket(request.bucket());
        return OssResponse.xml(200, OssXml.document().element("LocationConstraint", location()).toBytes());
    }

    OssResponse acl(OssRequest request) {
        store.bucket(request.bucket());
        String owner = store.settings().ownerId();
        byte[] xml = OssXml.document().open("AccessControlPolicy")
                .open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner")
                .open("AccessControlList").element("Grant", "private").close("AccessControlList")
                .close("AccessControlPolicy").toBytes();
        return OssResponse.xml(200, xml);
    }

    /** ListObjects (V1): prefix, marker, delimiter, max-keys (1..1000, default 100), encoding-type. */
    OssResponse listObjectsV1(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String prefix = nullToEmpty(request.param("prefix"));
        String marker = nullToEmpty(request.param("marker"));
        String delimiter = nullToEmpty(request.param("delimiter"));
        int maxKeys = intParam(request, "max-keys", 100, 1, 1000);
        boolean url = OssObjectOperations.urlEncoding(request);
        OssBucketState.Page page = bucket.list(prefix, delimiter, marker.isEmpty() ? null : marker, maxKeys);
        OssXml xml = OssXml.document().open("ListBucketResult")
                .element("Name", bucket.name())
                .element("Prefix", encode(prefix, url))
                .element("Marker", encode(marker, url))
                .element("MaxKeys", maxKeys)
                .element("Delimiter", encode(delimiter, url))
                .element("IsTruncated", page.truncated());
        if (page.truncated()) {
            xml.element("NextMarker", encode(page.last(), url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        writeEntries(xml, page, url, true);
        return OssResponse.xml(200, xml.close("ListBucketResult").toBytes());
    }

    /**
     * ListObjectsV2: prefix, continuation-token (opaque; wins over start-after), start-after,
     * delimiter, max-keys, encoding-type, fetch-owner. KeyCount counts keys and prefixes.
     */
    OssResponse listObjectsV2(OssRequest request) {
        OssBucketState bucket = store.bucket(request.bucket());
        String prefix = nullToEmpty(request.param("prefix"));
        String delimiter = nullToEmpty(request.param("delimiter"));
        String startAfter = request.param("start-after");
        String token = request.param("continuation-token");
        int maxKeys = intParam(request, "max-keys", 100, 1, 1000);
        boolean url = OssObjectOperations.urlEncoding(request);
        boolean fetchOwner = "true".equalsIgnoreCase(request.param("fetch-owner"));
        String after = startAfter == null || startAfter.isEmpty() ? null : startAfter;
        if (token != null && !token.isEmpty()) {
            after = decodeToken(token);
        }
        OssBucketState.Page page = bucket.list(prefix, delimiter, after, maxKeys);
        OssXml xml = OssXml.document().open("ListBucketResult")
                .element("Name", bucket.name())
                .element("Prefix", encode(prefix, url));
        if (startAfter != null) {
            xml.element("StartAfter", encode(startAfter, url));
        }
        if (token != null) {
            xml.element("ContinuationToken", token);
        }
        xml.element("MaxKeys", maxKeys)
                .element("Delimiter", encode(delimiter, url))
                .element("IsTruncated", page.truncated());
        if (page.truncated()) {
            xml.element("NextContinuationToken", encodeToken(page.last()));
        }
        xml.element("KeyCount", page.objects().size() + page.commonPrefixes().size());
        if (url) {
            xml.element("EncodingType", "url");
        }
        writeEntries(xml, page, url, fetchOwner);
        return OssResponse.xml(200, xml.close("ListBucketResult").toBytes());
    }

    private void writeEntries(OssXml xml, OssBucketState.Page page, boolean url, boolean withOwner) {
        Instant now = store.instant();
        String owner = store.settings().ownerId();
        for (OssObject object : page.objects()) {
            xml.open("Contents")
                    .element("Key", encode(object.key(), url))
                    .element("LastModified", OssCodecs.ISO_8601.format(object.lastModified()))
                    .element("ETag", OssHeaders.quoted(object.etag()))
                    .element("Type", object.type().name())
                    .element("Size", object.size())
                    .element("StorageClass", object.storageClass());
            OssObject.Restore restore =
                    OssBucketState.effectiveRestore(object.restore(), now, store.settings().restorePolicy());
            if (restore != null) {
                xml.element("RestoreInfo", restore.header());
            }
            if (withOwner) {
                xml.open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner");
            }
            xml.close("Contents");
        }
        for (String prefix : page.commonPrefixes()) {
            xml.open("CommonPrefixes").element("Prefix", encode(prefix, url)).close("CommonPrefixes");
        }
    }

    private OssXml owner(OssXml xml) {
        String owner = store.settings().ownerId();
        return xml.open("Owner").element("ID", owner).element("DisplayName", owner).close("Owner");
    }

    private String location() {
        return "oss-" + store.settings().region();
    }

    private String extranetEndpoint() {
        return location() + ".aliyuncs.com";
    }

    private String intranetEndpoint() {
        return location() + "-internal.aliyuncs.com";
    }

    /** Continuation tokens are the last key or prefix of the page, base64url-encoded. */
    private static String encodeToken(String last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), UTF_8);
        } catch (IllegalArgumentException e) {
            throw OssError.invalidArgument("The continuation token provided is incorrect.", "continuation-token", token);
        }
    }

    private static String encode(String value, boolean url) {
        return url ? OssCodecs.uriEncode(value, false) : value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** An integer query parameter within [min, max], or {@code fallback} when absent or empty. */
    static int intParam(OssRequest request, String name, int fallback, int min, int max) {
        String text = request.param(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OssError.invalidArgument(name + " must be an integer between " + min + " and " + max + ".", name, text);
    }
}
