package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonParseException;
import com.qiniu.common.QiniuException;
import com.qiniu.http.Response;
import com.qiniu.storage.BucketManager;
import com.qiniu.storage.Configuration;
import com.qiniu.storage.Region;
import com.qiniu.storage.model.BatchStatus;
import com.qiniu.storage.model.FileInfo;
import com.qiniu.storage.model.FileListing;
import com.qiniu.storage.model.StorageType;
import com.qiniu.util.Auth;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;

/**
 * Qiniu Kodo as an object store. Management (stat, list, batch, copy, chtype, chgm, restoreAr, buckets,
 * domains) goes through the SDK's {@link BucketManager}; uploads and ranged downloads go through the
 * driver's own OkHttp client ({@link QiniuUploads}, {@link QiniuDownloads}). Every request is sent once.
 */
final class QiniuObjectStore implements ObjectStore {

    static final long MIN_PART_SIZE = 1024L * 1024;
    static final long MAX_PART_SIZE = 1024L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    /** A put above the form-upload threshold is sent in 4 MiB resumable parts, so that its hash is the qetag. */
    static final long MAX_PUT_SIZE = (long) MAX_PARTS * QiniuContentHash.BLOCK_SIZE;
    static final int MAX_BATCH = 1000;
    static final int MAX_RESTORE_DAYS = 7;
    private static final Duration MIN_TOKEN_TTL = Duration.ofHours(1);
    private static final Duration DOWNLOAD_URL_TTL = Duration.ofHours(1);
    private static final Set<Checksum.Algorithm> VERIFIABLE = EnumSet.of(Checksum.Algorithm.MD5, Checksum.Algorithm.QETAG);
    private static final Pattern META_NAME = Pattern.compile("[A-Za-z0-9_-]{1,50}");
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");
    private static final MediaType OCTET_STREAM = MediaType.get(QiniuUploads.OCTET_STREAM);
    /** Parts of one put uploaded at once. */
    private static final int PARTS_IN_FLIGHT = 4;

    private final QiniuSettings settings;
    private final BucketManager manager;
    private final OkHttpClient http;
    private final QiniuUploads uploads;
    private final QiniuDownloads downloads;
    private final QiniuHosts hosts;
    private final Capabilities capabilities;
    private final MultipartEngine parts;

