package dev.barge.cli;

import dev.barge.job.Selection;
import dev.barge.storage.StorageClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.util.unit.DataSize;
import picocli.CommandLine.Option;

/**
 * The filters every job command shares, as a picocli mixin: which of the listed objects the job
 * takes ({@link Selection}).
 */
final class SelectionOptions {
    @Option(names = "--include", paramLabel = "GLOB",
            description = "Take only keys matching a glob (repeatable): * within a segment, ** across segments;"
                    + " a glob without / matches the last segment at any depth.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave keys matching a glob (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--min-size", paramLabel = "SIZE", converter = MigrateCommand.SizeConverter.class,
            description = "Take only objects at least this big: bytes, or with a unit (powers of 1024), e.g. 100,"
                    + " 10KB, 5MB, 1GiB.")
    DataSize minSize;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = MigrateCommand.SizeConverter.class,
            description = "Take only objects at most this big.")
    DataSize maxSize;

    @Option(names = "--min-age", paramLabel = "AGE", converter = MigrateCommand.AgeConverter.class,
            description = "Take only objects at least this old, e.g. 90d, 12h, 30m, P1D.")
    Duration minAge;

    @Option(names = "--max-age", paramLabel = "AGE", converter = MigrateCommand.AgeConverter.class,
            description = "Take only objects at most this old.")
    Duration maxAge;

    @Option(names = "--from-storage-class", paramLabel = "CLASS", split = ",",
            description = "Take only objects of these storage classes (comma-separated): STANDARD, INFREQUENT,"
                    + " ARCHIVE, COLD_ARCHIVE, DEEP_ARCHIVE.")
    List<String> fromStorageClasses = new ArrayList<>();

    /**
     * The selection asked for.
     *
     * @throws IllegalArgumentException for a storage class that does not exist, or sizes or ages that exclude
     *     everything
     */
    Selection selection() {
        if (minAge != null && maxAge != null && minAge.compareTo(maxAge) > 0) {
            throw new IllegalArgumentException("--min-age " + age(minAge) + " is above --max-age " + age(maxAge)
                    + ": no object is both that old and that young; swap them, or leave"
                    + " one out");
        }
        return new Selection(includes, excludes, minSize == null ? null : minSize.toBytes(),
                maxSize == null ? null : maxSize.toBytes(), minAge, maxAge, families(fromStorageClasses));
    }

    /** Whether any filter was given: the job may then leave objects out. */
    boolean filters() {
        return !includes.isEmpty() || !excludes.isEmpty() || minSize != null || maxSize != null || minAge != null
                || maxAge != null || !fromStorageClasses.isEmpty();
    }

    /** An age as it is written on the command line: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
    private static String age(Duration age) {
        long seconds = age.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static Set<StorageClass.Family> families(List<String> names) {
        Set<StorageClass.Family> families = EnumSet.noneOf(StorageClass.Family.class);
        names.forEach(n -> families.add(StorageClass.Family.parse(n)));
        return families;
    }
}
