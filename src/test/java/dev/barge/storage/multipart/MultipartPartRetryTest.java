package dev.barge.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.CopyRequest;
import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.RetrySettings;
import dev.barge.storage.layer.StoreLayers;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.storage.s3.S3StoreProvider;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRequest;
import dev.barge.test.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared multipart engine against a real server (S3Proxy) behind the {@link FaultProxy}, through
 * the store's layers as Barge stacks them: a connection reset in the middle of one part is that
 * part's failure alone. The retry layer sends that part again, the other parts go once, and the
 * object is whole; a part refused for good aborts the upload. Every request is counted at the proxy.
 */
class MultipartPartRetryTest {
    private static final int MIB = 1 << 20;
    /** S3's smallest part: three parts of it and a bit, so that part 2 is a middle part. */
    private static final int PART = 5 * MIB;
    private static final byte[] DATA = new byte[2 * PART + MIB + 17];
    private static final Pattern PART_NUMBER = Pattern.compile("[?&]partNumber=(\\d+)");

    private static final S3ProxyServer SERVER = S3ProxyServer.inMemoryForTests();
    private static FaultProxy proxy;
    private static ObjectStore store;
    private static final List<FaultRequest> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        new Random(11).nextBytes(DATA);
        proxy = FaultProxy.inFrontOf(SERVER.endpoint(), FaultProxy.Protocol.S3);
        RemoteConfig config = new RemoteConfig("parts", S3StoreProvider.TYPE, proxy.endpoint(), "us-east-1",
                new Credentials(S3ProxyServer.ACCESS_KEY, Secret.of(S3ProxyServer.SECRET_KEY), null), true,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 16, null, Map.of(
                        "multipart-upload-part-size", Integer.toString(PART),
                        "multipart-upload-concurrency", "3",
                        "multipart-copy-threshold", Integer.toString(PART),
                        "multipart-copy-part-size", Integer.toString(PART),
                        "multipart-copy-concurrency", "3"));
        RetrySettings fast = new RetrySettings(4, Duration.ofMillis(10), 2.0, Duration.ofMillis(100), Duration.ZERO,
                Duration.ofSeconds(30));
        store = StoreLayers.builder("parts").retry(fast).build().wrap(new S3StoreProvider().open(config));
        store.createBucket("parts");
    }

    @BeforeEach
    void countRequests() {
        proxy.faults().clear();
        seen.clear();
        // first of the rules, never firing: sees every request
        proxy.faults().add(FaultRule.builder().matching(r -> {
            seen.add(r);
            return false;
        }).fault(Fault.throttle()).build());
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        proxy.close();
        SERVER.close();
    }

    @Test
    void aResetInTheMiddleOfOnePartOfAStreamedPutSendsThatPartAgainAndNoOther() throws IOException {
        FaultRule reset = proxy.faults().add(uploadPart(2).fault(Fault.resetBeforeResponse()).build());

        store.put(PutRequest.builder("parts", "streamed").build(),
                Payload.ofStream(new ByteArrayInputStream(DATA), Payload.UNKNOWN_LENGTH));

        assertThat(reset.fired()).isEqualTo(1);
        assertThat(read("streamed")).isEqualTo(DATA);
        assertThat(partRequests()).as("parts sent, by number: part 2 twice, the others once")
                .containsExactlyInAnyOrder(1, 2, 2, 3);
        assertThat(count("POST", "uploads")).as("one initiate").isEqualTo(1);
        assertThat(count("POST", "uploadId")).as("one complete").isEqualTo(1);
        assertThat(count("DELETE", "uploadId")).as("no abort").isZero();
    }

    @Test
    void aResetInTheMiddleOfOnePartCopyCopiesThatPartAgainAndNoOther() throws IOException {
        store.put(PutRequest.builder("parts", "source").build(), Payload.ofBytes(DATA));
        ObjectInfo listed = store.stat("parts", "source");
        seen.clear();
        FaultRule reset = proxy.faults().add(uploadPart(2).fault(Fault.resetBeforeResponse()).build());

        store.copy(CopyRequest.of("parts", "source", "parts", "copied").withListedSource(listed));

        assertThat(reset.fired()).isEqualTo(1);
        assertThat(read("copied")).isEqualTo(DATA);
        assertThat(partRequests()).as("part copies sent, by number").containsExactlyInAnyOrder(1, 2, 2, 3);
        assertThat(count("POST", "uploads")).isEqualTo(1);
        assertThat(count("POST", "uploadId")).isEqualTo(1);
        assertThat(count("DELETE", "uploadId")).isZero();
        assertThat(count("PUT", null)).as("no bytes through Barge: only part copies were PUT").isEqualTo(4);
    }

    @Test
    void aResetInOnePartOfAChangeOfClassCopiesThatPartAgainAndNoOther() throws IOException {
        // a change of class is a copy of the object onto itself: in parts above the copy threshold,
        // which pass the layers one by one as a copy's do
        store.put(PutRequest.builder("parts", "archived").build(), Payload.ofBytes(DATA));
        seen.clear();
        FaultRule reset = proxy.faults().add(uploadPart(2).fault(Fault.resetBeforeResponse()).build());

        store.setStorageClass("parts", "archived", StorageClass.of(StorageClass.Family.INFREQUENT));

        assertThat(reset.fired()).isEqualTo(1);
        assertThat(read("archived")).isEqualTo(DATA);
        // (S3Proxy keeps no class given to a multipart upload; S3ProtocolTest checks that it is sent)
        assertThat(partRequests()).as("part copies sent, by number").containsExactlyInAnyOrder(1, 2, 2, 3);
        assertThat(count("POST", "uploads")).as("one initiate: the object was not started again").isEqualTo(1);
        assertThat(count("POST", "uploadId")).isEqualTo(1);
        assertThat(count("DELETE", "uploadId")).isZero();
    }

    @Test
    void aPartRefusedForGoodAbortsTheUploadAndLeavesNothingAtTheKey() {
        proxy.faults().add(uploadPart(2).always().fault(Fault.error(403, "AccessDenied")).build());

        StorageException e = catchThrowableOfType(StorageException.class, () -> store.put(
                PutRequest.builder("parts", "refused").build(),
                Payload.ofStream(new ByteArrayInputStream(DATA), Payload.UNKNOWN_LENGTH)));

        assertThat(e.kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
        assertThat(partRequests()).as("a permanent failure is not sent again").filteredOn(n -> n == 2).hasSize(1);
        assertThat(count("DELETE", "uploadId")).as("the upload is aborted").isEqualTo(1);
        assertThat(count("POST", "uploadId")).as("never completed").isZero();
        StorageException missing = catchThrowableOfType(StorageException.class, () -> store.stat("parts", "refused"));
        assertThat(missing.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void aShortStreamIsOneOrdinaryPut() throws IOException {
        byte[] small = new byte[1000];
        new Random(3).nextBytes(small);

        store.put(PutRequest.builder("parts", "small").build(),
                Payload.ofStream(new ByteArrayInputStream(small), Payload.UNKNOWN_LENGTH));

        assertThat(read("small")).isEqualTo(small);
        assertThat(seen).as("one PutObject and the GET that read it back").hasSize(2);
    }

    private static FaultRule.Builder uploadPart(int number) {
        return FaultRule.builder().method("PUT").matching(r -> Integer.valueOf(number).equals(partNumber(r)));
    }

    private static Integer partNumber(FaultRequest request) {
        Matcher m = PART_NUMBER.matcher(request.uri());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** The part numbers of the part requests seen (uploads or copies), one per request. */
    private static List<Integer> partRequests() {
        return seen.stream().filter(r -> r.method().equals("PUT")).map(MultipartPartRetryTest::partNumber)
                .filter(n -> n != null).toList();
    }

    private static long count(String method, String parameter) {
        return seen.stream().filter(r -> r.method().equals(method))
                .filter(r -> parameter == null || r.hasParameter(parameter)).count();
    }

    private static byte[] read(String key) throws IOException {
        try (ObjectContent content = store.get("parts", key)) {
            return content.body().readAllBytes();
        }
    }
}
