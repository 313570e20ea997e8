package dev.barge.job;

import dev.barge.storage.CopyRequest;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreRegistry;
import dev.barge.storage.WriteResult;
import dev.barge.storage.layer.ObjectStoreLayer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Faults a test arms per remote and key, applied by a store decorator next to the driver: the
 * job under test sees them exactly as it would see a misbehaving store.
 */
final class StoreFaults implements StoreRegistry.StoreDecorator {
    enum Fault {
        /** The object disappears just before it is read. */
        VANISH,
        /** Its bytes arrive with one byte flipped. */
        CORRUPT,
        /** Writing it (a put or a server-side copy onto it) is refused with ACCESS_DENIED. */
        DENY_WRITE,
        /** Reading it (a get, or a server-side copy from it) is refused with ACCESS_DENIED. */
        DENY_READ,
        /**
         * Writing, deleting or reading it is refused with INVALID_CREDENTIALS, as when a temporary token
         * expires mid-run.
         */
        REJECT_CREDENTIALS,
        /** Listings leave it out, though it is there (a listing that missed it). */
        HIDE_FROM_LISTING,
        /** Asked for, it is not found, though a write of it succeeded (a write the store lost). */
        LOSE_WRITE,
        /** Deleting it is refused with ACCESS_DENIED (a policy that protects it). */
        DENY_DELETE
    }

    /** Armed for every key of a remote. */
    static final String EVERY_KEY = "*";

    private final Map<String, Fault> armed = new ConcurrentHashMap<>();
    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    private final Map<String, List<String>> written = new ConcurrentHashMap<>();
    private final Map<String, List<String>> deleted = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Consumer<String>> beforeWrite = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Consumer<String>> beforeRead = new ConcurrentHashMap<>();
    private final Map<String, java.util.function.Consumer<String>> afterWrite = new ConcurrentHashMap<>();

    /** How a remote lists: in this order, this many objects a page at most. */
    private record Listing(Comparator<String> order, int pageSize) {}

    void arm(String remote, String key, Fault fault) {
        armed.put(remote + ":" + key, fault);
    }

    /**
     * Makes a remote list in another order (by UTF-16 units, as S3Proxy does, say) and in pages
     * of at most {@code pageSize} objects; continuation works from a key, in that order.
     */
    void listIn(String remote, Comparator<String> order, int pageSize) {
        listings.put(remote, new Listing(order, pageSize));
    }

    /** Runs {@code action} in the writing thread before each write to a remote, as the copy is under way. */
    void beforeWrite(String remote, Runnable action) {
        beforeWrite(remote, key -> action.run());
    }

    /** Runs {@code action} with the key, in the writing thread, before each write to a remote. */
    void beforeWrite(String remote, java.util.function.Consumer<String> action) {
        beforeWrite.put(remote, action);
    }

    /** Runs {@code action} with the key, in the writing thread, after each put to a remote has succeeded. */
    void afterWrite(String remote, java.util.function.Consumer<String> action) {
        afterWrite.put(remote, action);
    }

    /** Runs {@code action} with the key, in the reading thread, before each get from a remote. */
    void beforeRead(String remote, java.util.function.Consumer<String> action) {
        beforeRead.put(remote, action);
    }

    void clear() {
        beforeWrite.clear();
        beforeRead.clear();
        afterWrite.clear();
        armed.clear();
        listings.clear();
        written.clear();
        deleted.clear();
    }

    /** The keys written to a remote (put or copied onto) since the last {@link #clear}, once per write. */
    List<String> written(String remote) {
        return List.copyOf(written.getOrDefault(remote, List.of()));
    }

    /** The keys deleted from a remote since the last {@link #clear}, once per delete. */
    List<String> deleted(String remote) {
        return List.copyOf(deleted.getOrDefault(remote, List.of()));
    }

    private static void log(Map<String, List<String>> journal, String remote, String key) {
        journal.computeIfAbsent(remote, r -> java.util.Collections.synchronizedList(new ArrayList<>())).add(key);
    }

    private Fault fault(String remote, String key) {
        Fault fault = armed.get(remote + ":" + key);
        return fault != null ? fault : armed.get(remote + ":" + EVERY_KEY);
    }

