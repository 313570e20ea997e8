package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.storage.ObjectInfo;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectFilterTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private static ObjectInfo object(String key, long size, Instant modified, StorageClass.Family family) {
        return new ObjectInfo(key, size, modified, null, StorageClass.of(family), null, Map.of(), List.of(),
                RestoreStatus.NONE);
    }

    private static ObjectInfo object(String key) {
        return object(key, 10, NOW, StorageClass.Family.STANDARD);
    }

    private static ObjectFilter globs(List<String> includes, List<String> excludes) {
        return new ObjectFilter(includes, excludes, null, null, null, null, Set.of());
    }

    @Test
    void aGlobWithoutSlashMatchesTheNameAtAnyDepth() {
        ObjectFilter jpg = globs(List.of("*.jpg"), List.of());
        assertThat(jpg.accepts("a.jpg", object("a.jpg"))).isTrue();
        assertThat(jpg.accepts("x/y/b.jpg", object("x/y/b.jpg"))).isTrue();
        assertThat(jpg.accepts("x/y/b.jpg.txt", object("x/y/b.jpg.txt"))).isFalse();
        assertThat(jpg.accepts("jpg/readme", object("jpg/readme"))).isFalse();
    }

    @Test
    void aGlobWithSlashMatchesTheWholeKey() {
        ObjectFilter logs = globs(List.of("logs/*/app-?.log", "/top/**"), List.of());
        assertThat(logs.accepts("logs/2024/app-1.log", object("logs/2024/app-1.log"))).isTrue();
        assertThat(logs.accepts("logs/2024/01/app-1.log", object("logs/2024/01/app-1.log"))).as("* stays in a segment")
                .isFalse();
        assertThat(logs.accepts("top/a/b/c", object("top/a/b/c"))).as("** crosses segments").isTrue();
        assertThat(logs.accepts("other/top/a", object("other/top/a"))).isFalse();
    }

    @Test
    void excludesWinOverIncludes() {
        ObjectFilter filter = globs(List.of("photos/**"), List.of("*.tmp", "photos/private/**"));
        assertThat(filter.accepts("photos/a.jpg", object("photos/a.jpg"))).isTrue();
        assertThat(filter.accepts("photos/a.tmp", object("photos/a.tmp"))).isFalse();
        assertThat(filter.accepts("photos/private/x.jpg", object("photos/private/x.jpg"))).isFalse();
        assertThat(filter.accepts("videos/a.mp4", object("videos/a.mp4"))).isFalse();
    }

    @Test
    void sizesAreInclusiveBounds() {
        ObjectFilter filter = new ObjectFilter(List.of(), List.of(), 10L, 20L, null, null, Set.of());
        assertThat(filter.accepts("k", object("k", 9, NOW, StorageClass.Family.STANDARD))).isFalse();
        assertThat(filter.accepts("k", object("k", 10, NOW, StorageClass.Family.STANDARD))).isTrue();
        assertThat(filter.accepts("k", object("k", 20, NOW, StorageClass.Family.STANDARD))).isTrue();
        assertThat(filter.accepts("k", object("k", 21, NOW, StorageClass.Family.STANDARD))).isFalse();
        assertThatThrownBy(() -> new ObjectFilter(List.of(), List.of(), 5L, 4L, null, null, Set.of()))
                .hasMessageContaining("min size 5 is above max size 4");
    }

    @Test
    void modifiedAfterIsInclusiveAndModifiedBeforeExclusive() {
        Instant cut = NOW.minusSeconds(3600);
        ObjectFilter recent = new ObjectFilter(List.of(), List.of(), null, null, cut, null, Set.of());
        ObjectFilter old = new ObjectFilter(List.of(), List.of(), null, null, null, cut, Set.of());
        ObjectInfo atCut = object("k", 1, cut, StorageClass.Family.STANDARD);
        ObjectInfo before = object("k", 1, cut.minusSeconds(1), StorageClass.Family.STANDARD);
        assertThat(recent.accepts("k", atCut)).isTrue();
        assertThat(recent.accepts("k", before)).isFalse();
        assertThat(old.accepts("k", atCut)).isFalse();
        assertThat(old.accepts("k", before)).isTrue();
    }

    @Test
    void storageClassesFilterByFamily() {
        ObjectFilter archived = new ObjectFilter(List.of(), List.of(), null, null, null, null,
                Set.of(StorageClass.Family.ARCHIVE, StorageClass.Family.DEEP_ARCHIVE));
        assertThat(archived.accepts("k", object("k", 1, NOW, StorageClass.Family.ARCHIVE))).isTrue();
        assertThat(archived.accepts("k", object("k", 1, NOW, StorageClass.Family.STANDARD))).isFalse();
    }

    @Test
    void agesAreMeasuredFromTheMigrationsReferenceTime() {
        ObjectFilter filter = dev.barge.job.MigrateParameters.builder("a:b", "c:d")
                .maxAge(java.time.Duration.ofDays(7)).minAge(java.time.Duration.ofDays(1)).build().filter(NOW);
        assertThat(filter.modifiedAfter()).isEqualTo(NOW.minus(java.time.Duration.ofDays(7)));
        assertThat(filter.modifiedBefore()).isEqualTo(NOW.minus(java.time.Duration.ofDays(1)));
    }
}
