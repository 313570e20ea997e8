package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The chunk size a migration gets when none is given: a few rounds of the copy pool per commit. */
class MigrateParametersTest {

    @Test
    void theDefaultChunkIsSixteenObjectsPerConcurrentCopyFromOneHundredToOneThousand() {
        assertThat(MigrateParameters.defaultChunkSize(1)).isEqualTo(100);
        assertThat(MigrateParameters.defaultChunkSize(8)).isEqualTo(128);
        assertThat(MigrateParameters.defaultChunkSize(32)).isEqualTo(512);
        assertThat(MigrateParameters.defaultChunkSize(64)).isEqualTo(1000);
        assertThat(MigrateParameters.defaultChunkSize(Integer.MAX_VALUE)).isEqualTo(1000);
    }

    @Test
    void aBuilderWithoutAChunkSizeTakesTheDefaultOfItsConcurrencyAndAGivenOneIsKept() {
        assertThat(MigrateParameters.builder("a:b", "c:d").concurrency(32).build().chunkSize()).isEqualTo(512);
        assertThat(MigrateParameters.builder("a:b", "c:d").concurrency(32).chunkSize(7).build().chunkSize())
                .isEqualTo(7);
    }
}
