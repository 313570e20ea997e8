package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
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
import dev.barge.storage.PutRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The local file system as an object store: a root directory, one subdirectory per bucket, one
 * file per object. Writes go to a temporary file that is flushed to disk and renamed into place.
 * Metadata ({@link LocalMetadata}), with the MD5 computed while the file was written, lives in the
 * file's extended attributes or in a sidecar, as {@link LocalMetadataKeeper} decides, so listings,
 * stats and reads report it without reading the file. Files written by other programs are objects
 * too, without etag or checksum: no operation reads a whole file just to hash it (a transfer hashes
 * what it needs while it streams the file anyway).
 */
final class LocalObjectStore implements ObjectStore {
    private static final int COPY_BUFFER = 64 * 1024;
    private static final long MAX_PART_SIZE = 5L << 30;
    private static final int MAX_PARTS = 10_000;
    private static final Set<Checksum.Algorithm> VERIFIABLE = EnumSet.of(Checksum.Algorithm.MD5, Checksum.Algorithm.SHA256);

    private final LocalPaths paths;
    private final boolean sync;
    private final Durability durability;
    /** With {@link #sync}: directories whose entries changed since the last {@link #sync()}. */
    private final Set<Path> unsyncedDirectories = ConcurrentHashMap.newKeySet();
    /** When each bucket's {@code .barge.uploads/} was last swept of abandoned uploads, in nanoTime. */
    private final Map<Path, Long> uploadSweeps = new ConcurrentHashMap<>();
    private final LocalMetadataKeeper metadata;
    /** Listings that go on over more pages: the next page goes on walking, not reading the directories again. */
    private final ListingSessions walks = new ListingSessions();
    private final Capabilities capabilities;
    private final ReentrantLock[] appendLocks = new ReentrantLock[64];
    /** Never updated, only cloned ({@link #md5}). */
    private final MessageDigest md5Prototype = digest("MD5");

    /**
     * @param metadata where metadata is kept; with {@link LocalMetadataMode#NONE} the store offers
     *     only the STANDARD class and reports no checksums, since it keeps neither
     */
    LocalObjectStore(Path root, long minPartSize, boolean sync, LocalMetadataMode metadata) {
        this(root, minPartSize, sync, metadata, Durability.FILE_CHANNEL);
    }

