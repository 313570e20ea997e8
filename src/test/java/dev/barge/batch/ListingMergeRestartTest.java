package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** A merge of two listings resumed from its saved positions walks on from where it stopped, on both sides. */
class ListingMergeRestartTest {

    @Test
    void aTargetThatWasEmptyResumesPastWhatWasDoneNotFromItsStart() {
        ExecutionContext context = new ExecutionContext();
        ListingMergeItemReader first = merge(Set.of("a", "b", "c", "d"), Set.of());
        first.open(context);
        assertThat(first.read().key()).isEqualTo("a");
        assertThat(first.read().key()).isEqualTo("b");
        first.update(context);
        first.close();

        // a and b were copied before the restart: the target holds them now
        ListingMergeItemReader resumed = merge(Set.of("a", "b", "c", "d"), Set.of("a", "b"));
        resumed.open(context);
        List<String> pairs = new ArrayList<>();
        for (ObjectPair pair = resumed.read(); pair != null; pair = resumed.read()) {
            assertThat(pair.source()).as("%s is the source's", pair.key()).isNotNull();
            pairs.add(pair.key());
        }
        assertThat(pairs).containsExactly("c", "d");
    }

    @Test
    void aSourceBehindTheTargetResumesPastTheTargetsLastKeyToo() {
        ExecutionContext context = new ExecutionContext();
        ListingMergeItemReader first = merge(Set.of("c"), Set.of("a", "b", "c"));
        first.open(context);
        assertThat(first.read().key()).isEqualTo("a");
        assertThat(first.read().key()).isEqualTo("b");
        first.update(context);

        ListingMergeItemReader resumed = merge(Set.of("c"), Set.of("a", "b", "c"));
        resumed.open(context);
        ObjectPair pair = resumed.read();
        assertThat(pair.key()).isEqualTo("c");
        assertThat(pair.source()).isNotNull();
        assertThat(pair.target()).isNotNull();
        assertThat(resumed.read()).isNull();
    }

    private static ListingMergeItemReader merge(Set<String> source, Set<String> target) {
        return new ListingMergeItemReader(reader("source", source), "", reader("target", target), "");
    }

    private static ObjectListingItemReader reader(String name, Set<String> keys) {
        return new ObjectListingItemReaderBuilder().name(name).remote(name).store(ScriptedListing.keyspace(keys))
                .bucket("b").build();
    }
}
