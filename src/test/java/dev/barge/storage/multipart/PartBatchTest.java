package dev.barge.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.CompletedPart;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.ObjectStoreLayer;
import dev.barge.storage.local.LocalStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How one upload's parts are awaited and given up ({@link PartBatch}), on the local driver's real
 * multipart uploads. That the abort waits for a part still being sent is shown through the engine
 * ({@code MultipartEngineTest}) and the transfer ({@code ObjectTransferTest}).
 */
class PartBatchTest {
    @TempDir
    Path temp;

    private final ExecutorService executor = Executors.newFixedThreadPool(3);
    private CountingStore store;
    private MultipartUpload upload;

    /** The local store, recording the operations that reach it. */
    private static final class CountingStore extends ObjectStoreLayer {
        final List<Operation> calls = Collections.synchronizedList(new ArrayList<>());
        RuntimeException abortFailure;

        CountingStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        protected <T> T invoke(Call call, Supplier<T> action) {
            calls.add(call.operation());
            if (call.operation() == Operation.MULTIPART_ABORT && abortFailure != null) {
                throw abortFailure;
            }
            return action.get();
        }
    }

    @BeforeEach
    void start() throws IOException {
        ObjectStore local = new LocalStoreProvider().open(RemoteConfig.local("disk", Files.createDirectories(
                temp.resolve("disk"))).withOption("multipart-min-part-size", "1B").withOption("sync", "false"));
        local.createBucket("out");
        store = new CountingStore(local);
        upload = store.initiateMultipart(PutRequest.builder("out", "object").build());
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private CompletedPart part(int number) {
        return store.uploadPart(upload, number, Payload.ofBytes(new byte[] {(byte) number}));
    }

    /**
     * A part that counts {@code sent} down once it has been sent: a part not yet started when the
     * batch is given up never starts, so a test that wants it abandoned after it was sent waits for this.
     */
    private Callable<CompletedPart> part(int number, CountDownLatch sent) {
        return () -> {
            CompletedPart part = part(number);
            sent.countDown();
            return part;
        };
    }

    @Test
    void partsComeBackOldestFirstAndTheAbortHandsBackThoseNobodyTook() throws InterruptedException {
        PartBatch<CompletedPart> batch = new PartBatch<>(executor, store, upload);
        CountDownLatch thirdSent = new CountDownLatch(1);
        StorageException broken = StorageException.builder(ErrorKind.PERMANENT, Operation.MULTIPART_UPLOAD_PART)
                .detail("part 2 is refused").build();
        batch.submit(() -> part(1), () -> { });
        batch.submit(() -> {
            throw broken;
        }, () -> { });
        batch.submit(part(3, thirdSent), () -> { });

        assertThat(batch.awaitOldest().partNumber()).isEqualTo(1);
        assertThatThrownBy(batch::awaitOldest).as("the part's own failure").isSameAs(broken);
        assertThat(batch.inFlight()).as("a failed part stays, for the abort").isEqualTo(2);

        thirdSent.await(); // sent, and nobody took it
        List<CompletedPart> abandoned = new ArrayList<>();
        batch.abort(broken, abandoned::add);
        assertThat(abandoned).extracting(CompletedPart::partNumber).containsExactly(3);
        assertThat(batch.inFlight()).isZero();
        assertThat(store.calls).filteredOn(op -> op == Operation.MULTIPART_ABORT).hasSize(1);
        assertThatThrownBy(() -> store.completeMultipart(upload, List.of())).as("the upload is gone")
                .isInstanceOf(StorageException.class);
    }

    @Test
    void aPartSentOffOnceTheUploadIsGivenUpNeverRuns() {
        PartBatch<CompletedPart> batch = new PartBatch<>(executor, store, upload);
        batch.abort(new IllegalStateException("given up"), part -> { });

        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean handedBack = new AtomicBoolean();
        batch.submit(() -> {
            ran.set(true);
            return part(1);
        }, () -> handedBack.set(true));
        assertThatThrownBy(batch::awaitOldest).isInstanceOf(CancellationException.class);
        assertThat(ran).isFalse();
        assertThat(handedBack).as("notStarted ran in its place").isTrue();
    }

    @Test
    void aPartTheExecutorRefusesHandsItsHoldingsBack() {
        executor.shutdown();
        PartBatch<CompletedPart> batch = new PartBatch<>(executor, store, upload);
        AtomicBoolean handedBack = new AtomicBoolean();
        assertThatThrownBy(() -> batch.submit(() -> part(1), () -> handedBack.set(true)))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(handedBack).isTrue();
        assertThat(batch.inFlight()).isZero();
    }

    @Test
    void anInterruptedThreadStillAbortsAndKeepsItsInterrupt() throws InterruptedException {
        PartBatch<CompletedPart> batch = new PartBatch<>(executor, store, upload);
        CountDownLatch sent = new CountDownLatch(1);
        batch.submit(part(1, sent), () -> { });
        sent.await();
        Thread.currentThread().interrupt();
        List<CompletedPart> abandoned = new ArrayList<>();
        batch.abort(new IllegalStateException("interrupted"), abandoned::add);
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        assertThat(abandoned).extracting(CompletedPart::partNumber).containsExactly(1);
        assertThat(store.calls).contains(Operation.MULTIPART_ABORT);
    }

    @Test
    void anAbortThatFailsIsAddedToTheFailure() {
        store.abortFailure = StorageException.builder(ErrorKind.TRANSIENT, Operation.MULTIPART_ABORT)
                .detail("the store is away").build();
        PartBatch<CompletedPart> batch = new PartBatch<>(executor, store, upload);
        IllegalStateException failure = new IllegalStateException("a part failed");
        batch.abort(failure, part -> { });
        assertThat(failure.getSuppressed()).containsExactly(store.abortFailure);
    }
}
