package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.RestoreConfiguration;
import com.aliyun.oss.model.StorageClass;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Time-dependent behaviour, with the emulator on a clock the test moves: request time skew,
 * presigned-URL expiry, restores that finish after a delay and restored copies that expire.
 * Clients that must agree with a moved clock use the SDK's own tick offset.
 */
class OssEmulatorClockTest {

    private static final String AK = "clock-ak";
    private static final String SK = "clock-sk";
    private static final ShiftedClock CLOCK = new ShiftedClock();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static OssEmulator emulator;
    private static OSS oss;
    private static OSS ossV4;

    @BeforeAll
    static void start() {
        emulator = OssEmulator.builder()
                .credentials(AK, SK)
                .clock(CLOCK)
                .restorePolicy(RestorePolicy.afterDelay(Duration.ofMinutes(10)))
                .build()
                .start();
        oss = client(Duration.ZERO, SignVersion.V1);
        ossV4 = client(Duration.ZERO, SignVersion.V4);
        oss.createBucket("clock");
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        ossV4.shutdown();
        emulator.close();
    }

    @AfterEach
    void resetClock() {
        CLOCK.shift(Duration.ZERO);
    }

    private static OSS client(Duration tickOffset, SignVersion version) {
        ClientBuilderConfiguration config = new ClientBuilderConfiguration();
        config.setMaxErrorRetry(0);
        if (!tickOffset.isZero()) {
            // the SDK takes the server's current time and keeps the difference to the local clock
            config.setTickOffset(System.currentTimeMillis() + tickOffset.toMillis());
        }
        config.setSignatureVersion(version);
        return OSSClientBuilder.create()
                .endpoint(emulator.endpoint())
                .credentialsProvider(new DefaultCredentialProvider(AK, SK))
                .clientConfiguration(config)
                .region("cn-hangzhou")
                .build();
    }

    private static String errorCode(Runnable call) {
        try {
            call.run();
        } catch (OSSException e) {
            return e.getErrorCode();
        }
        throw new AssertionError("expected an OSSException");
    }

    @Test
    void requestsSignedTooFarFromServerTimeAreRefused() {
        CLOCK.shift(Duration.ofMinutes(20));
        assertThat(errorCode(() -> oss.listBuckets())).isEqualTo("RequestTimeTooSkewed");
        assertThat(errorCode(() -> ossV4.listBuckets())).isEqualTo("RequestTimeTooSkewed");
        OSS inStep = client(Duration.ofMinutes(20), SignVersion.V1);
        try {
            assertThat(inStep.listBuckets()).extracting(bucket -> bucket.getName()).contains("clock");
        } finally {
            inStep.shutdown();
        }
    }

    @Test
    void presignedUrlsExpireByTheEmulatorClock() throws Exception {
        oss.putObject("clock", "shared", new ByteArrayInputStream("s".getBytes(UTF_8)));
        Date inOneMinute = new Date(System.currentTimeMillis() + 60_000);
        URL v1 = oss.generatePresignedUrl("clock", "shared", inOneMinute);
        URL v4 = ossV4.generatePresignedUrl("clock", "shared", inOneMinute);
        assertThat(get(v1).statusCode()).isEqualTo(200);
        assertThat(get(v4).statusCode()).isEqualTo(200);

        CLOCK.shift(Duration.ofMinutes(2));
        for (URL url : new URL[] {v1, v4}) {
            HttpResponse<String> expired = get(url);
            assertThat(expired.statusCode()).isEqualTo(403);
            assertThat(expired.body()).contains("<Code>AccessDenied</Code>", "Request has expired.");
        }
    }

    @Test
    void restoreFinishesAfterTheDelayAndTheRestoredCopyExpires() throws Exception {
        ObjectMetadata archive = new ObjectMetadata();
        archive.setHeader("x-oss-storage-class", StorageClass.Archive.toString());
        oss.putObject("clock", "frozen", new ByteArrayInputStream("ice".getBytes(UTF_8)), archive);
        assertThat(oss.restoreObject("clock", "frozen", new RestoreConfiguration(1)).getStatusCode()).isEqualTo(202);
        assertThat(oss.getObjectMetadata("clock", "frozen").getObjectRawRestore()).isEqualTo("ongoing-request=\"true\"");
        assertThat(errorCode(() -> oss.getObject("clock", "frozen"))).isEqualTo("InvalidObjectState");

        CLOCK.shift(Duration.ofMinutes(10));
        OSS tenMinutesLater = client(Duration.ofMinutes(10), SignVersion.V1);
        OSS threeDaysLater = client(Duration.ofDays(3), SignVersion.V4);
        try {
            ObjectMetadata restored = tenMinutesLater.getObjectMetadata("clock", "frozen");
            assertThat(restored.isRestoreCompleted()).isTrue();
            assertThat(restored.getObjectRawRestore()).contains("expiry-date=\"");
            try (OSSObject object = tenMinutesLater.getObject("clock", "frozen")) {
                assertThat(object.getObjectContent().readAllBytes()).asString(UTF_8).isEqualTo("ice");
            }

            CLOCK.shift(Duration.ofDays(3));
            assertThat(threeDaysLater.getObjectMetadata("clock", "frozen").getObjectRawRestore()).isNull();
            assertThat(errorCode(() -> threeDaysLater.getObject("clock", "frozen"))).isEqualTo("InvalidObjectState");
        } finally {
            tenMinutesLater.shutdown();
            threeDaysLater.shutdown();
        }
    }

    private static HttpResponse<String> get(URL url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The system clock plus an offset the test sets. */
    private static final class ShiftedClock extends Clock {

        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void shift(Duration by) {
            offset.set(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the test clock stays in UTC");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }
}