    @Override
    public ObjectStore decorate(RemoteConfig remote, ObjectStore store) {
        String name = remote.name();
        return new ObjectStoreLayer(store) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public ObjectContent get(String bucket, String key, dev.barge.storage.ByteRange range) {
                Fault fault = fault(name, key);
                if (fault == Fault.VANISH) {
                    delegate.delete(bucket, key);
                }
                if (fault == Fault.DENY_READ) {
                    throw denied(Operation.GET, bucket, key, "read refused by the bucket policy");
                }
                if (fault == Fault.REJECT_CREDENTIALS) {
                    throw StorageException.builder(ErrorKind.INVALID_CREDENTIALS, Operation.GET).bucket(bucket)
                            .key(key).detail("the security token has expired").vendorCode("ExpiredToken").build();
                }
                beforeRead.getOrDefault(name, k -> { }).accept(key);
                ObjectContent content = delegate.get(bucket, key, range);
                return fault == Fault.CORRUPT ? content.withBody(flipFirstByte(content.body())) : content;
            }

            @Override
            public ObjectInfo stat(String bucket, String key) {
                if (fault(name, key) == Fault.LOSE_WRITE) {
                    throw StorageException.builder(ErrorKind.NOT_FOUND, Operation.STAT).bucket(bucket).key(key)
                            .detail("no such object").build();
                }
                return delegate.stat(bucket, key);
            }

            @Override
            public WriteResult put(PutRequest request, Payload payload) {
                beforeWrite.getOrDefault(name, key -> { }).accept(request.key());
                refuseWrite(Operation.PUT, request.bucket(), request.key());
                WriteResult result = delegate.put(request, payload);
                log(written, name, request.key());
                afterWrite.getOrDefault(name, key -> { }).accept(request.key());
                return result;
            }

            @Override
            public void delete(String bucket, String key) {
                refuseDelete(bucket, key);
                delegate.delete(bucket, key);
                log(deleted, name, key);
            }

            @Override
            public dev.barge.storage.DeleteResult deleteBatch(String bucket, List<String> keys) {
                Map<String, StorageException> refused = new java.util.HashMap<>();
                List<String> allowed = new ArrayList<>();
                for (String key : keys) {
                    try {
                        refuseDelete(bucket, key);
                        allowed.add(key);
                    } catch (StorageException e) {
                        if (e.kind() == ErrorKind.INVALID_CREDENTIALS) {
                            throw e; // the whole request is refused
                        }
                        refused.put(key, e);
                    }
                }
                dev.barge.storage.DeleteResult result = delegate.deleteBatch(bucket, allowed);
                result.deleted().forEach(key -> log(deleted, name, key));
                refused.putAll(result.failed());
                return new dev.barge.storage.DeleteResult(result.deleted(), refused);
            }

            private void refuseDelete(String bucket, String key) {
                Fault fault = fault(name, key);
                if (fault == Fault.DENY_DELETE) {
                    throw denied(Operation.DELETE, bucket, key, "delete refused by the bucket policy");
                }
                if (fault == Fault.REJECT_CREDENTIALS) {
                    throw StorageException.builder(ErrorKind.INVALID_CREDENTIALS, Operation.DELETE).bucket(bucket)
                            .key(key).detail("the security token has expired").vendorCode("ExpiredToken").build();
                }
            }

            @Override
            public WriteResult copy(CopyRequest request) {
                if (fault(name, request.sourceKey()) == Fault.DENY_READ) {
                    throw denied(Operation.COPY, request.sourceBucket(), request.sourceKey(),
                            "read refused by the bucket policy");
                }
                refuseWrite(Operation.COPY, request.targetBucket(), request.targetKey());
                WriteResult result = delegate.copy(request);
                log(written, name, request.targetKey());
                return result;
            }

            private void refuseWrite(Operation op, String bucket, String key) {
                Fault fault = fault(name, key);
                if (fault == Fault.DENY_WRITE) {
                    throw denied(op, bucket, key, "write refused by the bucket policy");
                }
                if (fault == Fault.REJECT_CREDENTIALS) {
                    throw StorageException.builder(ErrorKind.INVALID_CREDENTIALS, op).bucket(bucket).key(key)
                            .detail("the security token has expired").vendorCode("ExpiredToken").build();
                }
            }

            @Override
            public ListPage list(ListRequest request) {
                Listing listing = listings.get(name);
                ListPage page = listing == null ? delegate.list(request) : reordered(request, listing);
                List<ObjectInfo> shown = page.objects().stream()
                        .filter(o -> fault(name, o.key()) != Fault.HIDE_FROM_LISTING).toList();
                return new ListPage(shown, page.commonPrefixes(), page.nextPageToken());
            }

            /** The whole listing under the prefix, sorted in the listing's order, one page of it. */
            private ListPage reordered(ListRequest request, Listing listing) {
                List<ObjectInfo> all = new ArrayList<>();
                ListRequest whole = ListRequest.of(request.bucket(), request.prefix());
                while (true) {
                    ListPage page = delegate.list(whole);
                    all.addAll(page.objects());
                    if (!page.truncated()) {
                        break;
                    }
                    whole = whole.next(page);
                }
                all.sort(Comparator.comparing(ObjectInfo::key, listing.order()));
                String after = request.pageToken() != null ? request.pageToken() : request.startAfter();
                List<ObjectInfo> rest = all.stream()
                        .filter(o -> after == null || listing.order().compare(o.key(), after) > 0).toList();
                int size = Math.min(Math.min(request.pageSize(), listing.pageSize()), rest.size());
                List<ObjectInfo> page = rest.subList(0, size);
                return new ListPage(page, List.of(), size < rest.size() ? page.get(size - 1).key() : null);
            }
        };
    }

    private static StorageException denied(Operation op, String bucket, String key, String detail) {
        return StorageException.builder(ErrorKind.ACCESS_DENIED, op).bucket(bucket).key(key).detail(detail)
                .vendorCode("AccessDenied").build();
    }

    private static InputStream flipFirstByte(InputStream in) {
        return new FilterInputStream(in) {
            private boolean flipped;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && !flipped) {
                    b[off] ^= 1;
                    flipped = true;
                }
                return n;
            }
        };
    }
}
