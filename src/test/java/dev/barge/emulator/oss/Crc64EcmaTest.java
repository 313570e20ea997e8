package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.CRC64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64EcmaTest {

    @Test
    void checkValueOfTheStandardTestString() {
        assertThat(Crc64Ecma.of("123456789".getBytes(US_ASCII))).isEqualTo(0x995DC9BBDF1939FAL);
        assertThat(Crc64Ecma.of(new byte[0])).isZero();
    }

    @Test
    void agreesWithTheSdkChecksumForManySizes() {
        Random random = new Random(42);
        for (int size : new int[] {1, 7, 8, 255, 256, 4096, 100_003}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            CRC64 sdk = new CRC64();
            sdk.update(data, data.length);
            assertThat(Crc64Ecma.of(data)).as("size %d", size).isEqualTo(sdk.getValue());
        }
    }

    @Test
    void updatingComposesLikeAppending() {
        byte[] data = "hello world, appended in pieces".getBytes(US_ASCII);
        long crc = Crc64Ecma.update(0, data, 0, 5);
        crc = Crc64Ecma.update(crc, data, 5, data.length - 5);
        assertThat(crc).isEqualTo(Crc64Ecma.of(data));
        assertThat(Crc64Ecma.format(-1L)).isEqualTo("18446744073709551615");
    }
}
