package dev.barge.job;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * How the values of job parameters are written by people: sizes ({@code 10MB}), ages ({@code 90d})
 * and intervals ({@code 30s}). The command line's options and the scheduler's job specs read them
 * here, so that a value means the same, and is refused with the same words, wherever it is written.
 */
public final class ParameterValues {
    private ParameterValues() {}

    /**
     * A size as {@code 100}, {@code 10KB}, {@code 5MB}, {@code 1GiB}: bytes, or a whole number with a
     * unit, where KB, MB, GB, TB and KiB, MiB, GiB, TiB are all powers of 1024.
     *
     * @throws IllegalArgumentException saying what a size looks like
     */
    public static DataSize size(String value) {
        String size = value.trim().toUpperCase(Locale.ROOT);
        if (size.matches("\\d+[KMGT]IB")) {
            size = size.substring(0, size.length() - 2) + "B";
        }
        try {
            DataSize parsed = DataSize.parse(size);
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new IllegalArgumentException("'" + value + "' is not a size: give bytes, or a whole number with a"
                + " unit, e.g. 100, 10KB, 10MB, 1GB or 1GiB (KB, MB, GB, TB and KiB, MiB, GiB, TiB are all powers"
                + " of 1024)");
    }

    /**
     * An age, not negative: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s} or ISO-8601 {@code P1DT2H}.
     *
     * @throws IllegalArgumentException saying what an age looks like
     */
    public static Duration age(String value) {
        Duration age = duration(value, "an age", "90d, 12h, 30m, 45s or ISO-8601 P1DT2H");
        if (age.isNegative()) {
            throw new IllegalArgumentException("an age must not be negative, e.g. 90d, 12h or 30m");
        }
        return age;
    }

    /**
     * An interval, longer than zero: {@code 30s}, {@code 1m} or ISO-8601 {@code PT30S}.
     *
     * @throws IllegalArgumentException saying what an interval looks like
     */
    public static Duration interval(String value) {
        Duration interval = duration(value, "an interval", "10s, 30s, 1m or 1h");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("an interval must be longer than zero, e.g. 10s, 30s or 1m");
        }
        return interval;
    }

    /**
     * A duration: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 500ms} or ISO-8601
     * {@code P1DT2H}.
     *
     * @param what what the value is, for the message ({@code "an age"})
     * @param examples examples for the message ({@code "90d, 12h or 30m"})
     * @throws IllegalArgumentException saying what a valid value looks like
     */
    public static Duration duration(String value, String what, String examples) {
        try {
            return DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not " + what + ": give a whole number with a unit"
                    + " (d, h, m, s, ms), e.g. " + examples);
        }
    }
}
