package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads up to {@code window} items ahead of the step and starts each one's work as it reads it, so
 * that the workers are busy with the next chunk while the current one finishes and commits: a slow
 * object at the end of a chunk no longer leaves the pool idle, and several chunks are in flight.
 *
 * <p>The restart guarantee holds exactly as without it. What {@link #update} saves (at each chunk
 * commit) is the position of the underlying reader just after the last item handed to the step, a
 * {@link MarkingItemReader#mark()} taken when that item was read, never the position of the read
 * ahead. Work started for items not yet handed out is not committed by anyone: a crash or a stop
 * leaves it to the next run, which reads those items again (work that did finish is found done, as
 * after any crash). So a restart redoes at most the chunk being written and the window.
 *
 * <p>The underlying reader is opened, read and closed by this one only (register this one with the
 * step, not the underlying reader). A failure of the underlying reader is raised when the items read
 * before it have been handed out, where the step would have met it without read-ahead.
 *
 * @param <T> what the underlying reader yields
 * @param <M> its positions
 * @param <W> the started work handed to the step's writer
 */
public final class WorkAheadItemReader<T, M, W> implements ItemStreamReader<W> {
    private final MarkingItemReader<T, M> reader;
    private final Function<? super T, ? extends W> start;
    private final Consumer<? super W> abandon;
    private final int window;

    private final Deque<Ahead<W, M>> ahead = new ArrayDeque<>();
    private RuntimeException failure;
    private boolean exhausted;
    private M handedOut;

    private record Ahead<W, M>(W work, M mark) {}

    /**
     * @param reader the items, with their positions
     * @param start starts an item's work and returns it, or returns {@code null} for an item with no work
     *     to hand on; called on the step's thread, in order
     * @param abandon called for work started but never handed out (the step ended before it): to
     *     cancel it
     * @param window how many items may be read and started ahead of the step, at least 1
     */
    public WorkAheadItemReader(MarkingItemReader<T, M> reader, Function<? super T, ? extends W> start,
            Consumer<? super W> abandon, int window) {
        this.reader = requireNonNull(reader, "reader is null");
        this.start = requireNonNull(start, "start is null");
        this.abandon = requireNonNull(abandon, "abandon is null");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1: " + window);
        }
        this.window = window;
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        ahead.clear();
        failure = null;
        exhausted = false;
        reader.open(context);
        handedOut = reader.mark();
    }

    @Override
    public W read() {
        fill();
        Ahead<W, M> next = ahead.poll();
        if (next == null) {
            if (failure != null) {
                RuntimeException e = failure;
                failure = null;
                exhausted = true;
                throw e;
            }
            return null;
        }
        handedOut = next.mark();
        return next.work();
    }

    /** Reads and starts items until the window is full, the reader ends or fails. */
    private void fill() {
        while (ahead.size() < window && !exhausted && failure == null) {
            T item;
            W work;
            try {
                item = reader.read();
                if (item == null) {
                    exhausted = true;
                    return;
                }
                work = start.apply(item);
            } catch (RuntimeException e) {
                failure = e;
                return;
            } catch (Exception e) {
                failure = new ItemStreamException("reading ahead failed", e);
                return;
            }
            if (work != null) {
                ahead.add(new Ahead<>(work, reader.mark()));
            }
        }
    }

    /** Saves the position after the last item handed out, not after the read-ahead. */
    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        reader.save(context, handedOut);
    }

    /** Abandons the work started ahead and never handed out, then closes the underlying reader. */
    @Override
    public void close() throws ItemStreamException {
        Ahead<W, M> left;
        while ((left = ahead.poll()) != null) {
            abandon.accept(left.work());
        }
        reader.close();
    }
}
