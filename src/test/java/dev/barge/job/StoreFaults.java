package dev.barge.job;

import dev.barge.storage.ErrorKind;
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
        /** Writing it is refused with ACCESS_DENIED. */
        DENY_WRITE
    }

    private final Map<String, Fault> armed = new ConcurrentHashMap<>();

    void arm(String remote, String key, Fault fault) {
        armed.put(remote + ":" + key, fault);
    }

    void clear() {
        armed.clear();
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
                Fault fault = armed.get(name + ":" + key);
                if (fault == Fault.VANISH) {
                    delegate.delete(bucket, key);
                }
                ObjectContent content = delegate.get(bucket, key, range);
                return fault == Fault.CORRUPT ? content.withBody(flipFirstByte(content.body())) : content;
            }

            @Override
            public WriteResult put(PutRequest request, Payload payload) {
                if (armed.get(name + ":" + request.key()) == Fault.DENY_WRITE) {
                    throw StorageException.builder(ErrorKind.ACCESS_DENIED, Operation.PUT).bucket(request.bucket())
                            .key(request.key()).detail("write refused by the bucket policy").vendorCode("AccessDenied")
                            .build();
                }
                return delegate.put(request, payload);
            }
        };
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