    /** @param durability how files and directories are forced to disk (the tests count it) */
    LocalObjectStore(Path root, long minPartSize, boolean sync, LocalMetadataMode metadata, Durability durability) {
        this.paths = new LocalPaths(root);
        this.sync = sync;
        this.durability = requireNonNull(durability, "durability is null");
        this.metadata = new LocalMetadataKeeper(metadata, sync);
        boolean keeps = metadata != LocalMetadataMode.NONE;
        this.capabilities = Capabilities.builder()
                .copy(Long.MAX_VALUE)
                .append(true)
                .multipart(minPartSize, MAX_PART_SIZE, MAX_PARTS)
                .storageClasses(keeps ? EnumSet.allOf(StorageClass.Family.class) : EnumSet.of(StorageClass.Family.STANDARD))
                .setStorageClass(keeps)
                .listStartAfter(true)
                .checksums(keeps ? EnumSet.of(Checksum.Algorithm.MD5) : EnumSet.noneOf(Checksum.Algorithm.class))
                .keysNestUnderObjects(false)
                .build();
        for (int i = 0; i < appendLocks.length; i++) {
            appendLocks[i] = new ReentrantLock();
        }
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // ---- listing and reading ------------------------------------------------------------

    @Override
    public ListPage list(ListRequest request) {
        Path bucketDir = paths.existingBucket(Operation.LIST, request.bucket(), request.prefix());
        LocalListing.Bound bound = LocalListing.Bound.START;
        if (request.startAfter() != null) {
            bound = new LocalListing.Bound(request.startAfter(), false);
        } else if (request.pageToken() != null) {
            bound = LocalListing.Bound.fromToken(request.pageToken());
            if (bound == null) {
                throw StorageException.invalidArgument(Operation.LIST, request.bucket(), request.prefix(),
                        "page token '" + request.pageToken() + "' was not issued by this store");
            }
        }
        try {
            ListingSessions.Walk walk = request.pageToken() != null
                    ? walks.resume(request.pageToken(), bucketDir, request.prefix(), request.delimiter()) : null;
            LocalListing listing = walk != null ? walk.listing()
                    : new LocalListing(bucketDir, request.prefix(), request.delimiter(), bound);
            List<ObjectInfo> objects = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            LocalListing.Entry last = null;
            LocalListing.Entry entry;
            while (objects.size() + prefixes.size() < request.pageSize() && (entry = listing.next()) != null) {
                if (entry.commonPrefix()) {
                    prefixes.add(entry.key());
                } else {
                    LocalMetadata meta = metadata.read(bucketDir, entry.file(), entry.attributes(), false);
                    objects.add(info(entry.key(), entry.attributes(), meta, false));
                }
                last = entry;
            }
            String token = null;
            if (last != null && listing.peek() != null) {
                token = new LocalListing.Bound(last.key(), last.commonPrefix()).toToken();
                listing.pageDone();
                walks.pause(token, bucketDir, request.prefix(), request.delimiter(), listing);
            }
            return new ListPage(objects, prefixes, token);
        } catch (java.io.UncheckedIOException e) {
            throw LocalErrors.io(Operation.LIST, request.bucket(), request.prefix(), e.getCause());
        }
    }

    /** The walks of listings kept between their pages (the tests look at them). */
    ListingSessions walks() {
        return walks;
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        Path file = existingObject(Operation.STAT, bucket, key);
        BasicFileAttributes attributes = attributesOf(Operation.STAT, bucket, key, file);
        LocalMetadata meta = metadata.read(bucketDirOf(bucket), file, attributes, true);
        return info(key, attributes, meta, true);
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        Path bucketDir = paths.bucketDir(Operation.GET, bucket);
        Path file = paths.object(Operation.GET, bucket, bucketDir, key);
        try {
            // no checks before the open: a missing file or bucket is told apart once the open fails
            SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            try {
                // Attributes after opening: if the file was replaced in between, they describe what we read.
                BasicFileAttributes attributes = attributesOf(Operation.GET, bucket, key, file);
                FileVersion version = FileVersion.of(file);
                long size = channel.size();
                long offset = 0;
                long length = size;
                if (range != null) {
                    ByteRange.Resolved resolved;
                    try {
                        resolved = range.resolve(size);
                    } catch (IllegalArgumentException e) {
                        throw StorageException.invalidArgument(Operation.GET, bucket, key, e.getMessage());
                    }
                    offset = resolved.offset();
                    length = resolved.length();
                }
                channel.position(offset);
                LocalMetadata meta = metadata.read(bucketDirOf(bucket), file, attributes, true);
                ObjectInfo info = info(key, attributes, meta, true);
                // a file written while it is read fails the read at its last byte: no torn object leaves here
                return new ObjectContent(info, offset, length, new LimitedInputStream(Channels.newInputStream(channel),
                        length, () -> version.checkUnchanged(file)));
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw missing(Operation.GET, bucket, key, bucketDir);
        } catch (IOException e) {
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                throw LocalErrors.notFound(Operation.GET, bucket, key);
            }
            throw LocalErrors.io(Operation.GET, bucket, key, e);
        }
    }

    /** Not found: the bucket, when its directory is gone too, else the key. */
    private static StorageException missing(Operation op, String bucket, String key, Path bucketDir) {
        if (!LocalPaths.bucketExists(bucketDir)) {
            return StorageException.builder(ErrorKind.BUCKET_NOT_FOUND, op).bucket(bucket).key(key)
                    .detail("no such bucket: " + bucketDir + " is not a directory").build();
        }
        return LocalErrors.notFound(op, bucket, key);
    }

    // ---- writing ------------------------------------------------------------------------

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        // the bucket is checked only when the write finds no directory for its file (createTemp)
        Path bucketDir = paths.bucketDir(Operation.PUT, bucket);
        Path file = paths.object(Operation.PUT, bucket, bucketDir, key);
        StorageClass storageClass = storageClassOrDefault(Operation.PUT, bucket, key, request.storageClass());
        for (Checksum expected : request.expectedChecksums()) {
            if (!VERIFIABLE.contains(expected.algorithm())) {
                throw StorageException.unsupported(Operation.PUT, bucket, key,
                        "the local driver cannot verify " + expected.algorithm() + " checksums; it verifies " + VERIFIABLE);
            }
        }
        try (InputStream in = payload.open()) {
            return write(Operation.PUT, bucket, key, bucketDir, file, in, payload.length(), payload.length(),
                    new LocalAttributes(request.contentType(), request.userMetadata(), storageClass), request.expectedChecksums());
        } catch (IOException e) {
            throw LocalErrors.io(Operation.PUT, bucket, key, e);
        }
    }

