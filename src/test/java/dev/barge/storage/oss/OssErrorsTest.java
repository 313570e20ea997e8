package dev.barge.storage.oss;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyun.oss.ClientErrorCode;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.InconsistentException;
import com.aliyun.oss.OSSException;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The mapping of SDK failures that the emulator cannot easily provoke. */
class OssErrorsTest {

    @Test
    void responsesWithoutABodyAreMappedByTheirStatus() {
        assertThat(OssErrors.kindOf("Unknown", "No body in response, http status code 503")).isEqualTo(ErrorKind.THROTTLED);
        assertThat(OssErrors.kindOf("Unknown", "No body in response, http status code 502")).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(OssErrors.kindOf("Unknown", "No body in response, http status code 400")).isEqualTo(ErrorKind.PERMANENT);
        assertThat(OssErrors.kindOf("SomeNewBandwidthLimitExceeded", "")).isEqualTo(ErrorKind.THROTTLED);
        assertThat(OssErrors.kindOf("NoSuchUpload", "")).isEqualTo(ErrorKind.NOT_FOUND);
        // as on S3: signatures are refused until the clock is fixed, the user's to do (exit 2)
        assertThat(OssErrors.kindOf("RequestTimeTooSkewed", "")).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
    }

    @Test
    void aCrcMismatchOfTheSdkIsAChecksumMismatch() {
        StorageException e = OssErrors.map(Operation.PUT, "b", "k", new InconsistentException(1L, -2L, "req-1"));
        assertThat(e.kind()).isEqualTo(ErrorKind.CHECKSUM_MISMATCH);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.requestId()).isEqualTo("req-1");
        assertThat(e.getMessage()).contains("b/k").contains(Long.toUnsignedString(-2L));
    }

    @Test
    void clientFailuresAreTransientWhenTheNetworkFailed() {
        StorageException timeout = OssErrors.map(Operation.GET, "b", "k", new ClientException("read timed out",
                ClientErrorCode.SOCKET_TIMEOUT, "req-2", new SocketTimeoutException("read timed out")));
        assertThat(timeout.kind()).isEqualTo(ErrorKind.TRANSIENT);
        StorageException unknownHost = OssErrors.map(Operation.GET, "b", "k",
                new ClientException("no such host", ClientErrorCode.UNKNOWN_HOST, "req-3"));
        assertThat(unknownHost.kind()).isEqualTo(ErrorKind.PERMANENT);
        StorageException invalidName = OssErrors.map(Operation.CREATE_BUCKET, "B!", null,
                new IllegalArgumentException("The bucket name \"B!\" is invalid."));
        assertThat(invalidName.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void messagesCarryOssShortMessageNotTheRawResponse() {
        OSSException mismatch = new OSSException("The request signature we calculated does not match the signature "
                + "you provided.", "SignatureDoesNotMatch", "req-4", "host", null, null, null);
        mismatch.setRawResponseError("<Error><StringToSign>GET\n\n\n</StringToSign></Error>");
        StorageException e = OssErrors.map(Operation.STAT, "b", "k", mismatch);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(e.vendorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getMessage()).contains("check the access key secret").doesNotContain("StringToSign");
    }
}
