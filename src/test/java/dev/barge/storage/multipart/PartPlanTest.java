package dev.barge.storage.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Capabilities;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import org.junit.jupiter.api.Test;

class PartPlanTest {
    private static final Capabilities S3_LIKE = Capabilities.builder().multipart(5L << 20, 5L << 30, 10_000).build();

    private static PartPlan plan(long size, long preferred, Capabilities caps) {
        return PartPlan.of(Operation.MULTIPART_INITIATE, "b", "k", size, preferred, caps);
    }

    @Test
    void preferredPartSizeIsRaisedToTheStoreMinimum() {
        PartPlan plan = plan(12L << 20, 1L << 20, S3_LIKE);
        assertThat(plan.partSize()).isEqualTo(5L << 20);
        assertThat(plan.partCount()).isEqualTo(3);
        assertThat(plan.range(3)).isEqualTo(ByteRange.of(10L << 20, (12L << 20) - 1));
        assertThat(plan.length(3)).isEqualTo(2L << 20);
    }

    @Test
    void partSizeGrowsToKeepThePartCountWithinTheMaximum() {
        Capabilities fewParts = Capabilities.builder().multipart(10, 1000, 4).build();
        PartPlan plan = plan(1001, 10, fewParts);
        assertThat(plan.partSize()).isEqualTo(251);
        assertThat(plan.partCount()).isEqualTo(4);
        assertThat(plan.length(4)).isEqualTo(1001 - 3 * 251);
    }

    @Test
    void exactMultiplesAndOneByteMore() {
        Capabilities small = Capabilities.builder().multipart(10, 1000, 100).build();
        assertThat(plan(30, 10, small).partCount()).isEqualTo(3);
        assertThat(plan(30, 10, small).length(3)).isEqualTo(10);
        assertThat(plan(31, 10, small).partCount()).isEqualTo(4);
        assertThat(plan(31, 10, small).length(4)).isEqualTo(1);
        assertThat(plan(0, 10, small).partCount()).isEqualTo(1);
    }

    @Test
    void anObjectTooLargeForTheStoreIsRefusedNamingIt() {
        Capabilities tiny = Capabilities.builder().multipart(10, 100, 2).build();
        assertThatThrownBy(() -> plan(1000, 10, tiny))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("1000 bytes").hasMessageContaining("k");
    }

    @Test
    void partNumbersOutsideThePlanAreRefused() {
        PartPlan plan = plan(30, 10, Capabilities.builder().multipart(10, 1000, 100).build());
        assertThatThrownBy(() -> plan.range(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.range(4)).isInstanceOf(IllegalArgumentException.class);
    }
}
