package dev.barge.storage.layer;

import dev.barge.storage.KeyOrder;
import dev.barge.storage.ListPage;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers a recursive listing (no delimiter) by walking the tree a directory at a time with
 * delimiter listings, as rclone lists by default, instead of asking the store for one flat listing.
 *
 * <p>For stores whose flat listing costs the server the whole bucket on every page (S3Proxy and
 * other stores on a file system walk the tree again for each page: O(bucket) per page), a walk costs
 * each directory once. Measured on S3Proxy's filesystem-nio2 with 10,000 objects in 50 directories:
 * 1.3 s of server CPU flat, 0.2 s walked. On AWS S3 a flat listing is cheaper (fewer requests), so
 * this is the {@code listing: walk} option of a remote, not the default.
 *
 * <p>The answer is the one a flat listing gives: the objects under the prefix in ascending key
 * order, {@code pageSize} at a time. Objects and subdirectories of one directory are merged in
 * {@link KeyOrder#UTF8}; since a directory prefix ends with {@code /}, every key under it sorts
 * between the entries before and after the prefix, so descending at that point keeps the order.
 * The page token is the last key returned, so a page, or a restart with {@code startAfter}, resumes
 * from a key alone: the directories above it are listed from where the key lies in them, and the
 * subdirectory just finished, which a listing after it names again, is passed over.
 *
 * <p>It needs {@code startAfter} from the store; without it, requests go through unchanged.
 */
public final class WalkingListing extends ObjectStoreLayer {
    private static final String DELIMITER = "/";

    public WalkingListing(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    protected <T> T invoke(Call call, Supplier<T> action) {
        return action.get();
    }

    @Override
    public ListPage list(ListRequest request) {
        if (request.delimiter() != null || !delegate.capabilities().listStartAfter()) {
            return delegate.list(request);
        }
        String after = request.startAfter() != null ? request.startAfter() : request.pageToken();
        Deque<Directory> stack = resumeAt(request.prefix(), after);
        List<ObjectInfo> objects = new ArrayList<>(request.pageSize());
        String last = after;
        while (!stack.isEmpty()) {
            Directory dir = stack.peek();
            ListPage page = delegate.list(ListRequest.of(request.bucket(), dir.prefix).withDelimiter(DELIMITER)
                    .withStartAfter(dir.after).withPageSize(ListRequest.MAX_PAGE_SIZE));
            String descendInto = null;
            for (Entry entry : merged(page, dir.after)) {
                if (entry.object() == null) {
                    descendInto = entry.name();
                    break;
                }
                objects.add(entry.object());
                last = entry.name();
                if (objects.size() == request.pageSize()) {
                    return new ListPage(objects, List.of(), last);
                }
            }
            if (descendInto != null) {
                dir.after = descendInto; // back here, go on after that subdirectory
                stack.push(new Directory(descendInto, null));
            } else if (page.truncated()) {
                String next = lastOf(page);
                if (next == null || (dir.after != null && !KeyOrder.before(dir.after, next))) {
                    throw new IllegalStateException("listing " + dir.prefix + " after " + dir.after
                            + " answered nothing after it but said more follows");
                }
                dir.after = next;
            } else {
                stack.pop();
            }
        }
        return new ListPage(objects, List.of(), null);
    }

    /** The greatest name on a page, object or subdirectory: where the next page of it starts. */
    private static String lastOf(ListPage page) {
        String object = page.objects().isEmpty() ? null : page.objects().get(page.objects().size() - 1).key();
        String prefix = page.commonPrefixes().isEmpty() ? null
                : page.commonPrefixes().get(page.commonPrefixes().size() - 1);
        if (object == null || prefix == null) {
            return object != null ? object : prefix;
        }
        return KeyOrder.before(object, prefix) ? prefix : object;
    }

    /** One directory being walked, and the last entry of it already dealt with (or {@code null}). */
    private static final class Directory {
        final String prefix;
        String after;

        Directory(String prefix, String after) {
            this.prefix = prefix;
            this.after = after;
        }
    }

    /** An object, or a subdirectory ({@code object} null) to descend into. */
    private record Entry(String name, ObjectInfo object) {}

    /**
     * The directories to walk to resume after {@code key}: the one holding it, listed after it, on
     * top; above it each parent, listed after the subdirectory that holds the key.
     */
    private static Deque<Directory> resumeAt(String prefix, String key) {
        Deque<Directory> stack = new ArrayDeque<>();
        if (key == null || !key.startsWith(prefix)) {
            stack.push(new Directory(prefix, key == null || KeyOrder.before(key, prefix) ? null : key));
            return stack;
        }
        String dir = prefix;
        int from = prefix.length();
        for (int slash = key.indexOf('/', from); slash >= 0; slash = key.indexOf('/', slash + 1)) {
            String sub = key.substring(0, slash + 1);
            stack.push(new Directory(dir, sub));
            dir = sub;
        }
        stack.push(new Directory(dir, key));
        return stack;
    }

    /**
     * The page's objects and subdirectories in key order, without the subdirectory {@code after}
     * names (a listing after a directory prefix names that directory again: its keys sort after it).
     */
    private static List<Entry> merged(ListPage page, String after) {
        List<Entry> entries = new ArrayList<>(page.size());
        List<ObjectInfo> objects = page.objects();
        List<String> prefixes = page.commonPrefixes();
        int o = 0;
        int p = 0;
        while (o < objects.size() || p < prefixes.size()) {
            if (p < prefixes.size() && prefixes.get(p).equals(after)) {
                p++;
                continue;
            }
            boolean object = p == prefixes.size()
                    || (o < objects.size() && KeyOrder.before(objects.get(o).key(), prefixes.get(p)));
            if (object) {
                ObjectInfo info = objects.get(o++);
                entries.add(new Entry(info.key(), info));
            } else {
                entries.add(new Entry(prefixes.get(p++), null));
            }
        }
        return entries;
    }
}
