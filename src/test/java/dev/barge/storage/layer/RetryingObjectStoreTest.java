package dev.barge.storage.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RetryingObjectStoreTest {

    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final List<StorageException> failures = new CopyOnWriteArrayList<>();
    private final RetryingObjectStore.RetryObserver recorder = (call, failure, attempt, delay) -> {
        delays.add(delay);
        failures.add(failure);
    };

    private static RetrySettings fast(int attempts) {
        return new RetrySettings(attempts, Duration.ofMillis(1), 2.0, Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(1));
    }

    @Test
    void stopsAtOnceOnANonRetryableKind() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.NOT_FOUND);
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(5), recorder);

        StorageException e = catchThrowableOfType(StorageException.class, () -> retrying.stat("b", "k"));

        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(store.calls).hasValue(1);
        assertThat(delays).isEmpty();
    }

    @Test
    void retriesARetryableKindWithGrowingDelays() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.TRANSIENT, ErrorKind.THROTTLED, ErrorKind.TRANSIENT);
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(5), recorder);

        assertThat(retrying.stat("b", "k").key()).isEqualTo("k");

        assertThat(store.calls).hasValue(4);
        assertThat(delays).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
        assertThat(failures).extracting(StorageException::kind)
                .containsExactly(ErrorKind.TRANSIENT, ErrorKind.THROTTLED, ErrorKind.TRANSIENT);
    }

    @Test
    void givesUpAfterMaxAttemptsAndMarksTheFailureExhausted() {
        ScriptedStore store = new ScriptedStore().failAlways(ErrorKind.THROTTLED);
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(3), recorder);

        StorageException e = catchThrowableOfType(StorageException.class, () -> retrying.stat("b", "k"));

        assertThat(store.calls).hasValue(3);
        assertThat(e.kind()).isEqualTo(ErrorKind.THROTTLED);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("stat b/k").contains("after 3 attempts");
    }

    @Test
    void aStoreThatNeverAnsweredIsNotRetriedWhenItCannotBeConnectedTo() {
        ScriptedStore store = new ScriptedStore().refuseConnections(5);
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(5), recorder);

        StorageException e = catchThrowableOfType(StorageException.class, () -> retrying.stat("b", "k"));

        assertThat(e.isConnectFailure()).isTrue();
        assertThat(store.calls).as("one connect timeout, not five").hasValue(1);
        assertThat(delays).isEmpty();
    }

    @Test
    void onceTheStoreHasAnsweredAFailedConnectIsRetriedAsABlip() {
        ScriptedStore store = new ScriptedStore();
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(5), recorder);
        retrying.stat("b", "k");
        store.refuseConnections(2);

        assertThat(retrying.stat("b", "k").key()).isEqualTo("k");

        assertThat(store.calls).hasValue(4);
        assertThat(delays).hasSize(2);
    }

    @Test
    void anExhaustedFailureIsNotRetriedAgainHigherUp() {
        ScriptedStore store = new ScriptedStore().failAlways(ErrorKind.TRANSIENT);
        RetryingObjectStore inner = new RetryingObjectStore(store, fast(3), recorder);
        RetryingObjectStore outer = new RetryingObjectStore(inner, fast(3), recorder);

        StorageException e = catchThrowableOfType(StorageException.class, () -> outer.stat("b", "k"));

        assertThat(store.calls).as("3 attempts, not 3 x 3").hasValue(3);
        assertThat(e.attempts()).isEqualTo(3);
    }

    @Test
    void aOneShotPayloadIsNotSentTwice() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.TRANSIENT);
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(5), recorder);
        Payload oneShot = Payload.ofStream(new ByteArrayInputStream(new byte[10]), 10);

        StorageException e = catchThrowableOfType(StorageException.class,
                () -> retrying.put(PutRequest.builder("b", "k").build(), oneShot));

        assertThat(store.calls).hasValue(1);
        assertThat(e.isRetryable()).as("the caller may reopen its source and try again").isTrue();
    }

    @Test
    void aReplayablePayloadIsSentAgain() {
        ScriptedStore store = new ScriptedStore().failNext(ErrorKind.TRANSIENT);
        RetryingObjectStore retrying = new RetryingObjectStore(store, fast(5), recorder);

        retrying.put(PutRequest.builder("b", "k").build(), Payload.ofBytes(new byte[10]));

        assertThat(store.calls).hasValue(2);
    }

    @Test
    void totalTimeIsBounded() {
        ScriptedStore store = new ScriptedStore().failAlways(ErrorKind.TRANSIENT);
        RetrySettings slowButShort = new RetrySettings(100, Duration.ofMillis(20), 2.0, Duration.ofSeconds(10),
                Duration.ZERO, Duration.ofMillis(50));
        RetryingObjectStore retrying = new RetryingObjectStore(store, slowButShort, recorder);

        StorageException e = catchThrowableOfType(StorageException.class, () -> retrying.stat("b", "k"));

        assertThat(store.calls.get()).as("the 40 ms wait after the second attempt would pass 50 ms")
                .isBetween(2, 3);
        assertThat(e.isRetryable()).isFalse();
    }
}
