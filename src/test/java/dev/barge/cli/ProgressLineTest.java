package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress line fits the terminal's width and keeps a real bar, on narrow and wide terminals. */
class ProgressLineTest {
    private static final Pattern BAR = Pattern.compile("\\[([=> <]*)]");

    private static int barWidth(String line) {
        Matcher m = BAR.matcher(line);
        assertThat(m.find()).as("a bar in: %s", line).isTrue();
        return m.group(1).length();
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void aLongMigrationFitsTheWidthWithABarAndItsCounts(int width) {
        ProgressLine.Extra extra = new ProgressLine.Extra(21_600_000_000L, 0, true, 1_234_567);

        String line = new ProgressLine(JobView.MIGRATE, false).render(617_284, 1_234_567, Duration.ofMinutes(42), extra, width);

        assertThat(line.length()).as(line).isLessThanOrEqualTo(width);
        assertThat(barWidth(line)).as(line).isGreaterThanOrEqualTo(ProgressLine.MIN_BAR);
        assertThat(line).contains(" 50% ", "617284/1234567 objects", "20.1 GiB copied");
        if (width >= 120) {
            assertThat(line).startsWith("migrate  50% [").contains("/s", "ETA 0:41:");
            assertThat(barWidth(line)).isEqualTo(ProgressLine.MAX_BAR);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void whileTheListingRunsTheBarHasNoEndAndSaysHowManyAreListed(int width) {
        ProgressLine.Extra extra = new ProgressLine.Extra(5_000_000, 0, false, 25_000);

        String line = new ProgressLine(JobView.MIGRATE, false).render(12_000, -1, Duration.ofSeconds(7), extra, width);

        assertThat(line.length()).as(line).isLessThanOrEqualTo(width);
        assertThat(barWidth(line)).isGreaterThanOrEqualTo(ProgressLine.MIN_BAR);
        assertThat(line).contains("<=>", "12000 objects (25000 listed so far)", "4.8 MiB copied").doesNotContain("%");
    }

    @Test
    void whereOtherProcessesListTheBarSaysNoCountOfItsOwn() {
        // remote partitions: the workers list, and this process's count stays at 0 while objects are done
        ProgressLine.Extra extra = new ProgressLine.Extra(5_000_000, 0, false, 0);

        String line = new ProgressLine(JobView.MIGRATE, false).render(1_900, -1, Duration.ofSeconds(7), extra, 200);

        assertThat(line).contains("1900 objects", "4.8 MiB copied").doesNotContain("listed so far");
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void aDryRunShowsNoRate(int width) {
        String line = new ProgressLine(JobView.MIGRATE, true).render(3, 10, Duration.ofSeconds(2), new ProgressLine.Extra(0, 0, true, 10),
                width);

        assertThat(line.length()).isLessThanOrEqualTo(width);
        assertThat(line).contains("3/10 objects").doesNotContain("/s");
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 40})
    void aVeryNarrowTerminalDropsTheLeastUsefulPartsFirstAndNeverOverflows(int width) {
        String line = new ProgressLine(JobView.MIGRATE, false).render(617_283, 1_234_567, Duration.ofMinutes(42),
                new ProgressLine.Extra(21_600_000_000L, 0, true, 1_234_567), width);

        assertThat(line.length()).as(line).isLessThanOrEqualTo(width);
        assertThat(line).contains("[");
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void oneObjectIsCountedInTheSingular(int width) {
        String line = new ProgressLine(JobView.MIGRATE, false).render(1, 1, Duration.ofSeconds(1), new ProgressLine.Extra(5, 0, true, 1),
                width);
        assertThat(line).contains("100% [", "1/1 object,");
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 200})
    void aDeleteSaysDeletedAndCountsObjectsPerSecond(int width) {
        String line = new ProgressLine(JobView.DELETE, false).render(2_000, 4_000, Duration.ofSeconds(2),
                new ProgressLine.Extra(2_097_152, 2_000, true, 4_000), width);

        assertThat(line.length()).as(line).isLessThanOrEqualTo(width);
        assertThat(line).startsWith("delete  50% [").contains("2000/4000 objects", "2.0 MiB deleted")
                .doesNotContain("copied", "MiB/s");
        if (width >= 120) {
            assertThat(line).contains("1,000 objects/s", "ETA ");
        }
    }
}
