package dev.barge.emulator.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OssBucketStateTest {

    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    private static OssBucketState bucketWith(String... keys) {
        OssBucketState bucket = new OssBucketState("b", NOW, "Standard");
        for (String key : keys) {
            bucket.put(new OssObject(key, new byte[0], "E", 0, null, NOW, "application/octet-stream", Map.of(),
                    Map.of(), "Standard", OssObject.Type.Normal, null));
        }
        return bucket;
    }

    private static List<String> keys(OssBucketState.Page page) {
        return page.objects().stream().map(OssObject::key).toList();
    }

    @Test
    void aMarkerInsideARolledUpPrefixSkipsTheRestOfThatPrefix() {
        OssBucketState bucket = bucketWith("dir/a", "dir/b", "dir/c", "dir0", "e");
        OssBucketState.Page page = bucket.list("", "/", "dir/b", 10);
        assertThat(page.commonPrefixes()).isEmpty();
        assertThat(keys(page)).containsExactly("dir0", "e");

        OssBucketState.Page afterPrefix = bucket.list("", "/", "dir/", 10);
        assertThat(keys(afterPrefix)).containsExactly("dir0", "e");
        OssBucketState.Page first = bucket.list("", "/", null, 1);
        assertThat(first.commonPrefixes()).containsExactly("dir/");
        assertThat(first.truncated()).isTrue();
        assertThat(first.last()).isEqualTo("dir/");
    }

    @Test
    void aMarkerBeforeThePrefixStartsAtThePrefix() {
        OssBucketState bucket = bucketWith("a", "p/1", "p/2", "q");
        assertThat(keys(bucket.list("p/", "", "a", 10))).containsExactly("p/1", "p/2");
        assertThat(keys(bucket.list("p/", "", "p/1", 10))).containsExactly("p/2");
        assertThat(bucket.list("p/", "", "p/2", 10).objects()).isEmpty();
    }

    @Test
    void restoreStateFollowsThePolicy() {
        OssObject.Restore ongoing = new OssObject.Restore(true, NOW, 1, 1, null);
        assertThat(OssBucketState.effectiveRestore(ongoing, NOW, RestorePolicy.afterHeads(1)).ongoing()).isTrue();
        assertThat(OssBucketState.effectiveRestore(ongoing.headSeen(), NOW, RestorePolicy.afterHeads(1)).ongoing())
                .isFalse();
        RestorePolicy delay = RestorePolicy.afterDelay(Duration.ofHours(1));
        assertThat(OssBucketState.effectiveRestore(ongoing, NOW.plusSeconds(3599), delay).ongoing()).isTrue();
        OssObject.Restore done = OssBucketState.effectiveRestore(ongoing, NOW.plusSeconds(3600), delay);
        assertThat(done.ongoing()).isFalse();
        assertThat(done.expiry()).isEqualTo(NOW.plusSeconds(3600 + 86_400));
        assertThat(OssBucketState.effectiveRestore(done, done.expiry(), delay)).isNull();
        assertThat(OssBucketState.effectiveRestore(ongoing, NOW.plus(Duration.ofDays(30)), RestorePolicy.manual())
                .ongoing()).isTrue();
    }
}
