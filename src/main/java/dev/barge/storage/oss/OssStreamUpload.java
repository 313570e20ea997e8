package dev.barge.storage.oss;

import static java.util.Objects.requireNonNull;

import com.aliyun.oss.OSS;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.UploadPartRequest;
import dev.barge.storage.Checksum;
import dev.barge.storage.Crc64;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A put that reads its payload in parts, held in memory one at a time, for payloads of unknown
 * length and for payloads whose CRC-64 must be checked before the object appears. A payload that
 * fits in one part becomes one PutObject; a longer one a multipart upload that is completed only
 * after the expected checksums have matched, and aborted on any failure. Each request carries the
 * {@code Content-MD5} of its bytes, so OSS refuses what was damaged on the way.
 */
final class OssStreamUpload {

    private final OSS client;
    private final long firstPartSize;
    private final String bucket;
    private final String key;

    OssStreamUpload(OSS client, long firstPartSize, String bucket, String key) {
        this.client = requireNonNull(client, "client is null");
        this.firstPartSize = firstPartSize;
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.key = requireNonNull(key, "key is null");
    }

    /**
     * Writes the payload.
     *
     * @param source the payload's bytes (already checked against its declared length, if any)
     * @param metadata content type, user metadata and storage class of the new object
     * @param expectedMd5 lower-case hex MD5 the payload must have, or {@code null}
     * @param expectedCrc CRC-64 the payload must have, or {@code null}
     */
    WriteResult put(InputStream source, ObjectMetadata metadata, String expectedMd5, Long expectedCrc)
            throws IOException {
        PushbackInputStream in = new PushbackInputStream(source, 1);
        byte[] first = in.readNBytes((int) firstPartSize);
        if (atEnd(in)) {
            return putWhole(first, metadata, expectedMd5, expectedCrc);
        }
        return putInParts(in, first, metadata, expectedMd5, expectedCrc);
    }

    private WriteResult putWhole(byte[] data, ObjectMetadata metadata, String expectedMd5, Long expectedCrc) {
        String md5 = HexFormat.of().formatHex(md5().digest(data));
        Crc64 crc = new Crc64();
        crc.update(data, 0, data.length);
        checkExpected(md5, crc.getValue(), expectedMd5, expectedCrc, "nothing was written");
        metadata.setContentLength(data.length);
        metadata.setContentMD5(OssHeaders.contentMd5(md5));
        PutObjectResult result;
        try {
            result = client.putObject(new PutObjectRequest(bucket, key, new ByteArrayInputStream(data), metadata));
        } catch (RuntimeException e) {
            throw OssErrors.map(Operation.PUT, bucket, key, e);
        }
        return new WriteResult(OssHeaders.unquote(result.getETag()),
                List.of(Checksum.md5Hex(md5), OssHeaders.crc64(crc.getValue())));
    }

    private WriteResult putInParts(PushbackInputStream in, byte[] first, ObjectMetadata metadata, String expectedMd5,
            Long expectedCrc) throws IOException {
        String uploadId;
        try {
            uploadId = client.initiateMultipartUpload(new InitiateMultipartUploadRequest(bucket, key, metadata))
                    .getUploadId();
        } catch (RuntimeException e) {
            throw OssErrors.map(Operation.PUT, bucket, key, e);
        }
        try {
            MessageDigest md5 = md5();
            Crc64 crc = new Crc64();
            List<PartETag> parts = new ArrayList<>();
            byte[] part = first;
            int number = 1;
            while (true) {
                md5.update(part);
                crc.update(part, 0, part.length);
                parts.add(uploadPart(uploadId, number, part));
                if (atEnd(in)) {
                    break;
                }
                number++;
                if (number > OssStoreProvider.MAX_PARTS) {
                    throw StorageException.invalidArgument(Operation.PUT, bucket, key, "the payload needs more than "
                            + OssStoreProvider.MAX_PARTS + " parts; raise upload-part-size; nothing was written");
                }
                part = in.readNBytes((int) partSize(number));
            }
            checkExpected(HexFormat.of().formatHex(md5.digest()), crc.getValue(), expectedMd5, expectedCrc,
                    "the upload was abandoned, nothing was written");
            CompleteMultipartUploadResult result =
                    client.completeMultipartUpload(new CompleteMultipartUploadRequest(bucket, key, uploadId, parts));
            if (result.getServerCRC() != null && result.getServerCRC() != crc.getValue()) {
                throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(bucket).key(key)
                        .detail("OSS assembled an object whose CRC-64 (" + Long.toUnsignedString(result.getServerCRC())
                                + ") differs from the payload's (" + Long.toUnsignedString(crc.getValue()) + ")")
                        .requestId(result.getRequestId()).build();
            }
            return new WriteResult(OssHeaders.unquote(result.getETag()), List.of(OssHeaders.crc64(crc.getValue())));
        } catch (RuntimeException | IOException e) {
            abortQuietly(uploadId, e);
            if (e instanceof RuntimeException re) {
                throw OssErrors.map(Operation.PUT, bucket, key, re);
            }
            throw (IOException) e;
        }
    }

    private PartETag uploadPart(String uploadId, int number, byte[] data) {
        UploadPartRequest request = new UploadPartRequest(bucket, key, uploadId, number,
                new ByteArrayInputStream(data), data.length);
        request.setMd5Digest(Base64.getEncoder().encodeToString(md5().digest(data)));
        return client.uploadPart(request).getPartETag();
    }

    /** Part sizes double every 1000 parts, up to 1 GiB, so that 10 000 parts hold terabytes. */
    private long partSize(int number) {
        return Math.min(firstPartSize << ((number - 1) / 1000), OssStoreProvider.MAX_UPLOAD_PART_SIZE);
    }

    private void checkExpected(String md5, long crc, String expectedMd5, Long expectedCrc, String outcome) {
        if (expectedMd5 != null && !expectedMd5.equals(md5)) {
            throw mismatch("expected MD5 " + expectedMd5 + " but the payload has " + md5 + "; " + outcome);
        }
        if (expectedCrc != null && expectedCrc != crc) {
            throw mismatch("expected CRC-64 " + Long.toUnsignedString(expectedCrc) + " but the payload has "
                    + Long.toUnsignedString(crc) + "; " + outcome);
        }
    }

    private StorageException mismatch(String detail) {
        return StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.PUT).bucket(bucket).key(key)
                .detail(detail).build();
    }

    private void abortQuietly(String uploadId, Exception failure) {
        try {
            client.abortMultipartUpload(new AbortMultipartUploadRequest(bucket, key, uploadId));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean atEnd(PushbackInputStream in) throws IOException {
        int next = in.read();
        if (next == -1) {
            return true;
        }
        in.unread(next);
        return false;
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
