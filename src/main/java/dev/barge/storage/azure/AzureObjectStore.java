package dev.barge.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.AppendBlobItem;
import com.azure.storage.blob.models.AppendBlobRequestConditions;
import com.azure.storage.blob.models.ArchiveStatus;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.RehydratePriority;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.AppendBlobCreateOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobSetAccessTierOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.AppendBlobClient;
import com.azure.storage.blob.specialized.BlobInputStream;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ErrorKind;
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
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Azure Blob Storage driver: block blobs for objects (one Put Blob, or Put Block + Put Block List),
 * append blobs for {@link #append}, Copy Blob for server-side copies, Set Blob Tier for storage classes
 * and rehydration, service SAS (account key) or user delegation SAS (Entra ID) for presigned URLs. See
 * {@link AzureStoreProvider} for the settings.
 */
final class AzureObjectStore implements ObjectStore {
    /** Azure's largest single Put Blob (API 2019-12-12 and later). */
    static final long MAX_PUT_SIZE = 5000 * AzureStoreProvider.MIB;
    /** Azure has no smallest block; Barge asks for 1 MiB so that parts plan alike on every store. */
    static final long MIN_PART_SIZE = AzureStoreProvider.MIB;
    static final int MAX_PARTS = 50_000;
    /** Azure's largest append block (API 2022-11-02 and later: 100 MiB). */
    static final long MAX_APPEND_SIZE = 100 * AzureStoreProvider.MIB;
    /** The largest block blob: 50,000 blocks of 4000 MiB. */
    static final long MAX_BLOB_SIZE = MAX_PARTS * AzureStoreProvider.MAX_BLOCK_SIZE;

    /** The longest a user delegation key, and so a SAS signed with it, is valid. */
    static final Duration MAX_USER_DELEGATION = Duration.ofDays(7);

    private static final HexFormat HEX = HexFormat.of();

    private final BlobServiceClient service;
    private final AzureSettings settings;
    private final AzureBlockIds blockIds = new AzureBlockIds();
    private final AzureErrors errors;
    private final Capabilities capabilities;

    AzureObjectStore(BlobServiceClient service, AzureSettings settings) {
        this.service = requireNonNull(service, "service is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.errors = new AzureErrors(host(service.getAccountUrl()), settings.remote(), settings.entraId());
        this.capabilities = Capabilities.builder()
                .copy(MAX_BLOB_SIZE)
                .append(true)
                .multipart(MIN_PART_SIZE, AzureStoreProvider.MAX_BLOCK_SIZE, MAX_PARTS)
                .maxPutSize(MAX_PUT_SIZE)
                .storageClasses(AzureTiers.FAMILIES)
                .setStorageClass(true)
                .restore(true)
                .presign(settings.sharedKey() || settings.entraId())
                // a user delegation key (Entra ID) is valid for 7 days at most, and so are SAS signed with it
                .presignMaxExpiry(settings.entraId() ? MAX_USER_DELEGATION : null)
                .listStartAfter(false)
                .maxBatchDeleteSize(1)
                .checksums(java.util.Set.of(Checksum.Algorithm.MD5))
                .build();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ---- listing -------------------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) {
        if (request.startAfter() != null) {
            throw StorageException.unsupported(Operation.LIST, request.bucket(), request.prefix(),
                    "Azure lists from a continuation marker only, not from a key: follow the page token");
        }
        BlobContainerClient container = container(request.bucket());
        ListBlobsOptions options = new ListBlobsOptions()
                .setPrefix(request.prefix().isEmpty() ? null : request.prefix())
                .setMaxResultsPerPage(request.pageSize())
                .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(false));
        String token = request.pageToken();
        try {
            Iterator<PagedResponse<BlobItem>> pages = (request.delimiter() == null
                    ? container.listBlobs(options, token, null)
                    : container.listBlobsByHierarchy(request.delimiter(), options, null))
                    .iterableByPage(token, request.pageSize()).iterator();
            if (!pages.hasNext()) {
                return new ListPage(List.of(), List.of(), null);
            }
            PagedResponse<BlobItem> page = pages.next();
            List<ObjectInfo> objects = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (BlobItem item : page.getValue()) {
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    prefixes.add(item.getName());
                } else {
                    objects.add(listed(item));
                }
            }
            String next = page.getContinuationToken();
            return new ListPage(objects, prefixes, next == null || next.isEmpty() ? null : next);
        } catch (RuntimeException e) {
            throw errors.map(Operation.LIST, request.bucket(), request.prefix(), e);
        }
    }

    private static ObjectInfo listed(BlobItem item) {
        BlobItemProperties p = item.getProperties();
        return new ObjectInfo(item.getName(), p.getContentLength() == null ? 0 : p.getContentLength(),
                instant(p.getLastModified()), etag(p.getETag()), AzureTiers.storageClass(p.getAccessTier()), null,
                Map.of(), md5(p.getContentMd5()), restoreStatus(p.getAccessTier(), p.getArchiveStatus()));
    }

    // ---- objects -------------------------------------------------------------------------

    @Override
    public ObjectInfo stat(String bucket, String key) {
        try {
            BlobProperties p = blob(bucket, key).getPropertiesWithResponse(null, null, Context.NONE).getValue();
            return info(key, p);
        } catch (RuntimeException e) {
            throw errors.map(Operation.STAT, bucket, key, e);
        }
    }

    private static ObjectInfo info(String key, BlobProperties p) {
        return new ObjectInfo(key, p.getBlobSize(), instant(p.getLastModified()), etag(p.getETag()),
                AzureTiers.storageClass(p.getAccessTier()), p.getContentType(), AzureMetadata.decode(p.getMetadata()),
                md5(p.getContentMd5()), restoreStatus(p.getAccessTier(), p.getArchiveStatus()));
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        BlobClient blob = blob(bucket, key);
        try {
            BlobRange blobRange = null;
            if (range != null && range.isSuffix()) {
                ObjectInfo info = stat(bucket, key);
                ByteRange.Resolved resolved = range.resolve(info.size());
                if (resolved.length() == 0) {
                    return new ObjectContent(info, 0, 0, InputStream.nullInputStream());
                }
                blobRange = new BlobRange(resolved.offset(), resolved.length());
            } else if (range != null) {
                blobRange = range.last() == -1 ? new BlobRange(range.first())
                        : new BlobRange(range.first(), range.last() - range.first() + 1);
            }
            BlobInputStreamOptions options = new BlobInputStreamOptions().setBlockSize((int) Math.min(
                    settings.blockSize(), 8 * AzureStoreProvider.MIB));
            if (blobRange != null) {
                options.setRange(blobRange);
            }
            BlobInputStream stream;
            try {
                stream = blob.openInputStream(options);
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 416 && blobRange == null) {
                    // Azure refuses any Range on an empty blob; a whole read of it is an empty stream
                    ObjectInfo info = stat(bucket, key);
                    return new ObjectContent(info, 0, 0, InputStream.nullInputStream());
                }
                throw e;
            }
            ObjectInfo info = info(key, stream.getProperties());
            long offset = 0;
            long length = info.size();
            if (range != null) {
                try {
                    ByteRange.Resolved resolved = range.resolve(info.size());
                    offset = resolved.offset();
                    length = resolved.length();
                } catch (IllegalArgumentException e) {
                    stream.close();
                    throw StorageException.invalidArgument(Operation.GET, bucket, key, e.getMessage());
                }
            }
            return new ObjectContent(info, offset, length, new AzureDownload(stream, bucket, key));
        } catch (RuntimeException e) {
            if (e instanceof BlobStorageException b && b.getStatusCode() == 416) {
                throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.GET).bucket(bucket).key(key)
                        .detail("range " + range + " starts at or past the end of the object")
                        .vendorCode(b.getErrorCode() == null ? null : b.getErrorCode().toString()).cause(e).build();
            }
            throw errors.map(Operation.GET, bucket, key, e);
        }
    }

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        AccessTier tier = AzureTiers.tier(Operation.PUT, bucket, key, request.storageClass());
        byte[] expectedMd5 = expectedMd5(Operation.PUT, request);
        if (payload.hasKnownLength() && payload.length() > MAX_PUT_SIZE) {
            throw StorageException.invalidArgument(Operation.PUT, bucket, key, "a single put takes at most 5000 MiB;"
                    + " this payload has " + payload.length() + " bytes: use a multipart upload");
        }
        try (InputStream in = payload.open()) {
            if (payload.hasKnownLength()) {
                BlockBlobItem item = putBlob(request, tier, in, payload.length(), expectedMd5);
                return written(item);
            }
            return putUnknownLength(request, tier, in, expectedMd5);
        } catch (IOException | RuntimeException e) {
            throw errors.map(Operation.PUT, bucket, key, e);
        }
    }

    private BlockBlobItem putBlob(PutRequest request, AccessTier tier, InputStream in, long length, byte[] md5) {
        BlobHttpHeaders headers = headers(request.contentType());
        if (md5 != null) {
            headers.setContentMd5(md5);
        }
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(in, length)
                .setHeaders(headers)
                .setMetadata(AzureMetadata.encode(request.userMetadata()))
                .setTier(tier)
                .setContentMd5(md5);
        return block(request.bucket(), request.key()).uploadWithResponse(options, null, Context.NONE).getValue();
    }

    /**
     * A payload of unknown length: one Put Blob if it fits a block, else blocks of {@code block-size}
     * committed with the MD5 computed on the way, so that the blob reports its MD5 like any other.
     */
    private WriteResult putUnknownLength(PutRequest request, AccessTier tier, InputStream in, byte[] expectedMd5)
            throws IOException {
        int blockSize = (int) Math.min(settings.blockSize(), Integer.MAX_VALUE - 8);
        byte[] first = in.readNBytes(blockSize);
        MessageDigest digest = md5Digest();
        if (first.length < blockSize) {
            byte[] md5 = expectedMd5 != null ? expectedMd5 : digest.digest(first);
            return written(putBlob(request, tier, new ByteArrayInputStream(first), first.length, md5));
        }
        String uploadId = blockIds.newUploadId();
        BlockBlobClient block = block(request.bucket(), request.key());
        List<String> ids = new ArrayList<>();
        byte[] chunk = first;
        int part = 1;
        while (chunk.length > 0) {
            if (part > MAX_PARTS) {
                throw StorageException.invalidArgument(Operation.PUT, request.bucket(), request.key(),
                        "the payload is larger than 50,000 blocks of " + blockSize + " bytes: raise the remote's"
                                + " block-size option");
            }
            digest.update(chunk);
            String id = blockIds.blockId(uploadId, part++);
            block.stageBlockWithResponse(id, new ByteArrayInputStream(chunk), chunk.length,
                    md5Digest().digest(chunk), null, null, Context.NONE);
            ids.add(id);
            chunk = in.readNBytes(blockSize);
        }
        byte[] md5 = digest.digest();
        if (expectedMd5 != null && !MessageDigest.isEqual(md5, expectedMd5)) {
            throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(request.bucket())
                    .key(request.key()).detail("the payload's MD5 is " + HEX.formatHex(md5) + ", not the expected "
                            + HEX.formatHex(expectedMd5) + "; nothing was committed").build();
        }
        BlobHttpHeaders headers = headers(request.contentType()).setContentMd5(md5);
        BlockBlobItem item = block.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(headers).setMetadata(AzureMetadata.encode(request.userMetadata())).setTier(tier),
                null, Context.NONE).getValue();
        return new WriteResult(etag(item.getETag()), List.of(Checksum.md5Hex(HEX.formatHex(md5))));
    }

    @Override
    public void delete(String bucket, String key) {
        try {
            blob(bucket, key).deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (RuntimeException e) {
            StorageException mapped = errors.map(Operation.DELETE, bucket, key, e);
            if (mapped.kind() != ErrorKind.NOT_FOUND) {
                throw mapped;
            }
        }
    }

    // ---- buckets -------------------------------------------------------------------------

    @Override
    public void createBucket(String bucket) {
        try {
            container(bucket).createWithResponse(null, null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(Operation.CREATE_BUCKET, bucket, null, e);
        }
    }

    @Override
    public List<BucketInfo> listBuckets() {
        try {
            List<BucketInfo> buckets = new ArrayList<>();
            service.listBlobContainers().forEach(c -> buckets.add(new BucketInfo(c.getName(), null)));
            buckets.sort(Comparator.comparing(BucketInfo::name));
            return buckets;
        } catch (RuntimeException e) {
            throw errors.map(Operation.LIST_BUCKETS, null, null, e);
        }
    }

    /**
     * Azure deletes a container with everything in it: this refuses one that lists a blob. A blob
     * written between the check and the delete is deleted with the container.
     */
    @Override
    public void deleteBucket(String bucket) {
        BlobContainerClient container = container(bucket);
        try {
            Iterator<PagedResponse<BlobItem>> pages = container.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1),
                    null, null).iterableByPage(1).iterator();
            if (pages.hasNext() && !pages.next().getValue().isEmpty()) {
                throw StorageException.builder(ErrorKind.CONFLICT, Operation.DELETE_BUCKET).bucket(bucket)
                        .detail("the container is not empty; delete its blobs first").build();
            }
            container.deleteWithResponse(null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(Operation.DELETE_BUCKET, bucket, null, e);
        }
    }

    // ---- copy ----------------------------------------------------------------------------

    /**
     * Copy Blob within the account: the service copies the bytes (any size; within one account the
     * copy has finished when the call returns, else it is polled until the request timeout). The copy
     * keeps the source's properties and metadata; replacing them is a second call on the copy.
     */
    @Override
    public WriteResult copy(CopyRequest request) {
        String sb = request.sourceBucket();
        String sk = request.sourceKey();
        AccessTier tier = AzureTiers.tier(Operation.COPY, request.targetBucket(), request.targetKey(),
                request.storageClass());
        ObjectInfo source = request.listedSource() != null ? request.listedSource() : stat(sb, sk);
        if (!source.isReadable()) {
            throw StorageException.builder(ErrorKind.ARCHIVED, Operation.COPY).bucket(sb).key(sk)
                    .detail("the source is in the Archive tier: restore (rehydrate) it first").build();
        }
        BlobClient target = blob(request.targetBucket(), request.targetKey());
        if (sb.equals(request.targetBucket()) && sk.equals(request.targetKey())) {
            return changeInPlace(request, target, tier);
        }
        String sourceUrl = blob(sb, sk).getBlobUrl();
        if (settings.sasToken() != null) {
            sourceUrl = sourceUrl + "?" + settings.sasToken();
        }
        try {
            BlobBeginCopyOptions options = new BlobBeginCopyOptions(sourceUrl).setTier(tier);
            if (request.replaceMetadata() && !request.userMetadata().isEmpty()) {
                options.setMetadata(AzureMetadata.encode(request.userMetadata()));
            }
            SyncPoller<BlobCopyInfo, Void> poller = target.beginCopy(options);
            PollResponse<BlobCopyInfo> done = poller.waitForCompletion(settings.requestTimeout());
            if (done.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
                BlobCopyInfo info = done.getValue();
                if (info != null && info.getCopyStatus() == CopyStatusType.PENDING) {
                    target.abortCopyFromUrl(info.getCopyId());
                }
                throw StorageException.builder(ErrorKind.TRANSIENT, Operation.COPY).bucket(sb).key(sk)
                        .detail("the copy to " + request.targetBucket() + "/" + request.targetKey() + " ended as "
                                + (info == null ? done.getStatus() : info.getCopyStatus() + " "
                                + String.valueOf(info.getError())))
                        .build();
            }
            if (request.replaceMetadata()) {
                target.setHttpHeaders(headers(request.contentType()));
                if (request.userMetadata().isEmpty()) {
                    target.setMetadata(Map.of());
                }
            }
            BlobProperties copied = target.getProperties();
            return new WriteResult(etag(copied.getETag()), md5(copied.getContentMd5()));
        } catch (RuntimeException e) {
            StorageException mapped = errors.map(Operation.COPY, sb, sk, e);
            if (mapped.kind() == ErrorKind.BUCKET_NOT_FOUND && !request.targetBucket().equals(sb)) {
                throw StorageException.builder(ErrorKind.BUCKET_NOT_FOUND, Operation.COPY)
                        .bucket(request.targetBucket()).key(request.targetKey()).detail(mapped.detail())
                        .vendorCode(mapped.vendorCode()).requestId(mapped.requestId()).cause(e).build();
            }
            throw mapped;
        }
    }

    /** A copy onto itself: the blob's properties, metadata and tier are set where it is. */
    private WriteResult changeInPlace(CopyRequest request, BlobClient blob, AccessTier tier) {
        try {
            if (request.replaceMetadata()) {
                blob.setHttpHeaders(headers(request.contentType()));
                blob.setMetadata(AzureMetadata.encode(request.userMetadata()));
            }
            if (tier != null) {
                blob.setAccessTierWithResponse(new BlobSetAccessTierOptions(tier), null, Context.NONE);
            }
            BlobProperties p = blob.getProperties();
            return new WriteResult(etag(p.getETag()), md5(p.getContentMd5()));
        } catch (RuntimeException e) {
            throw errors.map(Operation.COPY, request.sourceBucket(), request.sourceKey(), e);
        }
    }

    // ---- append --------------------------------------------------------------------------

    @Override
    public long append(PutRequest request, long position, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        AppendBlobClient append = blob(bucket, key).getAppendBlobClient();
        try {
            byte[] data;
            try (InputStream in = payload.open()) {
                data = in.readNBytes((int) MAX_APPEND_SIZE + 1);
            }
            if (data.length > MAX_APPEND_SIZE) {
                throw StorageException.invalidArgument(Operation.APPEND, bucket, key,
                        "Azure appends at most 100 MiB at a time");
            }
            if (position == 0) {
                try {
                    append.createWithResponse(new AppendBlobCreateOptions().setHeaders(headers(request.contentType()))
                            .setMetadata(AzureMetadata.encode(request.userMetadata()))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), null, Context.NONE);
                } catch (BlobStorageException e) {
                    if (e.getStatusCode() != 409) {
                        throw e;
                    }
                    // it exists: the append below checks that it is an empty append blob
                }
            }
            if (data.length == 0) {
                long length = stat(bucket, key).size();
                if (length != position) {
                    throw StorageException.builder(ErrorKind.CONFLICT, Operation.APPEND).bucket(bucket).key(key)
                            .detail("the blob has " + length + " bytes, not " + position).build();
                }
                return position;
            }
            AppendBlobItem item = append.appendBlockWithResponse(new ByteArrayInputStream(data), data.length,
                    md5Digest().digest(data), new AppendBlobRequestConditions().setAppendPosition(position), null,
                    Context.NONE).getValue();
            return Long.parseLong(item.getBlobAppendOffset()) + data.length;
        } catch (IOException | RuntimeException e) {
            StorageException mapped = errors.map(Operation.APPEND, bucket, key, e);
            if (mapped.kind() == ErrorKind.PRECONDITION_FAILED || "AppendPositionConditionNotMet".equals(
                    mapped.vendorCode())) {
                throw StorageException.builder(ErrorKind.CONFLICT, Operation.APPEND).bucket(bucket).key(key)
                        .detail("the blob is not " + position + " bytes long; stat it for its length ("
                                + mapped.detail() + ")").vendorCode(mapped.vendorCode())
                        .requestId(mapped.requestId()).cause(e).build();
            }
            throw mapped;
        }
    }

    // ---- multipart: Put Block and Put Block List --------------------------------------------

    /**
     * Azure has no upload object: the upload id names this upload's blocks (see {@link AzureBlockIds}),
     * and the request's properties are applied when the block list is committed, so the id carries
     * them as well (not its expected checksums). Nothing is sent.
     */
    @Override
    public MultipartUpload initiateMultipart(PutRequest request) {
        AzureTiers.tier(Operation.MULTIPART_INITIATE, request.bucket(), request.key(), request.storageClass());
        // expected checksums do not apply to a multipart upload (see ObjectStore); they are not carried
        return new MultipartUpload(request.bucket(), request.key(), blockIds.newUpload(request));
    }

    @Override
    public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(),
                    "part numbers go from 1 to 50,000: " + partNumber);
        }
        String id = blockIds.blockId(blockIds.id(upload), partNumber);
        try (InputStream in = payload.open()) {
            byte[] data = in.readAllBytes();
            block(upload.bucket(), upload.key()).stageBlockWithResponse(id, new ByteArrayInputStream(data),
                    data.length, md5Digest().digest(data), null, null, Context.NONE);
            return new CompletedPart(partNumber, id, data.length);
        } catch (IOException | RuntimeException e) {
            throw errors.map(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(), e);
        }
    }

    @Override
    public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        String bucket = upload.bucket();
        String key = upload.key();
        String uploadId = blockIds.id(upload);
        BlockBlobClient block = block(bucket, key);
        try {
            Map<String, Long> staged = new HashMap<>();
            block.listBlocks(BlockListType.UNCOMMITTED).getUncommittedBlocks()
                    .forEach(b -> staged.put(b.getName(), b.getSizeLong()));
            boolean ours = staged.keySet().stream().anyMatch(id -> blockIds.belongsTo(id, uploadId));
            if (!ours || staged.containsKey(blockIds.abortMarker(uploadId))) {
                throw StorageException.builder(ErrorKind.NOT_FOUND, Operation.MULTIPART_COMPLETE).bucket(bucket)
                        .key(key).detail("no such upload: it was aborted, completed, or its blocks expired").build();
            }
            List<CompletedPart> sorted = parts.stream().sorted(Comparator.comparingInt(CompletedPart::partNumber))
                    .toList();
            if (sorted.isEmpty()) {
                throw StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, bucket, key, "no parts given");
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                CompletedPart part = sorted.get(i);
                String id = blockIds.blockId(uploadId, part.partNumber());
                Long size = staged.get(id);
                if (!id.equals(part.etag()) || size == null || size != part.size()) {
                    throw StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, bucket, key, "part "
                            + part.partNumber() + " was not uploaded as given (" + part.size() + " bytes, block "
                            + part.etag() + ")");
                }
                if (i < sorted.size() - 1 && size < MIN_PART_SIZE) {
                    throw StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, bucket, key, "part "
                            + part.partNumber() + " has " + size + " bytes; every part but the last needs at least "
                            + MIN_PART_SIZE);
                }
                ids.add(id);
            }
            PutRequest request = blockIds.request(upload);
            BlockBlobItem item = block.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                    .setHeaders(headers(request.contentType()))
                    .setMetadata(AzureMetadata.encode(request.userMetadata()))
                    .setTier(AzureTiers.tier(Operation.MULTIPART_COMPLETE, bucket, key, request.storageClass())),
                    null, Context.NONE).getValue();
            return new WriteResult(etag(item.getETag()), List.of());
        } catch (RuntimeException e) {
            throw errors.map(Operation.MULTIPART_COMPLETE, bucket, key, e);
        }
    }

    /**
     * Azure cannot drop uncommitted blocks on request: it discards them at the blob's next commit or
     * after a week. Abort stages a one-byte marker block, which makes {@link #completeMultipart} of
     * this upload fail with {@code NOT_FOUND}.
     */
    @Override
    public void abortMultipart(MultipartUpload upload) {
        try {
            block(upload.bucket(), upload.key()).stageBlockWithResponse(blockIds.abortMarker(blockIds.id(upload)),
                    new ByteArrayInputStream(new byte[] {0}), 1, null, null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(Operation.MULTIPART_ABORT, upload.bucket(), upload.key(), e);
        }
    }

    // ---- tiers, rehydration, SAS ---------------------------------------------------------------

    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass) {
        AccessTier tier = AzureTiers.tier(Operation.SET_STORAGE_CLASS, bucket, key, storageClass);
        try {
            blob(bucket, key).setAccessTierWithResponse(new BlobSetAccessTierOptions(tier), null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(Operation.SET_STORAGE_CLASS, bucket, key, e);
        }
    }

    /**
     * Rehydration: Set Blob Tier from Archive to the remote's {@code rehydrate-tier}, with High priority
     * for {@code EXPEDITED} and Standard otherwise. Unlike S3 and OSS, the blob moves to the online tier
     * for good: {@code days} does not apply.
     */
    @Override
    public void restore(String bucket, String key, RestoreRequest request) {
        ObjectInfo info = stat(bucket, key);
        if (info.storageClass().family() != StorageClass.Family.ARCHIVE) {
            throw StorageException.invalidArgument(Operation.RESTORE, bucket, key, "the blob is in the "
                    + info.storageClass().displayName() + " tier, not Archive: there is nothing to rehydrate");
        }
        if (info.restore().state() == RestoreStatus.State.IN_PROGRESS) {
            return;
        }
        RehydratePriority priority = request.tier() == RestoreRequest.Tier.EXPEDITED ? RehydratePriority.HIGH
                : RehydratePriority.STANDARD;
        try {
            blob(bucket, key).setAccessTierWithResponse(new BlobSetAccessTierOptions(
                    AccessTier.fromString(settings.rehydrateTier())).setPriority(priority), null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(Operation.RESTORE, bucket, key, e);
        }
    }

    /**
     * A SAS for the blob: read for GET; create and write for PUT, which must send
     * {@code x-ms-blob-type: BlockBlob}, as every Put Blob does. A service SAS signed with the account
     * key, or with Entra ID a user delegation SAS, signed with a user delegation key asked for each
     * time (Get User Delegation Key: the identity needs a role that may generate one, as Storage
     * Blob Data Contributor or Reader can).
     */
    @Override
    public URI presign(PresignRequest request) {
        if (!settings.sharedKey() && !settings.entraId()) {
            throw StorageException.unsupported(Operation.PRESIGN, request.bucket(), request.key(),
                    "signing a SAS needs the account key or Entra ID sign-in; this remote signs in with a SAS token");
        }
        BlobSasPermission permission = request.method() == PresignRequest.Method.GET
                ? new BlobSasPermission().setReadPermission(true)
                : new BlobSasPermission().setCreatePermission(true).setWritePermission(true);
        try {
            BlobClient blob = blob(request.bucket(), request.key());
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(now.plus(request.expiry()),
                    permission);
            String sas;
            if (settings.sharedKey()) {
                sas = blob.generateSas(values);
            } else {
                // valid from a little before now: the service's clock may be behind this machine's
                UserDelegationKey key = service.getUserDelegationKey(now.minusMinutes(5), now.plus(request.expiry()));
                sas = blob.generateUserDelegationSas(values.setStartTime(now.minusMinutes(5)), key);
            }
            return URI.create(blob.getBlobUrl() + "?" + sas);
        } catch (RuntimeException e) {
            throw errors.map(Operation.PRESIGN, request.bucket(), request.key(), e);
        }
    }

    @Override
    public void close() {
        // the JDK HTTP client has nothing to release that its threads do not release on their own
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String host(String url) {
        URI uri = URI.create(url);
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private BlobContainerClient container(String bucket) {
        return service.getBlobContainerClient(bucket);
    }

    private BlobClient blob(String bucket, String key) {
        return container(bucket).getBlobClient(key);
    }

    private BlockBlobClient block(String bucket, String key) {
        return blob(bucket, key).getBlockBlobClient();
    }

    private static BlobHttpHeaders headers(String contentType) {
        return new BlobHttpHeaders().setContentType(contentType);
    }

    private static byte[] expectedMd5(Operation op, PutRequest request) {
        byte[] md5 = null;
        for (Checksum checksum : request.expectedChecksums()) {
            if (checksum.algorithm() == Checksum.Algorithm.MD5) {
                md5 = HEX.parseHex(checksum.value());
            } else {
                throw StorageException.unsupported(op, request.bucket(), request.key(),
                        "Azure verifies MD5 only, not " + checksum.algorithm());
            }
        }
        return md5;
    }

    private static WriteResult written(BlockBlobItem item) {
        return new WriteResult(etag(item.getETag()), md5(item.getContentMd5()));
    }

    static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Checksum> md5(byte[] md5) {
        return md5 == null || md5.length != 16 ? List.of() : List.of(Checksum.md5Hex(HEX.formatHex(md5)));
    }

    private static String etag(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? Instant.EPOCH : time.toInstant();
    }

    private static RestoreStatus restoreStatus(AccessTier tier, ArchiveStatus archiveStatus) {
        return AccessTier.ARCHIVE.equals(tier) && archiveStatus != null ? RestoreStatus.IN_PROGRESS : RestoreStatus.NONE;
    }

    /** The download stream, with the SDK's unchecked failures turned into IOExceptions saying what failed. */
    private final class AzureDownload extends FilterInputStream {
        private final String bucket;
        private final String key;

        AzureDownload(InputStream in, String bucket, String key) {
            super(in);
            this.bucket = bucket;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
        }

        private IOException failed(Exception e) {
            Throwable cause = e instanceof IOException && e.getCause() != null ? e.getCause() : e;
            StorageException mapped = errors.map(Operation.GET, bucket, key, cause);
            return new IOException(mapped.getMessage(), mapped);
        }
    }
}
