package dev.barge.storage;

import dev.barge.storage.multipart.MultipartEngine;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One configured endpoint of an object store, with its credentials: the contract every driver
 * (S3, OSS, Qiniu, local) implements and everything above the storage layer relies on.
 *
 * <h2>General rules</h2>
 * <ul>
 *   <li>Implementations are thread-safe; one instance serves a whole job.</li>
 *   <li>Every failure is a {@link StorageException} naming the operation, bucket and key, with an
 *       {@link ErrorKind}. A call on a bucket that does not exist fails with
 *       {@link ErrorKind#BUCKET_NOT_FOUND}; on a key that does not exist with
 *       {@link ErrorKind#NOT_FOUND} (except {@link #delete}, which succeeds).</li>
 *   <li>Keys are non-empty strings of at most 1024 UTF-8 bytes. A key the store cannot hold (the
 *       local driver refuses {@code ..} segments, for instance) fails with
 *       {@link ErrorKind#INVALID_ARGUMENT} and nothing is written.</li>
 *   <li>A write is atomic: readers see the old object or the new one, never a part of one.</li>
 *   <li>Optional operations (server-side copy, append, multipart, storage classes, restore,
 *       presigned URLs) are declared in {@link #capabilities()}. Called on a store that does not
 *       claim them they fail at once with {@link ErrorKind#UNSUPPORTED}, sending nothing.</li>
 *   <li>Implementations do not retry; the retry layer does, in one place
 *       ({@code dev.barge.storage.layer}).</li>
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {

    /** What this store can do beyond the core operations. Constant for the life of the store. */
    Capabilities capabilities();

    // ---- core: objects ------------------------------------------------------------------

    /**
     * Lists one page of the keys of a bucket that start with the request's prefix.
     *
     * <ul>
     *   <li>Entries come in ascending order of the UTF-8 bytes of the keys ({@link KeyOrder}).</li>
     *   <li>Without a delimiter every key under the prefix is listed. With one, every key that
     *       contains the delimiter after the prefix is rolled up into one common prefix (the
     *       prefix plus everything up to and including that delimiter), listed once for the
     *       whole listing, not once per key; only prefixes with at least one key are listed.</li>
     *   <li>A page holds at most {@code pageSize} entries (objects plus common prefixes) and may
     *       hold fewer even when more follow; {@link ListPage#nextPageToken()} is {@code null}
     *       exactly on the last page. Following page tokens yields every entry once, with no
     *       gap and no duplicate, for keys that do not change during the listing.</li>
     *   <li>{@code startAfter} lists keys strictly after the given key, which need not exist.
     *       It is compared with keys, not with common prefixes: a common prefix containing keys
     *       after {@code startAfter} is listed again. To resume a listing with a delimiter, use
     *       the page token.</li>
     *   <li>Objects in a listing carry no content type and no user metadata (see
     *       {@link ObjectInfo}).</li>
     * </ul>
     *
     * @throws StorageException {@code BUCKET_NOT_FOUND}; {@code UNSUPPORTED} for {@code startAfter}
     *     without {@link Capabilities#listStartAfter()}; {@code INVALID_ARGUMENT} for a page token
     *     this store did not issue
     */
    ListPage list(ListRequest request);

    /**
     * Lists every page of {@code request} in order, handing each to {@code pages}: {@link #list}, then
     * {@link ListRequest#next} of the page, until the last. Memory stays one page.
     *
     * @throws StorageException as {@link #list}
     */
    default void listAll(ListRequest request, Consumer<ListPage> pages) {
        ListRequest next = request;
        while (true) {
            ListPage page = list(next);
            pages.accept(page);
            if (!page.truncated()) {
                return;
            }
            next = next.next(page);
        }
    }

    /**
     * Describes one object: size, etag, last modified, storage class, content type, user metadata,
     * checksums, restore state.
     *
     * @throws StorageException {@code NOT_FOUND} if there is no object with this exact key (a
     *     "directory" that only prefixes other keys is not an object), {@code BUCKET_NOT_FOUND}
     */
    ObjectInfo stat(String bucket, String key);

    /**
     * Opens the object for reading, whole or a range of it. The caller closes the returned content.
     *
     * <p>Ranges: a last byte past the end is cut to the end; a suffix longer than the object
     * yields the whole object; a range whose first byte is at or past the end fails with
     * {@code INVALID_ARGUMENT} (see {@link ByteRange}). A zero-length object read whole yields
     * an empty stream.
     *
     * @param range the bytes to read, or {@code null} for the whole object
     * @throws StorageException {@code NOT_FOUND}, {@code BUCKET_NOT_FOUND}, {@code ARCHIVED} when the
     *     object must be restored first, {@code INVALID_ARGUMENT} for an unsatisfiable range
     */
    ObjectContent get(String bucket, String key, ByteRange range);

    /**
     * {@link #get(String, String, ByteRange)} of an object that a listing or a stat of this store
     * described. A store that would look the object up before reading it (Kodo's download says
     * nothing of storage classes) may trust {@code listed} instead and send one request, not two;
     * the read then fails {@code TRANSIENT} if the object was replaced since (its etag changed), as a
     * read that crosses a replacement does. The content's info carries what the read itself tells
     * (content type, user metadata) with the rest of {@code listed}.
     */
    default ObjectContent get(String bucket, ObjectInfo listed, ByteRange range) {
        return get(bucket, listed.key(), range);
    }

    /** Opens the whole object for reading; see {@link #get(String, String, ByteRange)}. */
    default ObjectContent get(String bucket, String key) {
        return get(bucket, key, null);
    }

    /**
     * Writes an object in one request, replacing any object of the same key. The payload may
     * have an unknown length; it is read to its end but not closed. If the request carries
     * expected checksums, the store verifies them and on a mismatch fails with
     * {@code CHECKSUM_MISMATCH}, leaving the previous object (or none) in place.
     *
     * @throws StorageException {@code BUCKET_NOT_FOUND}, {@code INVALID_ARGUMENT} for a key the store
     *     cannot hold or a payload above {@link Capabilities#maxPutSize()}, {@code UNSUPPORTED} for a
     *     storage class the store does not offer or a checksum it cannot verify
     */
    WriteResult put(PutRequest request, Payload payload);

    /**
     * Deletes one object. Deleting a key that does not exist succeeds: the postcondition is "no
     * such object", and it holds.
     *
     * @throws StorageException {@code BUCKET_NOT_FOUND}
     */
    void delete(String bucket, String key);

    /**
     * Deletes many objects, in batches of at most {@link Capabilities#maxBatchDeleteSize()} keys
     * (one by one where the store has no batch delete), and reports each key's outcome. Missing
     * keys count as deleted.
     *
     * <p>When the store refuses single keys of a batch (a per-key access rule, say), those keys
     * are listed in {@link DeleteResult#failed()} and the other keys are still deleted. When a
     * whole request fails (bucket gone, credentials refused, connection lost), this method throws
     * that failure: keys of earlier batches are gone, keys of the failed batch may or may not be,
     * keys of later batches were not touched. Deleting is idempotent, so the call can be repeated.
     *
     * @throws StorageException when a whole batch request fails, as above
     */
    default DeleteResult deleteAll(String bucket, Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        int batchSize = capabilities().maxBatchDeleteSize();
        List<String> deleted = new ArrayList<>(all.size());
        Map<String, StorageException> failed = new HashMap<>();
        for (int from = 0; from < all.size(); from += batchSize) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + batchSize));
            DeleteResult result = batchSize == 1 ? deleteOneByOne(bucket, batch) : deleteBatch(bucket, batch);
            deleted.addAll(result.deleted());
            failed.putAll(result.failed());
        }
        return new DeleteResult(deleted, failed);
    }

    /**
     * Deletes one batch of keys in one request. This is the piece drivers with a batch delete
     * implement; callers use {@link #deleteAll}, which splits and falls back.
     *
     * @param keys at most {@link Capabilities#maxBatchDeleteSize()} keys
     * @throws StorageException when the whole request fails; per-key failures go into the result
     */
    default DeleteResult deleteBatch(String bucket, List<String> keys) {
        return deleteOneByOne(bucket, keys);
    }

    private DeleteResult deleteOneByOne(String bucket, List<String> keys) {
        List<String> deleted = new ArrayList<>();
        Map<String, StorageException> failed = new HashMap<>();
        for (String key : keys) {
            try {
                delete(bucket, key);
                deleted.add(key);
            } catch (StorageException e) {
                if (e.kind() == ErrorKind.BUCKET_NOT_FOUND || e.kind() == ErrorKind.INVALID_CREDENTIALS) {
                    throw e;
                }
                failed.put(key, e);
            }
        }
        return new DeleteResult(deleted, failed);
    }

    // ---- core: buckets ------------------------------------------------------------------

    /**
     * Creates a bucket.
     *
     * @throws StorageException {@code CONFLICT} if it exists already (whoever owns it),
     *     {@code INVALID_ARGUMENT} for a name the store does not allow
     */
    void createBucket(String bucket);

    /** The buckets these credentials can see, in ascending name order. */
    List<BucketInfo> listBuckets();

    /**
     * Deletes an empty bucket.
     *
     * @throws StorageException {@code CONFLICT} if it still holds objects (nothing is deleted),
     *     {@code BUCKET_NOT_FOUND}
     */
    void deleteBucket(String bucket);

    // ---- optional -----------------------------------------------------------------------

    /**
     * Copies an object within this store without its bytes passing through Barge, replacing any
     * object at the target. Source and target may be the same key, to change storage class or
     * metadata in place. Keeps content type and user metadata unless the request replaces them.
     *
     * @throws StorageException {@code NOT_FOUND} for the source, {@code BUCKET_NOT_FOUND} for
     *     either bucket, {@code ARCHIVED} for an unrestored archived source, {@code UNSUPPORTED}
     *     without {@link Capabilities#copy()}
     */
    default WriteResult copy(CopyRequest request) {
        throw StorageException.unsupported(Operation.COPY, request.sourceBucket(), request.sourceKey(),
                "this store has no server-side copy; stream the object instead");
    }

    /**
     * {@link #copy(CopyRequest)}, with the requests of a copy in parts (each part copy, the completion,
     * the abort) sent through {@code parts}: this store as its caller sees it, layers included, so that
     * each part is retried, rate limited and measured on its own and a failed part never restarts the
     * copy. The layers ({@code dev.barge.storage.layer}) call this with themselves; a driver's
     * {@code copy(request)} calls it with itself. This default ignores {@code parts}: a store without
     * multipart copy copies in one request.
     */
    default WriteResult copy(CopyRequest request, ObjectStore parts) {
        return copy(request);
    }

    /**
     * Appends bytes to an appendable object, creating it when {@code position} is 0 and it does
     * not exist. The request's content type and metadata apply when the object is created.
     *
     * @param position the object's current length, as the caller believes it
     * @return the object's new length, the position of the next append
     * @throws StorageException {@code CONFLICT} when {@code position} is not the current length,
     *     or the object exists and is not appendable; the object is left unchanged
     */
    default long append(PutRequest request, long position, Payload payload) {
        throw StorageException.unsupported(Operation.APPEND, request.bucket(), request.key(),
                "this store cannot append to objects");
    }

    /**
     * Starts a multipart upload. Nothing is visible at the key until {@link #completeMultipart}.
     * An upload that is neither completed nor aborted may keep costing storage: abort on failure.
     * The request's content type, user metadata and storage class apply to the object; its
     * expected checksums do not (the caller checks what it sends before completing), and a store
     * may refuse a request that carries them with {@code UNSUPPORTED}.
     */
    default MultipartUpload initiateMultipart(PutRequest request) {
        throw StorageException.unsupported(Operation.MULTIPART_INITIATE, request.bucket(), request.key(),
                "this store has no multipart upload");
    }

    /**
     * Starts a multipart upload whose parts the caller cuts at fixed offsets: part <i>n</i> holds the
     * bytes from (<i>n</i> − 1) × {@code partSize}, and every part but the last is exactly
     * {@code partSize} bytes. A store that can write each part in place (the local file system) uses
     * the plan; the others start an ordinary upload, which is what this default does.
     */
    default MultipartUpload initiateMultipart(PutRequest request, long partSize) {
        return initiateMultipart(request);
    }

    /**
     * Uploads one part. Parts may be uploaded in any order and concurrently; uploading a part
     * number again replaces that part. Every part but the last must be at least
     * {@link Capabilities#multipartMinPartSize()}; stores may only check that on completion.
     *
     * @param partNumber 1 to {@link Capabilities#multipartMaxParts()}
     * @throws StorageException {@code NOT_FOUND} for an unknown or finished upload
     */
    default CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        throw StorageException.unsupported(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(),
                "this store has no multipart upload");
    }

    /**
     * Uploads one part by having the store copy it from a range of an object of this store: no bytes
     * pass through Barge. Otherwise as {@link #uploadPart}: parts may be copied in any order and
     * concurrently, copying a part number again replaces that part, copied and uploaded parts mix.
     * The upload's content type and metadata are those it was started with, not the source's.
     *
     * @param partNumber 1 to {@link Capabilities#multipartMaxParts()}
     * @param sourceEtag the etag the source must have, so that every part of one copy comes from one
     *     version of it (else {@code PRECONDITION_FAILED}), or {@code null} for whatever is there
     * @param range the bytes of the source to copy, first and last byte given, within the object
     * @throws StorageException {@code NOT_FOUND} for the source or an unknown upload,
     *     {@code PRECONDITION_FAILED} when the source's etag is no longer {@code sourceEtag},
     *     {@code UNSUPPORTED} without {@link Capabilities#multipartCopy()}
     */
    default CompletedPart uploadPartCopy(MultipartUpload upload, int partNumber, String sourceBucket,
            String sourceKey, String sourceEtag, ByteRange range) {
        throw StorageException.unsupported(Operation.MULTIPART_UPLOAD_PART_COPY, upload.bucket(), upload.key(),
                "this store cannot copy parts of a multipart upload; stream the object instead");
    }

    /**
     * The shared engine that writes this store's puts of unknown length (and those of known length it
     * {@linkplain MultipartEngine#writesInParts takes}) in parts, or {@code null} when the store writes
     * every put itself. Such a put is cut into parts above the driver, by the
     * outermost layer ({@code dev.barge.storage.layer}) running the engine over itself, so that each part
     * is a call of its own that the retry, rate-limit and metrics layers see: a part that fails is sent
     * again alone. A driver called directly runs the same engine over itself. Constant for the life of
     * the store.
     */
    default MultipartEngine multipartEngine() {
        return null;
    }

    /**
     * Assembles the given parts, in part-number order whatever order they are listed in, into
     * the object, which then replaces any object at the key atomically.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} when a part is missing, its etag does not
     *     match, or a part but the last is smaller than the minimum (the upload stays open and
     *     can still be completed correctly or aborted); {@code NOT_FOUND} for an unknown upload
     */
    default WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        throw StorageException.unsupported(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(),
                "this store has no multipart upload");
    }

    /** Abandons an upload and frees its parts. Aborting an unknown or finished upload succeeds. */
    default void abortMultipart(MultipartUpload upload) {
        throw StorageException.unsupported(Operation.MULTIPART_ABORT, upload.bucket(), upload.key(),
                "this store has no multipart upload");
    }

    /**
     * Changes an object's storage class in place, keeping its content, content type and user
     * metadata. Where the store has no native call, drivers copy the object onto itself.
     *
     * @throws StorageException {@code NOT_FOUND}; {@code UNSUPPORTED} for a family not in
     *     {@link Capabilities#storageClasses()} or without {@link Capabilities#setStorageClass()}
     */
    default void setStorageClass(String bucket, String key, StorageClass storageClass) {
        throw StorageException.unsupported(Operation.SET_STORAGE_CLASS, bucket, key,
                "this store cannot change storage classes in place");
    }

    /**
     * {@link #setStorageClass(String, String, StorageClass)}, with the requests of a copy onto itself
     * in parts sent through {@code parts}, as {@link #copy(CopyRequest, ObjectStore)} sends them: a
     * failed part of a large object is that part's alone, never a restart of the whole. The layers
     * call this with themselves; a driver's three-argument form calls it with itself. This default
     * ignores {@code parts}: a store that changes classes natively sends no parts.
     */
    default void setStorageClass(String bucket, String key, StorageClass storageClass, ObjectStore parts) {
        setStorageClass(bucket, key, storageClass);
    }

    /**
     * Asks for an archived object to be made readable for {@code days}. Restoring takes time
     * (minutes to days); {@link #stat} reports progress in {@link ObjectInfo#restore()}. Asking
     * again while a restore is in progress succeeds and changes nothing.
     *
     * @throws StorageException {@code NOT_FOUND}; {@code INVALID_ARGUMENT} for an object that is
     *     not archived; {@code UNSUPPORTED} without {@link Capabilities#restore()}
     */
    default void restore(String bucket, String key, RestoreRequest request) {
        throw StorageException.unsupported(Operation.RESTORE, bucket, key, "this store has no archive restore");
    }

    /**
     * A URL that allows one GET or PUT of the object without credentials until it expires. No
     * request is sent; the object need not exist.
     *
     * @throws StorageException {@code UNSUPPORTED} without {@link Capabilities#presign()}
     */
    default URI presign(PresignRequest request) {
        throw StorageException.unsupported(Operation.PRESIGN, request.bucket(), request.key(),
                "this store cannot presign URLs");
    }

    /**
     * Makes durable every write this store has returned from: once it returns, a crash or a power
     * loss loses none of them. A store whose writes are durable when they return (every remote
     * store: the server has stored what it acknowledged) has nothing to do, and that is this
     * default. The local driver with {@code options.sync: true} makes each file's data durable
     * before the file becomes visible, and here, once for all the writes since the last call, the
     * directories that their renames changed. A job calls it before it commits a chunk, a move
     * before it deletes the sources of the copies, {@code barge cp} before it returns.
     *
     * @throws StorageException when the writes cannot be made durable; none of them may then be
     *     counted as done
     */
    default void sync() {
    }

    /** Releases connections and threads. The store must not be used afterwards. */
    @Override
    void close();
}
