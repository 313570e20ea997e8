package dev.barge.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.batch.MigrationMode;
import dev.barge.job.ArchiveParameters;
import dev.barge.job.DeleteParameters;
import dev.barge.job.MigrateParameters;
import dev.barge.job.VerifyParameters;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.scheduling.support.SimpleTriggerContext;

/** Specs of {@code jobs/} are read, and refused naming the file, the field and the line. */
class ScheduleSpecsTest {
    private static final Set<String> REMOTES = Set.of("prod", "backup");
    /** As {@code StoreRegistry::remote} does for a remote that is not configured. */
    private static final Consumer<String> KNOWN_REMOTES = remote -> {
        if (!REMOTES.contains(remote)) {
            throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                    .detail("unknown remote '" + remote + "': configured remotes are [backup, prod]").build();
        }
    };

    @TempDir
    Path dir;

    private List<ScheduleSpec> read() {
        return new ScheduleSpecs(KNOWN_REMOTES).read(dir);
    }

    private Path write(String file, String yaml) throws IOException {
        return Files.writeString(dir.resolve(file), yaml);
    }

    private static final String MIGRATE = """
            name: sync
            cron: "0 0 2 * * *"
            job: migrate
            parameters:
              source: prod:photos
              target: backup:photos
            """;

    @Test
    void theExamplesOfJobsAreValidWithTheirRemotesConfigured() {
        List<ScheduleSpec> specs = new ScheduleSpecs(KNOWN_REMOTES).read(Path.of("jobs"));

        assertThat(specs).extracting(ScheduleSpec::name)
                .containsExactly("monthly-archive-logs", "nightly-sync", "weekly-purge-tmp");
        ScheduleSpec archive = specs.get(0);
        assertThat(archive.job()).isEqualTo("archive");
        assertThat(archive.request()).isInstanceOfSatisfying(ArchiveParameters.class, p -> {
            assertThat(p.location()).isEqualTo("prod:app-data/logs/");
            assertThat(p.storageClass()).isEqualTo(StorageClass.Family.ARCHIVE);
            assertThat(p.selection().minAge()).isEqualTo(Duration.ofDays(90));
            assertThat(p.selection().includes()).containsExactly("*.log", "*.gz");
            assertThat(p.dryRun()).isFalse();
        });
        ScheduleSpec sync = specs.get(1);
        assertThat(sync.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(sync.request()).isInstanceOfSatisfying(MigrateParameters.class, p -> {
            assertThat(p.mode()).isEqualTo(MigrationMode.SYNC);
            assertThat(p.deleteExtraneous()).isTrue();
            assertThat(p.concurrency()).isEqualTo(16);
            assertThat(p.chunkSize()).isEqualTo(MigrateParameters.defaultChunkSize(16));
        });
        // 02:00 in Berlin, whatever the zone of this machine
        SimpleTriggerContext after = new SimpleTriggerContext(java.time.Clock.fixed(
                Instant.parse("2026-07-01T12:00:00Z"), ZoneOffset.UTC));
        assertThat(sync.trigger().nextExecution(after)).isEqualTo(Instant.parse("2026-07-02T00:00:00Z"));
        assertThat(specs.get(2).request()).isInstanceOfSatisfying(DeleteParameters.class, p -> {
            assertThat(p.location()).isEqualTo("prod:app-data/tmp/");
            assertThat(p.wholeBucket()).isFalse();
            assertThat(p.selection().minAge()).isEqualTo(Duration.ofDays(7));
        });
    }

    @Test
    void aSpecBecomesTheRequestTheCommandLineWouldBuild() throws IOException {
        write("verify.yaml", """
                name: weekly-verify
                cron: "0 0 6 * * MON"
                job: verify
                parameters:
                  source: prod:photos
                  target: backup:photos
                  size-only: yes
                  include: "*.jpg"
                  exclude: ["tmp/**", "*.part"]
                  min-size: 1MiB
                  max-age: 30d
                  from-storage-class: STANDARD,INFREQUENT
                  concurrency: 4
                  chunk-size: 250
                """);

        ScheduleSpec spec = read().get(0);

        assertThat(spec.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(spec.request()).isInstanceOfSatisfying(VerifyParameters.class, p -> {
            assertThat(p.identityCheck()).isEqualTo(dev.barge.batch.IdentityCheck.SIZE_ONLY);
            assertThat(p.selection().includes()).containsExactly("*.jpg");
            assertThat(p.selection().excludes()).containsExactly("tmp/**", "*.part");
            assertThat(p.selection().minSize()).isEqualTo(1L << 20);
            assertThat(p.selection().maxAge()).isEqualTo(Duration.ofDays(30));
            assertThat(p.selection().storageClasses()).containsExactlyInAnyOrder(StorageClass.Family.STANDARD,
                    StorageClass.Family.INFREQUENT);
            assertThat(p.concurrency()).isEqualTo(4);
            assertThat(p.chunkSize()).isEqualTo(250);
        });
    }

    @Test
    void anArchiveToAnotherLocationIsAVerifiedCopyInTheClassAndWithDeleteSourceAMove() throws IOException {
        write("cold.yml", """
                name: cold
                cron: "0 0 1 * * *"
                job: archive
                parameters:
                  location: prod:media/
                  storage-class: DEEP_ARCHIVE
                  to: backup:cold/
                  delete-source: true
                """);

        assertThat(read().get(0).request()).isInstanceOfSatisfying(MigrateParameters.class, p -> {
            assertThat(p.mode()).isEqualTo(MigrationMode.MOVE);
            assertThat(p.targetStorageClass()).isEqualTo(StorageClass.of(StorageClass.Family.DEEP_ARCHIVE));
            assertThat(p.target()).isEqualTo("backup:cold/");
        });
    }

    /** A bad spec, the field named and words of the message. */
    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("unknown job", MIGRATE.replace("job: migrate", "job: migrat"), "job", 3,
                        "did you mean 'migrate'?"),
                Arguments.of("misspelled parameter", MIGRATE + "  mode: sync\n  delete-extraneus: true\n",
                        "parameters.delete-extraneus", 8, "did you mean 'delete-extraneous'?"),
                Arguments.of("unknown field", MIGRATE.replace("cron:", "crom:"), "crom", 2, "did you mean 'cron'?"),
                Arguments.of("cron of five fields", MIGRATE.replace("0 0 2 * * *", "0 2 * * *"), "cron", 2,
                        "six fields"),
                Arguments.of("cron out of range", MIGRATE.replace("0 0 2 * * *", "0 0 25 * * *"), "cron", 2,
                        "is not a cron expression"),
                Arguments.of("misspelled zone", MIGRATE + "zone: Europe/Berln\n", "zone", 7,
                        "did you mean 'Europe/Berlin'?"),
                Arguments.of("bad mode", MIGRATE + "  mode: synk\n", "parameters.mode", 7,
                        "must be copy, sync or move, not 'synk'"),
                Arguments.of("delete-extraneous without sync", MIGRATE + "  delete-extraneous: true\n",
                        "parameters.delete-extraneous", 7, "needs mode: sync"),
                Arguments.of("an age that is not one", MIGRATE + "  min-age: 90 days\n", "parameters.min-age", 7,
                        "is not an age"),
                Arguments.of("sizes the selection refuses", MIGRATE + "  min-size: 10MB\n  max-size: 1MB\n",
                        "parameters.min-size", 7, "is above max size"),
                Arguments.of("a restore the record refuses", """
                        name: thaw
                        cron: "0 0 2 * * *"
                        job: restore
                        parameters:
                          location: prod:cold/
                          then-copy-to: backup:warm/
                        """, "parameters", 4, "--then-copy-to needs --wait"),
                Arguments.of("no concurrency", MIGRATE + "  concurrency: 0\n", "parameters.concurrency", 7,
                        "from 1 to 256"),
                Arguments.of("an unknown remote", MIGRATE.replace("backup:photos", "bakup:photos"),
                        "parameters.target", 6, "unknown remote 'bakup'"),
                Arguments.of("a rate limit", MIGRATE + "  tps-limit: 10\n", "parameters.tps-limit", 7,
                        "barge.remotes.<remote>.rate-limit.operations-per-second"),
                Arguments.of("no name", MIGRATE.replace("name: sync\n", ""), "name", 1, "is missing"),
                Arguments.of("a name that is no word", MIGRATE.replace("name: sync", "name: my sync"), "name", 1,
                        "letters, digits"),
                Arguments.of("a field twice", MIGRATE + "  source: prod:other\n", "parameters.source", 7,
                        "is given twice"),
                Arguments.of("no parameters", MIGRATE.substring(0, MIGRATE.indexOf("parameters:")), "parameters", 1,
                        "is missing"),
                Arguments.of("a delete without yes", """
                        name: purge
                        cron: "0 0 2 * * *"
                        job: delete
                        parameters:
                          location: prod:scratch/tmp/
                        """, "parameters.yes", 4, "no terminal to ask for a confirmation on"),
                Arguments.of("a whole bucket without all", """
                        name: purge
                        cron: "0 0 2 * * *"
                        job: delete
                        parameters:
                          location: prod:tmp
                          yes: true
                        """, "parameters.location", 5, "add 'all: true'"),
                Arguments.of("not YAML", "name: [sync\ncron: x\n", "", 2, "is not valid YAML"),
                Arguments.of("not a mapping", "- name: sync\n", "", 0, "must be a mapping of fields"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void aBadSpecIsRefusedNamingTheFileTheFieldAndTheLine(String what, String yaml, String field, int line,
            String words) throws IOException {
        Path file = write("bad.yml", yaml);

        assertThatThrownBy(this::read)
                .isInstanceOfSatisfying(InvalidScheduleSpecs.class, e -> {
                    assertThat(e.problems()).as(e.getMessage()).anySatisfy(p -> {
                        assertThat(p.file()).isEqualTo(file);
                        assertThat(p.field()).isEqualTo(field);
                        assertThat(p.line()).isEqualTo(line);
                        assertThat(p.message()).contains(words);
                    });
                    assertThat(e.getMessage()).contains(file.toString()).contains(words);
                });
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnceAndAGoodFileBesideThemIsNotEnough() throws IOException {
        write("a.yml", MIGRATE.replace("job: migrate", "job: migrat"));
        write("b.yml", MIGRATE.replace("0 0 2 * * *", "every night") + "zone: Mars/Olympus\n");
        write("c.yml", MIGRATE.replace("name: sync", "name: good"));
        write("notes.txt", "not a spec");

        assertThatThrownBy(this::read).isInstanceOfSatisfying(InvalidScheduleSpecs.class, e ->
                assertThat(e.problems()).extracting(p -> p.file().getFileName() + " " + p.field())
                        .containsExactly("a.yml job", "b.yml cron", "b.yml zone"));
    }

    @Test
    void twoSpecsOfOneNameAreRefused() throws IOException {
        write("a.yml", MIGRATE);
        Path second = write("b.yml", MIGRATE.replace("prod:photos", "prod:other"));

        assertThatThrownBy(this::read).isInstanceOfSatisfying(InvalidScheduleSpecs.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).isEqualTo(second);
                    assertThat(p.field()).isEqualTo("name");
                    assertThat(p.message()).contains("'sync' is already the name of " + dir.resolve("a.yml"));
                }));
    }

    @Test
    void aDryRunDeleteNeedsNoYesAndAWholeBucketWithAllIsAccepted() throws IOException {
        write("a.yml", """
                name: count-tmp
                cron: "0 0 2 * * *"
                job: delete
                parameters:
                  location: prod:scratch/tmp/
                  dry-run: true
                """);
        write("b.yml", """
                name: empty-scratch
                cron: "0 0 2 * * *"
                job: delete
                parameters:
                  location: prod:scratch
                  all: true
                  yes: true
                """);

        List<ScheduleSpec> specs = read();

        assertThat(specs.get(0).request().dryRun()).isTrue();
        assertThat(specs.get(1).request()).isInstanceOfSatisfying(DeleteParameters.class,
                p -> assertThat(p.wholeBucket()).isTrue());
    }

    @Test
    void aMissingDirectoryHoldsNoSpecs() {
        assertThat(new ScheduleSpecs(KNOWN_REMOTES).read(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void theNextRunIsInTheSpecsZone() throws IOException {
        write("a.yml", MIGRATE.replace("0 0 2 * * *", "0 30 9 * * *") + "zone: Asia/Shanghai\n");

        ScheduleSpec spec = read().get(0);

        Instant next = spec.trigger().nextExecution(new SimpleTriggerContext(java.time.Clock.fixed(
                Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC)));
        assertThat(ZonedDateTime.ofInstant(next, ZoneId.of("Asia/Shanghai")).toLocalTime())
                .isEqualTo(java.time.LocalTime.of(9, 30));
        assertThat(next).isEqualTo(Instant.parse("2026-03-01T01:30:00Z"));
    }
}
