package dev.barge.storage.oss;

import static java.util.Objects.requireNonNull;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.Bucket;
import com.aliyun.oss.model.BucketList;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.CreateBucketRequest;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import com.aliyun.oss.model.GeneratePresignedUrlRequest;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListBucketsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.RestoreConfiguration;
import com.aliyun.oss.model.RestoreJobParameters;
import com.aliyun.oss.model.RestoreObjectRequest;
import com.aliyun.oss.model.RestoreTier;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartRequest;
import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.Crc64;
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
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import dev.barge.storage.multipart.MultipartEngine;
import dev.barge.storage.multipart.PartPlan;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Aliyun OSS as an {@link ObjectStore}, through one thread-safe {@link OSS} client whose own
 * retries are off. Listings use ListObjectsV2 with {@code encoding-type=url} (keys may hold
 * characters XML 1.0 cannot carry) and decode what the SDK hands over still encoded.
 */
final class OssObjectStore implements ObjectStore {

    static final long MAX_PUT_SIZE = 5L << 30;
    static final int MAX_BATCH_DELETE = 1000;
    private static final int MAX_KEY_BYTES = 1023;
    private static final String URL_ENCODING = "url";
    /** Parts of one object uploaded or copied at once. */
    private static final int PARTS_IN_FLIGHT = 4;

    private final OSS client;
    private final OssSettings settings;
    private final Capabilities capabilities;
    private final MultipartEngine uploads;
    private final MultipartEngine copies;

