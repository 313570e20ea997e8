package dev.barge.web;

import dev.barge.job.JobDescriptions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How sizes, rates, durations and times read on the dashboard's pages (as {@code fmt} in the templates). */
public final class DashboardFormats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** {@code 1.5 MiB}; {@code 12 B} below a KiB. */
    public String bytes(long bytes) {
        return JobDescriptions.bytes(bytes);
    }

    /** {@code 1.5 MiB/s}. */
    public String byteRate(double bytesPerSecond) {
        return bytes((long) bytesPerSecond) + "/s";
    }

    /** {@code 12.3 objects/s}. */
    public String objectRate(double objectsPerSecond) {
        return String.format(Locale.ROOT, "%,.1f objects/s", objectsPerSecond);
    }

    /** {@code 4.2 s}, or {@code 1:02:03} from a minute on. */
    public String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** {@code 2026-12-03 09:15:00} in this server's time zone, {@code -} for none. */
    public String time(Instant time) {
        return time == null ? "-" : TIME.format(time.atZone(ZoneId.systemDefault()));
    }

    /** {@code 1,234}. */
    public String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
