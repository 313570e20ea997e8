package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.KeyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The merge of two listings, with the sync's planner, over random key sets of ASCII, BMP and
 * astral characters, each side listed in UTF-8 byte order or in UTF-16 unit order in random
 * pages.
 *
 * <ul>
 *   <li>Both in byte order: every key is paired exactly once, with what each side holds.</li>
 *   <li>A source in byte order, whatever the target's: no key the source holds is ever planned
 *       for deletion (a target key out of place is refused before it is handed out).</li>
 *   <li>A source out of byte order can make a key it lists later look target-only; the source's
 *       reader then always stops at that later key. The window between is what the writer's
 *       check at the source before every delete closes (shown end to end in
 *       {@code MigrateJobContract}).</li>
 * </ul>
 */
class ListingMergePropertyTest {
    private static final String[] ALPHABET = {"a", "b", "z", "A", "0", "-", "_", " ", "~", "\u00e9", "\u00ff", "\u4e2d",
            "\uD7FF", "\uE000", "\uF8FF", "\uFFFD", "\uFFEE", "\uD83D\uDE00", "\uD834\uDD1E", "\uDBFF\uDFFF"};
    private static final Comparator<String> UTF16 = Comparator.naturalOrder();

    @Test
    void noKeyTheSourceHoldsIsEverPlannedForDeletionInEitherOrder() {
        Random random = new Random(20261201);
        int refused = 0;
        int misplanned = 0;
        for (int trial = 0; trial < 2000; trial++) {
            Set<String> source = keys(random);
            Set<String> target = new HashSet<>();
            source.stream().filter(k -> random.nextBoolean()).forEach(target::add);
            target.addAll(keys(random));
            boolean sourceInBytes = random.nextInt(3) > 0;
            boolean targetInBytes = random.nextInt(3) > 0;
            ListingMergeItemReader merge = new ListingMergeItemReader(
                    reader("source", source, sourceInBytes, 1 + random.nextInt(6)), "",
                    reader("target", target, targetInBytes, 1 + random.nextInt(6)), "");
            MigrationPlanner planner = new MigrationPlanner(ObjectFilter.ALL, IdentityCheck.SIZE_ONLY, true,
                    ScriptedListing.pages(List.of()), "b", "");
            List<ObjectPair> pairs = new ArrayList<>();
            String stoppedBy = null;
            try {
                merge.open(new ExecutionContext());
                ObjectPair pair;
                while ((pair = merge.read()) != null) {
                    pairs.add(pair);
                }
            } catch (ListingOrderException e) {
                stoppedBy = e.getMessage().substring(0, e.getMessage().indexOf(" listed"));
                refused++;
            }
            String context = "trial " + trial + ": source " + source + " (bytes " + sourceInBytes + "), target " + target
                    + " (bytes " + targetInBytes + ")";
            Set<String> seen = new HashSet<>();
            for (ObjectPair pair : pairs) {
                assertThat(seen.add(pair.key())).as(context + ": %s paired once", pair.key()).isTrue();
                if (planner.process(pair).action() == PlannedObject.Action.DELETE_EXTRANEOUS
                        && source.contains(pair.key())) {
                    misplanned++;
                    assertThat(sourceInBytes).as(context + ": plans to delete %s", pair.key()).isFalse();
                    assertThat(stoppedBy).as(context + ": the source's reader stops later").isEqualTo("remote 'source'");
                }
                if (sourceInBytes) {
                    assertThat(pair.source() != null).as(context + ": %s on the source", pair.key())
                            .isEqualTo(source.contains(pair.key()));
                }
            }
            if (sourceInBytes && targetInBytes) {
                assertThat(stoppedBy).as(context).isNull();
                Set<String> all = new TreeSet<>(source);
                all.addAll(target);
                assertThat(seen).as(context).isEqualTo(all);
                for (ObjectPair pair : pairs) {
                    assertThat(pair.target() != null).as(context + ": %s on the target", pair.key())
                            .isEqualTo(target.contains(pair.key()));
                }
            }
        }
        assertThat(refused).as("the random key sets include listings the reader must refuse").isGreaterThan(100);
        assertThat(misplanned).as("and sources out of order that make a key look target-only").isPositive();
    }

    private static ObjectListingItemReader reader(String name, Set<String> keys, boolean inBytes, int pageSize) {
        return new ObjectListingItemReaderBuilder().name(name).remote(name)
                .store(ScriptedListing.sorted(List.copyOf(keys), inBytes ? KeyOrder.UTF8 : UTF16, pageSize))
                .bucket("b").build();
    }

    private static Set<String> keys(Random random) {
        Set<String> keys = new HashSet<>();
        int count = random.nextInt(12);
        while (keys.size() < count) {
            StringBuilder key = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                key.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            keys.add(key.toString());
        }
        return keys;
    }
}
