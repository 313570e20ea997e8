package dev.barge.batch;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * A reader whose position after any read can be taken and saved later: what lets items be read
 * ahead of the chunk that commits, while the restart state still names only what was committed
 * ({@link WorkAheadItemReader}).
 *
 * @param <T> the items read
 * @param <M> a position: immutable, cheap to take after every read
 */
public interface MarkingItemReader<T, M> extends ItemStreamReader<T> {

    /** The position after the last item read: a restart from it resumes with the item after that one. */
    M mark();

    /**
     * Saves {@code mark} in {@code context} as the position to resume from, as {@link #update} saves
     * the current one.
     */
    void save(ExecutionContext context, M mark);

    /** Saves the current position. */
    @Override
    default void update(ExecutionContext context) {
        save(context, mark());
    }
}
