package dev.barge.emulator.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.NodeClient;
import org.junit.jupiter.api.Test;

/**
 * The emulator against a second official client: Qiniu's Node.js SDK, {@code qiniu}, runs
 * {@code src/test/js/kodo-second-client.js} (buckets, form and resumable v1 and v2 uploads, signed downloads
 * whole and ranged, listings with markers and delimiters, copy, move, delete, batch, archive and restore,
 * management calls signed with "Qiniu" and "QBox" tokens for GET and POST, error codes). Needs node and qiniu
 * from {@code .ci/run}; fails saying how to install them when they are missing.
 */
class KodoSecondClientTest {

    @Test
    void qiniuNodeSdkPassesEveryCheck() {
        // restores finish at once: the script has no way to call finishRestore
        try (KodoEmulator kodo = KodoEmulator.builder().credentials("AK", "SK").restoreImmediately(true)
                .bucket("second-client").start()) {
            kodo.bindDefaultDomain("second-client");

            NodeClient.Outcome outcome = NodeClient.QINIU.run(kodo.hostAndPort(), "AK", "SK", "second-client");

            assertThat(outcome.exitCode())
                    .as("%s against %s failed; its output:%n%s", NodeClient.QINIU.script(), kodo.hostAndPort(),
                            outcome.output())
                    .isZero();
            assertThat(outcome.output()).as(outcome.output())
                    .contains("ok   resumable upload v2", "ok   QBox (v1) token: GET and POST", "ok   error: bad secret")
                    .containsPattern("all \\d+ checks passed")
                    .doesNotContain("FAIL");
            assertThat(kodo.keys("second-client")).as("the script cleans up after itself").isEmpty();
        }
    }
}
