package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;

/**
 * Reads every object under a prefix, one listing page at a time, in the store's key order.
 * Memory holds one page, never the bucket.
 *
 * <p>Restart: on each {@link #update} (each chunk commit) it saves where it is, and
 * {@link #open} resumes there. Where the store lists from a key
 * ({@link dev.barge.storage.Capabilities#listStartAfter()}) the saved state is the last key
 * handed out, as {@code JdbcPagingItemReader} saves its {@code start.after}; otherwise it is the
 * token of the page being read and the last key handed out, and the restart skips that page's
 * objects up to that key. Never a count: a bucket that changed between runs (objects deleted
 * behind the reader, by a delete job say) cannot shift the position.
 *
 * <p>Order: each key must be strictly greater, in {@link KeyOrder#UTF8}, than the one listed
 * before it (and than the key a restart resumes after). A page that breaks the order is refused
 * as a whole with a {@link ListingOrderException} before any of its objects is handed out, since
 * whoever compares this listing with another relies on the order.
 *
 * <p>Read-ahead: with an executor ({@link ObjectListingItemReaderBuilder#readAhead}) the next page
 * is requested as soon as a page arrives, so that the step thread finds it there instead of waiting
 * for the store. Only the request runs ahead: order checks, counts and the saved position still
 * follow what is handed out, and a failed request surfaces when its page is needed.
 *
 * <p>Range: with a {@link KeyRange} ({@link ObjectListingItemReaderBuilder#range}) it reads only the
 * keys of that range, a partition of the listing: it lists from the range's start with start-after
 * where the store can (else it lists from the beginning and passes over the keys before the range),
 * and ends at the first key past the range's last, requesting nothing after that page.
 */
