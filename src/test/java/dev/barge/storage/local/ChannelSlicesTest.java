package dev.barge.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Large arrays reach a channel's stream in slices, whole and in order. */
class ChannelSlicesTest {
    private static final int LARGE = 3 * ChannelSlices.SLICE + 12345;

    private static byte[] data() {
        byte[] data = new byte[LARGE];
        new Random(7).nextBytes(data);
        return data;
    }

    @Test
    void oneLargeWriteReachesTheStreamInSlicesWholeAndInOrder() throws IOException {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream channelStream = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("a byte at a time");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                received.write(b, off, len);
            }
        };
        byte[] data = data();

        try (OutputStream out = ChannelSlices.slicedWrites(channelStream)) {
            out.write(data, 0, data.length);
        }

        assertThat(writes).hasSize(4).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(ChannelSlices.SLICE));
        assertThat(received.toByteArray()).isEqualTo(data);
    }

    @Test
    void aReadIntoALargeArrayAsksTheStreamForASliceAtMost() throws IOException {
        List<Integer> asked = new ArrayList<>();
        byte[] data = data();
        InputStream channelStream = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                asked.add(len);
                return super.read(b, off, len);
            }
        };
        boolean[] checked = new boolean[1];
        byte[] into = new byte[LARGE];

        int n = new LimitedInputStream(channelStream, LARGE, () -> checked[0] = true).readNBytes(into, 0, LARGE);

        assertThat(n).isEqualTo(LARGE);
        assertThat(into).isEqualTo(data);
        assertThat(asked).isNotEmpty().allSatisfy(len -> assertThat(len).isLessThanOrEqualTo(ChannelSlices.SLICE));
        assertThat(checked[0]).isTrue();
    }
}
