package dev.barge.emulator.qiniu;

import dev.barge.storage.KeyOrder;
import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentSkipListMap;

/** One bucket: its objects in Kodo's key order (UTF-8 bytes), its region and its access mode. */
final class KodoBucketState {

    private final String name;
    private final String region;
    private final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>(KeyOrder.UTF8);
    private volatile boolean privateBucket;

    KodoBucketState(String name, String region, boolean privateBucket) {
        this.name = requireNonNull(name, "name is null");
        this.region = requireNonNull(region, "region is null");
        this.privateBucket = privateBucket;
    }

    String name() {
        return name;
    }

    String region() {
        return region;
    }

    boolean isPrivate() {
        return privateBucket;
    }

    void setPrivate(boolean value) {
        privateBucket = value;
    }

    ConcurrentSkipListMap<String, StoredObject> objects() {
        return objects;
    }
}
