package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.StorageClass;
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

    @Test
    void deleteArchiveRestoreAndRetriesAreDescribedInWords() {
        Selection gz = new Selection(List.of("*.gz"), List.of(), null, null, Duration.ofDays(90), null, Set.of());
        JobParameters delete = new DeleteParameters("s3:logs", true, gz, false, 1000, 0).toJobParameters(1, Instant.EPOCH);
        JobParameters archive = new ArchiveParameters("oss:media/2022", StorageClass.Family.COLD_ARCHIVE, gz, true, 100,
                8, 0).toJobParameters(1, Instant.EPOCH);
        JobParameters restore = new RestoreParameters("oss:cold", new RestoreRequest(3, RestoreRequest.Tier.BULK),
                Selection.ALL, true, Duration.ofMinutes(1), Duration.ofHours(48), "kodo:cold", StorageClass.Family.ARCHIVE,
                false, 100, 8, 0).toJobParameters(1, Instant.EPOCH);
        JobParameters retry = new JobParametersBuilder(MigrateParameters.builder("s3:a", "oss:b").build()
                .toJobParameters(1, Instant.EPOCH)).addLong(MigrateJob.RETRY_OF, 42L).toJobParameters();

        assertThat(describe("delete", delete)).isEqualTo("delete s3:logs (--all, include '*.gz', min-age 90d)");
        assertThat(describe("archive", archive))
                .isEqualTo("archive oss:media/2022 to cold_archive (dry run, include '*.gz', min-age 90d)");
        assertThat(describe("restore", restore))
                .isEqualTo("restore oss:cold, wait, then copy to kodo:cold as archive (3 days, bulk)");
        assertThat(describe("migrate", retry)).isEqualTo("retry of 42's failed objects: migrate copy s3:a -> oss:b");
    }

    private static String describe(String job, JobParameters parameters) {
        return JobDescriptions.standard().describe(new JobExecution(1L, new JobInstance(1L, job), parameters));
    }
}
