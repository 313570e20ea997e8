package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.KeyOrder;
import dev.barge.storage.ObjectInfo;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * Walks a source and a target listing side by side, both in key order, and yields each key once
 * with the object found on either side: how sync tools compare millions of objects without a
 * request per object. Keys are compared relative to each listing's prefix.
 *
 * <p>Restart: each side saves its own position; an object only looked at (the next one on one
 * side while the other side catches up) is not saved as read, so nothing is lost on a restart. A
 * side's position is at least the last key handed out ({@link ObjectListingItemReader#markPast}):
 * every key of both sides up to it has been taken, so a side that had none (a target still empty
 * when the run began) does not list again, as keys of its own only, what was copied before.
 */
public final class ListingMergeItemReader implements MarkingItemReader<ObjectPair, ListingMergeItemReader.Mark> {
    private final ObjectListingItemReader source;
    private final String sourcePrefix;
    private final ObjectListingItemReader target;
    private final String targetPrefix;
    /** The key of the last pair handed out, relative to the prefixes; {@code null} before the first. */
    private String lastPair;

    /**
     * @param source the source listing, named differently from the target's
     * @param sourcePrefix the prefix the source listing was made with, stripped from its keys
     * @param target the target listing
     * @param targetPrefix the prefix the target listing was made with
     */
    public ListingMergeItemReader(ObjectListingItemReader source, String sourcePrefix, ObjectListingItemReader target,
            String targetPrefix) {
        this.source = requireNonNull(source, "source is null");
        this.sourcePrefix = requireNonNull(sourcePrefix, "sourcePrefix is null");
        this.target = requireNonNull(target, "target is null");
        this.targetPrefix = requireNonNull(targetPrefix, "targetPrefix is null");
        if (source.getName().equals(target.getName())) {
            throw new IllegalArgumentException("source and target readers need different names to save their positions");
        }
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        lastPair = null;
        source.open(context);
        target.open(context);
    }

    @Override
    public ObjectPair read() {
        ObjectInfo s = source.peek();
        ObjectInfo t = target.peek();
        if (s == null && t == null) {
            return null;
        }
        String sourceKey = s == null ? null : relative(s.key(), sourcePrefix);
        String targetKey = t == null ? null : relative(t.key(), targetPrefix);
        int order = s == null ? 1 : t == null ? -1 : KeyOrder.UTF8.compare(sourceKey, targetKey);
        if (order < 0) {
            lastPair = sourceKey;
            return new ObjectPair(sourceKey, source.read(), null);
        }
        if (order > 0) {
            lastPair = targetKey;
            return new ObjectPair(targetKey, null, target.read());
        }
        lastPair = sourceKey;
        return new ObjectPair(sourceKey, source.read(), target.read());
    }

    /** Both listings' positions after a pair handed out. */
    public record Mark(ObjectListingItemReader.Position source, ObjectListingItemReader.Position target) {}

    @Override
    public Mark mark() {
        if (lastPair == null) {
            return new Mark(source.mark(), target.mark());
        }
        return new Mark(source.markPast(sourcePrefix + lastPair), target.markPast(targetPrefix + lastPair));
    }

    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        save(context, mark());
    }

    @Override
    public void save(ExecutionContext context, Mark mark) {
        source.save(context, mark.source());
        target.save(context, mark.target());
    }

    @Override
    public void close() throws ItemStreamException {
        source.close();
        target.close();
    }

    private static String relative(String key, String prefix) {
        if (!key.startsWith(prefix)) {
            throw new ItemStreamException("the store listed '" + key + "' for the prefix '" + prefix + "'");
        }
        return key.substring(prefix.length());
    }
}
