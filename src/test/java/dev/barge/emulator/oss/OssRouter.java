package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Checks the signature, then picks the operation from method, address level (service, bucket,
 * object) and sub-resource. A sub-resource the emulator does not implement (lifecycle, tagging,
 * versioning...) is 501 NotImplemented rather than silently served as something else.
 */
final class OssRouter {

    /** Query parameters in OSS's sub-resource list that the emulator understands. */
    private static final Set<String> HANDLED = Set.of(
            "acl", "uploads", "location", "delete", "append", "objectMeta", "uploadId", "partNumber",
            "security-token", "position", "response-cache-control", "response-content-disposition",
            "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
            "bucketInfo", "restore", "continuation-token", "x-oss-traffic-limit", "x-oss-request-payer");

    private final OssStore store;
    private final OssSignatureVerifier verifier;
    private final OssBucketOperations buckets;
    private final OssObjectOperations objects;
    private final OssMultipartOperations multipart;

    OssRouter(OssStore store, OssSignatureVerifier verifier) {
        this.store = requireNonNull(store, "store is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.buckets = new OssBucketOperations(store);
        this.objects = new OssObjectOperations(store);
        this.multipart = new OssMultipartOperations(store, objects);
    }

    OssResponse handle(OssRequest request) {
        verifier.verify(request);
        for (String param : request.params().keySet()) {
            if (OssSignatureVerifier.V1_SUB_RESOURCES.contains(param) && !HANDLED.contains(param)) {
                throw new OssError(501, "NotImplemented", "The OSS emulator does not implement the '" + param
                        + "' sub-resource.").detail("Method", request.method());
            }
        }
        OssResponse response;
        if (request.bucket() == null) {
            response = request.method().equals("GET") ? buckets.listBuckets(request) : null;
        } else if (request.key() == null) {
            response = bucketLevel(request);
        } else {
            OssHeaders.checkKey(request.key());
            response = objectLevel(request);
        }
        if (response == null) {
            throw new OssError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
                    .detail("Method", request.method())
                    .detail("ResourceType", request.bucket() == null ? "Service" : request.key() == null ? "Bucket" : "Object");
        }
        return response;
    }

    private OssResponse bucketLevel(OssRequest request) {
        return switch (request.method()) {
            case "PUT" -> request.hasParam("acl") ? aclNoOp(request) : buckets.putBucket(request);
            case "DELETE" -> buckets.deleteBucket(request);
            case "GET" -> {
                if (request.hasParam("bucketInfo")) {
                    yield buckets.bucketInfo(request);
                } else if (request.hasParam("location")) {
                    yield buckets.location(request);
                } else if (request.hasParam("acl")) {
                    yield buckets.acl(request);
                } else if (request.hasParam("uploads")) {
                    yield multipart.listUploads(request);
                } else if ("2".equals(request.param("list-type"))) {
                    yield buckets.listObjectsV2(request);
                } else {
                    yield buckets.listObjectsV1(request);
                }
            }
            case "POST" -> request.hasParam("delete") ? objects.deleteMultiple(request) : null;
            default -> null;
        };
    }

    private OssResponse objectLevel(OssRequest request) {
        boolean copySource = request.header("x-oss-copy-source") != null;
        return switch (request.method()) {
            case "PUT" -> {
                if (request.hasParam("uploadId") || request.hasParam("partNumber")) {
                    yield copySource ? multipart.uploadPartCopy(request) : multipart.uploadPart(request);
                } else if (request.hasParam("acl")) {
                    yield aclNoOp(request);
                } else {
                    yield copySource ? objects.copy(request) : objects.put(request);
                }
            }
            case "GET", "HEAD" -> {
                if (request.hasParam("uploadId")) {
                    yield request.isHead() ? null : multipart.listParts(request);
                } else if (request.hasParam("objectMeta") && request.isHead()) {
                    // GetObjectMeta is HEAD only: a GET reads the object rather than promise a body it lacks
                    yield objects.objectMeta(request);
                } else if (request.hasParam("acl")) {
                    yield null;
                } else {
                    yield objects.get(request);
                }
            }
            case "DELETE" -> request.hasParam("uploadId") ? multipart.abort(request) : objects.delete(request);
            case "POST" -> {
                if (request.hasParam("uploads")) {
                    yield multipart.initiate(request);
                } else if (request.hasParam("uploadId")) {
                    yield multipart.complete(request);
                } else if (request.hasParam("append")) {
                    yield objects.append(request);
                } else if (request.hasParam("restore")) {
                    yield objects.restore(request);
                } else {
                    yield null;
                }
            }
            default -> null;
        };
    }

    /** PutBucketAcl / PutObjectAcl: accepted and ignored (everything is private to the one owner). */
    private OssResponse aclNoOp(OssRequest request) {
        store.bucket(request.bucket());
        return OssResponse.status(200);
    }
}
