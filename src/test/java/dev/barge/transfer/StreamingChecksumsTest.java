package dev.barge.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.common.utils.CRC64;
import com.qiniu.util.Etag;
import dev.barge.storage.Checksum;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Barge's checksums against the vendors' own implementations, fed in uneven pieces. */
class StreamingChecksumsTest {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1000, 4 << 20, (4 << 20) + 1, 9 << 20})
    void matchTheVendorsImplementations(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        StreamingChecksums sums = StreamingChecksums.of(EnumSet.allOf(Checksum.Algorithm.class));
        for (int offset = 0; offset < size; ) {
            int n = Math.min(size - offset, 777_777);
            sums.update(data, offset, n);
            offset += n;
        }
        List<Checksum> result = sums.finish();

        CRC64 crc = new CRC64();
        crc.update(data, data.length);
        assertThat(result).contains(
                new Checksum(Checksum.Algorithm.CRC64_ECMA, Long.toUnsignedString(crc.getValue())),
                new Checksum(Checksum.Algorithm.QETAG, Etag.data(data)),
                Checksum.md5Hex(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("MD5").digest(data))));
    }
}
