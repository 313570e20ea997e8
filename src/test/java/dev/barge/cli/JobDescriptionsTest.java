package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.job.MigrateParameters;
import dev.barge.job.Selection;
import dev.barge.job.VerifyJob;
import dev.barge.job.VerifyParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** Executions in words: a migration with its options, and a job without a describer of its own. */
class JobDescriptionsTest {
    @Test
    void aMigrationIsDescribedWithItsModeLocationsAndFilters() {
        MigrateParameters p = MigrateParameters.builder("s3:photos", "oss:backup").mode(MigrationMode.SYNC)
                .deleteExtraneous(true).includes(List.of("*.jpg")).minSize(1L << 20).build();
        assertThat(JobDescriptions.migration(p))
                .isEqualTo("migrate sync s3:photos -> oss:backup (--delete-extraneous, include '*.jpg', min-size 1 MiB)");
        assertThat(JobDescriptions.migration(MigrateParameters.builder("s3:a", "s3:b").build()))
                .isEqualTo("migrate copy s3:a -> s3:b");
    }

    @Test
    void aVerificationIsDescribedWithItsLocationsChecksAndFilters() {
        VerifyParameters p = new VerifyParameters("s3:photos", "kodo:copy/photos", new Selection(List.of("*.jpg"),
                List.of(), null, null, null, Duration.ofDays(30), Set.of()), IdentityCheck.CHECKSUM, true, 4, 100, 10);
        JobExecution execution = new JobExecution(1L, new JobInstance(1L, VerifyJob.NAME),
                p.toJobParameters(1, Instant.EPOCH));

        assertThat(JobDescriptions.standard().describe(execution))
                .isEqualTo("verify s3:photos -> kodo:copy/photos (--download, include '*.jpg', max-age 30d)");
        assertThat(JobDescriptions.verification(new VerifyParameters("s3:a", "s3:b", Selection.ALL,
                IdentityCheck.SIZE_ONLY, false, 1, 1, 0))).isEqualTo("verify s3:a -> s3:b (--size-only)");
    }

    @Test
    void sizesAndAgesReadAsWritten() {
        assertThat(JobDescriptions.size(1L << 20)).isEqualTo("1 MiB");
        assertThat(JobDescriptions.size(100)).isEqualTo("100 B");
        assertThat(JobDescriptions.size(1500)).isEqualTo("1.5 KiB");
        assertThat(JobDescriptions.age(Duration.ofDays(90))).isEqualTo("90d");
        assertThat(JobDescriptions.age(Duration.ofMinutes(90))).isEqualTo("90m");
    }

    @Test
    void aJobWithoutADescriberIsNamedWithItsSourceAndTarget() {
        JobParameters parameters = new JobParametersBuilder().addString("source", "s3:logs").toJobParameters();
        JobExecution execution = new JobExecution(1L, new JobInstance(1L, "delete"), parameters);
        assertThat(JobDescriptions.standard().describe(execution)).isEqualTo("delete s3:logs");

        JobDescriptions withDelete = new JobDescriptions(Map.of("delete", p -> "delete under " + p.getString("source")));
        assertThat(withDelete.describe(execution)).isEqualTo("delete under s3:logs");
    }
}
