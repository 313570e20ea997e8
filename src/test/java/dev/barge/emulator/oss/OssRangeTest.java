package dev.barge.emulator.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** OSS's range rules, object of 1000 bytes (valid range 0-999), as in OSS's documentation. */
class OssRangeTest {

    @Test
    void validRangesAreServedInBothModes() {
        for (boolean standard : new boolean[] {false, true}) {
            assertThat(OssRange.parse("bytes=0-499", 1000, standard)).isEqualTo(new OssRange(0, 499));
            assertThat(OssRange.parse("bytes=500-", 1000, standard)).isEqualTo(new OssRange(500, 999));
            assertThat(OssRange.parse("bytes=-500", 1000, standard)).isEqualTo(new OssRange(500, 999));
            assertThat(OssRange.parse(null, 1000, standard)).isNull();
        }
    }

    @Test
    void byDefaultARangeThatDoesNotFitReturnsTheWholeObject() {
        assertThat(OssRange.parse("bytes=500-2000", 1000, false)).isNull();
        assertThat(OssRange.parse("bytes=1000-2000", 1000, false)).isNull();
        assertThat(OssRange.parse("bytes=1000-", 1000, false)).isNull();
        assertThat(OssRange.parse("bytes=-2000", 1000, false)).isNull();
        assertThat(OssRange.parse("byte=0-499", 1000, false)).isNull();
        assertThat(OssRange.parse("bytes=0-1,5-9", 1000, false)).isNull();
    }

    @Test
    void standardBehaviourCutsTheEndAndRefusesAStartPastTheEnd() {
        assertThat(OssRange.parse("bytes=500-2000", 1000, true)).isEqualTo(new OssRange(500, 999));
        assertThat(OssRange.parse("bytes=-2000", 1000, true)).isEqualTo(new OssRange(0, 999));
        assertThatThrownBy(() -> OssRange.parse("bytes=1000-2000", 1000, true))
                .isInstanceOfSatisfying(OssError.class, e -> {
                    assertThat(e.status()).isEqualTo(416);
                    assertThat(e.code()).isEqualTo("InvalidRange");
                    assertThat(e.headers()).containsEntry("Content-Range", "bytes */1000");
                });
        assertThat(OssRange.parse("bytes=9-3", 1000, true)).isNull();
    }
}
