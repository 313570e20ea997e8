package dev.barge.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The budget and reuse of {@link PartBuffers}: pure logic, threads only where a caller must wait. */
class PartBuffersTest {
    private final ExecutorService others = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        others.shutdownNow();
    }

    @Test
    void aBufferHandedBackIsHandedOutAgainRatherThanAllocated() throws InterruptedException {
        PartBuffers buffers = new PartBuffers(100);
        byte[] first = buffers.take(40);
        buffers.release(first);

        assertThat(buffers.take(40)).isSameAs(first);
        assertThat(buffers.inUse()).isEqualTo(40);
    }

    @Test
    void beyondTheBudgetTryTakeSaysNoAndTakesNothing() throws InterruptedException {
        PartBuffers buffers = new PartBuffers(100);
        buffers.take(60);

        assertThat(buffers.tryTake(60)).isNull();
        assertThat(buffers.inUse()).isEqualTo(60);
        assertThat(buffers.tryTake(40)).hasSize(40);
    }

    @Test
    void takeWaitsUntilABufferIsHandedBack() throws Exception {
        PartBuffers buffers = new PartBuffers(100);
        byte[] held = buffers.take(60);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<byte[]> second = others.submit(() -> {
            waiter.set(Thread.currentThread());
            return buffers.take(60);
        });
        awaitWaiting(waiter);
        assertThat(second).isNotDone();

        buffers.release(held);

        assertThat(second.get(30, TimeUnit.SECONDS)).isSameAs(held);
    }

    @Test
    void freeBuffersOfAnotherSizeAreLetGoToMakeRoom() throws InterruptedException {
        PartBuffers buffers = new PartBuffers(100);
        buffers.release(buffers.take(70));

        byte[] other = buffers.tryTake(50);

        assertThat(other).hasSize(50);
        assertThat(buffers.inUse()).isEqualTo(50);
        assertThat(buffers.tryTake(50)).hasSize(50); // the 70 bytes were let go, not kept beside
    }

    @Test
    void oneRequestLargerThanTheBudgetIsGrantedWhenNothingElseIsInUse() throws InterruptedException {
        PartBuffers buffers = new PartBuffers(100);

        byte[] huge = buffers.take(150);
        assertThat(huge).hasSize(150);
        assertThat(buffers.tryTake(1)).isNull();

        buffers.release(huge);
        assertThat(buffers.inUse()).isZero();
        assertThat(buffers.tryTake(100)).hasSize(100); // the oversize buffer was not kept
    }

    @Test
    void aThreadHoldingAReservationIsNeverMadeToWait() throws Exception {
        PartBuffers buffers = new PartBuffers(100);
        try (PartBuffers.Reservation object = buffers.reserve(90)) {
            // this thread holds bytes only it hands back: a wait here could never end if the budget
            // were spent by others doing the same, so what it asks for is granted over the budget
            assertThat(buffers.take(50)).hasSize(50);
            assertThat(buffers.tryTake(50)).hasSize(50);
            assertThat(buffers.inUse()).isEqualTo(190);
            assertThat(others.submit(() -> buffers.tryTake(1)).get(30, TimeUnit.SECONDS)).isNull();
        }
        assertThat(buffers.inUse()).isEqualTo(100);
    }

    @Test
    void aReservationWaitsForRoomAndIsHandedBackOnce() throws Exception {
        PartBuffers buffers = new PartBuffers(100);
        byte[] held = buffers.take(80);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Long> reserved = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            try (PartBuffers.Reservation r = buffers.reserve(50)) {
                long during = buffers.inUse();
                r.close();
                return during;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, others);
        awaitWaiting(waiter);
        assertThat(reserved).isNotDone();

        buffers.release(held);

        assertThat(reserved.get(30, TimeUnit.SECONDS)).isEqualTo(50);
        assertThat(buffers.inUse()).isZero();
    }

    @Test
    void aNegativeReservationIsRefused() {
        assertThatThrownBy(() -> new PartBuffers(100).reserve(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartBuffers(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSharedBudgetIsHalfTheHeapAndNeverBelowFourParts() {
        assertThat(PartBuffers.sharedBudget(1L << 30)).isEqualTo(512L << 20);
        assertThat(PartBuffers.sharedBudget(32L << 20)).isEqualTo(PartBuffers.MIN_SHARED_BUDGET);
    }

    /** Until the thread in {@code holder} (once it has started) parks, waiting for the budget. */
    private static void awaitWaiting(AtomicReference<Thread> holder) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (holder.get() == null || holder.get().getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the other thread did not start waiting within 30 s");
            }
            Thread.onSpinWait();
        }
    }
}
