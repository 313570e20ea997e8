package dev.barge.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultProxy;
import dev.barge.test.fault.FaultRule;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The fault proxy in front of S3Proxy, seen by the AWS SDK itself (no retries): each fault reaches
 * the client as the network or an overloaded store would deliver it, and what it lets through is
 * S3Proxy's answer, signatures intact.
 */
class S3FaultProxyTest {
    private static final S3ProxyServer SERVER = S3ProxyServer.inMemoryForTests();
    private static FaultProxy proxy;
    private static S3Client s3;
    private static final byte[] OBJECT = new byte[100_000];

    @BeforeAll
    static void start() {
        proxy = FaultProxy.inFrontOf(SERVER.endpoint(), FaultProxy.Protocol.S3);
        s3 = S3Client.builder().endpointOverride(URI.create(proxy.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
        new Random(7).nextBytes(OBJECT);
        s3.createBucket(b -> b.bucket("faults"));
        s3.putObject(p -> p.bucket("faults").key("k"), RequestBody.fromBytes(OBJECT));
    }

    @AfterEach
    void clear() {
        proxy.faults().clear();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        proxy.close();
        SERVER.close();
    }

    private static byte[] get() {
        return s3.getObjectAsBytes(g -> g.bucket("faults").key("k")).asByteArray();
    }

    @Test
    void withoutFaultsEveryRequestIsTheStoresAnswerSignaturesIntact() {
        s3.putObject(p -> p.bucket("faults").key("other"), RequestBody.fromString("x"));
        assertThat(get()).isEqualTo(OBJECT);
        assertThat(s3.headObject(h -> h.bucket("faults").key("k")).contentLength()).isEqualTo(OBJECT.length);
        assertThat(s3.listObjectsV2(l -> l.bucket("faults")).contents()).hasSize(2);
        s3.deleteObject(d -> d.bucket("faults").key("other"));
    }

    @Test
    void aThrottledRequestIsA503SlowDownInS3sOwnFormat() {
        FaultRule rule = proxy.faults().add(FaultRule.builder().method("GET").fault(Fault.throttle()).build());
        S3Exception e = (S3Exception) catchThrowable(S3FaultProxyTest::get);
        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
        assertThat(rule.fired()).isEqualTo(1);
        assertThat(get()).isEqualTo(OBJECT); // a rule fires once unless told
    }

    @Test
    void anErrorOfAnyCodeComesAsTheStoreWouldSendIt() {
        proxy.faults().next(1, Fault.error(500, "InternalError"));
        S3Exception e = (S3Exception) catchThrowable(S3FaultProxyTest::get);
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
    }

    @Test
    void aResetBeforeTheResponseIsAClientSideFailure() {
        proxy.faults().next(1, Fault.resetBeforeResponse());
        assertThat(catchThrowable(S3FaultProxyTest::get)).isInstanceOf(SdkClientException.class);
    }

    @Test
    void aResetOrACutInTheMiddleOfTheBodyNeverPassesForTheObject() {
        for (Fault fault : new Fault[] {Fault.resetMidBody(), Fault.truncatedBody()}) {
            proxy.faults().next(1, fault);
            Throwable t = catchThrowable(S3FaultProxyTest::get);
            assertThat(t).as("%s", fault).isNotNull();
        }
        assertThat(proxy.faults().faulted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aBodyShorterThanAnnouncedFailsAndOneLongerThanItsLengthIsCutAtTheLength() {
        proxy.faults().next(1, Fault.wrongContentLength(+10));
        assertThat(catchThrowable(S3FaultProxyTest::get)).isNotNull();

        // announcing one byte fewer: a client that trusts the length gets a prefix, and only a checksum tells
        proxy.faults().next(1, Fault.wrongContentLength(-1));
        byte[] got;
        try {
            got = get();
        } catch (RuntimeException e) {
            got = null; // the SDK's own response checksum caught it: fine too
        }
        assertThat(got).isNotEqualTo(OBJECT);
    }

    @Test
    void aSlowBodyAndAddedLatencyDeliverTheWholeObject() {
        FaultRule slow = proxy.faults().add(FaultRule.builder().method("GET").fault(Fault.slowBody(4 << 20)).build());
        assertThat(get()).isEqualTo(OBJECT);
        FaultRule late = proxy.faults().add(FaultRule.builder().fault(Fault.delay(Duration.ofMillis(20))).build());
        assertThat(get()).isEqualTo(OBJECT);
        assertThat(slow.fired()).isEqualTo(1);
        assertThat(late.fired()).isEqualTo(1);
    }

    @Test
    void aProbabilityRuleFaultsAboutThatShareOfRequestsReproducibly() {
        FaultRule rule = proxy.faults().add(FaultRule.builder().method("HEAD").always().probability(0.25, 3)
                .fault(Fault.error(500, "InternalError")).build());
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            try {
                s3.headObject(h -> h.bucket("faults").key("k"));
            } catch (S3Exception e) {
                failed++;
            }
        }
        assertThat(failed).isEqualTo(rule.fired()).isBetween(25, 75);
        assertThat(rule.matched()).isEqualTo(200);
    }
}
