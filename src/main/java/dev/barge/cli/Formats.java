package dev.barge.cli;

import dev.barge.job.JobDescriptions;
import dev.barge.job.ParameterValues;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How sizes, rates, durations and times read on the command line. */
final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Formats() {}

    /**
     * {@code text} as one printable line: control characters (a newline or an escape in a key, say) are
     * written as a backslash and n, r or t, or a backslash, u and their code in hex, so that a message stays
     * one line and cannot drive the terminal.
     */
    static String oneLine(String text) {
        StringBuilder line = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != 0x7f) {
                if (line != null) {
                    line.append(c);
                }
                continue;
            }
            if (line == null) {
                line = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return line == null ? text : line.toString();
    }

    /** A count and its noun, singular for one: {@code 1 object}, {@code 2 objects}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String bytes(long bytes) {
        return JobDescriptions.bytes(bytes);
    }

    static String rate(long bytes, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return bytes((long) (bytes / seconds)) + "/s";
    }

    /** Objects per second, as in {@code 1,234 objects/s}. */
    static String objectRate(long objects, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return String.format(Locale.ROOT, "%,d objects/s", (long) (objects / seconds));
    }

    static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    static String time(LocalDateTime time) {
        return time == null ? "-" : TIME.format(time);
    }

    static String time(Instant time) {
        return time == null ? "-" : TIME.format(time.atZone(ZoneId.systemDefault()));
    }

    /**
     * A duration as written on the command line: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s},
     * {@code 500ms} or ISO-8601 {@code P1DT2H}.
     *
     * @param what what the value is, for the message ({@code "an age"})
     * @param examples examples for the message ({@code "90d, 12h or 30m"})
     * @throws IllegalArgumentException saying what a valid value looks like
     */
    static Duration parseDuration(String value, String what, String examples) {
        return ParameterValues.duration(value, what, examples);
    }

    static Duration between(LocalDateTime start, LocalDateTime end) {
        if (start == null) {
            return Duration.ZERO;
        }
        return Duration.between(start, end != null ? end : LocalDateTime.now());
    }
}
