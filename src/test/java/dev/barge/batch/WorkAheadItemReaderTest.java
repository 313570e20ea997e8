package dev.barge.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** The read-ahead's bookkeeping: what it starts, what it saves for a restart, what it abandons. */
class WorkAheadItemReaderTest {

    /** Items 1..n, failing instead of yielding {@code failAt}; its position is the last item read. */
    private static final class Numbers implements MarkingItemReader<Integer, Integer> {
        private final int n;
        private final int failAt;
        private int last;

        Numbers(int n, int failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        @Override
        public void open(ExecutionContext context) {
            last = context.getInt("last", 0);
        }

        @Override
        public Integer read() {
            if (last + 1 == failAt) {
                throw new IllegalStateException("listing failed at " + failAt);
            }
            return last < n ? ++last : null;
        }

        @Override
        public Integer mark() {
            return last;
        }

        @Override
        public void save(ExecutionContext context, Integer mark) {
            context.putInt("last", mark);
        }
    }

    private final List<Integer> started = new ArrayList<>();
    private final List<String> abandoned = new ArrayList<>();

    private WorkAheadItemReader<Integer, Integer, String> reader(Numbers numbers, int window) {
        return new WorkAheadItemReader<>(numbers, i -> {
            started.add(i);
            return i % 5 == 0 ? null : "work " + i; // every fifth item has nothing to hand on
        }, abandoned::add, window);
    }

    @Test
    void startsUpToTheWindowAheadAndSavesOnlyWhatWasHandedOut() {
        WorkAheadItemReader<Integer, Integer, String> ahead = reader(new Numbers(20, -1), 3);
        ahead.open(new ExecutionContext());

        assertThat(ahead.read()).isEqualTo("work 1");
        assertThat(started).as("the first read fills the window").containsExactly(1, 2, 3);
        assertThat(ahead.read()).isEqualTo("work 2");
        assertThat(ahead.read()).isEqualTo("work 3");
        assertThat(started).as("the window stays full: item 5 has no work, so 6 is started too")
                .containsExactly(1, 2, 3, 4, 5, 6);

        ExecutionContext saved = new ExecutionContext();
        ahead.update(saved);
        assertThat(saved.getInt("last")).as("a restart resumes after the last item handed out").isEqualTo(3);

        ahead.close();
        assertThat(abandoned).containsExactly("work 4", "work 6");
    }

    @Test
    void aRestartFromTheSavedPositionStartsNothingTwiceThatWasHandedOut() {
        WorkAheadItemReader<Integer, Integer, String> first = reader(new Numbers(10, -1), 4);
        first.open(new ExecutionContext());
        List<String> handed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            handed.add(first.read());
        }
        ExecutionContext saved = new ExecutionContext();
        first.update(saved);
        first.close();

        WorkAheadItemReader<Integer, Integer, String> second = reader(new Numbers(10, -1), 4);
        second.open(saved);
        String item;
        while ((item = second.read()) != null) {
            handed.add(item);
        }

        assertThat(handed).containsExactly("work 1", "work 2", "work 3", "work 4", "work 6", "work 7", "work 8",
                "work 9");
    }

    @Test
    void aFailureOfTheReaderComesAfterTheItemsReadBeforeIt() {
        WorkAheadItemReader<Integer, Integer, String> ahead = reader(new Numbers(10, 4), 5);
        ahead.open(new ExecutionContext());

        assertThat(ahead.read()).isEqualTo("work 1");
        assertThat(ahead.read()).isEqualTo("work 2");
        assertThat(ahead.read()).isEqualTo("work 3");
        Throwable failure = catchThrowable(ahead::read);

        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("listing failed at 4");
        ExecutionContext saved = new ExecutionContext();
        ahead.update(saved);
        assertThat(saved.getInt("last")).isEqualTo(3);
        assertThat(ahead.read()).as("the reader is done after its failure").isNull();
    }

    @Test
    void theEndIsTheEndOnceEverythingIsHandedOut() {
        WorkAheadItemReader<Integer, Integer, String> ahead = reader(new Numbers(3, -1), 10);
        ahead.open(new ExecutionContext());

        assertThat(ahead.read()).isEqualTo("work 1");
        assertThat(ahead.read()).isEqualTo("work 2");
        assertThat(ahead.read()).isEqualTo("work 3");
        assertThat(ahead.read()).isNull();
        ahead.close();
        assertThat(abandoned).isEmpty();
    }
}
