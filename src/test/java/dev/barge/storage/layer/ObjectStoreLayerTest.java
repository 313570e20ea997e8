package dev.barge.storage.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.ByteRange;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.WriteResult;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A read of a listed object goes down the layers as such, so that the store may spare a lookup,
 * except through a layer that overrides the read by key: that layer sees it there, so that no read
 * passes a layer that counts, fails or relabels reads. A copy goes down with the outermost layer as
 * the store its parts go through, unless a layer overrides the copy: it sees it whole, and its parts go
 * through the layers from there down.
 */
class ObjectStoreLayerTest {
    /** The store: which of its two reads each call arrived at. */
    private final List<String> reads = new CopyOnWriteArrayList<>();
    private final ScriptedStore store = new ScriptedStore() {
        @Override
        public ObjectContent get(String bucket, ObjectInfo listed, ByteRange range) {
            reads.add("listed " + listed.key());
            return super.get(bucket, listed.key(), range);
        }

        @Override
        public ObjectContent get(String bucket, String key, ByteRange range) {
            reads.add("by key " + key);
            return super.get(bucket, key, range);
        }
    };

    private static ObjectInfo listed(String key) {
        return ScriptedStore.info(key, 0);
    }

    private static ObjectStoreLayer passing(dev.barge.storage.ObjectStore delegate, List<String> seen) {
        return new ObjectStoreLayer(delegate) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                seen.add(call.operation().name() + " " + call.key());
                return action.get();
            }
        };
    }

    @Test
    void aLayerThatOnlyInvokesPassesTheListedReadDownAndStillSeesIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();

        passing(passing(store, seen), seen).get("b", listed("k"), null).close();

        assertThat(reads).containsExactly("listed k");
        assertThat(seen).containsExactly("GET k", "GET k");
    }

    @Test
    void aLayerThatOverridesTheReadByKeyGetsListedReadsThere() throws Exception {
        List<String> counted = new CopyOnWriteArrayList<>();
        ObjectStoreLayer counting = new ObjectStoreLayer(store) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public ObjectContent get(String bucket, String key, ByteRange range) {
                counted.add(key);
                return super.get(bucket, key, range);
            }
        };

        counting.get("b", listed("k"), null).close();

        assertThat(counted).as("the override saw the read").containsExactly("k");
        assertThat(reads).containsExactly("by key k");
    }

    /** The store that copies, recording the store each copy was to send its parts through. */
    private final List<ObjectStore> partsOfCopies = new CopyOnWriteArrayList<>();
    private final ScriptedStore copying = new ScriptedStore() {
        @Override
        public WriteResult copy(CopyRequest request) {
            return copy(request, this);
        }

        @Override
        public WriteResult copy(CopyRequest request, ObjectStore parts) {
            partsOfCopies.add(parts);
            return new WriteResult("etag", List.of());
        }
    };

    @Test
    void aCopyGoesDownWithTheOutermostLayerAsTheStoreOfItsParts() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ObjectStoreLayer outer = passing(passing(copying, seen), seen);

        outer.copy(CopyRequest.of("b", "k", "b", "k2"));

        assertThat(partsOfCopies).containsExactly(outer);
        assertThat(seen).containsExactly("COPY k", "COPY k");
    }

    @Test
    void aLayerThatOverridesTheCopySeesCopiesFromTheLayersAbove() {
        List<String> counted = new CopyOnWriteArrayList<>();
        ObjectStoreLayer counting = new ObjectStoreLayer(copying) {
            @Override
            protected <T> T invoke(Call call, Supplier<T> action) {
                return action.get();
            }

            @Override
            public WriteResult copy(CopyRequest request) {
                counted.add(request.sourceKey());
                return super.copy(request);
            }
        };

        passing(counting, new CopyOnWriteArrayList<>()).copy(CopyRequest.of("b", "k", "b", "k2"));

        assertThat(counted).as("the override saw the copy").containsExactly("k");
        assertThat(partsOfCopies).as("its parts go through the layers from the override down")
                .containsExactly(counting);
    }
}
