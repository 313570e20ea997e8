package dev.barge.batch;

import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectStore;
import java.util.concurrent.Executor;

/** Builds an {@link ObjectListingItemReader}; every setting is named after the property it sets. */
public final class ObjectListingItemReaderBuilder {
    private String name;
    private ObjectStore store;
    private String remote;
    private String bucket;
    private String prefix = "";
    private int pageSize = ListRequest.MAX_PAGE_SIZE;
    private boolean saveState = true;
    private ListingProgress progress;
    private Executor readAhead;
    private KeyRange range = KeyRange.ALL;

    /** The name under which the reader keeps its position in the execution context. Required. */
    public ObjectListingItemReaderBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** The store to list. Required. */
    public ObjectListingItemReaderBuilder store(ObjectStore store) {
        this.store = store;
        return this;
    }

    /** The remote's name, as messages about the listing name the store; default "the store". */
    public ObjectListingItemReaderBuilder remote(String remote) {
        this.remote = remote;
        return this;
    }

    /** The bucket to list. Required. */
    public ObjectListingItemReaderBuilder bucket(String bucket) {
        this.bucket = bucket;
        return this;
    }

    /** Only keys starting with this; default all. */
    public ObjectListingItemReaderBuilder prefix(String prefix) {
        this.prefix = prefix;
        return this;
    }

    /** Objects per listing request, 1 to 1000; default 1000. */
    public ObjectListingItemReaderBuilder pageSize(int pageSize) {
        this.pageSize = pageSize;
        return this;
    }

    /** Whether to save the position for restarts; default true. */
    public ObjectListingItemReaderBuilder saveState(boolean saveState) {
        this.saveState = saveState;
        return this;
    }

    /** Counts what the reader lists, for a progress display; default none. */
    public ObjectListingItemReaderBuilder progress(ListingProgress progress) {
        this.progress = progress;
        return this;
    }

    /** Requests the next page on {@code executor} as soon as a page arrives; default: when it is needed. */
    public ObjectListingItemReaderBuilder readAhead(Executor executor) {
        this.readAhead = executor;
        return this;
    }

    /**
     * Reads only the keys of {@code range}, given relative to the prefix (as a {@link KeyRange#split}
     * of another listing's keys would be, so that two listings under different prefixes read the same
     * partition); default {@link KeyRange#ALL}.
     */
    public ObjectListingItemReaderBuilder range(KeyRange range) {
        this.range = range;
        return this;
    }

    private KeyRange absolute(KeyRange relative) {
        return new KeyRange(relative.after() == null ? null : prefix + relative.after(),
                relative.last() == null ? null : prefix + relative.last());
    }

    public ObjectListingItemReader build() {
        if (saveState && (name == null || name.isBlank())) {
            throw new IllegalStateException("a name is required when the reader saves its state");
        }
        if (store == null) {
            throw new IllegalStateException("a store is required");
        }
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalStateException("a bucket is required");
        }
        if (prefix == null) {
            throw new IllegalStateException("prefix must not be null; use \"\" for the whole bucket");
        }
        if (pageSize < 1 || pageSize > ListRequest.MAX_PAGE_SIZE) {
            throw new IllegalStateException("pageSize must be between 1 and " + ListRequest.MAX_PAGE_SIZE + ": " + pageSize);
        }
        return new ObjectListingItemReader(name == null ? "objectListingItemReader" : name, store,
                remote == null ? "the store" : "remote '" + remote + "'", bucket, prefix,
                pageSize, saveState, progress, readAhead, absolute(range == null ? KeyRange.ALL : range));
    }
}
