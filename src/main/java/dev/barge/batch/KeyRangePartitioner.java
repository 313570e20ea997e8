package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.PartitionNameProvider;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Partitions a listing into key ranges from a {@link KeySample}: each partition's
 * execution context holds its {@link KeyRange} ({@link #range}).
 *
 * <p>Always exactly {@code gridSize} partitions, named the same for a grid size: a sample with fewer
 * distinct keys than partitions leaves the last ones empty ({@link #range} {@code null}), which end
 * at once. A restart relies on it: Spring Batch then takes the names from
 * {@link #getPartitionNames} without sampling again and resumes each unfinished partition from its
 * own saved context, so a partition of the first run is never left out nor split anew.
 */
public final class KeyRangePartitioner implements Partitioner, PartitionNameProvider {
    static final String AFTER = "range.after";
    static final String LAST = "range.last";
    static final String EMPTY = "range.empty";

    private final KeySample sampler;

    public KeyRangePartitioner(KeySample sampler) {
        this.sampler = requireNonNull(sampler, "sampler is null");
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        List<KeyRange> ranges = KeyRange.split(sampler.sample(gridSize), gridSize);
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        List<String> names = names(gridSize);
        for (int i = 0; i < gridSize; i++) {
            ExecutionContext context = new ExecutionContext();
            if (i < ranges.size()) {
                KeyRange range = ranges.get(i);
                if (range.after() != null) {
                    context.putString(AFTER, range.after());
                }
                if (range.last() != null) {
                    context.putString(LAST, range.last());
                }
            } else {
                context.putString(EMPTY, "true");
            }
            partitions.put(names.get(i), context);
        }
        return partitions;
    }

    @Override
    public Collection<String> getPartitionNames(int gridSize) {
        return names(gridSize);
    }

    /** The range of a partition, from its execution context; {@code null} for an empty partition. */
    public static KeyRange range(ExecutionContext context) {
        if (context.containsKey(EMPTY)) {
            return null;
        }
        return new KeyRange(context.containsKey(AFTER) ? context.getString(AFTER) : null,
                context.containsKey(LAST) ? context.getString(LAST) : null);
    }

    private static List<String> names(int gridSize) {
        List<String> names = new ArrayList<>(gridSize);
        for (int i = 0; i < gridSize; i++) {
            names.add(String.format("range%03d", i));
        }
        return names;
    }
}
