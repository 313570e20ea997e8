package dev.barge.storage.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiniu.util.Etag;
import dev.barge.storage.Qetag;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Barge's one qetag against the Qiniu SDK's own {@link Etag}, fed in uneven pieces. */
class QetagTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1000, (4 << 20) - 1, 4 << 20, (4 << 20) + 1, 8 << 20, 9 << 20})
    void matchesTheQiniuSdk(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Qetag qetag = new Qetag();
        for (int offset = 0; offset < size; ) {
            int n = Math.min(size - offset, 777_777);
            qetag.update(data, offset, n);
            offset += n;
        }
        String expected = Etag.data(data);
        assertThat(qetag.value()).isEqualTo(expected);
        assertThat(Qetag.isStandard(expected)).isTrue();
    }

    @Test
    void theDriversHashIsTheSameQetagWithItsMd5() {
        byte[] data = new byte[(4 << 20) + 10];
        new Random(5).nextBytes(data);
        QiniuContentHash hash = new QiniuContentHash();
        hash.update(data, 0, data.length);
        QiniuContentHash.Hashes hashes = hash.finish();
        assertThat(hashes.qetag()).isEqualTo(Etag.data(data));
        assertThat(hashes.size()).isEqualTo(data.length);
    }

    @Test
    void onlyStandardQetagsAreContentHashes() {
        byte[] tag = new byte[21];
        tag[0] = (byte) 0x9e; // resumable-v2 parts that are not 4 MiB
        assertThat(Qetag.isStandard(java.util.Base64.getUrlEncoder().encodeToString(tag))).isFalse();
        tag[0] = (byte) 0x96;
        assertThat(Qetag.isStandard(java.util.Base64.getUrlEncoder().encodeToString(tag))).isTrue();
        assertThat(Qetag.isStandard(null)).isFalse();
        assertThat(Qetag.isStandard("")).isFalse();
        assertThat(Qetag.isStandard("d41d8cd98f00b204e9800998ecf8427e")).isFalse();
        assertThat(Qetag.isStandard("not base64 at all, 28 chars!")).isFalse();
    }
}
