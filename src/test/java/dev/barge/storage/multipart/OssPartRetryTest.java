package dev.barge.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.storage.Checksum;
import dev.barge.storage.Crc64;
import dev.barge.storage.Credentials;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.layer.RetrySettings;
import dev.barge.storage.layer.StoreLayers;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRequest;
import dev.barge.test.fault.FaultRule;
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
import org.junit.jupiter.api.Test;

/**
 * OSS checks no CRC-64 before a single put commits, so a put of known length above a part that
 * expects one is written in parts, the engine checking the CRC-64 before it completes. Those parts
 * are cut above the layers (OSS emulator behind the {@link FaultProxy}, the store's layers as Barge
 * stacks them): a reset in one part sends that part again and no other, and the object is whole.
 */
class OssPartRetryTest {
    private static final int PART = 100 * 1024;
    private static final byte[] DATA = new byte[3 * PART + 17];
    private static final Pattern PART_NUMBER = Pattern.compile("[?&]partNumber=(\\d+)");

    private static OssEmulator oss;
    private static FaultProxy proxy;
    private static ObjectStore store;
    private static final List<FaultRequest> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        new Random(5).nextBytes(DATA);
        oss = OssEmulator.start("part-ak", "part-sk");
        proxy = FaultProxy.inFrontOf(oss.endpoint(), FaultProxy.Protocol.OSS);
        RemoteConfig config = new RemoteConfig("oss", OssStoreProvider.TYPE, proxy.endpoint(), null,
                new Credentials("part-ak", Secret.of("part-sk"), null), false, Duration.ofSeconds(5),
                Duration.ofSeconds(30), 16, null, Map.of("upload-part-size", Integer.toString(PART)));
        RetrySettings fast = new RetrySettings(4, Duration.ofMillis(10), 2.0, Duration.ofMillis(100), Duration.ZERO,
                Duration.ofSeconds(30));
        store = StoreLayers.builder("oss").retry(fast).build().wrap(new OssStoreProvider().open(config));
        store.createBucket("parts");
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        proxy.close();
        oss.close();
    }

    @Test
    void aResetInOnePartOfAPutExpectingACrc64SendsThatPartAgainAndNoOther() throws IOException {
        proxy.faults().add(FaultRule.builder().matching(r -> {
            seen.add(r);
            return false;
        }).fault(Fault.throttle()).build());
        FaultRule reset = proxy.faults().add(FaultRule.builder().method("PUT")
                .matching(r -> Integer.valueOf(2).equals(partNumber(r))).fault(Fault.resetBeforeResponse()).build());
        Crc64 crc = new Crc64();
        crc.update(DATA, 0, DATA.length);
        Checksum expected = crc.checksum();

        store.put(PutRequest.builder("parts", "checked").expectedChecksums(List.of(expected)).build(),
                Payload.ofBytes(DATA));

        assertThat(reset.fired()).isEqualTo(1);
        try (ObjectContent content = store.get("parts", "checked", null)) {
            assertThat(content.body().readAllBytes()).isEqualTo(DATA);
        }
        assertThat(seen.stream().filter(r -> r.method().equals("PUT")).map(OssPartRetryTest::partNumber).toList())
                .as("parts sent, by number: part 2 twice, the others once").containsExactlyInAnyOrder(1, 2, 2, 3, 4);
        assertThat(seen.stream().filter(r -> r.method().equals("POST") && r.hasParameter("uploads")).count())
                .as("one initiate: the object was not started again").isEqualTo(1);
        assertThat(store.stat("parts", "checked").checksums()).contains(expected);
    }

    private static Integer partNumber(FaultRequest request) {
        Matcher m = PART_NUMBER.matcher(request.uri());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
