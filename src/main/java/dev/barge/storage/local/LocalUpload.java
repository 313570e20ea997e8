package dev.barge.storage.local;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.CompletedPart;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A multipart upload staged in {@code <bucket>/.barge.uploads/<uploadId>/}: a descriptor with
 * the key and the object's attributes, and one file per part ({@code part.00001}).
 */
final class LocalUpload {
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String DESCRIPTOR = "upload.properties";

    private final String bucket;
    private final String key;
    private final String id;
    private final Path dir;
    private final LocalAttributes attributes;
    private final boolean sync;

    private LocalUpload(String bucket, String key, String id, Path dir, LocalAttributes attributes,
            boolean sync) {
        this.bucket = bucket;
        this.key = key;
        this.id = id;
        this.dir = dir;
        this.attributes = attributes;
        this.sync = sync;
    }

    String id() {
        return id;
    }

    LocalAttributes attributes() {
        return attributes;
    }

    static LocalUpload create(Path bucketDir, String key, LocalAttributes attributes, boolean sync) {
        String bucket = bucketDir.getFileName().toString();
        String id = UUID.randomUUID().toString();
        Path dir = bucketDir.resolve(LocalPaths.UPLOADS_DIR).resolve(id);
        Properties p = new Properties();
        p.setProperty("key", key);
        attributes.writeTo(p);
        try {
            Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(dir.resolve(DESCRIPTOR), StandardCharsets.UTF_8)) {
                p.store(out, null);
            }
        } catch (IOException e) {
            throw LocalErrors.io(Operation.MULTIPART_INITIATE, bucket, key, e);
        }
        return new LocalUpload(bucket, key, id, dir, attributes, sync);
    }

    /** The staged upload, or {@code null} if there is none with this id for this key. */
    static LocalUpload find(Path bucketDir, MultipartUpload upload, boolean sync) {
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
        return new LocalUpload(upload.bucket(), upload.key(), upload.uploadId(), dir, LocalAttributes.readFrom(p), sync);
    }

    CompletedPart writePart(int partNumber, InputStream in, long expectedLength) throws IOException {
        Path part = partFile(partNumber);
        Path temp = LocalPaths.tempNextTo(part);
        try {
            MessageDigest md5 = LocalObjectStore.digest("MD5");
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                written = LocalObjectStore.copy(new DigestInputStream(in, md5), out, expectedLength);
                if (sync) {
                    channel.force(true);
                }
            }
            if (expectedLength >= 0 && written != expectedLength) {
                throw StorageException.invalidArgument(Operation.MULTIPART_UPLOAD_PART, bucket, key, "part " + partNumber
                        + " held " + written + " bytes but " + expectedLength + " were announced");
            }
            Files.move(temp, part, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new CompletedPart(partNumber, HexFormat.of().formatHex(md5.digest()), written);
        } catch (NoSuchFileException e) {
            throw StorageException.builder(dev.barge.storage.ErrorKind.NOT_FOUND, Operation.MULTIPART_UPLOAD_PART)
                    .bucket(bucket).key(key).detail("the multipart upload " + id + " was aborted or completed").build();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The parts in part-number order, after checking that each was uploaded and that all but the
     * last reach the minimum size. Etags are checked while assembling.
     */
    List<CompletedPart> checkParts(List<CompletedPart> parts, long minPartSize) {
        if (parts.isEmpty()) {
            throw invalid("a multipart upload needs at least one part");
        }
        List<CompletedPart> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingInt(CompletedPart::partNumber));
        for (int i = 0; i < ordered.size(); i++) {
            CompletedPart part = ordered.get(i);
            if (i > 0 && ordered.get(i - 1).partNumber() == part.partNumber()) {
                throw invalid("part " + part.partNumber() + " is listed twice");
            }
            long size;
            try {
                size = Files.size(partFile(part.partNumber()));
            } catch (NoSuchFileException e) {
                throw invalid("part " + part.partNumber() + " was not uploaded");
            } catch (IOException e) {
                throw LocalErrors.io(Operation.MULTIPART_COMPLETE, bucket, key, e);
            }
            if (i < ordered.size() - 1 && size < minPartSize) {
                throw invalid("part " + part.partNumber() + " is " + size + " bytes, smaller than the minimum of "
                        + minPartSize + " for all parts but the last");
            }
        }
        return ordered;
    }

    /** The parts' bytes one after the other; fails with INVALID_ARGUMENT at the end of a part whose etag differs. */
    InputStream assemble(List<CompletedPart> ordered) {
        Iterator<CompletedPart> parts = ordered.iterator();
        return new InputStream() {
            private CompletedPart current;
            private MessageDigest md5;
            private InputStream in = InputStream.nullInputStream();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (true) {
                    int n = in.read(b, off, len);
                    if (n >= 0) {
                        return n;
                    }
                    in.close();
                    if (current != null) {
                        String actual = HexFormat.of().formatHex(md5.digest());
                        if (!actual.equals(current.etag())) {
                            throw invalid("part " + current.partNumber() + " has etag " + actual + ", not "
                                    + current.etag());
                        }
                    }
                    if (!parts.hasNext()) {
                        return -1;
                    }
                    current = parts.next();
                    md5 = LocalObjectStore.digest("MD5");
                    in = new DigestInputStream(Files.newInputStream(partFile(current.partNumber())), md5);
                }
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    void delete() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException | UncheckedIOException e) {
            throw LocalErrors.io(Operation.MULTIPART_ABORT, bucket, key,
                    e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
    }

    private Path partFile(int partNumber) {
        return dir.resolve(String.format("part.%05d", partNumber));
    }

    private StorageException invalid(String detail) {
        return StorageException.invalidArgument(Operation.MULTIPART_COMPLETE, bucket, requireNonNull(key), detail);
    }
}
