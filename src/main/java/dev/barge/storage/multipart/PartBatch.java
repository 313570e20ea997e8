package dev.barge.storage.multipart;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The parts of one multipart upload in flight, oldest first, and how they are given up: the one
 * place that knows how a part that fails for good, or an interruption, ends an upload. Used by the
 * {@link MultipartEngine} for puts and copies in parts, and by the transfer that reads an object's
 * parts from another store.
 *
 * <p>Giving up ({@link #abort}) stops the parts not yet started, waits for those being sent (a part
 * still in flight would land after the abort, and some stores then keep it: storage nobody can see
 * or delete), and only then aborts the upload, so that no upload Barge could abort is left behind.
 * It waits rather than {@code Future.cancel}: a cancelled task counts as done while its request is
 * still being sent.
 *
 * <p>Not thread-safe: one thread submits, awaits and aborts; the parts run on the executor.
 *
 * @param <T> what a part yields once sent
 */
public final class PartBatch<T> {
    private final ExecutorService executor;
    private final ObjectStore parts;
    private final MultipartUpload upload;
    private final Deque<Future<T>> inFlight = new ArrayDeque<>();
    /** Set when the upload is given up: parts not yet started are not sent. */
    private volatile boolean stopped;

    /**
     * @param executor runs the parts; must not be the executor of the thread that awaits them
     * @param parts the store the upload is aborted on
     */
    public PartBatch(ExecutorService executor, ObjectStore parts, MultipartUpload upload) {
        this.executor = requireNonNull(executor, "executor is null");
        this.parts = requireNonNull(parts, "parts is null");
        this.upload = requireNonNull(upload, "upload is null");
    }

    /**
     * Sends a part off. {@code notStarted} runs instead of the part when it never starts: the upload
     * was given up first, or the executor refused it (then this throws its exception). A part that
     * starts owns whatever it holds, and hands it back itself however it ends.
     */
    public void submit(Callable<T> part, Runnable notStarted) {
        requireNonNull(part, "part is null");
        requireNonNull(notStarted, "notStarted is null");
        try {
            inFlight.add(executor.submit(() -> {
                if (stopped) {
                    notStarted.run();
                    throw new CancellationException("the upload is being aborted");
                }
                return part.call();
            }));
        } catch (RuntimeException e) {
            notStarted.run();
            throw e;
        }
    }

    /** Parts sent off and not yet taken back with {@link #awaitOldest}. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * What the oldest part in flight yielded, once it is done; it is then no longer in flight. A
     * part that failed stays in flight, for {@link #abort}, and its failure is thrown: a
     * {@link StorageException} as the part threw it.
     *
     * @throws java.util.NoSuchElementException when no part is in flight
     */
    public T awaitOldest() {
        Future<T> oldest = inFlight.element();
        T result;
        try {
            result = oldest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.builder(ErrorKind.PERMANENT, Operation.MULTIPART_UPLOAD_PART)
                    .bucket(upload.bucket()).key(upload.key())
                    .detail("interrupted while sending parts; the upload is aborted").cause(e).build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a part failed", cause);
        }
        inFlight.remove();
        return result;
    }

    /**
     * Gives the upload up: stops the parts not started, waits for those being sent, hands what each
     * sent part yielded to {@code abandoned} (to release what it holds), then aborts the upload. The
     * abort is sent even when the thread was interrupted; the interrupt is kept for the caller. A
     * failure of the abort is added to {@code failure} as a suppressed exception.
     */
    public void abort(Throwable failure, Consumer<? super T> abandoned) {
        requireNonNull(failure, "failure is null");
        requireNonNull(abandoned, "abandoned is null");
        stopped = true;
        boolean interrupted = Thread.interrupted();
        for (Future<T> part : inFlight) {
            while (true) {
                try {
                    abandoned.accept(part.get());
                    break;
                } catch (ExecutionException | CancellationException e) {
                    break; // reported through the first failure, if at all
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        inFlight.clear();
        try {
            parts.abortMultipart(upload);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
