package dev.barge.test.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The filters and counts of a rule, on requests as the proxy and the emulators describe them. */
class FaultRuleTest {

    @Test
    void keyPrefixMatchesTheDecodedKeyWhereTheServerTellsIt() {
        FaultRule rule = FaultRule.builder().method("PUT").keyPrefix("logs/é").always().fault(Fault.throttle()).build();

        FaultRequest proxied = FaultProxy.Protocol.S3.request("PUT", "/logs%2Fé-bucket/logs/%C3%A9t%C3%A9+1?partNumber=2");
        assertThat(proxied.bucket()).isEqualTo("logs/é-bucket");
        assertThat(proxied.key()).isEqualTo("logs/été+1");
        assertThat(rule.select(proxied)).isEqualTo(Fault.throttle());
        // a bucket named like the prefix is not a key under it; Kodo's paths name no key
        assertThat(rule.select(FaultProxy.Protocol.OSS.request("PUT", "/logs"))).isNull();
        assertThat(rule.select(FaultProxy.Protocol.OSS.request("PUT", "/b/"))).isNull();
        assertThat(rule.select(FaultProxy.Protocol.KODO.request("PUT", "/logs/%C3%A9"))).isNull();
        // the OSS emulator tells the key of a virtual-host request
        assertThat(rule.select(new FaultRequest("PUT", "/x", "b", "logs/éx"))).isEqualTo(Fault.throttle());
        assertThat(rule.select(new FaultRequest("GET", "/x", "b", "logs/éx"))).isNull();
        assertThat(rule.fired()).isEqualTo(2);
    }

    @Test
    void pathPrefixBucketAndParameterNarrowTheRequests() {
        FaultRule stat = FaultRule.builder().method("post").pathPrefix("/stat/").fault(Fault.resetBeforeResponse())
                .build();
        FaultRule parts = FaultRule.builder().bucket("b").parameter("partNumber").fault(Fault.truncatedBody()).build();

        assertThat(stat.select(new FaultRequest("POST", "/statx"))).isNull();
        assertThat(stat.select(new FaultRequest("POST", "/stat/YjprZXk="))).isEqualTo(Fault.resetBeforeResponse());
        assertThat(parts.select(new FaultRequest("PUT", "/c/k?partNumber=1", "c", "k"))).isNull();
        assertThat(parts.select(new FaultRequest("PUT", "/b/k?uploadId=1", "b", "k"))).isNull();
        assertThat(parts.select(new FaultRequest("PUT", "/b/k?partNumber=1&uploadId=1", "b", "k")))
                .isEqualTo(Fault.truncatedBody());
    }

    @Test
    void aRuleSkipsThenFiresItsTimesThenIsExhausted() {
        Faults faults = new Faults();
        FaultRule rule = faults.add(FaultRule.builder().pathPrefix("/a").skip(1).times(2)
                .fault(Fault.delay(java.time.Duration.ofMillis(5), Fault.error(503, "ServerBusy", "slow down")))
                .build());
        FaultRequest a = new FaultRequest("GET", "/a");

        assertThat(faults.select(a)).isNull();
        assertThat(faults.select(new FaultRequest("GET", "/b"))).isNull();
        assertThat(faults.select(a)).isInstanceOf(Fault.Delay.class);
        assertThat(rule.exhausted()).isFalse();
        assertThat(((Fault.Delay) faults.select(a)).then()).isEqualTo(new Fault.Error(503, "ServerBusy", "slow down"));
        assertThat(faults.select(a)).isNull();

        assertThat(rule.exhausted()).isTrue();
        assertThat(rule.matched()).isEqualTo(3);
        assertThat(rule.fired()).isEqualTo(2);
        assertThat(faults.requests()).isEqualTo(5);
        assertThat(faults.faulted()).isEqualTo(2);
        faults.remove(rule);
        assertThat(faults.select(a)).isNull();
    }
}
