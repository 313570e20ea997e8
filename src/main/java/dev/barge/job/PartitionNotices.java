package dev.barge.job;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the manager of remote partitions has to tell the user while the job runs, beyond its progress:
 * a partition handed to another worker because its own was lost, or ended because it was lost too
 * often ({@link RemotePartitionHandler}). The command that runs the job listens for the length of the
 * run and prints them where the user looks (the console), where they would otherwise be only in
 * {@code barge.log}. Thread-safe: notices come from the manager's watch thread.
 */
public final class PartitionNotices {
    /** One notice: which job execution it is about, and what to say. */
    public record Notice(long jobExecutionId, String text) {
        public Notice {
            requireNonNull(text, "text is null");
        }
    }

    /** Ends a {@link #listen listener}'s subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final List<Consumer<Notice>> listeners = new CopyOnWriteArrayList<>();

    /** Tells {@code listener} every notice from now until the subscription is closed. */
    public Subscription listen(Consumer<Notice> listener) {
        requireNonNull(listener, "listener is null");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells every listener; a listener that throws does not keep the notice from the others. */
    void tell(long jobExecutionId, String text) {
        Notice notice = new Notice(jobExecutionId, text);
        for (Consumer<Notice> listener : listeners) {
            try {
                listener.accept(notice);
            } catch (RuntimeException e) {
                // a console that cannot print loses the notice; barge.log has it
            }
        }
    }
}
