package dev.barge.storage.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.model.OSSObject;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.CheckedInputStream;
import org.junit.jupiter.api.Test;

/** Download checks that need a server sending wrong bytes, which the emulator never does. */
class OssObjectBodyTest {
    private static final byte[] DATA = "the quick brown fox".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void aWholeReadWithTheRightCrcEndsNormally() throws IOException {
        try (OssObjectBody body = new OssObjectBody(object(DATA), "b", "k", DATA.length, crc(DATA))) {
            assertThat(body.readAllBytes()).isEqualTo(DATA);
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @Test
    void aCrcMismatchFailsTheLastRead() {
        byte[] damaged = DATA.clone();
        damaged[3] ^= 1;
        OssObjectBody body = new OssObjectBody(object(damaged), "b", "k", DATA.length, crc(DATA));
        Throwable thrown = catchThrowable(body::readAllBytes);
        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(thrown.getCause()).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH));
    }

    @Test
    void aBodyShorterThanAnnouncedIsATransientFailure() {
        OssObjectBody body = new OssObjectBody(object(DATA), "b", "k", DATA.length + 5, null);
        Throwable thrown = catchThrowable(body::readAllBytes);
        assertThat(thrown.getCause()).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
    }

    private static OSSObject object(byte[] content) {
        OSSObject object = new OSSObject();
        object.setObjectContent(new CheckedInputStream(new ByteArrayInputStream(content), new CRC64()));
        return object;
    }

    private static long crc(byte[] data) {
        CRC64 crc = new CRC64();
        crc.update(data, data.length);
        return crc.getValue();
    }
}
