package dev.barge.emulator.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.UploadPartCopyRequest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The size limits, shrunk so that tests can reach them: object size, CopyObject source size, part size. */
class OssEmulatorLimitsTest {

    private static OssEmulator emulator;
    private static OSS oss;

    @BeforeAll
    static void start() {
        emulator = OssEmulator.builder()
                .credentials("ak", "sk")
                .maxObjectSize(64 * 1024)
                .maxCopyObjectSize(4 * 1024)
                .minPartSize(1024)
                .build()
                .start();
        ClientBuilderConfiguration config = new ClientBuilderConfiguration();
        config.setMaxErrorRetry(0);
        oss = new OSSClientBuilder().build(emulator.endpoint(), "ak", "sk", config);
        oss.createBucket("limits");
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        emulator.close();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void objectsLargerThanTheLimitAreEntityTooLarge() {
        OSSException error = (OSSException) catchThrowable(() ->
                oss.putObject("limits", "big", new ByteArrayInputStream(random(100 * 1024))));
        assertThat(error.getErrorCode()).isEqualTo("EntityTooLarge");

        // far beyond the limit the body is refused while it streams in: the client sees the error
        // response or, if it was still writing when the connection closed, a broken connection
        emulator.clearJournal();
        assertThatThrownBy(() -> oss.putObject("limits", "huge", new ByteArrayInputStream(random(3 * 1024 * 1024))))
                .isInstanceOfAny(OSSException.class, ClientException.class);
        assertThat(emulator.journal()).anySatisfy(exchange -> {
            assertThat(exchange.errorCode()).isEqualTo("EntityTooLarge");
            assertThat(exchange.request().key()).isEqualTo("huge");
        });
        assertThat(oss.doesObjectExist("limits", "huge")).isFalse();
    }

    @Test
    void copyObjectHasASourceLimitThatUploadPartCopyHasNot() throws Exception {
        byte[] source = random(10 * 1024);
        oss.putObject("limits", "source", new ByteArrayInputStream(source));
        OSSException tooLarge = (OSSException) catchThrowable(() -> oss.copyObject("limits", "source", "limits", "copy"));
        assertThat(tooLarge.getErrorCode()).isEqualTo("EntityTooLarge");

        String uploadId = oss.initiateMultipartUpload(
                new com.aliyun.oss.model.InitiateMultipartUploadRequest("limits", "copy")).getUploadId();
        List<PartETag> parts = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            long begin = part * 4096L;
            long size = Math.min(4096, source.length - begin);
            parts.add(oss.uploadPartCopy(new UploadPartCopyRequest("limits", "source", "limits", "copy", uploadId,
                    part + 1, begin, size)).getPartETag());
        }
        oss.completeMultipartUpload(new CompleteMultipartUploadRequest("limits", "copy", uploadId, parts));
        try (var object = oss.getObject("limits", "copy")) {
            assertThat(object.getObjectContent().readAllBytes()).isEqualTo(source);
        }
    }

    private static Throwable catchThrowable(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
