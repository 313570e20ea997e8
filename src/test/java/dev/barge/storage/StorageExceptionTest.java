package dev.barge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a failure carries survives the retry layer's marking it exhausted. */
class StorageExceptionTest {

    @Test
    void anExhaustedFailureKeepsTheHostAndTheRestOfWhereItHappened() {
        StorageException first = StorageException.builder(ErrorKind.TRANSIENT, Operation.LIST).bucket("b").key("p/")
                .host("rsf.example.com:9").detail("no answer").vendorCode("599").requestId("req").build();

        StorageException exhausted = first.afterAttempts(3);

        assertThat(exhausted.host()).isEqualTo("rsf.example.com:9");
        assertThat(exhausted.bucket()).isEqualTo("b");
        assertThat(exhausted.requestId()).isEqualTo("req");
        assertThat(exhausted.isRetryable()).isFalse();
        assertThat(exhausted.getMessage()).contains("after 3 attempts");
        assertThat(StorageException.builder(ErrorKind.TRANSIENT, Operation.LIST).build().host()).isNull();
    }
}