public final class ObjectListingItemReader extends ItemStreamSupport
        implements MarkingItemReader<ObjectInfo, ObjectListingItemReader.Position> {
    static final String START_AFTER = "start.after";
    static final String PAGE_TOKEN = "page.token";
    static final String PAGE_OFFSET = "page.offset";

    private final ObjectStore store;
    private final String remote;
    private final String bucket;
    private final String prefix;
    private final int pageSize;
    private final ListingProgress progress;
    private final boolean saveState;
    private final boolean byKey;
    private final Executor readAhead;
    /** The keys to read, full keys (the prefix included). */
    private final KeyRange range;

    private List<ObjectInfo> page = List.of();
    private int offset;
    private String pageToken;
    private String nextPageToken;
    private boolean lastPage;
    private String lastKey;
    /** The last key of the listing so far, handed out or not: what the next page must start after. */
    private String lastListed;
    private boolean opened;
    /** The next page, requested ahead; {@code null} when not requested. */
    private CompletableFuture<ListPage> next;

    ObjectListingItemReader(String name, ObjectStore store, String remote, String bucket, String prefix, int pageSize,
            boolean saveState, ListingProgress progress, Executor readAhead, KeyRange range) {
        setName(requireNonNull(name, "name is null"));
        this.store = requireNonNull(store, "store is null");
        this.remote = requireNonNull(remote, "remote is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.pageSize = pageSize;
        this.saveState = saveState;
        this.progress = progress;
        this.readAhead = readAhead;
        this.byKey = store.capabilities().listStartAfter();
        this.range = requireNonNull(range, "range is null");
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        page = List.of();
        offset = 0;
        pageToken = null;
        nextPageToken = null;
        lastPage = false;
        lastKey = null;
        lastListed = null;
        if (byKey && context.containsKey(getExecutionContextKey(START_AFTER))) {
            lastKey = context.getString(getExecutionContextKey(START_AFTER));
            lastListed = lastKey;
            fetch(request().withStartAfter(lastKey));
        } else if (!byKey && context.containsKey(getExecutionContextKey(PAGE_OFFSET))) {
            String token = context.containsKey(getExecutionContextKey(PAGE_TOKEN))
                    ? context.getString(getExecutionContextKey(PAGE_TOKEN)) : null;
            fetch(token == null ? request() : request().withPageToken(token));
            if (context.containsKey(getExecutionContextKey(START_AFTER))) {
                // past the last key handed out, not a count: objects deleted since (by a delete job,
                // say) would shift a count and skip objects never handed out
                String after = context.getString(getExecutionContextKey(START_AFTER));
                while (offset < page.size() && !KeyOrder.before(after, page.get(offset).key())) {
                    offset++;
                }
            } else {
                offset = Math.min(context.getInt(getExecutionContextKey(PAGE_OFFSET)), page.size());
            }
            if (offset > 0) {
                lastKey = page.get(offset - 1).key();
                if (progress != null) {
                    progress.resumedPast(page.subList(0, offset));
                }
            }
        } else if (byKey && range.after() != null) {
            lastListed = range.after();
            fetch(request().withStartAfter(range.after()));
        } else {
            fetch(request());
        }
        opened = true;
    }

    @Override
    public ObjectInfo read() {
        ObjectInfo next = peek();
        if (next != null) {
            offset++;
            lastKey = next.key();
        }
        return next;
    }

    /**
     * The object {@link #read()} will return next, without consuming it: a restart after
     * {@link #update} resumes at or before it. {@code null} at the end.
     */
    public ObjectInfo peek() {
        if (!opened) {
            throw new ItemStreamException("reader '" + getName() + "' was not opened");
        }
        while (offset == page.size()) {
            if (lastPage) {
                return null;
            }
            ListPage listed = next != null ? await(next) : store.list(request().withPageToken(nextPageToken));
            next = null;
            received(request().withPageToken(nextPageToken), listed);
        }
        return page.get(offset);
    }

    /**
     * Where the listing stands after an object handed out: its key, and the token of its page and
     * how many of that page were handed out (for stores that cannot list from a key).
     * {@code lastKey} is {@code null} before the first object.
     */
    public record Position(String lastKey, String pageToken, int offset) {}

    @Override
    public Position mark() {
        return new Position(lastKey, pageToken, offset);
    }

    /**
     * {@link #mark()}, or, for a listing from a key that has handed out nothing at or past
     * {@code key}, the position just past {@code key}: what a merge of two sorted listings that has
     * handed out {@code key} saves, having taken every key of both up to it. A side that had nothing
     * to hand out (an empty target) then resumes past what was done, rather than from its start,
     * where it would meet the objects copied before the restart as keys of its own.
     */
    public Position markPast(String key) {
        Position own = mark();
        if (!byKey || key == null || own.lastKey() != null && !KeyOrder.before(own.lastKey(), key)) {
            return own;
        }
        return new Position(key, own.pageToken(), own.offset());
    }

    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        save(context, mark());
    }

    @Override
    public void save(ExecutionContext context, Position position) {
        if (!saveState || position.lastKey() == null) {
            return;
        }
        if (byKey) {
            context.putString(getExecutionContextKey(START_AFTER), position.lastKey());
        } else {
            if (position.pageToken() != null) {
                context.putString(getExecutionContextKey(PAGE_TOKEN), position.pageToken());
            } else {
                context.remove(getExecutionContextKey(PAGE_TOKEN));
            }
            context.putInt(getExecutionContextKey(PAGE_OFFSET), position.offset());
            context.putString(getExecutionContextKey(START_AFTER), position.lastKey());
        }
    }

    @Override
    public void close() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        page = List.of();
        opened = false;
    }

    private ListRequest request() {
        return ListRequest.of(bucket, prefix).withPageSize(pageSize);
    }

    private void fetch(ListRequest request) {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        received(request, store.list(request));
    }

    private void received(ListRequest request, ListPage listed) {
        checkOrder(listed.objects());
        List<ObjectInfo> objects = listed.objects();
        int from = 0;
        int to = objects.size();
        if (range.after() != null) {
            while (from < to && !KeyOrder.before(range.after(), objects.get(from).key())) {
                from++;
            }
        }
        if (range.last() != null) {
            while (to > from && KeyOrder.before(range.last(), objects.get(to - 1).key())) {
                to--;
            }
        }
        boolean pastTheRange = to < objects.size();
        page = from == 0 && to == objects.size() ? objects : objects.subList(from, to);
        offset = 0;
        pageToken = request.pageToken();
        nextPageToken = listed.nextPageToken();
        lastPage = !listed.truncated() || pastTheRange;
        if (progress != null) {
            progress.listed(page);
            if (lastPage) {
                progress.completed();
            }
        }
        if (readAhead != null && !lastPage) {
            ListRequest following = request().withPageToken(nextPageToken);
            next = CompletableFuture.supplyAsync(() -> store.list(following), readAhead);
        }
    }

    /** The page requested ahead, or the failure of its request as the store raised it. */
    private static ListPage await(CompletableFuture<ListPage> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void checkOrder(List<ObjectInfo> objects) {
        String previous = lastListed;
        for (ObjectInfo object : objects) {
            if (previous != null && !KeyOrder.before(previous, object.key())) {
                throw new ListingOrderException(remote, bucket, previous, object.key());
            }
            previous = object.key();
        }
        lastListed = previous;
    }
}
