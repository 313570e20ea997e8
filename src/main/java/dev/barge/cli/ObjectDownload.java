package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Reads one object to this machine, checked: every byte goes through the checksum the store
 * reports for the object (see {@link ContentDigest#expected}), and the count must be the object's
 * size. A file is written beside its target under a hidden temporary name, flushed to disk and
 * renamed over the target only once the check has passed, so a failed copy leaves the old file (or
 * none), never part of a new one.
 */
final class ObjectDownload {
    private final ObjectStore store;
    private final String bucket;
    private final String key;
    private final String name;

    /**
     * @param name the object as the user wrote it, for messages
     */
    ObjectDownload(ObjectStore store, String bucket, String key, String name) {
        this.store = requireNonNull(store, "store is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.key = requireNonNull(key, "key is null");
        this.name = requireNonNull(name, "name is null");
    }

    /**
     * What was read and what vouches for it.
     *
     * @param bytes the object's size, every byte of which was read
     * @param verified the checksum that matched, if the store reported one
     */
    record Result(long bytes, Optional<Checksum> verified) {}

    /** Writes the object to {@code file}, replacing it atomically and durably: data, then the rename. */
    Result toFile(Path file, LongConsumer progress) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = dir.resolve("." + file.getFileName() + ".barge-" + UUID.randomUUID() + ".tmp");
        boolean done = false;
        // CREATE_NEW with the default mode: the new file gets the permissions the umask gives
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Result result = copy(Channels.newOutputStream(channel), progress);
            channel.force(true);
            channel.close();
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true); // the rename itself
            }
            return result;
        } finally {
            if (!done) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Writes the object to a stream. The bytes are out before they can be checked: a failed check
     * is reported after the fact, saying that the output is damaged.
     */
    Result toStream(OutputStream out, LongConsumer progress) throws IOException {
        try {
            return copy(out, progress);
        } catch (StorageException e) {
            if (e.kind() == ErrorKind.CHECKSUM_MISMATCH) {
                throw CliError.failed(Errors.message(e) + "; what was written to standard output is damaged:"
                        + " discard it");
            }
            throw e;
        }
    }

    private Result copy(OutputStream out, LongConsumer progress) throws IOException {
        try (ObjectContent content = store.get(bucket, key)) {
            Optional<Checksum> expected = ContentDigest.expected(content.info());
            ContentDigest digest = expected.map(c -> ContentDigest.of(c.algorithm())).orElse(null);
            MeteredInputStream in = new MeteredInputStream(content.body(), digest, progress);
            try {
                in.transferTo(out);
                out.flush();
            } catch (IOException e) {
                StorageException cause = Errors.storageCause(e);
                if (cause != null) {
                    throw cause;
                }
                throw e;
            }
            if (in.count() != content.length()) {
                throw StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(bucket).key(key)
                        .detail(name + ": the store sent " + in.count() + " of " + content.length()
                                + " bytes; nothing was kept, try again").build();
            }
            if (expected.isPresent()) {
                Checksum actual = digest.finish();
                if (!actual.equals(expected.get())) {
                    throw StorageException.builder(ErrorKind.CHECKSUM_MISMATCH, Operation.GET).bucket(bucket).key(key)
                            .detail(name + ": the bytes read have " + actual.algorithm() + " " + actual.value()
                                    + " but the store reports " + expected.get().value()).build();
                }
            }
            return new Result(in.count(), expected);
        }
    }
}
