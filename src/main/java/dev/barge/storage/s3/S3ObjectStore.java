package dev.barge.storage.s3;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.DeleteResult;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PresignRequest;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import dev.barge.storage.multipart.MultipartEngine;
import dev.barge.storage.multipart.PartPlan;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GlacierJobParameters;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tier;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An S3 endpoint as an {@link ObjectStore}, on the AWS SDK's synchronous client. One client
 * serves every thread. The SDK sends each request once (the retry layer retries); the driver adds
 * what S3 leaves to clients: storage class changes (a copy onto itself) and telling a missing
 * bucket from a missing key after a HEAD, whose 404 has no body. Puts of unknown length and copies
 * above the single-copy limit are the shared {@link MultipartEngine}'s, over this driver's pieces
 * (UploadPart, UploadPartCopy).
 */
final class S3ObjectStore implements ObjectStore {
    static final long MIN_PART_SIZE = 5L << 20;
    static final long MAX_PART_SIZE = 5L << 30;
    static final int MAX_PARTS = 10_000;
    static final long MAX_PUT_SIZE = 5L << 30;
    static final long MAX_COPY_SIZE = 5L << 30;
    static final int MAX_BATCH_DELETE = 1000;
    private static final int MAX_KEY_BYTES = 1024;
    private static final Pattern PLAIN_MD5_ETAG = Pattern.compile("[0-9a-fA-F]{32}");
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private static final Capabilities CAPABILITIES = capabilities(true);
    private static final Capabilities CAPABILITIES_WITHOUT_MD5 = capabilities(false);

    private final S3Client client;
    private final S3Presigner presigner;
    private final AutoCloseable credentials;
    private final S3Options options;
    private final MultipartEngine uploads;
    private final MultipartEngine copies;

    /**
     * @param credentials the credentials provider to close with the store, or {@code null}
     */
    S3ObjectStore(S3Client client, S3Presigner presigner, AutoCloseable credentials, S3Options options) {
        this.client = requireNonNull(client, "client is null");
        this.presigner = requireNonNull(presigner, "presigner is null");
        this.credentials = credentials;
        this.options = requireNonNull(options, "options is null");
        // every part but the last of one size: S3 takes any, but some S3-compatible stores (R2) do not
        this.uploads = new MultipartEngine(new MultipartEngine.Settings(options.multipartUploadPartSize(),
                options.multipartUploadConcurrency(), options.multipartUploadPartSize(), Long.MAX_VALUE, false, Set.of(),
                true, Set.of()),
                "barge-s3-upload-" + options.remote());
        this.copies = new MultipartEngine(new MultipartEngine.Settings(options.multipartCopyPartSize(),
                options.multipartCopyConcurrency(), 0, Long.MAX_VALUE, false, Set.of(), false, Set.of()),
                "barge-s3-copy-" + options.remote());
    }

    private static Capabilities capabilities(boolean md5) {
        return Capabilities.builder()
                .copy(MAX_COPY_SIZE)
                .multipart(MIN_PART_SIZE, MAX_PART_SIZE, MAX_PARTS)
                .multipartCopy(true)
                .maxPutSize(MAX_PUT_SIZE)
                .storageClasses(S3StorageClasses.OFFERED)
                .setStorageClass(true)
                .restore(true)
                .presign(true)
                .presignMaxExpiry(Duration.ofDays(7)) // SigV4 query signatures: X-Amz-Expires <= 604800
                .listStartAfter(true)
                .maxBatchDeleteSize(MAX_BATCH_DELETE)
                .checksums(md5 ? EnumSet.of(Checksum.Algorithm.MD5) : EnumSet.noneOf(Checksum.Algorithm.class))
                .keysNestUnderObjects(true)
                .build();
    }

    @Override
    public Capabilities capabilities() {
        return options.etagIsMd5() ? CAPABILITIES : CAPABILITIES_WITHOUT_MD5;
    }

