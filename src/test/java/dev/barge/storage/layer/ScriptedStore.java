package dev.barge.storage.layer;

import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store for layer tests: each call first takes the next scripted failure, if any, and
 * otherwise succeeds with a small fixed answer. Counts the calls that reach it.
 */
class ScriptedStore implements ObjectStore {
    final AtomicInteger calls = new AtomicInteger();
    private final Deque<ErrorKind> failures = new ArrayDeque<>();
    private ErrorKind always;
    private int refusedConnections;
    byte[] content = new byte[0];

    ScriptedStore failNext(ErrorKind... kinds) {
        failures.addAll(List.of(kinds));
        return this;
    }

    ScriptedStore failAlways(ErrorKind kind) {
        always = kind;
        return this;
    }

    /** The next {@code count} calls fail as a driver reports a connection refused: TRANSIENT, caused by a ConnectException. */
    ScriptedStore refuseConnections(int count) {
        refusedConnections += count;
        return this;
    }

    private synchronized void step(Operation op, String bucket, String key) {
        calls.incrementAndGet();
        if (refusedConnections > 0) {
            refusedConnections--;
            throw StorageException.builder(ErrorKind.TRANSIENT, op).bucket(bucket).key(key).detail("scripted refusal")
                    .cause(new ConnectException("Connection refused")).build();
        }
        ErrorKind kind = !failures.isEmpty() ? failures.poll() : always;
        if (kind != null) {
            throw StorageException.builder(kind, op).bucket(bucket).key(key).detail("scripted " + kind).build();
        }
    }

    static ObjectInfo info(String key, long size) {
        return new ObjectInfo(key, size, Instant.EPOCH, "etag", StorageClass.STANDARD, null, Map.of(), List.of(),
                RestoreStatus.NONE);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().build();
    }

    @Override
    public ListPage list(ListRequest request) {
        step(Operation.LIST, request.bucket(), request.prefix());
        return new ListPage(List.of(), List.of(), null);
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        step(Operation.STAT, bucket, key);
        return info(key, content.length);
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        step(Operation.GET, bucket, key);
        return new ObjectContent(info(key, content.length), 0, content.length, openContent());
    }

    /** The stream {@code get} returns; tests may observe reads by overriding. */
    InputStream openContent() {
        return new ByteArrayInputStream(content);
    }

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        step(Operation.PUT, request.bucket(), request.key());
        try (InputStream in = payload.open()) {
            in.transferTo(OutputStreamSink.INSTANCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WriteResult("etag", List.of());
    }

    @Override
    public void delete(String bucket, String key) {
        step(Operation.DELETE, bucket, key);
    }

    @Override
    public void createBucket(String bucket) {
        step(Operation.CREATE_BUCKET, bucket, null);
    }

    @Override
    public List<BucketInfo> listBuckets() {
        step(Operation.LIST_BUCKETS, null, null);
        return List.of();
    }

    @Override
    public void deleteBucket(String bucket) {
        step(Operation.DELETE_BUCKET, bucket, null);
    }

    @Override
    public void close() {}

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
