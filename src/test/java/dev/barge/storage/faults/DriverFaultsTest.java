package dev.barge.storage.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.Credentials;
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
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.storage.s3.S3StoreProvider;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every driver, every request kind, every fault of the {@link FaultProxy}, with no retry layer
 * above the driver: each fault must surface as a failure the retry layer retries (a retryable
 * {@link StorageException}, or an {@link IOException} from a body being read), never as success
 * with wrong bytes and never as a permanent failure that would record a good object as failed.
 */
class DriverFaultsTest {
    private static final S3ProxyServer S3 = S3ProxyServer.inMemoryForTests();
    private static final OssEmulator OSS = OssEmulator.start("faults-ak", "faults-sk");
    private static final KodoEmulator KODO = KodoEmulator.start("faults-ak", "faults-sk");
    private static final byte[] DATA = new byte[50_000];
    private static FaultProxy s3Proxy;
    private static FaultProxy ossProxy;
    private static FaultProxy kodoProxy;
    private static ObjectStore s3;
    private static ObjectStore oss;
    private static ObjectStore kodo;

    @BeforeAll
    static void start() {
        new Random(5).nextBytes(DATA);
        s3Proxy = FaultProxy.inFrontOf(S3.endpoint(), FaultProxy.Protocol.S3);
        ossProxy = FaultProxy.inFrontOf(OSS.endpoint(), FaultProxy.Protocol.OSS);
        kodoProxy = FaultProxy.inFrontOf("http://" + KODO.hostAndPort(), FaultProxy.Protocol.KODO);
        s3 = open(new S3StoreProvider(), s3Proxy.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true);
        oss = open(new OssStoreProvider(), ossProxy.endpoint(), "faults-ak", "faults-sk", false);
        kodo = open(new QiniuStoreProvider(), kodoProxy.endpoint(), "faults-ak", "faults-sk", false);
        // The bucket and the object are made around the proxies, straight at the stores: the Qiniu SDK
        // sends mkbucketv3 with a Host header without the port it signed, which the Kodo emulator makes
        // up with its own port; behind a proxy that port is the proxy's, which the emulator cannot know.
        for (ObjectStore store : List.of(
                open(new S3StoreProvider(), S3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true),
                open(new OssStoreProvider(), OSS.endpoint(), "faults-ak", "faults-sk", false),
                open(new QiniuStoreProvider(), "http://" + KODO.hostAndPort(), "faults-ak", "faults-sk", false))) {
            store.createBucket("faults");
            store.put(PutRequest.builder("faults", "k").build(), Payload.ofBytes(DATA));
            store.close();
        }
    }

    @AfterEach
    void clear() {
        for (FaultProxy proxy : List.of(s3Proxy, ossProxy, kodoProxy)) {
            proxy.faults().clear();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (ObjectStore store : List.of(s3, oss, kodo)) {
            store.close();
        }
        for (FaultProxy proxy : List.of(s3Proxy, ossProxy, kodoProxy)) {
            proxy.close();
        }
        S3.close();
        OSS.close();
        KODO.close();
    }

    private static ObjectStore open(StoreProvider provider, String endpoint, String key, String secret,
            boolean pathStyle) {
        return provider.open(new RemoteConfig("faulty", provider.type(), endpoint, "us-east-1",
                new Credentials(key, Secret.of(secret), null), pathStyle, null, null, 0, null, Map.of()));
    }

    /** One request kind, run to its end: a GET reads its body whole and returns the bytes. */
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
                        throw new java.io.UncheckedIOException(e);
                    }
                }),
                new Request("put", s -> s.put(PutRequest.builder("faults", "written").build(),
                        Payload.ofBytes(DATA))));
        List<Fault> faults = List.of(Fault.throttle(), Fault.error(500, "InternalError"), Fault.error(503, "ServiceUnavailable"),
                Fault.resetBeforeResponse(), Fault.resetMidBody(), Fault.truncatedBody(), Fault.wrongContentLength(-1),
                Fault.wrongContentLength(7));
        List<Arguments> cases = new ArrayList<>();
        for (String store : List.of("s3", "oss", "kodo")) {
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
    void aFaultIsARetryableFailureOrTheRightAnswerNeverAWrongOne(String storeName, Request request, Fault fault) {
        ObjectStore store = switch (storeName) {
            case "s3" -> s3;
            case "oss" -> oss;
            default -> kodo;
        };
        FaultProxy proxy = switch (storeName) {
            case "s3" -> s3Proxy;
            case "oss" -> ossProxy;
            default -> kodoProxy;
        };
        proxy.faults().next(1, fault);
        Object result;
        try {
            result = request.call().apply(store);
        } catch (StorageException e) {
            assertThat(e.isRetryable()).as("%s %s under %s: %s", storeName, request, fault, e).isTrue();
            return;
        } catch (java.io.UncheckedIOException e) {
            return; // a body that broke while read: the transfer reads it again
        } catch (RuntimeException e) {
            throw new AssertionError(storeName + " " + request + " under " + fault + " escaped as " + e, e);
        }
        // No failure: then a GET returned the object, or bytes its reader can tell from it. A store that
        // announces a shorter length is believed by every HTTP client; the reader compares the length
        // announced with the size it listed (ObjectTransfer.readExactly, cat and cp likewise), and the
        // bytes with the checksums, so the prefix is never taken for the object.
        if (result instanceof Read read && !Arrays.equals(read.bytes(), DATA)) {
            assertThat(read.announced()).as("%s get under %s: wrong bytes under the right length", storeName, fault)
                    .isNotEqualTo(DATA.length);
            assertThat(read.bytes()).hasSize((int) read.announced());
        }
    }
}