    QiniuObjectStore(QiniuSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        Auth auth = Auth.create(settings.accessKey(), settings.secretKey().reveal());
        Configuration cfg = configuration(settings);
        this.manager = new BucketManager(auth, cfg);
        this.hosts = new QiniuHosts(settings, cfg);
        // Retries happen in one place, Barge's retry layer, so OkHttp must not replay requests either
        // (with a streamed body it would send a stream that was already read).
        this.http = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.requestTimeout())
                .writeTimeout(settings.requestTimeout())
                .connectionPool(new ConnectionPool(settings.maxConnections(), 5, TimeUnit.MINUTES))
                .retryOnConnectionFailure(false)
                .build();
        Duration tokenTtl = settings.requestTimeout().multipliedBy(2).compareTo(MIN_TOKEN_TTL) > 0
                ? settings.requestTimeout().multipliedBy(2) : MIN_TOKEN_TTL;
        this.uploads = new QiniuUploads(http, auth, cfg, tokenTtl, hosts);
        this.downloads = new QiniuDownloads(settings, auth, manager, http, hosts);
        // parts of 4 MiB, a qetag block each, so that Kodo's hash of the whole is the qetag, compared with
        // the qetag of the bytes sent (and their MD5 reported); a stream within the form-upload threshold
        // (and a part) is one form upload
        this.parts = new MultipartEngine(new MultipartEngine.Settings(QiniuContentHash.BLOCK_SIZE, PARTS_IN_FLIGHT,
                Math.min(settings.formUploadThreshold(), QiniuContentHash.BLOCK_SIZE), settings.formUploadThreshold(),
                false, VERIFIABLE, false, Set.of()), "barge-kodo-upload");
        // Kodo's copy takes objects of any size in one request, and its upload API has no part copy
        this.capabilities = Capabilities.builder()
                .copy(Long.MAX_VALUE)
                .multipart(MIN_PART_SIZE, MAX_PART_SIZE, MAX_PARTS)
                .maxPutSize(MAX_PUT_SIZE)
                .storageClasses(QiniuStorageTypes.FAMILIES_OFFERED)
                .setStorageClass(true)
                .restore(true)
                .presign(true)
                .listStartAfter(false)
                .maxBatchDeleteSize(MAX_BATCH)
                .checksums(VERIFIABLE)
                .keysNestUnderObjects(true)
                .build();
    }

    /** The SDK's configuration: the remote's hosts or region, its timeouts and pool, no retries. */
    static Configuration configuration(QiniuSettings settings) {
        Region region;
        QiniuSettings.Hosts hosts = settings.hosts();
        if (hosts != null) {
            // explicit hosts: the SDK asks no uc/query for the region of a bucket
            region = new Region.Builder().region(settings.regionId())
                    .srcUpHost(hosts.up()).accUpHost(hosts.up())
                    .iovipHost(hosts.io()).ioSrcHost(hosts.io())
                    .rsHost(hosts.rs()).rsfHost(hosts.rsf()).apiHost(hosts.api()).ucHost(hosts.uc())
                    .build();
        } else if (settings.regionId() != null) {
            region = Region.createWithRegionId(settings.regionId());
        } else {
            region = Region.autoRegion();
        }
        Configuration cfg = new Configuration(region);
        cfg.useHttpsDomains = settings.https();
        cfg.resumableUploadAPIVersion = Configuration.ResumableUploadAPIVersion.V2;
        // Barge's retry layer is the one place that retries (with backoff, for retryable kinds only, and
        // counted in the error it finally throws). The SDK would otherwise resend uc calls, region
        // queries and uploads on its own, switching hosts: retryMax 0 sends each request once.
        cfg.retryMax = 0;
        cfg.connectTimeout = seconds(settings.connectTimeout());
        cfg.readTimeout = seconds(settings.requestTimeout());
        cfg.writeTimeout = seconds(settings.requestTimeout());
        cfg.dispatcherMaxRequests = settings.maxConnections();
        cfg.dispatcherMaxRequestsPerHost = settings.maxConnections();
        cfg.connectionPoolMaxIdleCount = settings.maxConnections();
        return cfg;
    }

    private static int seconds(Duration duration) {
        long s = (duration.toMillis() + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ---- listing and reading ------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) {
        if (request.startAfter() != null) {
            throw StorageException.unsupported(Operation.LIST, request.bucket(), request.prefix(),
                    "Kodo lists from its own markers, not from a key: continue with the page token");
        }
        String marker = request.pageToken() == null || request.pageToken().isEmpty() ? null : request.pageToken();
        FileListing listing;
        try {
            listing = manager.listFiles(request.bucket(), request.prefix(), marker, request.pageSize(),
                    request.delimiter() == null ? "" : request.delimiter());
        } catch (QiniuException e) {
            throw QiniuErrors.of(Operation.LIST, request.bucket(), request.prefix(), e,
                    hosts.of(QiniuHosts.Role.RSF, request.bucket()));
        } catch (JsonParseException e) {
            throw QiniuErrors.unreadableAnswer(Operation.LIST, request.bucket(), request.prefix(), e,
                    hosts.of(QiniuHosts.Role.RSF, request.bucket()));
        }
        List<ObjectInfo> objects = new ArrayList<>();
        if (listing.items != null) {
            for (FileInfo item : listing.items) {
                objects.add(info(item.key, item, false));
            }
        }
        List<String> prefixes = listing.commonPrefixes == null ? List.of() : Arrays.asList(listing.commonPrefixes);
        String next = listing.marker == null || listing.marker.isEmpty() ? null : listing.marker;
        return new ListPage(objects, prefixes, next);
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        checkKey(Operation.STAT, bucket, key);
        return statInfo(Operation.STAT, bucket, key);
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        checkKey(Operation.GET, bucket, key);
        // stat first: the download answers no storage class, and an unrestored archive is refused
        // here whatever words the download domain would use
        ObjectInfo info = statInfo(Operation.GET, bucket, key);
        if (!info.isReadable()) {
            throw archived(Operation.GET, bucket, key, info);
        }
        long offset = 0;
        long length = info.size();
        if (range != null) {
            ByteRange.Resolved resolved;
            try {
                resolved = range.resolve(info.size());
            } catch (IllegalArgumentException e) {
                throw StorageException.invalidArgument(Operation.GET, bucket, key, e.getMessage());
            }
            offset = resolved.offset();
            length = resolved.length();
        }
        if (length == 0) {
            return new ObjectContent(info, offset, 0, InputStream.nullInputStream());
        }
        InputStream body = downloads.open(bucket, key, info, offset, length, deadline(DOWNLOAD_URL_TTL));
        return new ObjectContent(info, offset, length, body);
    }

    /**
     * A read of a listed object in one request: the listing gave its size, etag and class, the
     * download gives its content type and metadata. An object the listing cannot vouch for (an
     * archive, whose restore state only a stat tells; an empty one, which no download describes) is
     * read as {@link #get(String, String, ByteRange)} reads it, with a stat first.
     */
    @Override
    public ObjectContent get(String bucket, ObjectInfo listed, ByteRange range) {
        String key = listed.key();
        if (listed.size() == 0 || listed.storageClass().requiresRestore() || listed.etag() == null) {
            return get(bucket, key, range);
        }
        checkKey(Operation.GET, bucket, key);
        long offset = 0;
        long length = listed.size();
        if (range != null) {
            ByteRange.Resolved resolved;
            try {
                resolved = range.resolve(listed.size());
            } catch (IllegalArgumentException e) {
                throw StorageException.invalidArgument(Operation.GET, bucket, key, e.getMessage());
            }
            offset = resolved.offset();
            length = resolved.length();
        }
        QiniuDownloadStream body = downloads.open(bucket, key, listed, offset, length, deadline(DOWNLOAD_URL_TTL));
        ObjectInfo info = new ObjectInfo(key, listed.size(), listed.lastModified(), listed.etag(),
                listed.storageClass(), body.contentType(), body.userMetadata(), listed.checksums(), listed.restore());
        return new ObjectContent(info, offset, length, body);
    }

    // ---- writing ------------------------------------------------------------------------

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        checkKey(Operation.PUT, bucket, key);
        int fileType = fileType(Operation.PUT, bucket, key, request.storageClass());
        checkMetadata(Operation.PUT, bucket, key, request.userMetadata());
        for (Checksum expected : request.expectedChecksums()) {
            if (!VERIFIABLE.contains(expected.algorithm())) {
                throw StorageException.unsupported(Operation.PUT, bucket, key, "Kodo cannot verify "
                        + expected.algorithm() + " checksums; it verifies " + VERIFIABLE);
            }
        }
        if (payload.hasKnownLength() && payload.length() > MAX_PUT_SIZE) {
            throw StorageException.invalidArgument(Operation.PUT, bucket, key, "a single put takes at most "
                    + MAX_PUT_SIZE + " bytes, not " + payload.length() + "; use a multipart upload");
        }
        if (parts.writesInParts(payload)) {
            return parts.put(this, request, payload);
        }
        try (InputStream in = payload.open()) {
            return form(request, fileType, in, payload.length());
        } catch (IOException e) {
            throw QiniuErrors.io(Operation.PUT, bucket, key, e);
        }
    }

    /**
     * A put within the form-upload threshold: one form upload. Larger puts are resumable uploads in
     * parts by the shared {@link MultipartEngine}. The bytes are hashed as they are read; expected
     * checksums are compared before the object becomes visible, and Kodo's hash of what it stored is
     * compared with the hash of what was sent.
     */
    private WriteResult form(PutRequest request, int fileType, InputStream in, long announced) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        byte[] data = in.readNBytes((int) announced + 1);
        QiniuContentHash hash = new QiniuContentHash();
        hash.update(data, 0, data.length);
        QiniuContentHash.Hashes hashes = hash.finish();
        checkPayload(request, announced, hashes);
        String stored = uploads.form(Operation.PUT, bucket, key, uploads.token(bucket, key, fileType), data,
                data.length, request.contentType(), request.userMetadata());
        return written(bucket, key, hashes, stored);
    }

    /** The payload held what was announced and matches the expected checksums; nothing is visible yet. */
    private static void checkPayload(PutRequest request, long announced, QiniuContentHash.Hashes hashes) {
        if (announced != Payload.UNKNOWN_LENGTH && hashes.size() != announced) {
            throw StorageException.invalidArgument(Operation.PUT, request.bucket(), request.key(), "the payload held "
                    + hashes.size() + " bytes but " + announced + " were announced; nothing was written");
        }
        for (Checksum expected : request.expectedChecksums()) {
            String actual = expected.algorithm() == Checksum.Algorithm.MD5 ? hashes.md5() : hashes.qetag();
            if (!expected.value().equals(actual)) {
                throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(request.bucket())
                        .key(request.key()).detail("expected " + expected.algorithm() + " " + expected.value()
                                + " but the data has " + actual + "; nothing was written").build();
            }
        }
    }

    /**
     * The result of a put, once Kodo's hash of what it stored matches the qetag of what was read. If it
     * does not, the stored object is not the data: it is deleted (the previous object is gone already)
     * and the put fails with CHECKSUM_MISMATCH, so that it is sent again.
     */
    private WriteResult written(String bucket, String key, QiniuContentHash.Hashes hashes, String stored) {
        if (stored != null && QiniuContentHash.isStandardQetag(stored) && !stored.equals(hashes.qetag())) {
            StorageException mismatch = StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT)
                    .bucket(bucket).key(key).detail("Kodo stored content with hash " + stored + " but the data sent has "
                            + hashes.qetag() + "; the damaged object was deleted").build();
            try {
                manager.delete(bucket, key);
            } catch (QiniuException e) {
                mismatch.addSuppressed(e);
            }
            throw mismatch;
        }
        return new WriteResult(stored != null ? stored : hashes.qetag(),
                List.of(new Checksum(Checksum.Algorithm.QETAG, hashes.qetag()), Checksum.md5Hex(hashes.md5())));
    }

    private static void checkPart(Operation op, String bucket, String key, int number, QiniuUploads.UploadedPart part,
            String sentMd5) {
        if (part.md5() != null && !part.md5().equals(sentMd5)) {
            throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, op).bucket(bucket).key(key)
                    .detail("part " + number + " arrived with MD5 " + part.md5() + " but " + sentMd5
                            + " was sent; upload the part again").build();
        }
    }

    @Override
    public void delete(String bucket, String key) {
        checkKey(Operation.DELETE, bucket, key);
        try {
            manager.delete(bucket, key);
        } catch (QiniuException e) {
            if (e.code() != 612) {
                throw QiniuErrors.of(Operation.DELETE, bucket, key, e, rs(bucket));
            }
        }
    }

    @Override
    public DeleteResult deleteBatch(String bucket, List<String> keys) {
        if (keys.size() > MAX_BATCH) {
            throw StorageException.invalidArgument(Operation.DELETE_BATCH, bucket, null,
                    "a Kodo batch takes at most " + MAX_BATCH + " operations, not " + keys.size());
        }
        Map<String, StorageException> refused = new HashMap<>();
        List<String> sendable = new ArrayList<>();
        for (String key : keys) {
            try {
                checkKey(Operation.DELETE_BATCH, bucket, key);
                sendable.add(key);
            } catch (StorageException e) {
                refused.put(key, e);
            }
        }
        DeleteResult result = new DeleteResult(List.of(), Map.of());
        if (!sendable.isEmpty()) {
            BucketManager.BatchOperations ops = new BucketManager.BatchOperations()
                    .addDeleteOp(bucket, sendable.toArray(new String[0]));
            result = deleteResult(bucket, sendable, batch(Operation.DELETE_BATCH, bucket, ops));
        }
        if (refused.isEmpty()) {
            return result;
        }
        refused.putAll(result.failed());
        return new DeleteResult(result.deleted(), refused);
    }

    /**
     * Each key's outcome in a batch delete: 200 and 612 (no such file) are deleted; a missing bucket
     * fails the whole call; any other code fails that key only.
     */
    static DeleteResult deleteResult(String bucket, List<String> keys, BatchAnswer answer) {
        if (answer.statuses().length != keys.size()) {
            throw StorageException.builder(ErrorKind.TRANSIENT, Operation.DELETE_BATCH).bucket(bucket)
                    .requestId(answer.reqId()).detail("Kodo answered " + answer.statuses().length + " results for "
                            + keys.size() + " deletes").build();
        }
        List<String> deleted = new ArrayList<>();
        Map<String, StorageException> failed = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            BatchStatus status = answer.statuses()[i];
            String error = status.data == null ? null : status.data.error;
            if (status.code == 200 || status.code == 612) {
                deleted.add(keys.get(i));
            } else if (status.code == 631 || status.code == 401) {
                throw QiniuErrors.status(Operation.DELETE_BATCH, bucket, null, status.code, error, answer.reqId(), null);
            } else {
                failed.put(keys.get(i), QiniuErrors.status(Operation.DELETE_BATCH, bucket, keys.get(i), status.code,
                        error, answer.reqId(), null));
            }
        }
        return new DeleteResult(deleted, failed);
    }

    /** A batch's per-operation results and its request id. */
    record BatchAnswer(BatchStatus[] statuses, String reqId) {
        BatchAnswer {
            requireNonNull(statuses, "statuses is null");
        }
    }

    private BatchAnswer batch(Operation op, String bucket, BucketManager.BatchOperations ops) {
        try {
            Response response = manager.batch(ops);
            BatchStatus[] statuses = response.jsonToObject(BatchStatus[].class);
            return new BatchAnswer(statuses == null ? new BatchStatus[0] : statuses, response.reqId);
        } catch (QiniuException e) {
            throw QiniuErrors.of(op, bucket, null, e, rs(bucket));
        } catch (JsonParseException e) {
            throw QiniuErrors.unreadableAnswer(op, bucket, null, e, rs(bucket));
        }
    }

    // ---- buckets ------------------------------------------------------------------------

    @Override
    public void createBucket(String bucket) {
        requireNonNull(bucket, "bucket is null");
        String region = settings.regionId() != null ? settings.regionId() : QiniuSettings.DEFAULT_REGION;
        try {
            manager.createBucket(bucket, region);
        } catch (QiniuException e) {
            throw QiniuErrors.of(Operation.CREATE_BUCKET, bucket, null, e, uc(bucket));
        }
    }

    @Override
    public List<BucketInfo> listBuckets() {
        String[] names;
        try {
            names = manager.buckets();
        } catch (QiniuException e) {
            throw QiniuErrors.of(Operation.LIST_BUCKETS, null, null, e, uc(null));
        }
        if (names == null) {
            return List.of();
        }
        return Arrays.stream(names).sorted(KeyOrder.UTF8).map(name -> new BucketInfo(name, null)).toList();
    }

    @Override
    public void deleteBucket(String bucket) {
        requireNonNull(bucket, "bucket is null");
        // Kodo's answer to dropping a bucket that still holds files is not documented: look first
        FileListing first;
        try {
            first = manager.listFiles(bucket, "", null, 1, "");
        } catch (QiniuException e) {
            throw QiniuErrors.of(Operation.DELETE_BUCKET, bucket, null, e, hosts.of(QiniuHosts.Role.RSF, bucket));
        }
        if (first.items != null && first.items.length > 0) {
            throw StorageException.builder(ErrorKind.CONFLICT, Operation.DELETE_BUCKET).bucket(bucket)
                    .detail("bucket is not empty: it holds '" + first.items[0].key + "'; delete its objects first")
                    .build();
        }
        try {
            manager.deleteBucket(bucket);
        } catch (QiniuException e) {
            throw QiniuErrors.of(Operation.DELETE_BUCKET, bucket, null, e, uc(bucket));
        }
    }

    // ---- optional -----------------------------------------------------------------------

    /**
     * Kodo's copy keeps content type, metadata and storage type; metadata is replaced with chgm and the
     * class changed with chtype afterwards (three requests, not atomic). chgm cannot remove metadata
     * names, and an archived copy must be restored before its class changes: those copies stream the
     * object through Barge instead.
     */
    @Override
    public WriteResult copy(CopyRequest request) {
        return copy(request, this);
    }

    /** As {@link #copy(CopyRequest)}; a copy through Barge reads and writes through {@code parts}. */
    @Override
    public WriteResult copy(CopyRequest request, ObjectStore parts) {
        String sourceBucket = request.sourceBucket();
        String sourceKey = request.sourceKey();
        String targetBucket = request.targetBucket();
        String targetKey = request.targetKey();
        checkKey(Operation.COPY, sourceBucket, sourceKey);
        checkKey(Operation.COPY, targetBucket, targetKey);
        int targetType = request.storageClass() == null
                ? QiniuStorageTypes.STANDARD : fileType(Operation.COPY, targetBucket, targetKey, request.storageClass());
        if (request.replaceMetadata()) {
            checkMetadata(Operation.COPY, targetBucket, targetKey, request.userMetadata());
        }
        ObjectInfo source = statInfo(Operation.COPY, sourceBucket, sourceKey);
        if (!source.isReadable()) {
            throw archived(Operation.COPY, sourceBucket, sourceKey, source);
        }
        int sourceType = QiniuStorageTypes.typeOf(source.storageClass());
        boolean dropsMetadata = request.replaceMetadata()
                && !request.userMetadata().keySet().containsAll(source.userMetadata().keySet());
        boolean leavesArchive = source.storageClass().requiresRestore()
                && !QiniuStorageTypes.storageClass(targetType).requiresRestore();
        if (dropsMetadata || leavesArchive) {
            return copyThroughBarge(request, source, targetType, parts);
        }
        if (!sourceBucket.equals(targetBucket) || !sourceKey.equals(targetKey)) {
            try {
                manager.copy(sourceBucket, sourceKey, targetBucket, targetKey, true);
            } catch (QiniuException e) {
                // the source was just found: a missing bucket now is the target's
                throw e.code() == 631 ? QiniuErrors.of(Operation.COPY, targetBucket, targetKey, e, rs(sourceBucket))
                        : QiniuErrors.of(Operation.COPY, sourceBucket, sourceKey, e, rs(sourceBucket));
            }
        }
        if (request.replaceMetadata()) {
            String contentType = request.contentType() != null ? request.contentType() : QiniuUploads.OCTET_STREAM;
            BucketManager.BatchOperations ops = new BucketManager.BatchOperations()
                    .addChgmOp(targetBucket, targetKey, contentType, request.userMetadata(), null);
            BatchAnswer answer = batch(Operation.COPY, targetBucket, ops);
            if (answer.statuses().length == 1 && answer.statuses()[0].code != 200) {
                BatchStatus status = answer.statuses()[0];
                throw QiniuErrors.status(Operation.COPY, targetBucket, targetKey, status.code,
                        status.data == null ? null : status.data.error, answer.reqId(), null);
            }
        }
        if (sourceType != targetType) {
            changeType(Operation.COPY, targetBucket, targetKey, targetType);
        }
        return new WriteResult(source.etag(), source.checksums());
    }

    /**
     * A copy Kodo cannot make itself: the bytes read and written again, through {@code parts} (the
     * store as the caller sees it), so that a large object's upload goes in blocks that the layers
     * send and retry one by one, as any put of it would.
     */
    private WriteResult copyThroughBarge(CopyRequest request, ObjectInfo source, int targetType, ObjectStore parts) {
        PutRequest put = PutRequest.builder(request.targetBucket(), request.targetKey())
                .contentType(request.replaceMetadata() ? request.contentType() : source.contentType())
                .userMetadata(request.replaceMetadata() ? request.userMetadata() : source.userMetadata())
                .storageClass(QiniuStorageTypes.storageClass(targetType))
                .build();
        try (ObjectContent content = parts.get(request.sourceBucket(), request.sourceKey(), null)) {
            return parts.put(put, Payload.ofStream(content.body(), content.length()));
        } catch (IOException e) {
            throw QiniuErrors.io(Operation.COPY, request.sourceBucket(), request.sourceKey(), e);
        }
    }

    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass) {
        requireNonNull(storageClass, "storageClass is null");
        checkKey(Operation.SET_STORAGE_CLASS, bucket, key);
        changeType(Operation.SET_STORAGE_CLASS, bucket, key,
                fileType(Operation.SET_STORAGE_CLASS, bucket, key, storageClass));
    }

    private void changeType(Operation op, String bucket, String key, int type) {
        try {
            manager.changeType(bucket, key, StorageType.values()[type]);
        } catch (QiniuException e) {
            throw QiniuErrors.of(op, bucket, key, e, rs(bucket));
        } catch (JsonParseException e) {
            throw QiniuErrors.unreadableAnswer(op, bucket, key, e, rs(bucket));
        }
    }

    /** Kodo has one restore speed; the tier is not used. */
    @Override
    public void restore(String bucket, String key, RestoreRequest request) {
        requireNonNull(request, "request is null");
        checkKey(Operation.RESTORE, bucket, key);
        if (request.days() > MAX_RESTORE_DAYS) {
            throw StorageException.invalidArgument(Operation.RESTORE, bucket, key, "Kodo keeps a restored object "
                    + "readable for 1 to " + MAX_RESTORE_DAYS + " days, not " + request.days());
        }
        ObjectInfo info = statInfo(Operation.RESTORE, bucket, key);
        if (!info.storageClass().requiresRestore()) {
            throw StorageException.invalidArgument(Operation.RESTORE, bucket, key, "the object is not archived (storage "
                    + "class " + info.storageClass().displayName() + "); it can be read as it is");
        }
        if (info.restore().state() != RestoreStatus.State.NONE) {
            return; // being restored, or readable already
        }
        try {
            manager.restoreArchive(bucket, key, request.days());
        } catch (QiniuException e) {
            throw QiniuErrors.of(Operation.RESTORE, bucket, key, e, rs(bucket));
        }
    }

    /** GET only: Kodo uploads need an upload token sent with the data, not a URL. */
    @Override
    public URI presign(PresignRequest request) {
        checkKey(Operation.PRESIGN, request.bucket(), request.key());
        if (request.method() != PresignRequest.Method.GET) {
            throw StorageException.unsupported(Operation.PRESIGN, request.bucket(), request.key(),
                    "Kodo has no presigned upload URLs (uploads carry an upload token in the request); only GET");
        }
        String url = downloads.signedUrl(Operation.PRESIGN, request.bucket(), request.key(), deadline(request.expiry()));
        return URI.create(url);
    }

    // ---- multipart: resumable upload v2 -------------------------------------------------

    @Override
    public MultipartUpload initiateMultipart(PutRequest request) {
        String bucket = request.bucket();
        String key = request.key();
        checkKey(Operation.MULTIPART_INITIATE, bucket, key);
        int fileType = fileType(Operation.MULTIPART_INITIATE, bucket, key, request.storageClass());
        checkMetadata(Operation.MULTIPART_INITIATE, bucket, key, request.userMetadata());
        if (!request.expectedChecksums().isEmpty()) {
            throw StorageException.unsupported(Operation.MULTIPART_INITIATE, bucket, key, "Kodo cannot check a "
                    + "checksum of the whole object before a multipart upload completes; each part's MD5 is checked");
        }
        String kodoId = uploads.initiate(Operation.MULTIPART_INITIATE, bucket, key, uploads.token(bucket, key, fileType));
        return new MultipartUpload(bucket, key,
                new QiniuUploadId(kodoId, request.contentType(), fileType, request.userMetadata()).encode());
    }

    @Override
    public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        QiniuUploadId id = uploadId(Operation.MULTIPART_UPLOAD_PART, upload);
        String bucket = upload.bucket();
        String key = upload.key();
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key,
                    "part number " + partNumber + " is outside 1.." + MAX_PARTS);
        }
        if (payload.hasKnownLength() && payload.length() > MAX_PART_SIZE) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key,
                    "a part holds at most " + MAX_PART_SIZE + " bytes, not " + payload.length());
        }
        String token = uploads.token(bucket, key, id.fileType());
        try (InputStream in = payload.open()) {
            MessageDigest md5 = md5();
            RequestBody body;
            long size;
            if (payload.hasKnownLength()) {
                size = payload.length();
                body = new QiniuPartBody(in, size, md5, bucket, key);
            } else {
                byte[] data = in.readNBytes((int) MAX_PART_SIZE + 1);
                if (data.length > MAX_PART_SIZE) {
                    throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key,
                            "a part holds at most " + MAX_PART_SIZE + " bytes");
                }
                md5.update(data);
                size = data.length;
                body = RequestBody.create(OCTET_STREAM, data);
            }
            QiniuUploads.UploadedPart part = uploads.uploadPart(Operation.MULTIPART_UPLOAD_PART, bucket, key, token,
                    id.kodoId(), partNumber, body);
            checkPart(Operation.MULTIPART_UPLOAD_PART, bucket, key, partNumber, part,
                    HexFormat.of().formatHex(md5.digest()));
            return new CompletedPart(partNumber, part.etag(), size);
        } catch (IOException e) {
            throw QiniuErrors.io(Operation.MULTIPART_UPLOAD_PART, bucket, key, e);
        }
    }

    @Override
    public MultipartEngine multipartEngine() {
        return parts;
    }

    @Override
    public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        QiniuUploadId id = uploadId(Operation.MULTIPART_COMPLETE, upload);
        List<CompletedPart> ordered = parts.stream().sorted(Comparator.comparingInt(CompletedPart::partNumber)).toList();
        if (ordered.isEmpty()) {
            throw StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(),
                    "a multipart upload needs at least one part");
        }
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).partNumber() == ordered.get(i - 1).partNumber()) {
                throw StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(),
                        "part " + ordered.get(i).partNumber() + " is listed twice");
            }
        }
        String token = uploads.token(upload.bucket(), upload.key(), id.fileType());
        String hash = uploads.complete(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(), token, id.kodoId(),
                ordered, id.contentType(), id.metadata());
        return new WriteResult(hash, QiniuContentHash.isStandardQetag(hash)
                ? List.of(new Checksum(Checksum.Algorithm.QETAG, hash)) : List.of());
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        QiniuUploadId id = QiniuUploadId.decode(upload.uploadId());
        if (id == null) {
            return; // not an upload of this driver: nothing to free
        }
        uploads.abort(Operation.MULTIPART_ABORT, upload.bucket(), upload.key(),
                uploads.token(upload.bucket(), upload.key(), id.fileType()), id.kodoId());
    }

    private static QiniuUploadId uploadId(Operation op, MultipartUpload upload) {
        QiniuUploadId id = QiniuUploadId.decode(upload.uploadId());
        if (id == null) {
            throw StorageException.builder(ErrorKind.NOT_FOUND, op).bucket(upload.bucket()).key(upload.key())
                    .detail("no such multipart upload: " + upload.uploadId()).build();
        }
        return id;
    }

    @Override
    public void close() {
        parts.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    // ---- shared pieces ------------------------------------------------------------------

    private ObjectInfo statInfo(Operation op, String bucket, String key) {
        try {
            return info(key, manager.stat(bucket, key), true);
        } catch (QiniuException e) {
            throw QiniuErrors.of(op, bucket, key, e, rs(bucket));
        } catch (JsonParseException e) {
            throw QiniuErrors.unreadableAnswer(op, bucket, key, e, rs(bucket));
        }
    }

    /** The host of the SDK's rs requests for the bucket: stat, delete, batch, copy, chtype, restoreAr. */
    private QiniuHosts.Host rs(String bucket) {
        return hosts.of(QiniuHosts.Role.RS, bucket);
    }

    /** The host of the SDK's uc requests: buckets, domains. */
    private QiniuHosts.Host uc(String bucket) {
        return hosts.of(QiniuHosts.Role.UC, bucket);
    }

    /** An object as Kodo describes it; listings carry no content type and no metadata. */
    static ObjectInfo info(String key, FileInfo file, boolean withHeaders) {
        List<Checksum> checksums = new ArrayList<>(2);
        if (QiniuContentHash.isStandardQetag(file.hash)) {
            checksums.add(new Checksum(Checksum.Algorithm.QETAG, file.hash));
        }
        if (file.md5 != null && MD5_HEX.matcher(file.md5).matches()) {
            checksums.add(Checksum.md5Hex(file.md5));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (withHeaders && file.meta != null) {
            file.meta.forEach((name, value) -> metadata.put(name.toLowerCase(Locale.ROOT), String.valueOf(value)));
        }
        // putTime counts 100 ns units since the epoch
        Instant lastModified = Instant.ofEpochSecond(Math.floorDiv(file.putTime, 10_000_000L),
                Math.floorMod(file.putTime, 10_000_000L) * 100);
        return new ObjectInfo(key, file.fsize, lastModified, file.hash, QiniuStorageTypes.storageClass(file.type),
                withHeaders ? file.mimeType : null, metadata, checksums,
                QiniuStorageTypes.restoreStatus(file.type, file.restoreStatus));
    }

    private static StorageException archived(Operation op, String bucket, String key, ObjectInfo info) {
        String state = info.restore().state() == RestoreStatus.State.IN_PROGRESS
                ? "its restore is still running" : "restore it first";
        return StorageException.builder(ErrorKind.ARCHIVED, op).bucket(bucket).key(key)
                .detail("the object is in " + info.storageClass().displayName() + " storage and cannot be read: "
                        + state).build();
    }

    private static void checkKey(Operation op, String bucket, String key) {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (key.isEmpty()) {
            throw StorageException.invalidArgument(op, bucket, key, "keys are not empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 1024) {
            throw StorageException.invalidArgument(op, bucket, key, "the key '" + key.substring(0, 40) + "...' is "
                    + bytes + " UTF-8 bytes, more than the 1024 Barge sends to Kodo: shorten it");
        }
        if (key.indexOf('\0') >= 0) {
            throw StorageException.invalidArgument(op, bucket, key, "Kodo keys cannot hold a NUL character");
        }
    }

    private static void checkMetadata(Operation op, String bucket, String key, Map<String, String> metadata) {
        for (String name : metadata.keySet()) {
            if (!META_NAME.matcher(name).matches()) {
                throw StorageException.invalidArgument(op, bucket, key, "Kodo metadata names hold 1 to 50 letters, "
                        + "digits, '_' or '-': '" + name + "' does not");
            }
        }
    }

    private static int fileType(Operation op, String bucket, String key, StorageClass storageClass) {
        if (storageClass == null) {
            return QiniuStorageTypes.STANDARD;
        }
        int type = QiniuStorageTypes.typeOf(storageClass);
        if (type < 0) {
            throw StorageException.unsupported(op, bucket, key, "Kodo has no " + storageClass.displayName()
                    + " storage class; it offers " + QiniuStorageTypes.FAMILIES_OFFERED);
        }
        return type;
    }

    private static long deadline(Duration ttl) {
        return Instant.now().plus(ttl).getEpochSecond() + (ttl.getNano() > 0 ? 1 : 0);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