    OssObjectStore(OSS client, OssSettings settings) {
        this.client = requireNonNull(client, "client is null");
        this.settings = requireNonNull(settings, "settings is null");
        // OSS takes parts of any size: a long stream's parts grow, so that 10,000 of them hold terabytes;
        // the CRC-64 OSS reports of the whole is compared with that of the bytes sent
        this.uploads = new MultipartEngine(new MultipartEngine.Settings(settings.uploadPartSize(), PARTS_IN_FLIGHT,
                settings.uploadPartSize(), Long.MAX_VALUE, true, Set.of(Checksum.Algorithm.CRC64_ECMA), true,
                Set.of(Checksum.Algorithm.CRC64_ECMA)),
                "barge-oss-upload-" + settings.remote());
        this.copies = new MultipartEngine(new MultipartEngine.Settings(settings.copyThreshold(), PARTS_IN_FLIGHT, 0,
                Long.MAX_VALUE, false, Set.of(), false, Set.of()), "barge-oss-copy-" + settings.remote());
        this.capabilities = Capabilities.builder()
                // larger objects than one CopyObject takes are copied part by part inside copy()
                .copy(OssStoreProvider.MAX_PART_SIZE * OssStoreProvider.MAX_PARTS)
                .append(true)
                .multipart(OssStoreProvider.MIN_PART_SIZE, OssStoreProvider.MAX_PART_SIZE, OssStoreProvider.MAX_PARTS)
                .multipartCopy(true)
                .maxPutSize(MAX_PUT_SIZE)
                .storageClasses(EnumSet.allOf(StorageClass.Family.class))
                .setStorageClass(true)
                .restore(true)
                .presign(true)
                .listStartAfter(true)
                .maxBatchDeleteSize(MAX_BATCH_DELETE)
                .checksums(EnumSet.of(Checksum.Algorithm.MD5, Checksum.Algorithm.CRC64_ECMA))
                .keysNestUnderObjects(true)
                .build();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ---- listing and reading ------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) {
        ListObjectsV2Request list = new ListObjectsV2Request(request.bucket());
        list.setPrefix(request.prefix().isEmpty() ? null : request.prefix());
        list.setDelimiter(request.delimiter());
        list.setStartAfter(request.startAfter());
        list.setContinuationToken(request.pageToken());
        list.setMaxKeys(request.pageSize());
        list.setEncodingType(URL_ENCODING);
        list.setFetchOwner(false);
        ListObjectsV2Result result = call(Operation.LIST, request.bucket(), request.prefix(),
                () -> client.listObjectsV2(list));
        // SDK 3.18.5 hands over keys and prefixes still URL-encoded
        boolean encoded = URL_ENCODING.equalsIgnoreCase(result.getEncodingType());
        List<ObjectInfo> objects = new ArrayList<>(result.getObjectSummaries().size());
        for (OSSObjectSummary summary : result.getObjectSummaries()) {
            objects.add(OssHeaders.describe(decode(summary.getKey(), encoded), summary));
        }
        List<String> prefixes = new ArrayList<>(result.getCommonPrefixes().size());
        for (String prefix : result.getCommonPrefixes()) {
            prefixes.add(decode(prefix, encoded));
        }
        String token = null;
        if (result.isTruncated()) {
            token = result.getNextContinuationToken();
            if (token == null || token.isEmpty()) {
                throw StorageException.builder(ErrorKind.PERMANENT, Operation.LIST).bucket(request.bucket())
                        .key(request.prefix()).detail("OSS said the listing goes on but gave no continuation token")
                        .requestId(result.getRequestId()).build();
            }
        }
        return new ListPage(objects, prefixes, token);
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        ObjectMetadata metadata = head(Operation.STAT, bucket, key);
        return OssHeaders.describe(key, metadata.getContentLength(), metadata, true);
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        GetObjectRequest request = new GetObjectRequest(bucket, key);
        if (range != null) {
            request.addHeader("Range", range.toString());
            // cut a last byte past the end, answer 416 for a first byte past the end (not the whole object)
            request.addHeader("x-oss-range-behavior", "standard");
        }
        OSSObject object;
        try {
            object = client.getObject(request);
        } catch (RuntimeException e) {
            StorageException failure = OssErrors.map(Operation.GET, bucket, key, e);
            if (range != null && "InvalidRange".equals(failure.vendorCode())) {
                if (range.isSuffix()) {
                    // OSS refuses any suffix of an empty object; the SPI reads it as the (empty) whole object
                    return get(bucket, key, null);
                }
                throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.GET).bucket(bucket).key(key)
                        .detail("range " + range + " starts at or past the end of the object")
                        .vendorCode(failure.vendorCode()).requestId(failure.requestId()).cause(e).build();
            }
            throw failure;
        }
        try {
            ObjectMetadata metadata = object.getObjectMetadata();
            long length = metadata.getContentLength();
            long offset = 0;
            long size = length;
            if (range != null) {
                long[] contentRange = OssHeaders.contentRange(metadata);
                if (contentRange == null) {
                    throw StorageException.builder(ErrorKind.PERMANENT, Operation.GET).bucket(bucket).key(key)
                            .detail("OSS answered the ranged read " + range + " without a Content-Range")
                            .requestId(object.getRequestId()).build();
                }
                offset = contentRange[0];
                size = contentRange[2];
            }
            Long wholeCrc = range == null ? metadata.getServerCRC() : null;
            ObjectInfo info = OssHeaders.describe(key, size, metadata, range == null);
            return new ObjectContent(info, offset, length, new OssObjectBody(object, bucket, key, length, wholeCrc));
        } catch (RuntimeException e) {
            forceClose(object, e);
            throw OssErrors.map(Operation.GET, bucket, key, e);
        }
    }

    // ---- writing ------------------------------------------------------------------------

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        Expected expected = expected(Operation.PUT, request);
        if (payload.hasKnownLength() && payload.length() > MAX_PUT_SIZE) {
            throw StorageException.invalidArgument(Operation.PUT, bucket, key, "a single put takes at most "
                    + MAX_PUT_SIZE + " bytes, the payload has " + payload.length() + "; use multipart upload");
        }
        if (uploads.writesInParts(request, payload)) {
            // OSS checks no CRC-64 before it commits: above a part, the engine checks it before completing
            return uploads.put(this, request, payload);
        }
        ObjectMetadata metadata = OssHeaders.forWrite(request.contentType(), request.userMetadata(),
                request.storageClass());
        try (InputStream in = payload.open()) {
            if (expected.crc64() == null) {
                // streamed as is; OSS checks Content-MD5 before the object becomes visible
                metadata.setContentLength(payload.length());
                if (expected.md5() != null) {
                    metadata.setContentMD5(OssHeaders.contentMd5(expected.md5()));
                }
                PutObjectRequest put = new PutObjectRequest(bucket, key, new OssPayloadStream(in, payload.length()),
                        metadata);
                PutObjectResult result = call(Operation.PUT, bucket, key, () -> client.putObject(put));
                return putResult(result);
            }
            // OSS cannot check a CRC-64 before it commits: held, checked, then sent with its MD5
            byte[] data = new OssPayloadStream(in, payload.length()).readAllBytes();
            return putChecked(request, data, metadata, expected);
        } catch (IOException e) {
            throw OssErrors.payload(Operation.PUT, bucket, key, e);
        }
    }

    /** One PutObject of bytes checked against the expected checksums first, carrying their MD5. */
    private WriteResult putChecked(PutRequest request, byte[] data, ObjectMetadata metadata, Expected expected) {
        String bucket = request.bucket();
        String key = request.key();
        String md5 = HexFormat.of().formatHex(md5().digest(data));
        Crc64 crc = new Crc64();
        crc.update(data, 0, data.length);
        if (expected.md5() != null && !expected.md5().equals(md5)
                || expected.crc64() != null && expected.crc64() != crc.getValue()) {
            throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(bucket).key(key)
                    .detail("expected " + (expected.md5() != null ? "MD5 " + expected.md5() + " " : "")
                            + (expected.crc64() != null ? "CRC-64 " + Long.toUnsignedString(expected.crc64()) + " " : "")
                            + "but the payload has MD5 " + md5 + ", CRC-64 " + Long.toUnsignedString(crc.getValue())
                            + "; nothing was written").build();
        }
        metadata.setContentLength(data.length);
        metadata.setContentMD5(OssHeaders.contentMd5(md5));
        PutObjectResult result = call(Operation.PUT, bucket, key,
                () -> client.putObject(new PutObjectRequest(bucket, key, new ByteArrayInputStream(data), metadata)));
        return new WriteResult(OssHeaders.unquote(result.getETag()),
                List.of(Checksum.md5Hex(md5), OssHeaders.crc64(crc.getValue())));
    }

    @Override
    public void delete(String bucket, String key) {
        call(Operation.DELETE, bucket, key, () -> client.deleteObject(bucket, key));
    }

    @Override
    public DeleteResult deleteBatch(String bucket, List<String> keys) {
        List<String> deleted = new ArrayList<>(keys.size());
        Map<String, StorageException> failed = new HashMap<>();
        List<String> send = new ArrayList<>(keys.size());
        List<String> oneByOne = new ArrayList<>();
        for (String key : keys) {
            String invalid = invalidKey(key);
            if (invalid != null) {
                failed.put(key, StorageException.invalidArgument(Operation.DELETE_BATCH, bucket, key, invalid));
            } else if (fitsInXml(key)) {
                send.add(key);
            } else {
                // the request body is XML (only the answer can be URL-encoded): such keys go one by one
                oneByOne.add(key);
            }
        }
        if (!oneByOne.isEmpty()) {
            DeleteResult single = ObjectStore.super.deleteBatch(bucket, oneByOne);
            deleted.addAll(single.deleted());
            failed.putAll(single.failed());
        }
        if (send.isEmpty()) {
            return new DeleteResult(deleted, failed);
        }
        DeleteObjectsRequest request = new DeleteObjectsRequest(bucket).withKeys(send).withQuiet(false)
                .withEncodingType(URL_ENCODING);
        DeleteObjectsResult result = call(Operation.DELETE_BATCH, bucket, null, () -> client.deleteObjects(request));
        boolean encoded = URL_ENCODING.equalsIgnoreCase(result.getEncodingType());
        Set<String> confirmed = new HashSet<>();
        for (String key : result.getDeletedObjects()) {
            confirmed.add(decode(key, encoded));
        }
        for (String key : send) {
            if (confirmed.contains(key)) {
                deleted.add(key);
            } else {
                // OSS lists every key it deleted (missing ones included) and reports no per-key errors
                failed.put(key, StorageException.builder(ErrorKind.PERMANENT, Operation.DELETE_BATCH).bucket(bucket)
                        .key(key).detail("OSS did not confirm the deletion of this key")
                        .requestId(result.getRequestId()).build());
            }
        }
        return new DeleteResult(deleted, failed);
    }

    @Override
    public WriteResult copy(CopyRequest request) {
        return copy(request, this);
    }

    @Override
    public WriteResult copy(CopyRequest request, ObjectStore parts) {
        ObjectInfo listed = request.listedSource();
        if (listed != null && listed.size() <= settings.copyThreshold()) {
            // the listing gave the size: one CopyObject, no HEAD
            return singleCopy(Operation.COPY, request, listed.checksums());
        }
        ObjectMetadata source = head(Operation.COPY, request.sourceBucket(), request.sourceKey());
        return copy(Operation.COPY, request, source, parts);
    }

    private WriteResult copy(Operation op, CopyRequest request, ObjectMetadata source, ObjectStore parts) {
        long size = source.getContentLength();
        if (size > settings.copyThreshold()) {
            return copyInParts(op, request, source, size, parts);
        }
        return singleCopy(op, request, OssHeaders.describe("", size, source, true).checksums());
    }

    /**
     * One CopyObject. The copy reports the CRC-64 the response gives (else the source's), and its
     * etag as MD5 where the source's etag was one.
     */
    private WriteResult singleCopy(Operation op, CopyRequest request, List<Checksum> sourceChecksums) {
        CopyObjectRequest copy = new CopyObjectRequest(request.sourceBucket(), request.sourceKey(),
                request.targetBucket(), request.targetKey());
        if (request.replaceMetadata()) {
            // with new metadata the SDK sends x-oss-metadata-directive: REPLACE
            copy.setNewObjectMetadata(OssHeaders.forWrite(request.contentType(), request.userMetadata(),
                    request.storageClass()));
        } else if (request.storageClass() != null) {
            // directive COPY (the default) keeps content type and user metadata
            copy.addHeader(OssHeaders.STORAGE_CLASS, OssStorageClasses.vendorName(request.storageClass()));
        }
        CopyObjectResult result = call(op, request.targetBucket(), request.targetKey(), () -> client.copyObject(copy));
        String etag = OssHeaders.unquote(result.getETag());
        List<Checksum> checksums = new ArrayList<>(2);
        // the copy keeps the etag of what it copied: the MD5 of a normal object, which is what it
        // was when the source's etag was an MD5 (a source replaced since it was listed then shows
        // as another MD5, and the caller's comparison with the listing catches it)
        boolean sourceEtagIsMd5 = sourceChecksums.stream().anyMatch(c -> c.algorithm() == Checksum.Algorithm.MD5);
        if (sourceEtagIsMd5 && etag != null && etag.matches("[0-9a-fA-F]{32}")) {
            checksums.add(Checksum.md5Hex(etag));
        }
        String crc = result.getResponse() == null ? null
                : OssHeaders.header(result.getResponse().getHeaders(), "x-oss-hash-crc64ecma");
        if (crc != null && !crc.isBlank()) {
            checksums.add(OssHeaders.crc64(Long.parseUnsignedLong(crc.strip())));
        } else {
            sourceChecksums.stream().filter(c -> c.algorithm() == Checksum.Algorithm.CRC64_ECMA)
                    .forEach(checksums::add);
        }
        return new WriteResult(etag, checksums);
    }

    /**
     * UploadPartCopy in parts of the copy threshold (more when 10 000 would not do), pinned to the
     * source's etag, by the shared engine; the upload starts here with the metadata the copy keeps.
     */
    private WriteResult copyInParts(Operation op, CopyRequest request, ObjectMetadata source, long size,
            ObjectStore parts) {
        String targetBucket = request.targetBucket();
        String targetKey = request.targetKey();
        PartPlan plan = PartPlan.of(op, targetBucket, targetKey, size, settings.copyThreshold(), capabilities);
        ObjectMetadata metadata = request.replaceMetadata()
                ? OssHeaders.forWrite(request.contentType(), request.userMetadata(), request.storageClass())
                : carriedOver(source, request.storageClass());
        String uploadId = call(op, targetBucket, targetKey, () -> client.initiateMultipartUpload(
                new InitiateMultipartUploadRequest(targetBucket, targetKey, metadata)).getUploadId());
        WriteResult written = copies.copy(parts, new MultipartUpload(targetBucket, targetKey, uploadId), plan,
                request.sourceBucket(), request.sourceKey(), OssHeaders.unquote(source.getETag()));
        return copyResult(written.etag(), source);
    }

    /** What a COPY directive would keep: content type, user metadata, the stored standard headers. */
    private static ObjectMetadata carriedOver(ObjectMetadata source, StorageClass storageClass) {
        ObjectMetadata metadata = OssHeaders.forWrite(source.getContentType(), source.getUserMetadata(), storageClass);
        for (String name : OssHeaders.STORED_HEADERS) {
            String value = OssHeaders.header(source.getRawMetadata(), name);
            if (value != null) {
                metadata.setHeader(name, value);
            }
        }
        return metadata;
    }

    @Override
    public long append(PutRequest request, long position, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        Expected expected = expected(Operation.APPEND, request);
        if (expected.crc64() != null) {
            throw StorageException.unsupported(Operation.APPEND, bucket, key,
                    "OSS cannot check the CRC-64 of an append before it applies it; give an MD5");
        }
        if (position < 0) {
            throw StorageException.invalidArgument(Operation.APPEND, bucket, key, "position must be >= 0: " + position);
        }
        ObjectMetadata metadata = OssHeaders.forWrite(request.contentType(), request.userMetadata(),
                request.storageClass());
        try (InputStream in = payload.open()) {
            if (payload.hasKnownLength()) {
                metadata.setContentLength(payload.length());
            }
            if (expected.md5() != null) {
                metadata.setContentMD5(OssHeaders.contentMd5(expected.md5()));
            }
            AppendObjectRequest append = new AppendObjectRequest(bucket, key,
                    new OssPayloadStream(in, payload.length()), metadata).withPosition(position);
            return call(Operation.APPEND, bucket, key, () -> client.appendObject(append)).getNextPosition();
        } catch (IOException e) {
            throw OssErrors.payload(Operation.APPEND, bucket, key, e);
        }
    }

    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass) {
        setStorageClass(bucket, key, storageClass, this);
    }

    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass, ObjectStore parts) {
        requireNonNull(storageClass, "storageClass is null");
        ObjectMetadata source = head(Operation.SET_STORAGE_CLASS, bucket, key);
        String current = OssHeaders.header(source.getRawMetadata(), OssHeaders.STORAGE_CLASS);
        if (OssStorageClasses.vendorName(storageClass).equals(current)) {
            return;
        }
        copy(Operation.SET_STORAGE_CLASS, CopyRequest.of(bucket, key, bucket, key).withStorageClass(storageClass),
                source, parts);
    }

    // ---- multipart ----------------------------------------------------------------------

    @Override
    public MultipartUpload initiateMultipart(PutRequest request) {
        ObjectMetadata metadata = OssHeaders.forWrite(request.contentType(), request.userMetadata(),
                request.storageClass());
        String uploadId = call(Operation.MULTIPART_INITIATE, request.bucket(), request.key(),
                () -> client.initiateMultipartUpload(
                        new InitiateMultipartUploadRequest(request.bucket(), request.key(), metadata)).getUploadId());
        return new MultipartUpload(request.bucket(), request.key(), uploadId);
    }

    @Override
    public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        String bucket = upload.bucket();
        String key = upload.key();
        if (partNumber < 1 || partNumber > OssStoreProvider.MAX_PARTS) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key,
                    "part number " + partNumber + " is outside 1.." + OssStoreProvider.MAX_PARTS);
        }
        if (payload.length() > OssStoreProvider.MAX_PART_SIZE) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key, "a part of "
                    + payload.length() + " bytes is larger than OSS's maximum " + OssStoreProvider.MAX_PART_SIZE);
        }
        try (InputStream in = payload.open()) {
            OssPayloadStream body = new OssPayloadStream(in, payload.length());
            UploadPartRequest request = new UploadPartRequest(bucket, key, upload.uploadId(), partNumber, body,
                    payload.length());
            if (!payload.hasKnownLength()) {
                request.setUseChunkEncoding(true);
            }
            String etag = call(Operation.MULTIPART_UPLOAD_PART, bucket, key,
                    () -> client.uploadPart(request)).getETag();
            return new CompletedPart(partNumber, OssHeaders.unquote(etag), body.count());
        } catch (IOException e) {
            throw OssErrors.payload(Operation.MULTIPART_UPLOAD_PART, bucket, key, e);
        }
    }

    @Override
    public CompletedPart uploadPartCopy(MultipartUpload upload, int partNumber, String sourceBucket, String sourceKey,
            String sourceEtag, ByteRange range) {
        Operation op = Operation.MULTIPART_UPLOAD_PART_COPY;
        if (partNumber < 1 || partNumber > OssStoreProvider.MAX_PARTS) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(),
                    "part number " + partNumber + " is outside 1.." + OssStoreProvider.MAX_PARTS);
        }
        if (range.isSuffix() || range.last() < 0 || range.last() - range.first() + 1 > OssStoreProvider.MAX_PART_SIZE) {
            throw StorageException.invalidArgument(op, upload.bucket(), upload.key(), "a part copy needs a range of"
                    + " at most " + OssStoreProvider.MAX_PART_SIZE + " bytes with its first and last byte, not " + range);
        }
        long length = range.last() - range.first() + 1;
        UploadPartCopyRequest part = new UploadPartCopyRequest(sourceBucket, sourceKey, upload.bucket(), upload.key(),
                upload.uploadId(), partNumber, range.first(), length);
        if (sourceEtag != null) {
            part.setMatchingETagConstraints(List.of(sourceEtag));
        }
        String etag = call(op, upload.bucket(), upload.key(), () -> client.uploadPartCopy(part)).getETag();
        return new CompletedPart(partNumber, OssHeaders.unquote(etag), length);
    }

    @Override
    public MultipartEngine multipartEngine() {
        return uploads;
    }

    @Override
    public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        List<PartETag> etags = parts.stream()
                .sorted(Comparator.comparingInt(CompletedPart::partNumber))
                .map(part -> new PartETag(part.partNumber(), part.etag()))
                .collect(Collectors.toCollection(ArrayList::new));
        CompleteMultipartUploadResult result = call(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(),
                () -> client.completeMultipartUpload(
                        new CompleteMultipartUploadRequest(upload.bucket(), upload.key(), upload.uploadId(), etags)));
        List<Checksum> checksums = result.getServerCRC() == null ? List.of()
                : List.of(OssHeaders.crc64(result.getServerCRC()));
        return new WriteResult(OssHeaders.unquote(result.getETag()), checksums);
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        try {
            client.abortMultipartUpload(new AbortMultipartUploadRequest(upload.bucket(), upload.key(), upload.uploadId()));
        } catch (RuntimeException e) {
            StorageException failure = OssErrors.map(Operation.MULTIPART_ABORT, upload.bucket(), upload.key(), e);
            if (!"NoSuchUpload".equals(failure.vendorCode())) {
                throw failure;
            }
        }
    }

    // ---- archive ------------------------------------------------------------------------

    @Override
    public void restore(String bucket, String key, RestoreRequest request) {
        ObjectMetadata metadata = head(Operation.RESTORE, bucket, key);
        StorageClass storageClass = OssStorageClasses.fromVendor(
                OssHeaders.header(metadata.getRawMetadata(), OssHeaders.STORAGE_CLASS));
        if (!storageClass.requiresRestore()) {
            throw StorageException.invalidArgument(Operation.RESTORE, bucket, key, "the object is in storage class "
                    + storageClass.displayName() + ", which is read without a restore");
        }
        // Archive restores take days only; ColdArchive and DeepColdArchive also a retrieval tier
        RestoreConfiguration configuration = storageClass.family() == StorageClass.Family.ARCHIVE
                ? new RestoreConfiguration(request.days())
                : new RestoreConfiguration(request.days(), new RestoreJobParameters(tier(request.tier())));
        try {
            client.restoreObject(new RestoreObjectRequest(bucket, key, configuration));
        } catch (RuntimeException e) {
            StorageException failure = OssErrors.map(Operation.RESTORE, bucket, key, e);
            if (!"RestoreAlreadyInProgress".equals(failure.vendorCode())) {
                throw failure;
            }
        }
    }

    private static RestoreTier tier(RestoreRequest.Tier tier) {
        return switch (tier) {
            case EXPEDITED -> RestoreTier.RESTORE_TIER_EXPEDITED;
            case STANDARD -> RestoreTier.RESTORE_TIER_STANDARD;
            case BULK -> RestoreTier.RESTORE_TIER_BULK;
        };
    }

    @Override
    public URI presign(PresignRequest request) {
        GeneratePresignedUrlRequest presign = new GeneratePresignedUrlRequest(request.bucket(), request.key(),
                request.method() == PresignRequest.Method.GET ? HttpMethod.GET : HttpMethod.PUT);
        presign.setExpiration(Date.from(Instant.now().plus(request.expiry())));
        try {
            return call(Operation.PRESIGN, request.bucket(), request.key(), () -> client.generatePresignedUrl(presign))
                    .toURI();
        } catch (URISyntaxException e) {
            throw StorageException.builder(ErrorKind.PERMANENT, Operation.PRESIGN).bucket(request.bucket())
                    .key(request.key()).detail("the SDK made an invalid URL: " + e.getMessage()).cause(e).build();
        }
    }

    // ---- buckets ------------------------------------------------------------------------

    @Override
    public void createBucket(String bucket) {
        call(Operation.CREATE_BUCKET, bucket, null, () -> client.createBucket(new CreateBucketRequest(bucket)));
    }

    @Override
    public List<BucketInfo> listBuckets() {
        List<BucketInfo> buckets = new ArrayList<>();
        String marker = null;
        while (true) {
            ListBucketsRequest request = new ListBucketsRequest(null, marker, 1000);
            BucketList page = call(Operation.LIST_BUCKETS, null, null, () -> client.listBuckets(request));
            for (Bucket bucket : page.getBucketList()) {
                buckets.add(new BucketInfo(bucket.getName(),
                        bucket.getCreationDate() == null ? null : bucket.getCreationDate().toInstant()));
            }
            if (!page.isTruncated() || page.getNextMarker() == null || page.getNextMarker().equals(marker)) {
                break;
            }
            marker = page.getNextMarker();
        }
        buckets.sort(Comparator.comparing(BucketInfo::name, KeyOrder.UTF8));
        return buckets;
    }

    @Override
    public void deleteBucket(String bucket) {
        call(Operation.DELETE_BUCKET, bucket, null, () -> client.deleteBucket(bucket));
    }

    @Override
    public void close() {
        uploads.close();
        copies.close();
        client.shutdown();
    }

    // ---- shared pieces ------------------------------------------------------------------

    private ObjectMetadata head(Operation op, String bucket, String key) {
        // HEAD errors have no body: OSS sends the code in x-oss-err, which the SDK reads
        return call(op, bucket, key, () -> client.getObjectMetadata(bucket, key));
    }

    private static <T> T call(Operation op, String bucket, String key, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw OssErrors.map(op, bucket, key, e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private static WriteResult putResult(PutObjectResult result) {
        String etag = OssHeaders.unquote(result.getETag());
        List<Checksum> checksums = new ArrayList<>(2);
        // PutObject writes a Normal object, whose etag is the MD5 of its content
        if (OssHeaders.isHexMd5(etag)) {
            checksums.add(Checksum.md5Hex(etag));
        }
        if (result.getServerCRC() != null) {
            checksums.add(OssHeaders.crc64(result.getServerCRC()));
        }
        return new WriteResult(etag, checksums);
    }

    /** A copy has the source's content: its CRC-64, and its MD5 when the copy's etag is that MD5. */
    private static WriteResult copyResult(String etag, ObjectMetadata source) {
        ObjectInfo from = OssHeaders.describe("", source.getContentLength(), source, true);
        List<Checksum> checksums = new ArrayList<>(2);
        from.checksum(Checksum.Algorithm.MD5).filter(md5 -> md5.value().equalsIgnoreCase(etag))
                .ifPresent(checksums::add);
        from.checksum(Checksum.Algorithm.CRC64_ECMA).ifPresent(checksums::add);
        return new WriteResult(etag, checksums);
    }

    private void abortQuietly(String bucket, String key, String uploadId, Exception failure) {
        try {
            client.abortMultipartUpload(new AbortMultipartUploadRequest(bucket, key, uploadId));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void forceClose(OSSObject object, Exception failure) {
        try {
            object.forcedClose();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The expected checksums of a write, checked for form; algorithms OSS cannot verify are refused. */
    private static Expected expected(Operation op, PutRequest request) {
        String md5 = null;
        Long crc = null;
        for (Checksum checksum : request.expectedChecksums()) {
            switch (checksum.algorithm()) {
                case MD5 -> {
                    if (!OssHeaders.isHexMd5(checksum.value())) {
                        throw StorageException.invalidArgument(op, request.bucket(), request.key(),
                                "expected MD5 '" + checksum.value() + "' is not 32 hex digits");
                    }
                    md5 = checksum.value();
                }
                case CRC64_ECMA -> {
                    try {
                        crc = Long.parseUnsignedLong(checksum.value().trim());
                    } catch (NumberFormatException e) {
                        throw StorageException.invalidArgument(op, request.bucket(), request.key(),
                                "expected CRC-64 '" + checksum.value() + "' is not an unsigned decimal");
                    }
                }
                default -> throw StorageException.unsupported(op, request.bucket(), request.key(),
                        "OSS cannot verify " + checksum.algorithm() + " checksums; it verifies MD5 and CRC64_ECMA");
            }
        }
        return new Expected(md5, crc);
    }

    /** Why OSS would refuse a key, or {@code null}: empty, over 1023 UTF-8 bytes, or starting with '/' or '\'. */
    private static String invalidKey(String key) {
        if (key.isEmpty()) {
            return "an OSS key cannot be empty";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "an OSS key has at most " + MAX_KEY_BYTES + " UTF-8 bytes";
        }
        if (key.startsWith("/") || key.startsWith("\\")) {
            return "an OSS key cannot start with '/' or '\\'";
        }
        return null;
    }

    /** Whether XML 1.0 carries the key unchanged: no control characters (a CR would even become a LF). */
    private static boolean fitsInXml(String key) {
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            boolean allowed = c == '\t' || c == '\n' || (c >= 0x20 && c < 0x7F) || (c > 0x9F && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * Decodes a key of a listing made with {@code encoding-type=url}: percent escapes of UTF-8
     * bytes; '+' is a plus, not a space.
     */
    static String decode(String value, boolean encoded) {
        if (!encoded || value == null || value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (c == '%' && i + 2 < value.length()) {
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    bytes.write((high << 4) | low);
                    i += 3;
                    continue;
                }
            }
            byte[] literal = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
            bytes.write(literal, 0, literal.length);
            i += Character.charCount(c);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Checksums a write must match; either may be {@code null}. */
    private record Expected(String md5, Long crc64) {}

}