    @Override
    public WriteResult copy(CopyRequest request) {
        Path sourceDir = paths.bucketDir(Operation.COPY, request.sourceBucket());
        Path source = paths.object(Operation.COPY, request.sourceBucket(), sourceDir, request.sourceKey());
        Path targetDir = paths.bucketDir(Operation.COPY, request.targetBucket());
        Path target = paths.object(Operation.COPY, request.targetBucket(), targetDir, request.targetKey());
        StorageClass storageClass =
                storageClassOrDefault(Operation.COPY, request.targetBucket(), request.targetKey(), request.storageClass());
        // no checks before the open, as in get: a missing file or bucket is told apart once the open fails,
        // and one stat after it says that it is a file (a directory opens too) and what it holds
        try (InputStream opened = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes sourceAttributes =
                    attributesOf(Operation.COPY, request.sourceBucket(), request.sourceKey(), source);
            FileVersion version = FileVersion.of(source);
            InputStream in = new LimitedInputStream(opened, Long.MAX_VALUE, () -> version.checkUnchanged(source));
            LocalAttributes attributes;
            if (request.replaceMetadata()) {
                attributes = new LocalAttributes(request.contentType(), request.userMetadata(), storageClass);
            } else {
                LocalMetadata meta = metadata.read(sourceDir, source, sourceAttributes, true);
                attributes = (meta == null ? LocalAttributes.NONE : meta.attributes()).withStorageClass(storageClass);
            }
            // the length is not promised (the file may grow until its last byte is read), but it sizes the buffer
            return write(Operation.COPY, request.targetBucket(), request.targetKey(), targetDir, target, in,
                    Payload.UNKNOWN_LENGTH, sourceAttributes.size(), attributes, List.of());
        } catch (NoSuchFileException e) {
            throw missing(Operation.COPY, request.sourceBucket(), request.sourceKey(), sourceDir);
        } catch (IOException e) {
            throw LocalErrors.io(Operation.COPY, request.sourceBucket(), request.sourceKey(), e);
        }
    }

