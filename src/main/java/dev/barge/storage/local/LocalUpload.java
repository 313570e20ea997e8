package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.CompletedPart;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * A multipart upload staged in {@code <bucket>/.barge.uploads/<uploadId>/}: a descriptor with the
 * key, the object's attributes and the planned part size; the parts' bytes; and one record per part
 * ({@code part.00001}) saying where its bytes are, how many there are and their CRC-32, which is the
 * part's etag.
 *
 * <p>When the caller planned a part size ({@link dev.barge.storage.ObjectStore#initiateMultipart(
 * dev.barge.storage.PutRequest, long)}), part <i>n</i> is written in place, at (<i>n</i> − 1) × part
 * size of one file, {@code data}, and completing renames that file into the object: each byte is
 * written once. Any other part (no plan, or a part larger than planned) gets a file of its own,
 * and completing has the kernel copy the parts into the object ({@link FileChannel#transferTo}).
 * Either way no byte is read back into the JVM or hashed a second time, and the object gets an
 * S3-style etag (the MD5 of the part etags, a dash and the part count), not an MD5.
 *
 * <p>A part's record is replaced last, by a rename, so the last upload of a part number wins, as on
 * S3; rewriting a part in place first removes its record, so a rewrite that fails leaves that part
 * "not uploaded", never an old record over new bytes. Two uploads of one part number at the same
 * time, with different bytes, are not supported (Barge uploads a part again only after a failure).
 */
final class LocalUpload {
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String DESCRIPTOR = "upload.properties";
    private static final String DATA = "data";
    private static final String WRITER = "writer";
    private static final Pattern PART_FILE = Pattern.compile("data|bytes\\." + UPLOAD_ID.pattern());

    private final String bucket;
    private final String key;
    private final String id;
    private final Path dir;
    private final LocalAttributes attributes;
    private final long partSize;

    /** Where one uploaded part's bytes are: {@code length} bytes at {@code offset} of {@code file}. */
    record StagedPart(int partNumber, Path file, long offset, long length, String etag) {}

    private LocalUpload(String bucket, String key, String id, Path dir, LocalAttributes attributes, long partSize) {
        this.bucket = bucket;
        this.key = key;
        this.id = id;
        this.dir = dir;
        this.attributes = attributes;
        this.partSize = partSize;
    }

    String id() {
        return id;
    }

    LocalAttributes attributes() {
        return attributes;
    }

    /** @param partSize the size of every part but the last, as the caller planned it; 0 when unknown */
    static LocalUpload create(Path bucketDir, String key, LocalAttributes attributes, long partSize) {
        String bucket = bucketDir.getFileName().toString();
        String id = UUID.randomUUID().toString();
        Path dir = bucketDir.resolve(LocalPaths.UPLOADS_DIR).resolve(id);
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("part-size", Long.toString(partSize));
        p.setProperty(WRITER, StagingFiles.writer());
        attributes.writeTo(p);
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(dir);
                try (Writer out = Files.newBufferedWriter(dir.resolve(DESCRIPTOR), StandardCharsets.UTF_8)) {
                    p.store(out, null);
                }
                break;
            } catch (NoSuchFileException e) {
                if (attempt == 3) { // the last upload of another key removed the emptied staging directory
                    throw LocalErrors.io(Operation.MULTIPART_INITIATE, bucket, key, e);
                }
            } catch (IOException e) {
                throw LocalErrors.io(Operation.MULTIPART_INITIATE, bucket, key, e);
            }
        }
        return new LocalUpload(bucket, key, id, dir, attributes, partSize);
    }

    /** The staged upload, or {@code null} if there is none with this id for this key. */
    static LocalUpload find(Path bucketDir, MultipartUpload upload) {
        if (!UPLOAD_ID.matcher(upload.uploadId()).matches()) {
            return null;
        }
        Path dir = bucketDir.resolve(LocalPaths.UPLOADS_DIR).resolve(upload.uploadId());
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(DESCRIPTOR), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw LocalErrors.io(Operation.MULTIPART_UPLOAD_PART, upload.bucket(), upload.key(), e);
        }
        if (!upload.key().equals(p.getProperty("key"))) {
            return null;
        }
        long partSize = Long.parseLong(p.getProperty("part-size", "0"));
        return new LocalUpload(upload.bucket(), upload.key(), upload.uploadId(), dir, LocalAttributes.readFrom(p),
                partSize);
    }

    /**
     * Stages one part, in place when it fits the planned part size, else in a file of its own; then
     * records it. Parts are not flushed to disk: until the upload completes nothing refers to them,
     * and completing makes the object durable as a whole.
     */
    CompletedPart writePart(int partNumber, InputStream in, long expectedLength) throws IOException {
        Path record = recordFile(partNumber);
        boolean inPlace = partSize > 0 && expectedLength >= 0 && expectedLength <= partSize;
        Path file = inPlace ? dir.resolve(DATA) : dir.resolve("bytes." + UUID.randomUUID());
        long offset = inPlace ? (partNumber - 1) * partSize : 0;
        boolean recorded = false;
        try {
            if (inPlace) {
                Files.deleteIfExists(record); // from here until the new record, the part is "not uploaded"
            }
            CRC32 crc = new CRC32();
            long written;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    CheckedOutputStream out = new CheckedOutputStream(
                            ChannelSlices.slicedWrites(Channels.newOutputStream(channel.position(offset))), crc)) {
                written = in.transferTo(out); // an in-memory part goes to the file without a copy, slice by slice
            }
            if (expectedLength >= 0 && written != expectedLength) {
                throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key, "part " + partNumber
                        + " held " + written + " bytes but " + expectedLength + " were announced");
            }
            StagedPart staged = new StagedPart(partNumber, file, offset, written, etag((int) crc.getValue()));
            writeRecord(record, staged);
            recorded = true;
            return new CompletedPart(partNumber, staged.etag(), written);
        } catch (NoSuchFileException e) {
            throw StorageException.builder(ErrorKind.NOT_FOUND, Operation.MULTIPART_UPLOAD_PART)
                    .bucket(bucket).key(key).detail("the multipart upload " + id + " was aborted or completed").build();
        } finally {
            if (!recorded && !inPlace) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The listed parts in part-number order, after checking that each was uploaded, that its staged
     * etag is the one listed, and that all but the last reach the minimum size.
     */
    List<StagedPart> checkParts(List<CompletedPart> parts, long minPartSize) {
        if (parts.isEmpty()) {
            throw invalid("a multipart upload needs at least one part");
        }
        List<CompletedPart> listed = new ArrayList<>(parts);
        listed.sort(Comparator.comparingInt(CompletedPart::partNumber));
        List<StagedPart> ordered = new ArrayList<>(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            CompletedPart part = listed.get(i);
            if (i > 0 && listed.get(i - 1).partNumber() == part.partNumber()) {
                throw invalid("part " + part.partNumber() + " is listed twice");
            }
            StagedPart staged = readRecord(part.partNumber());
            if (!staged.etag().equals(part.etag())) {
                throw invalid("part " + part.partNumber() + " has etag " + staged.etag() + ", not " + part.etag()
                        + " (it was uploaded again since)");
            }
            if (i < listed.size() - 1 && staged.length() < minPartSize) {
                throw invalid("part " + part.partNumber() + " is " + staged.length()
                        + " bytes, smaller than the minimum of " + minPartSize + " for all parts but the last");
            }
            ordered.add(staged);
        }
        return ordered;
    }

    /**
     * Whether the checked parts already lie in {@code data} as the object: parts 1 to N, each in
     * place, all but the last of the planned size.
     */
    boolean inPlace(List<StagedPart> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            StagedPart part = ordered.get(i);
            boolean last = i == ordered.size() - 1;
            if (part.partNumber() != i + 1 || !part.file().equals(dir.resolve(DATA))
                    || (!last && part.length() != partSize)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes {@code target} the object when {@link #inPlace} holds: {@code data}, cut to the parts'
     * length, is moved onto it.
     *
     * @return the object's length
     */
    long moveInPlaceTo(List<StagedPart> ordered, Path target) throws IOException {
        StagedPart last = ordered.get(ordered.size() - 1);
        long length = last.offset() + last.length();
        Path data = dir.resolve(DATA);
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
            channel.truncate(length); // a part uploaded again, shorter, may have left bytes beyond the end
        }
        Files.move(data, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return length;
    }

    /**
     * Writes the checked parts one after the other into {@code target}; the kernel copies the bytes
     * ({@link FileChannel#transferTo}), so none passes through the JVM again.
     *
     * @return the bytes written
     */
    long assembleInto(List<StagedPart> ordered, FileChannel target) throws IOException {
        long written = 0;
        for (StagedPart part : ordered) {
            try (FileChannel in = FileChannel.open(part.file(), StandardOpenOption.READ)) {
                for (long done = 0; done < part.length(); ) {
                    long n = in.transferTo(part.offset() + done, part.length() - done, target);
                    if (n <= 0) {
                        throw invalid("part " + part.partNumber() + " lost bytes in the staging directory " + dir);
                    }
                    done += n;
                }
                written += part.length();
            }
        }
        return written;
    }

    /**
     * The completed object's etag, S3-style: the MD5 of the parts' etags, a dash and the part count.
     * Like S3's, it names this content but is not its MD5.
     */
    static String objectEtag(List<StagedPart> ordered) {
        MessageDigest md5 = LocalObjectStore.digest("MD5");
        for (StagedPart part : ordered) {
            md5.update(part.etag().getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + ordered.size();
    }

    /** Removes the upload's staging directory, and {@code .barge.uploads} when no other upload is left in it. */
    void delete() {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw LocalErrors.io(Operation.MULTIPART_ABORT, bucket, key, e);
        }
        try {
            Files.deleteIfExists(dir.getParent());
        } catch (IOException e) {
            // other uploads are staged there (or it cannot go): it is never listed
        }
    }

    /**
     * Removes the uploads in {@code bucketDir} that no writer will finish: those of a process
     * killed mid-upload (kill -9, a power cut), by {@link StagingFiles#isAbandoned}'s rules on the
     * writer the descriptor names and the newest modification in the upload's directory. Barge never
     * resumes another process's upload (a rerun writes the object anew), so nothing of value goes;
     * an upload whose writer still runs, or may still run, is never touched. Quiet: a sweep that
     * cannot read or remove something leaves it for the next one.
     *
     * @return how many uploads were removed
     */
    static int removeAbandoned(Path bucketDir, Instant now) {
        Path uploads = bucketDir.resolve(LocalPaths.UPLOADS_DIR);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(uploads)) {
            dirs = list.filter(d -> UPLOAD_ID.matcher(d.getFileName().toString()).matches()).toList();
        } catch (IOException | UncheckedIOException e) {
            return 0; // no uploads staged in this bucket
        }
        int removed = 0;
        for (Path upload : dirs) {
            try {
                if (StagingFiles.isAbandoned(writerOf(upload), lastModified(upload), now)) {
                    deleteTree(upload);
                    removed++;
                }
            } catch (IOException | RuntimeException e) {
                // finished or aborted meanwhile, or not ours to remove: the next sweep sees it again
            }
        }
        return removed;
    }

    /** The writer tag the descriptor of {@code upload} names; {@code null} for none (older Barge, or not written yet). */
    private static String writerOf(Path upload) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(upload.resolve(DESCRIPTOR), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return null;
        }
        return p.getProperty(WRITER);
    }

    /**
     * The newest modification time in an upload's directory: the directory's own (a part recorded,
     * which renames its record in) or any file's (a part written in place into {@code data}).
     */
    private static Instant lastModified(Path upload) throws IOException {
        Instant newest = Files.getLastModifiedTime(upload, LinkOption.NOFOLLOW_LINKS).toInstant();
        try (Stream<Path> files = Files.list(upload)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Instant modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
                if (modified.isAfter(newest)) {
                    newest = modified;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return newest;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        }
    }

    // ---- part records -------------------------------------------------------------------

    private void writeRecord(Path record, StagedPart part) throws IOException {
        Properties p = new Properties();
        p.setProperty("file", part.file().getFileName().toString());
        p.setProperty("offset", Long.toString(part.offset()));
        p.setProperty("length", Long.toString(part.length()));
        p.setProperty("etag", part.etag());
        Path temp = StagingFiles.nextTo(record);
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                p.store(out, null);
            }
            Files.move(temp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private StagedPart readRecord(int partNumber) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(recordFile(partNumber), StandardCharsets.UTF_8)) {
            p.load(in);
            String name = p.getProperty("file");
            if (!PART_FILE.matcher(name).matches()) {
                throw new IllegalArgumentException("not a part file: " + name);
            }
            Path file = dir.resolve(name);
            return new StagedPart(partNumber, file, Long.parseLong(p.getProperty("offset")),
                    Long.parseLong(p.getProperty("length")), requireNonNull(p.getProperty("etag")));
        } catch (NoSuchFileException e) {
            throw invalid("part " + partNumber + " was not uploaded");
        } catch (IOException e) {
            throw LocalErrors.io(Operation.MULTIPART_COMPLETE, bucket, key, e);
        } catch (RuntimeException e) {
            throw invalid("the record of part " + partNumber + " in the staging directory " + dir + " is damaged");
        }
    }

    private static String etag(int crc) {
        return String.format("%08x", crc);
    }

    private Path recordFile(int partNumber) {
        return dir.resolve(String.format("part.%05d", partNumber));
    }

    private StorageException invalid(String detail) {
        return StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, bucket, requireNonNull(key), detail);
    }
}
