package dev.barge.storage.oss;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.CRC64;
import dev.barge.storage.Checksum;
import dev.barge.storage.Crc64;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.zip.CheckedInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Barge's CRC-64 against the published check values and against the OSS SDK's own CRC64. */
class Crc64Test {

    @Test
    void matchesTheCheckValuesOfCrc64Xz() {
        assertThat(crc("".getBytes(US_ASCII))).isZero();
        assertThat(crc("123456789".getBytes(US_ASCII))).isEqualTo(0x995DC9BBDF1939FAL);
        // longer than one 16-byte step, with a tail
        assertThat(crc("The quick brown fox jumps over the lazy dog".getBytes(US_ASCII)))
                .isEqualTo(0x5B5EB8C2E54AA1C4L);
        Crc64 crc = new Crc64();
        crc.update("123456789".getBytes(US_ASCII), 0, 9);
        assertThat(crc.checksum()).isEqualTo(new Checksum(Checksum.Algorithm.CRC64_ECMA, "11051210869376104954"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 31, 1000, 65_536, 1_000_003, 9 << 20})
    void matchesTheOssSdkFedInUnevenPieces(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        CRC64 sdk = new CRC64();
        sdk.update(data, data.length);

        Crc64 ours = new Crc64();
        Random pieces = new Random(~size);
        for (int offset = 0; offset < size; ) {
            int n = Math.min(size - offset, 1 + pieces.nextInt(100_000));
            if (n == 1) {
                ours.update(data[offset]);
            } else {
                ours.update(data, offset, n);
            }
            offset += n;
        }

        assertThat(ours.getValue()).isEqualTo(sdk.getValue());
        assertThat(ours.checksum()).isEqualTo(OssHeaders.crc64(sdk.getValue()));
    }

    @Test
    void worksAsAJavaChecksumAndResets() throws IOException {
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        Crc64 crc = new Crc64();
        try (CheckedInputStream in = new CheckedInputStream(new ByteArrayInputStream(data), crc)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(crc.getValue()).isEqualTo(crc(data));
        crc.reset();
        assertThat(crc.getValue()).isZero();
    }

    private static long crc(byte[] data) {
        Crc64 crc = new Crc64();
        crc.update(data, 0, data.length);
        return crc.getValue();
    }
}