    @Override
    public long append(PutRequest request, long position, Payload payload) {
        String bucket = request.bucket();
        String key = request.key();
        Path bucketDir = paths.existingBucket(Operation.APPEND, bucket, key);
        Path file = paths.object(Operation.APPEND, bucket, bucketDir, key);
        ReentrantLock lock = appendLocks[Math.floorMod(file.hashCode(), appendLocks.length)];
        lock.lock();
        try {
            BasicFileAttributes attributes = attributesOrNull(Operation.APPEND, bucket, key, file);
            long current = attributes == null ? 0 : attributes.size();
            if (position != current) {
                throw StorageException.builder(ErrorKind.CONFLICT, Operation.APPEND).bucket(bucket).key(key)
                        .detail("append position " + position + " does not match the object's length " + current
                                + "; nothing was written").build();
            }
            LocalMetadata meta = attributes == null ? null : metadata.read(bucketDir, file, attributes, true);
            LocalAttributes kept = meta != null
                    ? meta.attributes()
                    : new LocalAttributes(request.contentType(), request.userMetadata(),
                            storageClassOrDefault(Operation.APPEND, bucket, key, request.storageClass()));
            try (InputStream existing = attributes == null ? InputStream.nullInputStream()
                            : Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
                    InputStream added = payload.open()) {
                long expected = payload.hasKnownLength() ? current + payload.length() : Payload.UNKNOWN_LENGTH;
                write(Operation.APPEND, bucket, key, bucketDir, file, new SequenceInputStream(existing, added), expected,
                        expected, kept, List.of());
            }
            return attributesOf(Operation.APPEND, bucket, key, file).size();
        } catch (IOException e) {
            throw LocalErrors.io(Operation.APPEND, bucket, key, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setStorageClass(String bucket, String key, StorageClass storageClass) {
        Path file = existingObject(Operation.SET_STORAGE_CLASS, bucket, key);
        if (!capabilities.setStorageClass()) {
            throw StorageException.unsupported(Operation.SET_STORAGE_CLASS, bucket, key,
                    "with options.metadata: none the local driver keeps no storage class");
        }
        BasicFileAttributes attributes = attributesOf(Operation.SET_STORAGE_CLASS, bucket, key, file);
        StorageClass target = storageClassOrDefault(Operation.SET_STORAGE_CLASS, bucket, key,
                requireNonNull(storageClass, "storageClass is null"));
        metadata.changeStorageClass(Operation.SET_STORAGE_CLASS, bucket, key, bucketDirOf(bucket), file, attributes,
                target);
    }

    // ---- deleting -----------------------------------------------------------------------

    @Override
    public void delete(String bucket, String key) {
        Path bucketDir = paths.existingBucket(Operation.DELETE, bucket, key);
        Path file = paths.object(Operation.DELETE, bucket, bucketDir, key);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(LocalPaths.sidecar(file));
        } catch (IOException e) {
            throw LocalErrors.io(Operation.DELETE, bucket, key, e);
        }
        pruneEmptyDirectories(bucketDir, file.getParent());
    }

    /** Removes directories left empty by a delete, up to the bucket: a store has no empty directories. */
    private static void pruneEmptyDirectories(Path bucketDir, Path dir) {
        while (dir != null && !dir.equals(bucketDir) && dir.startsWith(bucketDir)) {
            try {
                Files.deleteIfExists(dir.resolve(LocalPaths.METADATA_DIR));
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return; // best effort: an empty directory is invisible to listings anyway
            }
            dir = dir.getParent();
        }
    }

    // ---- buckets ------------------------------------------------------------------------

    @Override
    public void createBucket(String bucket) {
        Path dir = paths.bucketDir(Operation.CREATE_BUCKET, bucket);
        try {
            Files.createDirectories(paths.root());
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw StorageException.builder(ErrorKind.CONFLICT, Operation.CREATE_BUCKET).bucket(bucket)
                    .detail("bucket already exists: " + dir).build();
        } catch (IOException e) {
            throw LocalErrors.io(Operation.CREATE_BUCKET, bucket, null, e);
        }
    }

    @Override
    public List<BucketInfo> listBuckets() {
        try (Stream<Path> entries = Files.list(paths.root())) {
            return entries.filter(p -> Files.isDirectory(p) && !LocalPaths.isReserved(p.getFileName().toString()))
                    .map(p -> new BucketInfo(p.getFileName().toString(), createdAt(p)))
                    .sorted(Comparator.comparing(BucketInfo::name, KeyOrder.UTF8))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw LocalErrors.io(Operation.LIST_BUCKETS, null, null, e);
        }
    }

    @Override
    public void deleteBucket(String bucket) {
        Path dir = paths.existingBucket(Operation.DELETE_BUCKET, bucket, null);
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.toList();
        } catch (IOException e) {
            throw LocalErrors.io(Operation.DELETE_BUCKET, bucket, null, e);
        }
        for (Path path : all) {
            boolean barges = false;
            for (Path segment : dir.relativize(path)) {
                barges |= LocalPaths.isReserved(segment.toString());
            }
            if (!barges && !path.equals(dir) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw StorageException.builder(ErrorKind.CONFLICT, Operation.DELETE_BUCKET).bucket(bucket)
                        .detail("bucket is not empty: it holds '" + dir.relativize(path)
                                + "'; delete its objects first").build();
            }
        }
        try {
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            throw LocalErrors.io(Operation.DELETE_BUCKET, bucket, null, e);
        }
    }

    // ---- multipart ----------------------------------------------------------------------

    @Override
    public MultipartUpload initiateMultipart(PutRequest request) {
        return initiateMultipart(request, 0);
    }

    /** Parts that follow the plan are written in place, so completing writes no byte again. */
    @Override
    public MultipartUpload initiateMultipart(PutRequest request, long partSize) {
        Path bucketDir = paths.existingBucket(Operation.MULTIPART_INITIATE, request.bucket(), request.key());
        paths.object(Operation.MULTIPART_INITIATE, request.bucket(), bucketDir, request.key());
        StorageClass storageClass = storageClassOrDefault(Operation.MULTIPART_INITIATE, request.bucket(), request.key(),
                request.storageClass());
        sweepAbandonedUploads(bucketDir);
        LocalUpload upload = LocalUpload.create(bucketDir, request.key(),
                new LocalAttributes(request.contentType(), request.userMetadata(), storageClass), Math.max(0, partSize));
        return new MultipartUpload(request.bucket(), request.key(), upload.id());
    }

    /**
     * Removes the uploads a killed process left in this bucket ({@link LocalUpload#removeAbandoned}):
     * on the first upload to each bucket, then at most once per {@link StagingFiles#DEAD_WRITER_AGE},
     * the age before which a dead writer's upload is left alone anyway. A listing of one small
     * directory; uploads are large objects, each of many requests.
     */
    private void sweepAbandonedUploads(Path bucketDir) {
        long now = System.nanoTime();
        long interval = StagingFiles.DEAD_WRITER_AGE.toNanos();
        Long last = uploadSweeps.get(bucketDir);
        if (last != null && now - last < interval) {
            return;
        }
        if (last == null ? uploadSweeps.putIfAbsent(bucketDir, now) == null : uploadSweeps.replace(bucketDir, last, now)) {
            LocalUpload.removeAbandoned(bucketDir, Instant.now());
        }
    }

    @Override
    public CompletedPart uploadPart(MultipartUpload upload, int partNumber, Payload payload) {
        LocalUpload staged = existingUpload(Operation.MULTIPART_UPLOAD_PART, upload);
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(),
                    "part number " + partNumber + " is outside 1.." + MAX_PARTS);
        }
        if (payload.length() > MAX_PART_SIZE) {
            throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(),
                    "part of " + payload.length() + " bytes is larger than the maximum " + MAX_PART_SIZE);
        }
        try (InputStream in = payload.open()) {
            return staged.writePart(partNumber, in, payload.length());
        } catch (IOException e) {
            throw LocalErrors.io(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(), e);
        }
    }

    @Override
    public WriteResult completeMultipart(MultipartUpload upload, List<CompletedPart> parts) {
        LocalUpload staged = existingUpload(Operation.MULTIPART_COMPLETE, upload);
        Path bucketDir = paths.existingBucket(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key());
        Path file = paths.object(Operation.MULTIPART_COMPLETE, upload.bucket(), bucketDir, upload.key());
        List<LocalUpload.StagedPart> ordered = staged.checkParts(parts, capabilities.multipartMinPartSize());
        String etag = LocalUpload.objectEtag(ordered);
        try {
            WriteResult result = place(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(), bucketDir, file,
                    staged.attributes(), (temp, channel) -> {
                        if (staged.inPlace(ordered)) {
                            staged.moveInPlaceTo(ordered, temp);
                            return new Stored(etag, null, false);
                        }
                        staged.assembleInto(ordered, channel);
                        return new Stored(etag, null, true);
                    });
            staged.delete();
            return result;
        } catch (IOException e) {
            throw LocalErrors.io(Operation.MULTIPART_COMPLETE, upload.bucket(), upload.key(), e);
        }
    }

    @Override
    public void abortMultipart(MultipartUpload upload) {
        Path bucketDir = paths.existingBucket(Operation.MULTIPART_ABORT, upload.bucket(), upload.key());
        LocalUpload staged = LocalUpload.find(bucketDir, upload);
        if (staged != null) {
            staged.delete();
        }
    }

    private LocalUpload existingUpload(Operation op, MultipartUpload upload) {
        Path bucketDir = paths.existingBucket(op, upload.bucket(), upload.key());
        LocalUpload staged = LocalUpload.find(bucketDir, upload);
        if (staged == null) {
            throw StorageException.builder(ErrorKind.NOT_FOUND, op).bucket(upload.bucket()).key(upload.key())
                    .detail("no such multipart upload: " + upload.uploadId()).build();
        }
        return staged;
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    // ---- shared pieces ------------------------------------------------------------------

    /**
     * Writes an object atomically: bytes to a temporary file beside the target, checked, then
     * placed ({@link #place}). On any failure the temporary file is removed and the previous object
     * is untouched.
     */
    private WriteResult write(Operation op, String bucket, String key, Path bucketDir, Path file, InputStream in,
            long expectedLength, long sizeHint, LocalAttributes attributes, List<Checksum> expectedChecksums)
            throws IOException {
        return place(op, bucket, key, bucketDir, file, attributes, (temp, channel) -> {
            MessageDigest md5 = md5();
            MessageDigest sha256 = expectedChecksums.stream()
                    .anyMatch(c -> c.algorithm() == Checksum.Algorithm.SHA256) ? digest("SHA-256") : null;
            // unbuffered, and not closed here: place() forces and closes the channel
            OutputStream out = Channels.newOutputStream(channel);
            InputStream digesting = new DigestInputStream(in, md5);
            if (sha256 != null) {
                digesting = new DigestInputStream(digesting, sha256);
            }
            long written = copy(digesting, out, sizeHint);
            if (expectedLength != Payload.UNKNOWN_LENGTH && written != expectedLength) {
                throw StorageException.invalidArgument(op, bucket, key, "the payload held " + written
                        + " bytes but " + expectedLength + " were announced; nothing was written");
            }
            String md5Hex = HexFormat.of().formatHex(md5.digest());
            String sha256Hex = sha256 != null ? HexFormat.of().formatHex(sha256.digest()) : null;
            for (Checksum expected : expectedChecksums) {
                String actual = expected.algorithm() == Checksum.Algorithm.MD5 ? md5Hex : sha256Hex;
                if (!expected.value().equals(actual)) {
                    throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, op).bucket(bucket).key(key)
                            .detail("expected " + expected.algorithm() + " " + expected.value() + " but the data has "
                                    + actual + "; nothing was written").build();
                }
            }
            return new Stored(md5Hex, md5Hex, true);
        });
    }

    /**
     * What a write stored: the object's etag, and its MD5 where the write computed one.
     *
     * @param inChannel whether the bytes went through the channel {@link #place} opened (else the
     *     filler put another file in the temporary file's place)
     */
    private record Stored(String etag, String md5, boolean inChannel) {}

    /**
     * Fills the (empty) temporary file of a write with the object's bytes, through {@code channel}
     * (open for writing on it; {@link #place} forces and closes it), or by moving a file onto
     * {@code temp}; {@link #place} flushes them.
     */
    @FunctionalInterface
    private interface Filler {
        Stored fill(Path temp, FileChannel channel) throws IOException;
    }

    /**
     * Places an object atomically: {@code filler} fills a temporary file beside the target; its
     * metadata is recorded ({@link LocalMetadataKeeper#stage}: in the file's attributes, or a sidecar
     * written before the rename); the file is flushed, data and attributes together, and renamed
     * over the target. On any failure the temporary file is removed and the previous object is
     * untouched.
     */
    private WriteResult place(Operation op, String bucket, String key, Path bucketDir, Path file,
            LocalAttributes attributes, Filler filler) throws IOException {
        Path temp = null;
        FileChannel channel = null;
        try {
            Temp created = createTemp(op, bucket, key, bucketDir, file);
            temp = created.path();
            channel = created.channel();
            Stored stored = filler.fill(temp, channel);
            LocalMetadataKeeper.Placement placement =
                    metadata.stage(op, bucket, key, bucketDir, temp, file, stored.etag(), stored.md5(), attributes);
            flush(temp, stored.inChannel() ? channel : null);
            channel.close();
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // checked here rather than before every write: the rename onto a directory is refused
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw StorageException.builder(ErrorKind.CONFLICT, op).bucket(bucket).key(key)
                            .detail("other keys continue this one with '/', so it is a directory on the file system "
                                    + "and cannot also be an object").build();
                }
                throw e;
            }
            temp = null;
            changed(file.getParent());
            metadata.placed(file, placement);
            return new WriteResult(stored.etag(),
                    stored.md5() != null ? List.of(Checksum.md5Hex(stored.md5())) : List.of());
        } finally {
            if (channel != null) {
                channel.close(); // a no-op once closed
            }
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Makes a staged file durable, data and attributes, when this store syncs: before the rename
     * that makes it visible, so that no crash can leave an object whose name is there and whose
     * bytes are not (a later run would take one of the right size and age for a copy).
     *
     * @param channel the channel the data was written through, still open, or {@code null}
     */
    private void flush(Path file, FileChannel channel) throws IOException {
        if (sync) {
            durability.forceFile(file, channel);
        }
    }

    /**
     * Notes that a rename or a new directory changed {@code dir}'s entries: {@link #sync()} makes
     * them durable, once per directory for every write since the last call, rather than a
     * directory sync after every file.
     */
    private void changed(Path dir) {
        if (sync) {
            unsyncedDirectories.add(dir);
        }
    }

    /**
     * Makes durable the directory entries of every write that has returned: each file's data was
     * forced before its rename; its directory is forced here. Directories created for a write are
     * forced too, and so are their parents, which gained them.
     */
    @Override
    public void sync() {
        if (!sync) {
            return;
        }
        for (Path dir : unsyncedDirectories) {
            // removed before it is forced: a write that changes it again from now on adds it back
            unsyncedDirectories.remove(dir);
            try {
                durability.forceDirectory(dir);
            } catch (NoSuchFileException gone) {
                // deleted since (an emptied prefix): its parent records that, and was changed too
            } catch (IOException e) {
                unsyncedDirectories.add(dir);
                throw StorageException.builder(ErrorKind.PERMANENT, Operation.SYNC)
                        .detail("could not make the writes in " + dir + " durable: " + e.getMessage()
                                + "; what was written since the last commit is not counted as done")
                        .cause(e).build();
            }
        }
    }

    /** How files and directories are forced to disk: one place for the tests to count it. */
    interface Durability {
        Durability FILE_CHANNEL = new Durability() {
            @Override
            public void forceFile(Path file, FileChannel open) throws IOException {
                if (open != null) {
                    open.force(true); // the same file: fsync covers the data and the attributes set by path
                    return;
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        };

        /**
         * Forces a file's data and attributes.
         *
         * @param open a channel open on {@code file} to force it through, or {@code null} to open one
         */
        void forceFile(Path file, FileChannel open) throws IOException;

        /** Forces a directory's entries. */
        void forceDirectory(Path dir) throws IOException;
    }

    /** A temporary file of a write, and the channel it was created with, open for writing. */
    private record Temp(Path path, FileChannel channel) {}

    /**
     * A new temporary file beside {@code file}, created and opened for writing in one call. Its
     * directory is created only when it is missing, and the bucket then checked, so that a write
     * into an existing directory costs no more than the file; retried when a concurrent delete
     * prunes the directory.
     */
    private Temp createTemp(Operation op, String bucket, String key, Path bucketDir, Path file) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path temp = StagingFiles.nextTo(file);
            try {
                return new Temp(temp, FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileSystemException e) {
                // no such directory, or an ancestor that is a file ("Not a directory"): createParents says which
                if (attempt == 3) {
                    throw e;
                }
            }
            if (!LocalPaths.bucketExists(bucketDir)) {
                throw StorageException.builder(ErrorKind.BUCKET_NOT_FOUND, op).bucket(bucket).key(key)
                        .detail("no such bucket: " + bucketDir + " is not a directory").build();
            }
            LocalPaths.createParents(op, bucket, key, bucketDir, file);
            for (Path dir = file.getParent(); dir != null && dir.startsWith(bucketDir); dir = dir.getParent()) {
                changed(dir); // some of these are new, and their parents gained them
            }
        }
    }


    private Path existingObject(Operation op, String bucket, String key) {
        Path bucketDir = paths.existingBucket(op, bucket, key);
        Path file = paths.object(op, bucket, bucketDir, key);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw LocalErrors.notFound(op, bucket, key);
        }
        return file;
    }

    private static BasicFileAttributes attributesOf(Operation op, String bucket, String key, Path file) {
        BasicFileAttributes attributes = attributesOrNull(op, bucket, key, file);
        if (attributes == null) {
            throw LocalErrors.notFound(op, bucket, key);
        }
        return attributes;
    }

    private static BasicFileAttributes attributesOrNull(Operation op, String bucket, String key, Path file) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw LocalErrors.io(op, bucket, key, e);
        }
    }

    /** The directory of a bucket that {@link #existingObject} has checked. */
    private Path bucketDirOf(String bucket) {
        return paths.root().resolve(bucket);
    }

    private static ObjectInfo info(String key, BasicFileAttributes attributes, LocalMetadata meta,
            boolean withHeaders) {
        LocalAttributes kept = meta != null ? meta.attributes() : LocalAttributes.NONE;
        String md5 = meta != null ? meta.md5() : null;
        return new ObjectInfo(key, attributes.size(), attributes.lastModifiedTime().toInstant(),
                meta != null ? meta.etag() : null,
                kept.storageClass(),
                withHeaders ? kept.contentType() : null,
                withHeaders ? kept.userMetadata() : Map.of(),
                md5 != null ? List.of(Checksum.md5Hex(md5)) : List.of(),
                RestoreStatus.NONE);
    }

    private StorageClass storageClassOrDefault(Operation op, String bucket, String key, StorageClass requested) {
        if (requested == null) {
            return StorageClass.STANDARD;
        }
        if (!capabilities.supportsStorageClass(requested.family())) {
            throw StorageException.unsupported(op, bucket, key, "storage class " + requested.displayName()
                    + " is not offered by this store" + (metadata.mode() == LocalMetadataMode.NONE
                            ? " (options.metadata: none keeps no storage class, so it offers only STANDARD)" : ""));
        }
        return requested;
    }

    /** A fresh MD5: a clone of one looked up once, rather than a provider lookup per object. */
    private MessageDigest md5() {
        try {
            return (MessageDigest) md5Prototype.clone();
        } catch (CloneNotSupportedException e) {
            return digest("MD5");
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    /**
     * Copies {@code in} to {@code out}, through a buffer no larger than the data needs: a small object
     * does not allocate (and zero) a 64 KiB buffer.
     *
     * @param sizeHint the length the data is expected to have (more is still copied), or
     *     {@link Payload#UNKNOWN_LENGTH}
     */
    static long copy(InputStream in, OutputStream out, long sizeHint) throws IOException {
        int size = sizeHint < 0 ? COPY_BUFFER : (int) Math.max(512, Math.min(COPY_BUFFER, sizeHint + 1));
        byte[] buffer = new byte[size];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }


    private static java.time.Instant createdAt(Path dir) {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class).creationTime().toInstant();
        } catch (IOException e) {
            return null;
        }
    }
}
