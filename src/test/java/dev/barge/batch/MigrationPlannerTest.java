package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.Checksum;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.transfer.ObjectTransfer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the planner tells an object already at the target from one to copy. */
class MigrationPlannerTest {
    private static final Instant T = Instant.parse("2026-11-21T12:00:00.700Z");
    private static final String MD5 = "5d41402abc4b2a76b9719d911017c592";

    @TempDir
    Path root;

    private ObjectStore target;

    @BeforeEach
    void target() {
        target = new LocalStoreProvider().open(RemoteConfig.local("t", root).withOption("sync", "false"));
        target.createBucket("out");
    }

    private static ObjectInfo info(String key, long size, Instant modified, List<Checksum> checksums) {
        return new ObjectInfo(key, size, modified, null, StorageClass.STANDARD, null, Map.of(), checksums,
                RestoreStatus.NONE);
    }

    private PlannedObject.Action plan(IdentityCheck check, ObjectInfo source, ObjectInfo existing) {
        return new MigrationPlanner(ObjectFilter.ALL, check, false, target, "out", "")
                .process(new ObjectPair("k", source, existing)).action();
    }

    @Test
    void equalChecksumsInACommonAlgorithmAreIdentical() {
        ObjectInfo source = info("k", 5, T, List.of(Checksum.md5Hex(MD5)));
        assertThat(plan(IdentityCheck.CHECKSUM, source, info("k", 5, T.minusSeconds(99), List.of(Checksum.md5Hex(MD5)))))
                .isEqualTo(PlannedObject.Action.SKIP_IDENTICAL);
        assertThat(plan(IdentityCheck.CHECKSUM, source, info("k", 5, T.plusSeconds(99),
                List.of(Checksum.md5Hex("00000000000000000000000000000000")))))
                .as("a newer target with other content is still different").isEqualTo(PlannedObject.Action.COPY);
        assertThat(plan(IdentityCheck.CHECKSUM, source, info("k", 6, T, List.of(Checksum.md5Hex(MD5)))))
                .isEqualTo(PlannedObject.Action.COPY);
    }

    @Test
    void withoutACommonChecksumTheMd5RecordedByAMultipartCopyDecides() {
        target.put(PutRequest.builder("out", "k").userMetadata(Map.of(ObjectTransfer.MD5_METADATA, MD5)).build(),
                Payload.ofBytes("hello".getBytes()));
        ObjectInfo source = info("k", 5, T, List.of(Checksum.md5Hex(MD5)));
        ObjectInfo multipartTarget = info("k", 5, T.minusSeconds(99),
                List.of(new Checksum(Checksum.Algorithm.CRC64_ECMA, "123")));
        assertThat(plan(IdentityCheck.CHECKSUM, source, multipartTarget)).isEqualTo(PlannedObject.Action.SKIP_IDENTICAL);

        target.put(PutRequest.builder("out", "k").userMetadata(Map.of(ObjectTransfer.MD5_METADATA,
                "ffffffffffffffffffffffffffffffff")).build(), Payload.ofBytes("hello".getBytes()));
        assertThat(plan(IdentityCheck.CHECKSUM, source, multipartTarget)).isEqualTo(PlannedObject.Action.COPY);
    }

    @Test
    void withNothingToCompareTimesDecideToTheSecond() {
        ObjectInfo source = info("k", 5, T, List.of());
        assertThat(plan(IdentityCheck.CHECKSUM, source, info("k", 5, Instant.parse("2026-11-21T12:00:00Z"), List.of())))
                .as("same second, as S3 reports it").isEqualTo(PlannedObject.Action.SKIP_IDENTICAL);
        assertThat(plan(IdentityCheck.CHECKSUM, source, info("k", 5, T.minusSeconds(1), List.of())))
                .isEqualTo(PlannedObject.Action.COPY);
        assertThat(plan(IdentityCheck.SIZE_AND_MTIME, source, info("k", 5, T.minusSeconds(1),
                List.of(Checksum.md5Hex(MD5))))).isEqualTo(PlannedObject.Action.COPY);
    }

    @Test
    void sizeOnlyLooksAtNothingElse() {
        ObjectInfo source = info("k", 5, T, List.of(Checksum.md5Hex(MD5)));
        assertThat(plan(IdentityCheck.SIZE_ONLY, source, info("k", 5, T.minusSeconds(999),
                List.of(Checksum.md5Hex("00000000000000000000000000000000"))))).isEqualTo(PlannedObject.Action.SKIP_IDENTICAL);
        assertThat(plan(IdentityCheck.SIZE_ONLY, source, info("k", 4, T, List.of()))).isEqualTo(PlannedObject.Action.COPY);
    }

    @Test
    void targetOnlyObjectsAreKeptUnlessDeletingExtraneous() {
        ObjectInfo extra = info("k", 1, T, List.of());
        assertThat(plan(IdentityCheck.CHECKSUM, null, extra)).isEqualTo(PlannedObject.Action.KEEP_EXTRANEOUS);
        assertThat(new MigrationPlanner(ObjectFilter.ALL, IdentityCheck.CHECKSUM, true, target, "out", "")
                .process(new ObjectPair("k", null, extra)).action()).isEqualTo(PlannedObject.Action.DELETE_EXTRANEOUS);
    }
}
