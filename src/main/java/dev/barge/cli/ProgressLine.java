package dev.barge.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * The live progress line of a job on a terminal, fitted to its width; a migration's:
 *
 * <pre>
 * migrate  45% [=========>           ] 2250/5000 objects, 20.6 MiB copied, 3.2 MiB/s, ETA 0:00:07
 * </pre>
 *
 * The bar is never narrower than {@value #MIN_BAR} characters nor wider than {@value #MAX_BAR}; when
 * the line does not fit, the least useful parts go first (the ETA, the rate, the task name), and
 * what remains is never cut in the middle. Until the listing has ended the total is not known: the
 * bar then shows a moving marker and the count listed so far. A dry run does nothing and shows no rate.
 * The words and the rate are the job's {@link JobView}: a delete shows "deleted" and objects per second.
 */
final class ProgressLine implements ProgressBarRenderer {
    static final int MIN_BAR = 10;
    static final int MAX_BAR = 40;

    /**
     * What the bar does not hold itself: the job's work done (bytes copied, objects deleted) and how far
     * the listing has got.
     */
    record Extra(long workBytes, long workObjects, boolean listingComplete, long listed) {}

    private final JobView view;
    private final boolean dryRun;
    private volatile Extra extra = new Extra(0, 0, false, 0);

    ProgressLine(JobView view, boolean dryRun) {
        this.view = java.util.Objects.requireNonNull(view, "view is null");
        this.dryRun = dryRun;
    }

    void update(Extra now) {
        this.extra = now;
    }

    @Override
    public String render(ProgressState state, int maxLength) {
        return render(state.getCurrent(), state.isIndefinite() ? -1 : state.getMax(), state.getTotalElapsed(), extra,
                maxLength);
    }

    /**
     * @param done objects done
     * @param total objects in all, or -1 while not known
     * @param width the terminal's width: the line is at most this long
     */
    String render(long done, long total, Duration elapsed, Extra now, int width) {
        boolean known = total >= 0;
        String task = view.task() + " ";
        String percent = known ? String.format(Locale.ROOT, "%3d%% ", total == 0 ? 100 : Math.min(100, done * 100 / total))
                : "";
        String counts = known ? done + "/" + total + " " + noun(total)
                : Formats.count(done, "object") + ProgressReporter.listedSoFar(now.listed(), done);
        String copied = Formats.bytes(now.workBytes()) + " " + view.verb();
        String rate = dryRun ? null : view.byteRate() ? Formats.rate(now.workBytes(), elapsed)
                : Formats.objectRate(now.workObjects(), elapsed);
        String eta = known && done > 0 && done < total
                ? "ETA " + Formats.duration(Duration.ofNanos((long) ((double) elapsed.toNanos() / done * (total - done))))
                : null;

        List<String> right = new ArrayList<>(List.of(counts, copied));
        if (rate != null) {
            right.add(rate);
        }
        if (eta != null) {
            right.add(eta);
        }
        String left = task + percent;
        while (true) {
            String tail = " " + String.join(", ", right);
            int room = width - left.length() - tail.length() - 2;
            if (room >= MIN_BAR || (right.size() == 1 && left.isEmpty())) {
                int bar = Math.max(Math.min(room, MAX_BAR), Math.min(MIN_BAR, Math.max(width - 2, 1)));
                String line = left + "[" + bar(done, total, bar, elapsed) + "]" + tail;
                return line.length() <= width ? line : line.substring(0, Math.max(width, 0));
            }
            if (right.size() > 2) {
                right.remove(right.size() - 1);
            } else if (!left.equals(percent)) {
                left = percent;
            } else if (right.size() > 1) {
                right.remove(right.size() - 1);
            } else {
                left = "";
            }
        }
    }

    private static String bar(long done, long total, int width, Duration elapsed) {
        StringBuilder bar = new StringBuilder(width);
        if (total >= 0) {
            int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
            for (int i = 0; i < width; i++) {
                bar.append(i < filled - 1 || (i == filled - 1 && filled == width) ? '=' : i == filled - 1 ? '>' : ' ');
            }
        } else {
            // no total yet: a marker moving back and forth, one step every half second
            int span = Math.max(width - 3, 1);
            long step = elapsed.toMillis() / 500 % (2L * span);
            int at = (int) (step < span ? step : 2L * span - step);
            for (int i = 0; i < width; i++) {
                bar.append(i >= at && i < at + 3 ? "<=>".charAt(i - at) : ' ');
            }
        }
        return bar.toString();
    }

    private static String noun(long n) {
        return n == 1 ? "object" : "objects";
    }
}
