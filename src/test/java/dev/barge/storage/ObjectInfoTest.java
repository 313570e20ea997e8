package dev.barge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ObjectInfo#changesSince}: one object asked for twice, told apart only by what moved. */
class ObjectInfoTest {
    private static final Instant LISTED = Instant.parse("2026-12-03T10:00:00Z");

    private static ObjectInfo object(long size, Instant modified, String etag, List<Checksum> checksums) {
        return new ObjectInfo("k", size, modified, etag, StorageClass.STANDARD, null, Map.of(), checksums,
                RestoreStatus.NONE);
    }

    @Test
    void theSameAnswerTwiceIsNoChange() {
        ObjectInfo a = object(10, LISTED, "e1", List.of(Checksum.md5Hex("0123456789abcdef0123456789abcdef")));
        assertThat(a.changesSince(a)).isEmpty();
    }

    @Test
    void aListingInMillisecondsAndAHeadInWholeSecondsAreTheSameVersion() {
        ObjectInfo listed = object(10, Instant.parse("2026-12-03T10:00:00.000Z"), "e1", List.of());
        ObjectInfo head = object(10, Instant.parse("2026-12-03T10:00:00Z"), "e1", List.of());
        ObjectInfo listedWithMillis = object(10, Instant.parse("2026-12-03T10:00:00.734Z"), null, List.of());
        assertThat(head.changesSince(listed)).isEmpty();
        assertThat(head.changesSince(listedWithMillis)).isEmpty();
    }

    @Test
    void aNewerWholeSecondIsAChange() {
        ObjectInfo later = object(10, LISTED.plusSeconds(1), null, List.of());
        assertThat(later.changesSince(object(10, LISTED, null, List.of()))).get().asString()
                .contains("modified at 2026-12-03T10:00:01Z");
    }

    @Test
    void aLocalFileRewrittenInTheSameSecondWithTheSameSizeIsAChangeByItsNanoseconds() {
        ObjectInfo before = object(10, LISTED.plusNanos(100), null, List.of());
        ObjectInfo after = object(10, LISTED.plusNanos(900), null, List.of());
        assertThat(after.changesSince(before)).isPresent();
    }

    @Test
    void sizeEtagAndChecksumsEachTellVersionsApart() {
        ObjectInfo listed = object(10, LISTED, "e1", List.of(Checksum.md5Hex("0123456789abcdef0123456789abcdef")));
        assertThat(object(11, LISTED, "e1", listed.checksums()).changesSince(listed)).get().asString()
                .contains("size went from 10 to 11");
        assertThat(object(10, LISTED, "e2", listed.checksums()).changesSince(listed)).get().asString()
                .contains("etag went from e1 to e2");
        assertThat(object(10, LISTED, "e1", List.of(Checksum.md5Hex("ffffffffffffffffffffffffffffffff")))
                .changesSince(listed)).get().asString().contains("MD5 went from");
    }

    @Test
    void whatOnlyOneAnswerCarriesDecidesNothing() {
        ObjectInfo listed = object(10, LISTED, null, List.of());
        ObjectInfo stat = object(10, LISTED, "e1", List.of(Checksum.md5Hex("0123456789abcdef0123456789abcdef")));
        assertThat(stat.changesSince(listed)).isEmpty();
        assertThat(listed.changesSince(stat)).isEmpty();
    }
}
