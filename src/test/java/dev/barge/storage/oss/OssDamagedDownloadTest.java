package dev.barge.storage.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.barge.storage.Crc64;
import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the SDK's CRC check off, a whole download that arrives damaged still fails, through the real
 * SDK over real HTTP: a raw server (the emulator never sends wrong bytes) answers every GET with
 * bytes whose CRC-64 differs from the {@code x-oss-hash-crc64ecma} it announces. This is the path of
 * {@code barge cat}, which has no transfer layer above it.
 */
class OssDamagedDownloadTest {
    private static final byte[] STORED = "what OSS stored, and its CRC".getBytes(StandardCharsets.UTF_8);

    private ServerSocket server;
    private Thread serving;
    private volatile byte[] sent;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serving = new Thread(this::serve, "damaging-oss");
        serving.setDaemon(true);
        serving.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        serving.join(5000);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.write(b);
                }
                Crc64 crc = new Crc64();
                crc.update(STORED, 0, STORED.length);
                byte[] body = sent;
                String response = "HTTP/1.1 200 OK\r\n"
                        + "content-length: " + body.length + "\r\n"
                        + "content-type: application/octet-stream\r\n"
                        + "etag: \"0123456789ABCDEF0123456789ABCDEF\"\r\n"
                        + "last-modified: Mon, 01 Dec 2025 00:00:00 GMT\r\n"
                        + "x-oss-request-id: 5F0000000000000000000001\r\n"
                        + "x-oss-object-type: Normal\r\n"
                        + "x-oss-hash-crc64ecma: " + Long.toUnsignedString(crc.getValue()) + "\r\n"
                        + "connection: close\r\n\r\n";
                OutputStream out = socket.getOutputStream();
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private ObjectStore store() {
        return new OssStoreProvider().open(new RemoteConfig("damaging", "oss", "http://127.0.0.1:" + server.getLocalPort(),
                null, new Credentials("ak", Secret.of("sk"), null), false, null, null, 0, null,
                Map.of("signature-version", "v1")));
    }

    @Test
    void aDamagedWholeDownloadFailsWithChecksumMismatch() throws IOException {
        byte[] damaged = STORED.clone();
        damaged[5] ^= 0x20;
        sent = damaged;
        try (ObjectStore store = store(); ObjectContent content = store.get("bucket", "key")) {
            Throwable thrown = catchThrowable(() -> content.body().readAllBytes());
            assertThat(thrown).isInstanceOf(IOException.class);
            assertThat(thrown.getCause()).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH));
        }
    }

    @Test
    void anIntactDownloadReadsNormally() throws IOException {
        sent = STORED;
        try (ObjectStore store = store(); ObjectContent content = store.get("bucket", "key")) {
            assertThat(content.body().readAllBytes()).isEqualTo(STORED);
        }
    }
}
