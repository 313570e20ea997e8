package dev.barge.storage.layer;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.DeleteResult;
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
import dev.barge.storage.WriteResult;
import dev.barge.storage.multipart.MultipartEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * A decorator around another store that sees every operation through one method,
 * {@link #invoke}, and every byte stream through {@link #download} and {@link #upload}. Layers
 * (retry, rate limit, metrics) implement those and nothing else; {@link StoreLayers} stacks them.
 *
 * <p>Writes in parts are cut above the layers, so that each part passes every layer as a call of its
 * own: a put that the store's {@link ObjectStore#multipartEngine() multipart engine} writes in parts
 * is run by the engine over the outermost layer (the first to see it), and a copy (or a change of
 * class by a copy onto itself) passes that layer down as the store its part copies go through
 * ({@link ObjectStore#copy(CopyRequest, ObjectStore)},
 * {@link ObjectStore#setStorageClass(String, String, StorageClass, ObjectStore)}).
 */
public abstract class ObjectStoreLayer implements ObjectStore {

    /**
     * One operation as a layer sees it.
     *
     * @param operation what is being done
     * @param bucket the bucket, or {@code null}
     * @param key the key (the prefix for listings), or {@code null}
     * @param replayable whether sending it again is safe: the operation is idempotent and its
     *     payload, if any, can be read again
     */
    public record Call(Operation operation, String bucket, String key, boolean replayable) {}

    protected final ObjectStore delegate;
    private final boolean readsByKey;
    private final boolean putsWhole;
    private final boolean copiesWhole;
    private final boolean classesWhole;

    protected ObjectStoreLayer(ObjectStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.readsByKey = overridesGetByKey(getClass());
        this.putsWhole = overrides(getClass(), "put", PutRequest.class, Payload.class);
        this.copiesWhole = overrides(getClass(), "copy", CopyRequest.class);
        this.classesWhole = overrides(getClass(), "setStorageClass", String.class, String.class, StorageClass.class);
    }

    /** Whether a subclass overrides the method: it then sees each such call whole, not in parts. */
    private static boolean overrides(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters).getDeclaringClass() != ObjectStoreLayer.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a subclass overrides {@link #get(String, String, ByteRange)}: it then sees every read,
     * reads of listed objects included (see {@link #get(String, ObjectInfo, ByteRange)}).
     */
    private static boolean overridesGetByKey(Class<?> type) {
        try {
            return type.getMethod("get", String.class, String.class, ByteRange.class).getDeclaringClass()
                    != ObjectStoreLayer.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one operation against the delegate; {@code action} may be run more than once. */
    protected abstract <T> T invoke(Call call, Supplier<T> action);

    /** Wraps the body of a download; called once per successful {@code get}. */
    protected InputStream download(Call call, InputStream body) {
        return body;
    }

    /** Wraps the payload of a write; its {@code open()} is called once per attempt. */
    protected Payload upload(Call call, Payload payload) {
        return payload;
    }

    private static Call call(Operation op, String bucket, String key) {
        return new Call(op, bucket, key, op.isIdempotent());
    }

    private static Call write(Operation op, String bucket, String key, Payload payload) {
        return new Call(op, bucket, key, op.isIdempotent() && payload.isReplayable());
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public ListPage list(ListRequest request) {
        return invoke(call(Operation.LIST, request.bucket(), request.prefix()), () -> delegate.list(request));
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        return invoke(call(Operation.STAT, bucket, key), () -> delegate.stat(bucket, key));
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        Call call = call(Operation.GET, bucket, key);
        return invoke(call, () -> {
            ObjectContent content = delegate.get(bucket, key, range);
            return content.withBody(download(call, content.body()));
        });
    }

    /**
     * A read of a listed object, passed down as such so that the store below may spare a lookup;
     * but a layer that overrides {@link #get(String, String, ByteRange)} (to count, fail or relabel
     * reads) gets this read there, by key, so that no read ever passes it by.
     */
    @Override
    public ObjectContent get(String bucket, ObjectInfo listed, ByteRange range) {
        if (readsByKey) {
            return get(bucket, listed.key(), range);
        }
        Call call = call(Operation.GET, bucket, listed.key());
        return invoke(call, () -> {
            ObjectContent content = delegate.get(bucket, listed, range);
            return content.withBody(download(call, content.body()));
        });
    }

    /**
     * A put, or, when the store's multipart engine writes this payload in parts, the engine's run over
     * this layer: its parts come back through here, each counted, limited and retried on its own, and
     * the stream itself is neither wrapped nor retried (its bytes would be counted twice).
     */
    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        MultipartEngine engine = putsWhole ? null : delegate.multipartEngine();
        if (engine != null && engine.writesInParts(request, payload)) {
            return engine.put(this, request, payload);
        }
        Call call = write(Operation.PUT, request.bucket(), request.key(), payload);
        Payload wrapped = upload(call, payload);
        return invoke(call, () -> delegate.put(request, wrapped));
    }

    @Override
    public void delete(String bucket, String key) {
        invoke(call(Operation.DELETE, bucket, key), () -> {
            delegate.delete(bucket, key);
            return null;
        });
    }

    @Override
    public DeleteResult deleteBatch(String bucket, List<String> keys) {
        return invoke(call(Operation.DELETE_BATCH, bucket, null), () -> delegate.deleteBatch(bucket, keys));
    }

    @Override
    public void createBucket(String bucket) {
        invoke(call(Operation.CREATE_BUCKET, bucket, null), () -> {
            delegate.createBucket(bucket);
            return null;
        });
    }

    @Override
    public List<BucketInfo> listBuckets() {
        return invoke(call(Operation.LIST_BUCKETS, null, null), delegate::listBuckets);
    }

    @Override
    public void deleteBucket(String bucket) {
        invoke(call(Operation.DELETE_BUCKET, bucket, null), () -> {
            delegate.deleteBucket(bucket);
            return null;
        });
    }

    /** The copy, with its parts (if it is copied in parts) sent through this layer. */
    @Override
    public WriteResult copy(CopyRequest request) {
        return copyThrough(request, this);
    }

    /**
     * The copy, its parts sent through {@code parts}; but a subclass that overrides
     * {@link #copy(CopyRequest)} (to count, fail or relabel copies) gets it there, so that no copy
     * passes it by: its parts then go through the layers from here down.
     */
    @Override
    public WriteResult copy(CopyRequest request, ObjectStore parts) {
        return copiesWhole ? copy(request) : copyThrough(request, parts);
    }

    private WriteResult copyThrough(CopyRequest request, ObjectStore parts) {
        return invoke(call(Operation.COPY, request.sourceBucket(), request.sourceKey()),
                () -> delegate.copy(request, parts));
    }

    @Override
    public long append(PutRequest request, long position, Payload payload) {
        Call call = write(Operation.APPEND, request.bucket(), request.key(), payload);
        Payload wrapped = upload(call, payload);
        return invoke(call, () -> delegate.append(request, position, wrapped));
    }

    @Override
    public MultipartUpload initiateMultipart(PutRequest request) {
        return invoke(call(Operation.MULTIPART_INITIATE, request.bucket(), request.key()),
                () -> delegate.initiateMultipart(request));
    }

    @Override
    public MultipartUpload initiateMultipart(PutRequest request, long partSize) {
        return invoke(call(Operation.MULTIPART_INITIATE, request.bucket(), request.key()),
                () -> delegate.initiateMultipart(request, partSize));
    }

    @Override
    public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        Call call = write(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(), payload);
        Payload wrapped = upload(call, payload);
        return invoke(call, () -> delegate.uploadPart(upload, partNumber, wrapped));
    }

    @Override
    public CompletedPart uploadPartCopy(MultipartUpload upload, int partNumber, String sourceBucket, String sourceKey,
            String sourceEtag, ByteRange range) {
        return invoke(call(Operation.MULTIPART_UPLOAD_PART_COPY, upload.bucket(), upload.key()),
                () -> delegate.uploadPartCopy(upload, partNumber, sourceBucket, sourceKey, sourceEtag, range));
    }

    /**
     * The store's engine; none where a subclass overrides {@link #put} (to count, fail or relabel
     * puts), so that the layers above hand it every put whole, and the layer below it cuts the parts.
     */
    @Override
    public MultipartEngine multipartEngine() {
        return putsWhole ? null : delegate.multipartEngine();
    }

    @Override
    public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        return invoke(call(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key()),
                () -> delegate.completeMultipart(upload, parts));
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        invoke(call(Operation.MULTIPART_ABORT, upload.bucket(), upload.key()), () -> {
            delegate.abortMultipart(upload);
            return null;
        });
    }

    /** The change of class, with its parts (if the store copies the object onto itself in parts) sent through this layer. */
    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass) {
        setStorageClassThrough(bucket, key, storageClass, this);
    }

    /**
     * The change of class, its parts sent through {@code parts}; but a subclass that overrides
     * {@link #setStorageClass(String, String, StorageClass)} gets it there, as for {@link #copy(CopyRequest, ObjectStore)}.
     */
    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass, ObjectStore parts) {
        if (classesWhole) {
            setStorageClass(bucket, key, storageClass);
        } else {
            setStorageClassThrough(bucket, key, storageClass, parts);
        }
    }

    private void setStorageClassThrough(String bucket, String key, StorageClass storageClass, ObjectStore parts) {
        invoke(call(Operation.SET_STORAGE_CLASS, bucket, key), () -> {
            delegate.setStorageClass(bucket, key, storageClass, parts);
            return null;
        });
    }

    @Override
    public void restore(String bucket, String key, RestoreRequest request) {
        invoke(call(Operation.RESTORE, bucket, key), () -> {
            delegate.restore(bucket, key, request);
            return null;
        });
    }

    @Override
    public URI presign(PresignRequest request) {
        return invoke(call(Operation.PRESIGN, request.bucket(), request.key()), () -> delegate.presign(request));
    }

    @Override
    public void sync() {
        invoke(call(Operation.SYNC, null, null), () -> {
            delegate.sync();
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** A payload whose streams are wrapped on every open. */
    protected static Payload mapStreams(Payload payload, StreamWrapper wrapper) {
        return new Payload() {
            @Override
            public long length() {
                return payload.length();
            }

            @Override
            public boolean isReplayable() {
                return payload.isReplayable();
            }

            @Override
            public InputStream open() throws IOException {
                return wrapper.wrap(payload.open());
            }
        };
    }

    /** Wraps one stream. */
    @FunctionalInterface
    protected interface StreamWrapper {
        InputStream wrap(InputStream in);
    }
}
