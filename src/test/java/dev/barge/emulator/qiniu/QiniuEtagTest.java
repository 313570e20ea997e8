package dev.barge.emulator.qiniu;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiniu.util.Etag;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulator's qetag against the SDK's reference implementation. */
class QiniuEtagTest {

    private static final int MIB = 1024 * 1024;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, 4 * MIB - 1, 4 * MIB, 4 * MIB + 1, 8 * MIB, 9 * MIB + 7})
    void matchesTheSdkEtag(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);

        String etag = QiniuEtag.of(data);

        assertThat(etag).isEqualTo(Etag.data(data));
        assertThat(etag).startsWith(size <= 4 * MIB ? "F" : "l");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 4 * MIB + 5})
    void hashesASliceLikeTheSdk(int size) {
        byte[] data = new byte[size + 10];
        new Random(size).nextBytes(data);

        assertThat(QiniuEtag.of(data, 4, size)).isEqualTo(Etag.data(data, 4, size));
    }
}
