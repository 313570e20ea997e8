package dev.barge.emulator.oss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.NodeClient;
import org.junit.jupiter.api.Test;

/**
 * The emulator against a second official client: Aliyun's Node.js SDK, {@code ali-oss}, runs
 * {@code src/test/js/oss-second-client.js} (put, ranged gets, V1 and V2 listings with markers, continuation
 * tokens and delimiters, copy, append, delete and batch delete, multipart with part copy, archive and restore,
 * signed URLs, error codes), once with V1 signatures (the date in {@code x-oss-date}) and once with V4.
 * Needs node and ali-oss from {@code .ci/run}; fails saying how to install them when they are missing.
 */
class OssSecondClientTest {

    @Test
    void aliOssPassesEveryCheck() {
        try (OssEmulator oss = OssEmulator.start("AKID", "SECRET")) {
            NodeClient.Outcome outcome = NodeClient.ALI_OSS.run(oss.endpoint(), "AKID", "SECRET");

            assertThat(outcome.exitCode())
                    .as("%s against %s failed; its output:%n%s", NodeClient.ALI_OSS.script(), oss.endpoint(),
                            outcome.output())
                    .isZero();
            assertThat(outcome.output()).as(outcome.output())
                    .contains("ok   v1 archive and restore", "ok   v4 error: bad secret")
                    .containsPattern("all \\d+ checks passed")
                    .doesNotContain("FAIL");
            assertThat(oss.requestCount()).as("requests the emulator answered").isGreaterThan(100);
        }
    }
}
