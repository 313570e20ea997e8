package dev.barge.batch;

import dev.barge.storage.Checksum;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Asks a store whether it takes writes under a prefix at all: a zero-byte marker
 * {@code <prefix>barge-preflight-<random>} is put and deleted at once. The preflight asks it
 * before a job starts; a job asks it to tell a target that refuses every write (which no object
 * can get past) from one that refuses one object (which is that object's failure).
 *
 * <p>Put-and-delete is the only write check every store answers the same way (S3 has no
 * permission probe short of IAM's policy simulator, which needs IAM rights of its own). The
 * marker is not called {@code .barge-preflight-...} because the local driver reserves names
 * starting with {@code .barge} for its metadata.
 */
public final class WriteProbe {
    /** The start of every marker's name. */
    public static final String MARKER = "barge-preflight-";
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The MD5 of no bytes, sent with the marker as every copy sends its object's: an S3 put that
     * carries it goes out as the copies do (Content-MD5, payload unsigned), where one without is
     * signed as an aws-chunked body, which Ceph RGW 16 refuses for zero bytes
     * ({@code XAmzContentSHA256Mismatch}) and so would fail the preflight of a target that takes
     * every copy.
     */
    private static final Checksum EMPTY_MD5 = Checksum.md5Hex("d41d8cd98f00b204e9800998ecf8427e");

    private WriteProbe() {}

    /**
     * What a probe found.
     *
     * @param marker the marker's key
     * @param refusal why the store refused the put, or {@code null} when it took it
     * @param deleteFailure why the marker could not be deleted after the put, or {@code null}
     */
    public record Result(String marker, StorageException refusal, StorageException deleteFailure) {
        /** Whether the store took the write. */
        public boolean writable() {
            return refusal == null;
        }
    }

    /** Puts and deletes a marker under {@code prefix}. */
    public static Result probe(ObjectStore store, String bucket, String prefix) {
        String marker = prefix + MARKER + HexFormat.of().formatHex(RANDOM.generateSeed(8));
        try {
            store.put(PutRequest.builder(bucket, marker).expectedChecksums(List.of(EMPTY_MD5)).build(),
                    Payload.ofBytes(new byte[0]));
        } catch (StorageException e) {
            return new Result(marker, e, null);
        }
        try {
            store.delete(bucket, marker);
        } catch (StorageException e) {
            return new Result(marker, null, e);
        }
        return new Result(marker, null, null);
    }
}