    // ---- listing and reading ------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) {
        ListObjectsV2Request.Builder b = ListObjectsV2Request.builder()
                .bucket(request.bucket())
                .maxKeys(request.pageSize())
                // keys come back URL-encoded, and the SDK decodes them: keys with characters XML 1.0
                // cannot carry survive the listing
                .encodingType(EncodingType.URL);
        if (!request.prefix().isEmpty()) {
            b.prefix(request.prefix());
        }
        if (request.delimiter() != null) {
            b.delimiter(request.delimiter());
        }
        if (request.startAfter() != null) {
            b.startAfter(request.startAfter());
        }
        if (request.pageToken() != null) {
            b.continuationToken(request.pageToken());
        }
        ListObjectsV2Response response = call(Operation.LIST, request.bucket(), request.prefix(),
                () -> client.listObjectsV2(b.build()));
        List<ObjectInfo> objects = new ArrayList<>(response.contents().size());
        for (S3Object o : response.contents()) {
            objects.add(info(o));
        }
        List<String> prefixes = response.commonPrefixes().stream().map(p -> p.prefix()).toList();
        String token = null;
        if (Boolean.TRUE.equals(response.isTruncated())) {
            token = response.nextContinuationToken();
            if (token == null || token.isEmpty()) {
                throw StorageException.builder(ErrorKind.PERMANENT, Operation.LIST).bucket(request.bucket())
                        .key(request.prefix())
                        .detail("the store says the listing goes on but gave no continuation token").build();
            }
        }
        return new ListPage(objects, prefixes, token);
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        requireKey(Operation.STAT, bucket, key);
        return info(key, head(Operation.STAT, bucket, key));
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        requireKey(Operation.GET, bucket, key);
        GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(key);
        if (range != null) {
            b.range(range.toString());
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = client.getObject(b.build());
        } catch (SdkException | UncheckedIOException | IllegalArgumentException e) {
            StorageException mapped = S3Errors.map(Operation.GET, bucket, key, e);
            if (range != null && e instanceof AwsServiceException ase && ase.statusCode() == 416) {
                if (range.isSuffix() && stat(bucket, key).size() == 0) {
                    return get(bucket, key, null); // S3 refuses any range of an empty object; the SPI wants it empty
                }
                throw StorageException.builder(mapped.kind(), Operation.GET).bucket(bucket).key(key)
                        .detail("range " + range + " starts at or past the end of the object (" + mapped.detail() + ")")
                        .vendorCode(mapped.vendorCode()).requestId(mapped.requestId()).cause(e).build();
            }
            throw mapped;
        }
        try {
            return content(bucket, key, range, in);
        } catch (RuntimeException e) {
            in.abort();
            closeQuietly(in);
            throw e;
        }
    }

    private ObjectContent content(String bucket, String key, ByteRange range, ResponseInputStream<GetObjectResponse> in) {
        GetObjectResponse response = in.response();
        if (response.contentLength() == null) {
            throw StorageException.builder(ErrorKind.PERMANENT, Operation.GET).bucket(bucket).key(key)
                    .detail("the response has no Content-Length").build();
        }
        long received = response.contentLength();
        Matcher contentRange = response.contentRange() == null ? null : CONTENT_RANGE.matcher(response.contentRange());
        if (contentRange != null && contentRange.matches()) {
            long offset = Long.parseLong(contentRange.group(1));
            long size = contentRange.group(3).equals("*") ? offset + received : Long.parseLong(contentRange.group(3));
            return new ObjectContent(info(key, response, size), offset, received,
                    new S3ObjectInputStream(in, bucket, key, received));
        }
        ObjectInfo info = info(key, response, received);
        if (range == null) {
            return new ObjectContent(info, 0, received, new S3ObjectInputStream(in, bucket, key, received));
        }
        // the store ignored the range and sent the whole object: cut the range out here
        ByteRange.Resolved resolved;
        try {
            resolved = range.resolve(received);
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidArgument(Operation.GET, bucket, key, e.getMessage());
        }
        try {
            in.skipNBytes(resolved.offset());
        } catch (IOException e) {
            throw S3Errors.map(Operation.GET, bucket, key, e);
        }
        return new ObjectContent(info, resolved.offset(), resolved.length(),
                new S3ObjectInputStream(in, bucket, key, resolved.length()));
    }

    // ---- writing ------------------------------------------------------------------------

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        requireKey(Operation.PUT, bucket, key);
        String storageClass = storageClassName(Operation.PUT, bucket, key, request.storageClass());
        String expectedMd5 = expectedMd5(Operation.PUT, request);
        if (payload.hasKnownLength() && payload.length() > MAX_PUT_SIZE) {
            throw StorageException.invalidArgument(Operation.PUT, bucket, key, "a single put takes at most "
                    + MAX_PUT_SIZE + " bytes, not " + payload.length() + "; use a multipart upload");
        }
        if (uploads.writesInParts(payload)) {
            return uploads.put(this, request, payload);
        }
        PutObjectRequest put = putRequest(request, storageClass, payload.length(),
                expectedMd5 == null ? null : base64(HexFormat.of().parseHex(expectedMd5)));
        try (Body body = Body.of(payload)) {
            PutObjectResponse response = call(Operation.PUT, bucket, key, () -> client.putObject(put, body.requestBody()));
            return written(response.eTag(), expectedMd5,
                    encrypted(response.serverSideEncryptionAsString(), response.sseCustomerAlgorithm()));
        }
    }

    private PutObjectRequest putRequest(PutRequest request, String storageClass, long length, String contentMd5) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(request.bucket()).key(request.key())
                .contentLength(length);
        if (request.contentType() != null) {
            b.contentType(request.contentType());
        }
        if (!request.userMetadata().isEmpty()) {
            b.metadata(request.userMetadata());
        }
        if (storageClass != null) {
            b.storageClass(storageClass);
        }
        if (contentMd5 != null) {
            b.contentMD5(contentMd5);
        }
        return b.build();
    }

    private CompletedPart uploadBytes(Operation op, MultipartUpload upload, int partNumber, byte[] buffer, int n) {
        String contentMd5 = base64(md5Of(buffer, n));
        UploadPartRequest request = UploadPartRequest.builder().bucket(upload.bucket()).key(upload.key())
                .uploadId(upload.uploadId()).partNumber(partNumber).contentLength((long) n).contentMD5(contentMd5).build();
        String etag = call(op, upload.bucket(), upload.key(), () -> client.uploadPart(request, bytes(buffer, n))).eTag();
        return new CompletedPart(partNumber, unquote(etag), n);
    }

    @Override
    public void delete(String bucket, String key) {
        requireKey(Operation.DELETE, bucket, key);
        call(Operation.DELETE, bucket, key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public DeleteResult deleteBatch(String bucket, List<String> keys) {
        if (keys.size() > MAX_BATCH_DELETE) {
            throw StorageException.invalidArgument(Operation.DELETE_BATCH, bucket, null,
                    "a batch delete takes at most " + MAX_BATCH_DELETE + " keys, not " + keys.size());
        }
        Map<String, StorageException> failed = new HashMap<>();
        List<ObjectIdentifier> ids = new ArrayList<>(keys.size());
        for (String key : keys) {
            try {
                requireKey(Operation.DELETE_BATCH, bucket, key);
                ids.add(ObjectIdentifier.builder().key(key).build());
            } catch (StorageException e) {
                failed.put(key, e);
            }
        }
        if (!ids.isEmpty()) {
            // quiet: S3 reports only the keys it failed to delete; every other key is gone
            DeleteObjectsResponse response = call(Operation.DELETE_BATCH, bucket, null, () -> client.deleteObjects(
                    d -> d.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build())));
            for (S3Error error : response.errors()) {
                if (error.key() == null) {
                    throw StorageException.builder(ErrorKind.PERMANENT, Operation.DELETE_BATCH).bucket(bucket)
                            .vendorCode(error.code()).detail("the store reported a failure without a key: "
                                    + error.code() + ": " + error.message()).build();
                }
                ErrorKind kind = S3Errors.kind(Operation.DELETE_BATCH, error.key(), 0, error.code());
                failed.put(error.key(), StorageException.builder(kind, Operation.DELETE_BATCH).bucket(bucket)
                        .key(error.key()).vendorCode(error.code())
                        .requestId(S3Errors.requestId(response.responseMetadata().requestId()))
                        .detail(error.code() + ": " + error.message()).build());
            }
        }
        List<String> deleted = keys.stream().filter(k -> !failed.containsKey(k)).toList();
        return new DeleteResult(deleted, failed);
    }

    // ---- buckets ------------------------------------------------------------------------

    @Override
    public void createBucket(String bucket) {
        requireBucket(Operation.CREATE_BUCKET, bucket);
        // AWS answers 200 to a create of a bucket one already owns in us-east-1: ask first
        if (bucketExists(Operation.CREATE_BUCKET, bucket)) {
            throw StorageException.builder(ErrorKind.CONFLICT, Operation.CREATE_BUCKET).bucket(bucket)
                    .detail("the bucket exists already").build();
        }
        CreateBucketRequest.Builder b = CreateBucketRequest.builder().bucket(bucket);
        if (options.sendsLocationConstraint()) {
            b.createBucketConfiguration(c -> c.locationConstraint(options.region()));
        }
        call(Operation.CREATE_BUCKET, bucket, null, () -> client.createBucket(b.build()));
    }

    @Override
    public List<BucketInfo> listBuckets() {
        List<BucketInfo> buckets = new ArrayList<>();
        String token = null;
        do {
            ListBucketsRequest.Builder b = ListBucketsRequest.builder();
            if (token != null) {
                b.continuationToken(token);
            }
            ListBucketsResponse response = call(Operation.LIST_BUCKETS, null, null, () -> client.listBuckets(b.build()));
            response.buckets().forEach(x -> buckets.add(new BucketInfo(x.name(), x.creationDate())));
            token = response.continuationToken();
        } while (token != null && !token.isEmpty());
        buckets.sort(Comparator.comparing(BucketInfo::name, KeyOrder.UTF8));
        return List.copyOf(buckets);
    }

    @Override
    public void deleteBucket(String bucket) {
        requireBucket(Operation.DELETE_BUCKET, bucket);
        call(Operation.DELETE_BUCKET, bucket, null, () -> client.deleteBucket(b -> b.bucket(bucket)));
    }

    // ---- copy and storage classes -------------------------------------------------------

    @Override
    public WriteResult copy(CopyRequest request) {
        return copy(request, this);
    }

    @Override
    public WriteResult copy(CopyRequest request, ObjectStore parts) {
        requireKey(Operation.COPY, request.sourceBucket(), request.sourceKey());
        requireKey(Operation.COPY, request.targetBucket(), request.targetKey());
        String storageClass = storageClassName(Operation.COPY, request.targetBucket(), request.targetKey(),
                request.storageClass());
        Headers headers = request.replaceMetadata()
                ? new Headers(request.contentType(), request.userMetadata(), null, null, null, null, null, null, null)
                : null;
        Target target = new Target(request.targetBucket(), request.targetKey(), storageClass, headers);
        ObjectInfo listed = request.listedSource();
        if (listed != null && listed.size() <= options.multipartCopyThreshold()) {
            // the listing gave the size: one CopyObject, no HEAD (as rclone below its copy cutoff)
            return singleCopy(Operation.COPY, request.sourceBucket(), request.sourceKey(), target);
        }
        HeadObjectResponse source = head(Operation.COPY, request.sourceBucket(), request.sourceKey());
        return copy(Operation.COPY, request.sourceBucket(), request.sourceKey(), source, target, parts);
    }

    /**
     * A copy onto itself with the new class. The object's headers are read by the HEAD and sent
     * back with metadata directive REPLACE: S3 would keep them with COPY too, but S3Proxy and
     * older Ceph RGW refuse a copy onto itself without REPLACE, and REPLACE works everywhere.
     */
    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass) {
        setStorageClass(bucket, key, storageClass, this);
    }

    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass, ObjectStore parts) {
        requireNonNull(storageClass, "storageClass is null");
        requireKey(Operation.SET_STORAGE_CLASS, bucket, key);
        String name = storageClassName(Operation.SET_STORAGE_CLASS, bucket, key, storageClass);
        HeadObjectResponse current = head(Operation.SET_STORAGE_CLASS, bucket, key);
        String currentName = current.storageClassAsString() == null ? "STANDARD" : current.storageClassAsString();
        if (currentName.equals(name)) {
            return; // S3 refuses a copy onto itself that changes nothing
        }
        copy(Operation.SET_STORAGE_CLASS, bucket, key, current, new Target(bucket, key, name, Headers.of(current)),
                parts);
    }

    /** Where a copy writes; {@code headers} {@code null} keeps the source's (metadata directive COPY). */
    private record Target(String bucket, String key, String storageClass, Headers headers) {}

    /** The headers a copy writes with metadata directive REPLACE, or a multipart copy starts with. */
    private record Headers(String contentType, Map<String, String> userMetadata, String cacheControl,
            String contentDisposition, String contentEncoding, String contentLanguage, Instant expires,
            String websiteRedirectLocation, String kmsKeyId) {

        /** The source's own, its SSE-KMS key included so that an in-place copy keeps it. */
        static Headers of(HeadObjectResponse h) {
            boolean kms = h.serverSideEncryptionAsString() != null
                    && h.serverSideEncryptionAsString().toLowerCase(Locale.ROOT).startsWith("aws:kms");
            return new Headers(h.contentType(), lowerCaseNames(h.metadata()), h.cacheControl(), h.contentDisposition(),
                    h.contentEncoding(), h.contentLanguage(), httpDate(h.expiresString()), h.websiteRedirectLocation(),
                    kms ? h.ssekmsKeyId() : null);
        }

        void applyTo(CopyObjectRequest.Builder b) {
            b.metadataDirective(MetadataDirective.REPLACE).contentType(contentType).metadata(userMetadata)
                    .cacheControl(cacheControl).contentDisposition(contentDisposition).contentEncoding(contentEncoding)
                    .contentLanguage(contentLanguage).expires(expires).websiteRedirectLocation(websiteRedirectLocation);
            if (kmsKeyId != null) {
                b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
            }
        }

        void applyTo(CreateMultipartUploadRequest.Builder b) {
            b.contentType(contentType).metadata(userMetadata).cacheControl(cacheControl)
                    .contentDisposition(contentDisposition).contentEncoding(contentEncoding)
                    .contentLanguage(contentLanguage).expires(expires).websiteRedirectLocation(websiteRedirectLocation);
            if (kmsKeyId != null) {
                b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
            }
        }
    }

    private WriteResult copy(Operation op, String sourceBucket, String sourceKey, HeadObjectResponse source, Target target,
            ObjectStore parts) {
        if (source.contentLength() != null && source.contentLength() > options.multipartCopyThreshold()) {
            return multipartCopy(op, sourceBucket, sourceKey, source, target, parts);
        }
        return singleCopy(op, sourceBucket, sourceKey, target);
    }

    /** One CopyObject: up to 5GB, done by the store in one request. */
    private WriteResult singleCopy(Operation op, String sourceBucket, String sourceKey, Target target) {
        CopyObjectRequest.Builder b = CopyObjectRequest.builder()
                .sourceBucket(sourceBucket).sourceKey(sourceKey)
                .destinationBucket(target.bucket()).destinationKey(target.key());
        if (target.headers() != null) {
            target.headers().applyTo(b);
        } else {
            b.metadataDirective(MetadataDirective.COPY);
        }
        if (target.storageClass() != null) {
            b.storageClass(target.storageClass());
        }
        CopyObjectResponse response = call(op, sourceBucket, sourceKey, () -> client.copyObject(b.build()));
        String etag = response.copyObjectResult() != null ? response.copyObjectResult().eTag() : null;
        return written(etag, null, encrypted(response.serverSideEncryptionAsString(), response.sseCustomerAlgorithm()));
    }

    /**
     * A copy in parts copied by the store (UploadPartCopy), by the shared engine: the upload is started
     * here with the headers the copy keeps (multipart uploads copy none), the parts go through
     * {@code parts}, each pinned to the source's etag.
     */
    private WriteResult multipartCopy(Operation op, String sourceBucket, String sourceKey, HeadObjectResponse source,
            Target target, ObjectStore parts) {
        PartPlan plan = PartPlan.of(op, target.bucket(), target.key(), source.contentLength(),
                options.multipartCopyPartSize(), capabilities());
        CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder()
                .bucket(target.bucket()).key(target.key());
        (target.headers() != null ? target.headers() : Headers.of(source)).applyTo(b);
        if (target.storageClass() != null) {
            b.storageClass(target.storageClass());
        }
        String uploadId = call(op, target.bucket(), target.key(), () -> client.createMultipartUpload(b.build())).uploadId();
        MultipartUpload upload = new MultipartUpload(target.bucket(), target.key(), uploadId);
        return copies.copy(parts, upload, plan, sourceBucket, sourceKey, unquote(source.eTag()));
    }

    // ---- multipart ----------------------------------------------------------------------

    @Override
    public MultipartUpload initiateMultipart(PutRequest request) {
        requireKey(Operation.MULTIPART_INITIATE, request.bucket(), request.key());
        String storageClass = storageClassName(Operation.MULTIPART_INITIATE, request.bucket(), request.key(),
                request.storageClass());
        return initiate(Operation.MULTIPART_INITIATE, request, storageClass);
    }

    private MultipartUpload initiate(Operation op, PutRequest request, String storageClass) {
        CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder()
                .bucket(request.bucket()).key(request.key());
        if (request.contentType() != null) {
            b.contentType(request.contentType());
        }
        if (!request.userMetadata().isEmpty()) {
            b.metadata(request.userMetadata());
        }
        if (storageClass != null) {
            b.storageClass(storageClass);
        }
        String uploadId = call(op, request.bucket(), request.key(), () -> client.createMultipartUpload(b.build())).uploadId();
        return new MultipartUpload(request.bucket(), request.key(), uploadId);
    }

    @Override
    public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        Operation op = Operation.MULTIPART_UPLOAD_PART;
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(),
                    "part number " + partNumber + " is outside 1.." + MAX_PARTS);
        }
        if (payload.length() > MAX_PART_SIZE) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(),
                    "a part holds at most " + MAX_PART_SIZE + " bytes, not " + payload.length());
        }
        if (!payload.hasKnownLength()) {
            byte[] bytes;
            try (InputStream in = payload.open()) {
                bytes = in.readNBytes(Integer.MAX_VALUE - 8);
                if (in.read() != -1) {
                    throw StorageException.invalidArgument(op, upload.bucket(), upload.key(),
                            "a part of unknown length must fit in memory (2GB); give its length");
                }
            } catch (IOException e) {
                throw S3Errors.map(op, upload.bucket(), upload.key(), e);
            }
            return uploadBytes(op, upload, partNumber, bytes, bytes.length);
        }
        UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(upload.bucket()).key(upload.key())
                .uploadId(upload.uploadId()).partNumber(partNumber).contentLength(payload.length());
        if (payload.isReplayable()) {
            // One MD5 pass here lets the store check the part, and then over http the SDK need not
            // sign it with SHA-256 chunk by chunk (S3UnsignedPayload), which costs twice as much.
            request.contentMD5(base64(md5Of(op, upload.bucket(), upload.key(), payload)));
        }
        try (Body body = Body.of(payload)) {
            UploadPartRequest built = request.build();
            String etag = call(op, upload.bucket(), upload.key(), () -> client.uploadPart(built, body.requestBody())).eTag();
            return new CompletedPart(partNumber, unquote(etag), payload.length());
        }
    }

    @Override
    public CompletedPart uploadPartCopy(MultipartUpload upload, int partNumber, String sourceBucket, String sourceKey,
            String sourceEtag, ByteRange range) {
        Operation op = Operation.MULTIPART_UPLOAD_PART_COPY;
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(),
                    "part number " + partNumber + " is outside 1.." + MAX_PARTS);
        }
        requireKey(op, sourceBucket, sourceKey);
        if (range.isSuffix() || range.last() < 0 || range.last() - range.first() + 1 > MAX_PART_SIZE) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(), "a part copy needs a range of"
                    + " at most " + MAX_PART_SIZE + " bytes with its first and last byte, not " + range);
        }
        UploadPartCopyResponse response = call(op, sourceBucket, sourceKey, () -> client.uploadPartCopy(p -> {
            p.sourceBucket(sourceBucket).sourceKey(sourceKey).copySourceRange("bytes=" + range.first() + "-"
                    + range.last()).destinationBucket(upload.bucket()).destinationKey(upload.key())
                    .uploadId(upload.uploadId()).partNumber(partNumber);
            if (sourceEtag != null) {
                p.copySourceIfMatch(quote(sourceEtag));
            }
        }));
        return new CompletedPart(partNumber, unquote(response.copyPartResult().eTag()), range.last() - range.first() + 1);
    }

    @Override
    public MultipartEngine multipartEngine() {
        return uploads;
    }

    @Override
    public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        return complete(Operation.MULTIPART_COMPLETE, upload, parts);
    }

    private WriteResult complete(Operation op, MultipartUpload upload, List<CompletedPart> parts) {
        if (parts.isEmpty()) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(), "a multipart upload needs at least one part");
        }
        List<CompletedPart> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingInt(CompletedPart::partNumber));
        for (int i = 0; i < ordered.size(); i++) {
            CompletedPart part = ordered.get(i);
            if (i > 0 && ordered.get(i - 1).partNumber() == part.partNumber()) {
                throw StorageException.invalidArgument(op, upload.bucket(), upload.key(),
                        "part " + part.partNumber() + " is listed twice");
            }
            // S3 checks this too, but not every S3-compatible store does
            if (i < ordered.size() - 1 && part.size() < MIN_PART_SIZE) {
                throw StorageException.invalidArgument(op, upload.bucket(), upload.key(), "part " + part.partNumber()
                        + " is " + part.size() + " bytes, smaller than the minimum of " + MIN_PART_SIZE
                        + " for all parts but the last");
            }
        }
        CompletedMultipartUpload completed = CompletedMultipartUpload.builder().parts(ordered.stream()
                .map(p -> software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                        .partNumber(p.partNumber()).eTag(quote(p.etag())).build())
                .toList()).build();
        CompleteMultipartUploadResponse response = call(op, upload.bucket(), upload.key(), () -> client
                .completeMultipartUpload(c -> c.bucket(upload.bucket()).key(upload.key())
                        .uploadId(upload.uploadId()).multipartUpload(completed)));
        // the etag of a multipart object is no MD5 of its bytes, whatever it looks like
        return new WriteResult(unquote(response.eTag()), List.of());
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        try {
            client.abortMultipartUpload(a -> a.bucket(upload.bucket()).key(upload.key()).uploadId(upload.uploadId()));
        } catch (SdkException | UncheckedIOException | IllegalArgumentException e) {
            StorageException mapped = S3Errors.map(Operation.MULTIPART_ABORT, upload.bucket(), upload.key(), e);
            if (mapped.kind() != ErrorKind.NOT_FOUND) {
                throw mapped; // an unknown or finished upload is already what abort asks for
            }
        }
    }

    // ---- restore and presign ------------------------------------------------------------

    @Override
    public void restore(String bucket, String key, RestoreRequest request) {
        requireKey(Operation.RESTORE, bucket, key);
        Tier tier = switch (request.tier()) {
            case EXPEDITED -> Tier.EXPEDITED;
            case STANDARD -> Tier.STANDARD;
            case BULK -> Tier.BULK;
        };
        try {
            client.restoreObject(r -> r.bucket(bucket).key(key).restoreRequest(s -> s.days(request.days())
                    .glacierJobParameters(GlacierJobParameters.builder().tier(tier).build())));
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
            if ("RestoreAlreadyInProgress".equals(code)) {
                return; // asking again while a restore runs changes nothing, as the SPI wants
            }
            throw S3Errors.map(Operation.RESTORE, bucket, key, e);
        } catch (SdkException | UncheckedIOException | IllegalArgumentException e) {
            throw S3Errors.map(Operation.RESTORE, bucket, key, e);
        }
    }

    @Override
    public URI presign(PresignRequest request) {
        requireKey(Operation.PRESIGN, request.bucket(), request.key());
        java.net.URL url = call(Operation.PRESIGN, request.bucket(), request.key(), () -> switch (request.method()) {
            case GET -> presigner.presignGetObject(p -> p.signatureDuration(request.expiry())
                    .getObjectRequest(g -> g.bucket(request.bucket()).key(request.key()))).url();
            case PUT -> presigner.presignPutObject(p -> p.signatureDuration(request.expiry())
                    .putObjectRequest(g -> g.bucket(request.bucket()).key(request.key()))).url();
        });
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw StorageException.builder(ErrorKind.PERMANENT, Operation.PRESIGN).bucket(request.bucket())
                    .key(request.key()).detail("the SDK signed a URL that is not a URI: " + e.getMessage()).build();
        }
    }

    @Override
    public void close() {
        uploads.close();
        copies.close();
        presigner.close();
        client.close();
        if (credentials != null) {
            try {
                credentials.close();
            } catch (Exception e) {
                // nothing left to release
            }
        }
    }

    // ---- shared pieces ------------------------------------------------------------------

    /** Runs one SDK call, mapping its failures. */
    private static <T> T call(Operation op, String bucket, String key, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException | UncheckedIOException | IllegalArgumentException e) {
            throw S3Errors.map(op, bucket, key, e);
        }
    }

    /**
     * HEAD of an object. Its 404 has no body to tell a missing key from a missing bucket, so on a
     * 404 a HEAD of the bucket decides: one more request, only for objects that are not there.
     */
    private HeadObjectResponse head(Operation op, String bucket, String key) {
        try {
            return client.headObject(h -> h.bucket(bucket).key(key));
        } catch (SdkException | UncheckedIOException | IllegalArgumentException e) {
            StorageException mapped = S3Errors.map(op, bucket, key, e);
            if (e instanceof AwsServiceException ase && ase.statusCode() == 404 && !bucketExists(op, bucket)) {
                throw StorageException.builder(ErrorKind.BUCKET_NOT_FOUND, op).bucket(bucket).key(key)
                        .detail("HTTP 404: no such bucket").requestId(mapped.requestId()).cause(e).build();
            }
            throw mapped;
        }
    }

    /** Whether a bucket exists, whoever owns it: HEAD answers 404 only when it does not. */
    private boolean bucketExists(Operation op, String bucket) {
        try {
            client.headBucket(h -> h.bucket(bucket));
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            if (e.statusCode() == 403 || e.statusCode() == 301) {
                return true; // someone else's, or in another region
            }
            throw S3Errors.map(op, bucket, null, e);
        } catch (SdkException | UncheckedIOException | IllegalArgumentException e) {
            throw S3Errors.map(op, bucket, null, e);
        }
    }

    private ObjectInfo info(S3Object o) {
        String etag = unquote(o.eTag());
        RestoreStatus restore = RestoreStatus.NONE;
        if (o.restoreStatus() != null) {
            if (Boolean.TRUE.equals(o.restoreStatus().isRestoreInProgress())) {
                restore = RestoreStatus.IN_PROGRESS;
            } else if (o.restoreStatus().restoreExpiryDate() != null) {
                restore = RestoreStatus.restoredUntil(o.restoreStatus().restoreExpiryDate());
            }
        }
        return new ObjectInfo(o.key(), o.size() != null ? o.size() : 0, orEpoch(o.lastModified()), etag,
                S3StorageClasses.fromS3(o.storageClassAsString()), null, Map.of(), etagChecksums(etag, false), restore);
    }

    private ObjectInfo info(String key, HeadObjectResponse h) {
        String etag = unquote(h.eTag());
        return new ObjectInfo(key, h.contentLength() != null ? h.contentLength() : 0, orEpoch(h.lastModified()), etag,
                S3StorageClasses.fromS3(h.storageClassAsString()), h.contentType(), lowerCaseNames(h.metadata()),
                etagChecksums(etag, encrypted(h.serverSideEncryptionAsString(), h.sseCustomerAlgorithm())),
                S3RestoreHeader.parse(h.restore()));
    }

    private ObjectInfo info(String key, GetObjectResponse g, long size) {
        String etag = unquote(g.eTag());
        return new ObjectInfo(key, size, orEpoch(g.lastModified()), etag, S3StorageClasses.fromS3(g.storageClassAsString()),
                g.contentType(), lowerCaseNames(g.metadata()),
                etagChecksums(etag, encrypted(g.serverSideEncryptionAsString(), g.sseCustomerAlgorithm())),
                S3RestoreHeader.parse(g.restore()));
    }

    /** What a write reports: the MD5 the store verified (Content-MD5), else the one its etag is. */
    private WriteResult written(String rawEtag, String verifiedMd5, boolean encrypted) {
        String etag = unquote(rawEtag);
        if (verifiedMd5 != null) {
            return new WriteResult(etag, List.of(Checksum.md5Hex(verifiedMd5)));
        }
        return new WriteResult(etag, etagChecksums(etag, encrypted));
    }

    /**
     * The MD5 an etag stands for: S3's etag of an object written in one request is the MD5 of its
     * bytes, unless it is encrypted with SSE-KMS or SSE-C; a multipart etag ends in "-parts".
     */
    private List<Checksum> etagChecksums(String etag, boolean encrypted) {
        if (!options.etagIsMd5() || encrypted || etag == null || !PLAIN_MD5_ETAG.matcher(etag).matches()) {
            return List.of();
        }
        return List.of(Checksum.md5Hex(etag));
    }

    private static boolean encrypted(String serverSideEncryption, String customerAlgorithm) {
        return customerAlgorithm != null
                || (serverSideEncryption != null && serverSideEncryption.toLowerCase(Locale.ROOT).startsWith("aws:kms"));
    }

    private String storageClassName(Operation op, String bucket, String key, StorageClass storageClass) {
        if (storageClass == null) {
            return null;
        }
        if (!S3StorageClasses.OFFERED.contains(storageClass.family())) {
            throw StorageException.unsupported(op, bucket, key, "storage class " + storageClass.displayName()
                    + " is not offered by S3; it offers " + S3StorageClasses.OFFERED);
        }
        return S3StorageClasses.toS3(storageClass);
    }

    private static String expectedMd5(Operation op, PutRequest request) {
        String md5 = null;
        for (Checksum expected : request.expectedChecksums()) {
            if (expected.algorithm() != Checksum.Algorithm.MD5) {
                throw StorageException.unsupported(op, request.bucket(), request.key(), "S3 cannot verify "
                        + expected.algorithm() + " checksums on a put; it verifies MD5");
            }
            if (!PLAIN_MD5_ETAG.matcher(expected.value()).matches()) {
                throw StorageException.invalidArgument(op, request.bucket(), request.key(),
                        "'" + expected.value() + "' is not an MD5 in hex");
            }
            if (md5 != null && !md5.equals(expected.value())) {
                throw StorageException.invalidArgument(op, request.bucket(), request.key(),
                        "two different expected MD5 checksums");
            }
            md5 = expected.value();
        }
        return md5;
    }

    private static void requireKey(Operation op, String bucket, String key) {
        requireBucket(op, bucket);
        requireNonNull(key, "key is null");
        if (key.isEmpty()) {
            throw StorageException.invalidArgument(op, bucket, key, "a key must not be empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw StorageException.invalidArgument(op, bucket, key, "the key '" + key.substring(0, 40) + "...' is "
                    + bytes + " UTF-8 bytes, more than the " + MAX_KEY_BYTES + " S3 takes: shorten it");
        }
    }

    private static void requireBucket(Operation op, String bucket) {
        requireNonNull(bucket, "bucket is null");
        if (bucket.isEmpty()) {
            throw StorageException.invalidArgument(op, bucket, null, "a bucket name must not be empty");
        }
    }

    private static Map<String, String> lowerCaseNames(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, String> lower = new LinkedHashMap<>();
        metadata.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
        return lower;
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private static String quote(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    /** An HTTP date header's instant, or {@code null} when absent or not a date (Expires may be anything). */
    private static Instant httpDate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.ZonedDateTime.parse(text.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Instant orEpoch(Instant instant) {
        return instant != null ? instant : Instant.EPOCH;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private static String base64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    private static byte[] md5Of(byte[] buffer, int n) {
        MessageDigest md5 = md5();
        md5.update(buffer, 0, n);
        return md5.digest();
    }

    private static byte[] md5Of(Operation op, String bucket, String key, Payload payload) {
        MessageDigest md5 = md5();
        try (InputStream in = new DigestInputStream(payload.open(), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw S3Errors.map(op, bucket, key, e);
        }
        return md5.digest();
    }

    /** A request body over the first {@code n} bytes of a buffer, without copying it. */
    private static RequestBody bytes(byte[] buffer, int n) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, n), n, OCTET_STREAM);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to do
        }
    }

    /**
     * The request body of a payload of known length. A replayable payload is opened afresh each
     * time the SDK asks for the stream; a one-shot payload once, the SDK marking and resetting it
     * for its first 128 KiB. Streams opened here are closed when the body is.
     */
    private static final class Body implements AutoCloseable {
        private final Payload payload;
        private final List<InputStream> opened = new ArrayList<>();

        private Body(Payload payload) {
            this.payload = payload;
        }

        static Body of(Payload payload) {
            return new Body(payload);
        }

        RequestBody requestBody() {
            if (payload.isReplayable()) {
                ContentStreamProvider provider = () -> {
                    closeAll();
                    return open();
                };
                return RequestBody.fromContentProvider(provider, payload.length(), OCTET_STREAM);
            }
            return RequestBody.fromInputStream(open(), payload.length());
        }

        private InputStream open() {
            try {
                InputStream in = payload.open();
                opened.add(in);
                return in;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void closeAll() {
            opened.forEach(S3ObjectStore::closeQuietly);
            opened.clear();
        }

        @Override
        public void close() {
            closeAll();
        }
    }
}
