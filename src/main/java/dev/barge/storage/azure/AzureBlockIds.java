package dev.barge.storage.azure;

import dev.barge.storage.MultipartUpload;
import dev.barge.storage.Operation;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names the blocks of Barge's uploads. A block id is the base64 of 16 hex digits naming the upload
 * and 5 digits naming the part ({@code 00001}..{@code 50000}), or {@code abort} for the marker an
 * abort leaves: every id has the same length, as Azure requires of the blocks of one blob.
 *
 * <p>A multipart upload's id is that upload name, a dot, and the URL-safe base64 of the request's
 * content type, storage class and user metadata, which Azure takes only when the block list is
 * committed: any process holding the id can complete the upload.
 */
final class AzureBlockIds {
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();

    /** A fresh upload name: 16 hex digits. */
    String newUploadId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The id of a new multipart upload of {@code request}. */
    String newUpload(PutRequest request) {
        StringBuilder s = new StringBuilder();
        s.append("ct=").append(request.contentType() == null ? "" : encode(request.contentType())).append('\n');
        StorageClass sc = request.storageClass();
        s.append("sc=").append(sc == null ? "" : sc.family() + (sc.vendorName() == null ? "" : ":" + sc.vendorName()))
                .append('\n');
        request.userMetadata().forEach((name, value) ->
                s.append("m=").append(encode(name)).append('=').append(encode(value)).append('\n'));
        return newUploadId() + "." + URL.encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The upload name of an upload id. */
    String id(MultipartUpload upload) {
        String id = upload.uploadId();
        int dot = id.indexOf('.');
        String name = dot < 0 ? id : id.substring(0, dot);
        if (name.length() != 16) {
            throw notOurs(upload);
        }
        return name;
    }

    /** The properties the upload was started with. */
    PutRequest request(MultipartUpload upload) {
        String id = upload.uploadId();
        int dot = id.indexOf('.');
        PutRequest.Builder b = PutRequest.builder(upload.bucket(), upload.key());
        if (dot < 0) {
            return b.build();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        try {
            String text = new String(URL_DECODER.decode(id.substring(dot + 1)), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("ct=") && line.length() > 3) {
                    b.contentType(decode(line.substring(3)));
                } else if (line.startsWith("sc=") && line.length() > 3) {
                    String[] parts = line.substring(3).split(":", 2);
                    b.storageClass(new StorageClass(StorageClass.Family.valueOf(parts[0]),
                            parts.length > 1 ? parts[1] : null));
                } else if (line.startsWith("m=")) {
                    String[] pair = line.substring(2).split("=", 2);
                    metadata.put(decode(pair[0]), decode(pair[1]));
                }
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw notOurs(upload);
        }
        return b.userMetadata(metadata).build();
    }

    String blockId(String uploadId, int partNumber) {
        return BASE64.encodeToString((uploadId + String.format("%05d", partNumber)).getBytes(StandardCharsets.US_ASCII));
    }

    String abortMarker(String uploadId) {
        return BASE64.encodeToString((uploadId + "abort").getBytes(StandardCharsets.US_ASCII));
    }

    boolean belongsTo(String blockId, String uploadId) {
        try {
            return new String(BASE64_DECODER.decode(blockId), StandardCharsets.US_ASCII).startsWith(uploadId);
        } catch (IllegalArgumentException e) {
            return false; // a block some other tool staged
        }
    }

    private static StorageException notOurs(MultipartUpload upload) {
        return StorageException.builder(dev.barge.storage.ErrorKind.NOT_FOUND, Operation.MULTIPART_COMPLETE)
                .bucket(upload.bucket()).key(upload.key())
                .detail("'" + upload.uploadId() + "' is not an upload id this driver issued").build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
