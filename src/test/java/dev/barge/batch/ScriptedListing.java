package dev.barge.batch;

import dev.barge.storage.BucketInfo;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A store that only lists, and lists exactly what a test scripts: the given pages in the given
 * order, whatever that order is, as a misbehaving server would. Page tokens are page numbers; a
 * start-after listing returns the keys after the given one in script order (all of them, for a
 * key it never listed).
 */
final class ScriptedListing implements ObjectStore {
    private final List<List<String>> pages;
    private final boolean startAfter;
    /** For {@link #keyspace}: every key, in listing order; else {@code null}. */
    private final List<String> keyspace;
    private final java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
    /** The threads listings were asked from, as {@code name#id}. */
    private final java.util.Set<String> listingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ScriptedListing(List<List<String>> pages, boolean startAfter) {
        this(pages, startAfter, null);
    }

    private ScriptedListing(List<List<String>> pages, boolean startAfter, List<String> keyspace) {
        this.pages = pages;
        this.startAfter = startAfter;
        this.keyspace = keyspace;
    }

    /**
     * A well-behaved store of {@code keys}: listed in {@link KeyOrder#UTF8} order, from any key with
     * start-after (the keys strictly after it, whether it is one of them or not) or from a token, at
     * most the request's page size at a time.
     */
    static ScriptedListing keyspace(Collection<String> keys) {
        TreeSet<String> sorted = new TreeSet<>(KeyOrder.UTF8);
        sorted.addAll(keys);
        return new ScriptedListing(List.of(), true, List.copyOf(sorted));
    }

    /** How many listings were asked of it. */
    int listings() {
        return listings.get();
    }

    /** The threads listings were asked from, as {@code name#id}. */
    java.util.Set<String> listingThreads() {
        return listingThreads;
    }

    /** Lists these pages, one after the other, following page tokens. */
    static ScriptedListing pages(List<List<String>> pages) {
        return new ScriptedListing(List.copyOf(pages), false);
    }

    /** Lists {@code keys} sorted by {@code order}, {@code pageSize} a page, from a key or a token. */
    static ScriptedListing sorted(List<String> keys, Comparator<String> order, int pageSize) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(order);
        List<List<String>> pages = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += pageSize) {
            pages.add(List.copyOf(sorted.subList(i, Math.min(sorted.size(), i + pageSize))));
        }
        return new ScriptedListing(pages, true);
    }

    static ObjectInfo object(String key) {
        return new ObjectInfo(key, 1, Instant.EPOCH, null, StorageClass.STANDARD, null, Map.of(), List.of(),
                RestoreStatus.NONE);
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().listStartAfter(startAfter).build();
    }

    @Override
    public ListPage list(ListRequest request) {
        listings.incrementAndGet();
        listingThreads.add(Thread.currentThread().getName() + "#" + Thread.currentThread().getId());
        if (keyspace != null && request.delimiter() != null) {
            return rolledUp(request);
        }
        if (keyspace != null) {
            int from = 0;
            if (request.startAfter() != null) {
                from = Collections.binarySearch(keyspace, request.startAfter(), KeyOrder.UTF8);
                from = from >= 0 ? from + 1 : -from - 1;
            } else if (request.pageToken() != null) {
                from = Integer.parseInt(request.pageToken());
            }
            int to = Math.min(keyspace.size(), from + request.pageSize());
            List<ObjectInfo> objects = keyspace.subList(from, to).stream()
                    .filter(key -> key.startsWith(request.prefix())).map(ScriptedListing::object).toList();
            return new ListPage(objects, List.of(), to < keyspace.size() ? Integer.toString(to) : null);
        }
        int index;
        if (request.startAfter() != null) {
            List<String> rest = new ArrayList<>();
            boolean after = false;
            for (List<String> page : pages) {
                for (String key : page) {
                    if (after) {
                        rest.add(key);
                    }
                    after |= key.equals(request.startAfter());
                }
            }
            if (!after) {
                // a key it never listed: it ignores start-after, as a broken server might
                pages.stream().flatMap(List::stream).forEach(rest::add);
            }
            return new ListPage(rest.stream().map(ScriptedListing::object).toList(), List.of(), null);
        }
        index = request.pageToken() == null ? 0 : Integer.parseInt(request.pageToken());
        if (pages.isEmpty()) {
            return new ListPage(List.of(), List.of(), null);
        }
        List<ObjectInfo> objects = pages.get(index).stream().map(ScriptedListing::object).toList();
        return new ListPage(objects, List.of(), index + 1 < pages.size() ? Integer.toString(index + 1) : null);
    }

    /**
     * A delimiter listing of the keyspace: the keys under the prefix, each with the delimiter after
     * the prefix rolled up into its common prefix, in order, paged by position.
     */
    private ListPage rolledUp(ListRequest request) {
        List<String> entries = new ArrayList<>();
        for (String key : keyspace) {
            if (!key.startsWith(request.prefix())) {
                continue;
            }
            int at = key.indexOf(request.delimiter(), request.prefix().length());
            String entry = at < 0 ? key : key.substring(0, at + request.delimiter().length());
            // the keys under one common prefix are next to each other in listing order
            if (entries.isEmpty() || !entries.get(entries.size() - 1).equals(entry)) {
                entries.add(entry);
            }
        }
        int from = request.pageToken() == null ? 0 : Integer.parseInt(request.pageToken());
        int to = Math.min(entries.size(), from + request.pageSize());
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : entries.subList(from, to)) {
            if (entry.indexOf(request.delimiter(), request.prefix().length()) >= 0) { // as S3, "a/" itself too
                prefixes.add(entry);
            } else {
                objects.add(object(entry));
            }
        }
        return new ListPage(objects, prefixes, to < entries.size() ? Integer.toString(to) : null);
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public WriteResult put(PutRequest request, Payload payload) {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public void delete(String bucket, String key) {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public void createBucket(String bucket) {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public List<BucketInfo> listBuckets() {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public void deleteBucket(String bucket) {
        throw new UnsupportedOperationException("a scripted listing only lists");
    }

    @Override
    public void close() {}
}
