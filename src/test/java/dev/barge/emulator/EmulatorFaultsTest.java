package dev.barge.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreProvider;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.storage.qiniu.QiniuStoreProvider;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import dev.barge.test.fault.Faults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OSS and Kodo emulators give every fault of the shared API themselves, with no proxy in front:
 * the same {@link Fault}s DriverFaultsTest gives through the FaultProxy, and slow bodies and delays
 * before a fault besides, on listings (Kodo's streamed in chunks), stats, reads and writes. Each
 * must reach the driver as a retryable failure, or as the right answer, or as bytes its reader can
 * tell from the object; and the rule must have fired, so the emulator, not luck, gave it.
 */
class EmulatorFaultsTest {
    private static final OssEmulator OSS = OssEmulator.start("faults-ak", "faults-sk");
    private static final KodoEmulator KODO = KodoEmulator.start("faults-ak", "faults-sk");
    private static final byte[] DATA = new byte[50_000];

    static {
        new Random(7).nextBytes(DATA);
        for (String name : List.of("oss", "kodo")) {
            try (ObjectStore store = open(name)) {
                store.createBucket("faults");
                store.put(PutRequest.builder("faults", "k").build(), Payload.ofBytes(DATA));
            }
        }
    }

    @AfterEach
    void clear() {
        OSS.faults().clear();
        KODO.faults().clear();
    }

    @AfterAll
    static void stop() {
        OSS.close();
        KODO.close();
    }

    /**
     * A store of its own for each case: a connection a fault broke stays in its client's pool, and a
     * request of the next case on it would fail before the emulator saw it.
     */
    private static ObjectStore open(String name) {
        return name.equals("oss") ? open(new OssStoreProvider(), OSS.endpoint())
                : open(new QiniuStoreProvider(), "http://" + KODO.hostAndPort());
    }

    private static ObjectStore open(StoreProvider provider, String endpoint) {
        return provider.open(new RemoteConfig("emulated", provider.type(), endpoint, null,
                new Credentials("faults-ak", Secret.of("faults-sk"), null), false, null, null, 0, null, Map.of()));
    }

    /** One request kind, run to its end: a GET reads its body whole. */
    private record Request(String name, Function<ObjectStore, Object> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a GET gave: its bytes, and the length it announced. */
    private record Read(byte[] bytes, long announced) {}

    static Stream<Arguments> cases() {
        List<Request> requests = List.of(
                new Request("list", s -> s.list(ListRequest.of("faults", ""))),
                new Request("stat", s -> s.stat("faults", "k")),
                new Request("get", s -> {
                    try (ObjectContent content = s.get("faults", "k")) {
                        return new Read(content.body().readAllBytes(), content.length());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }),
                new Request("put", s -> s.put(PutRequest.builder("faults", "written").build(), Payload.ofBytes(DATA))));
        List<Fault> faults = List.of(Fault.throttle(), Fault.error(500, "InternalError"),
                Fault.resetBeforeResponse(), Fault.resetMidBody(), Fault.truncatedBody(), Fault.wrongContentLength(-1),
                Fault.wrongContentLength(7), Fault.slowBody(4 << 20), Fault.delay(Duration.ofMillis(20)),
                Fault.delay(Duration.ofMillis(20), Fault.throttle()));
        List<Arguments> cases = new ArrayList<>();
        for (String store : List.of("oss", "kodo")) {
            for (Request request : requests) {
                for (Fault fault : faults) {
                    cases.add(Arguments.of(store, request, fault));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void everySharedFaultIsGivenByTheEmulatorItself(String storeName, Request request, Fault fault) {
        Faults faults = storeName.equals("oss") ? OSS.faults() : KODO.faults();
        FaultRule rule = faults.next(1, fault);
        Object result;
        try (ObjectStore store = open(storeName)) {
            result = request.call().apply(store);
        } catch (StorageException e) {
            assertThat(e.isRetryable()).as("%s %s under %s: %s", storeName, request, fault, e).isTrue();
            assertThat(rule.fired()).isEqualTo(1);
            return;
        } catch (UncheckedIOException e) {
            assertThat(rule.fired()).isEqualTo(1);
            return; // a body that broke while read: the transfer reads it again
        }
        assertThat(rule.fired()).as("%s %s: the emulator gave %s", storeName, request, fault).isEqualTo(1);
        if (result instanceof Read read && !Arrays.equals(read.bytes(), DATA)) {
            assertThat(read.announced()).as("%s get under %s: wrong bytes under the right length", storeName, fault)
                    .isNotEqualTo(DATA.length);
            assertThat(read.bytes()).hasSize((int) read.announced());
        }
    }

    @Test
    void eachEmulatorThrottlesAndErrsInItsStoresOwnWords() {
        try (ObjectStore oss = open("oss"); ObjectStore kodo = open("kodo")) {
            OSS.faults().next(1, Fault.throttle());
            StorageException ossBusy = catchStorage(() -> oss.stat("faults", "k"));
            KODO.faults().next(1, Fault.throttle());
            StorageException kodoBusy = catchStorage(() -> kodo.stat("faults", "k"));
            OSS.faults().next(1, Fault.delay(Duration.ofMillis(50), Fault.error(403, "AccessDenied", "not for you")));
            StorageException ossDenied = catchStorage(() -> oss.stat("faults", "k"));
            KODO.faults().next(1, Fault.error(579, "callback failed"));
            StorageException kodoCallback = catchStorage(() -> kodo.stat("faults", "k"));

            assertThat(ossBusy.kind()).isEqualTo(ErrorKind.THROTTLED);
            assertThat(ossBusy.vendorCode()).isEqualTo("ServerBusy");
            assertThat(ossBusy.requestId()).isNotBlank();
            assertThat(kodoBusy.kind()).isEqualTo(ErrorKind.THROTTLED);
            assertThat(kodoBusy.vendorCode()).isEqualTo("573");
            assertThat(kodoBusy.requestId()).isNotBlank();
            assertThat(ossDenied.kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
            assertThat(ossDenied.vendorCode()).isEqualTo("AccessDenied");
            assertThat(kodoCallback.vendorCode()).isEqualTo("579");
            assertThat(oss.stat("faults", "k").size()).isEqualTo(DATA.length);
            assertThat(kodo.stat("faults", "k").size()).isEqualTo(DATA.length);
        }
    }

    private static StorageException catchStorage(Runnable call) {
        try {
            call.run();
        } catch (StorageException e) {
            return e;
        }
        throw new AssertionError("no StorageException");
    }
}
