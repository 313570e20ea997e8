package dev.barge.batch;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Asks a store whether it takes writes under a prefix at all: a zero-byte marker
 * {@code <prefix>barge-preflight-<random>} is put and deleted at once. It tells a target that
 * refuses every write (which no object can get past) from one that refuses one object (which is
 * that object's failure).
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

    private WriteProbe() {}

    /** A fresh marker key under {@code prefix}. */
    public static String markerKey(String prefix) {
        return prefix + MARKER + HexFormat.of().formatHex(RANDOM.generateSeed(8));
    }

    /**
     * Puts and deletes a marker under {@code prefix}.
     *
     * @return {@code null} when the store took the write, else why it refused it
     */
    public static StorageException refusal(ObjectStore store, String bucket, String prefix) {
        String marker = markerKey(prefix);
        try {
            store.put(PutRequest.builder(bucket, marker).build(), Payload.ofBytes(new byte[0]));
        } catch (StorageException e) {
            return e;
        }
        try {
            store.delete(bucket, marker);
        } catch (StorageException e) {
            // it took the write; a marker left behind is harmless, and its name says what it is
        }
        return null;
    }
}
