package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.ObjectFilter;
import dev.barge.storage.StorageClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Which of the listed objects a job takes: the filters every job shares ({@code --include},
 * {@code --exclude}, sizes, ages, storage classes), as job parameters that identify the job instance
 * (a different selection is a different job).
 *
 * @param includes globs of keys to take (see {@link ObjectFilter}); empty for all
 * @param excludes globs of keys to leave
 * @param minSize smallest object taken, or {@code null}
 * @param maxSize largest object taken, or {@code null}
 * @param minAge take only objects at least this old when the job first started, or {@code null}
 * @param maxAge take only objects at most this old when the job first started, or {@code null}
 * @param storageClasses take only objects of these storage class families; empty for all
 */
public record Selection(List<String> includes, List<String> excludes, Long minSize, Long maxSize, Duration minAge,
        Duration maxAge, Set<StorageClass.Family> storageClasses) {

    /** Every object. */
    public static final Selection ALL = new Selection(List.of(), List.of(), null, null, null, null, Set.of());

    public Selection {
        includes = List.copyOf(requireNonNull(includes, "includes is null"));
        excludes = List.copyOf(requireNonNull(excludes, "excludes is null"));
        storageClasses = storageClasses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(storageClasses));
        if (minSize != null && maxSize != null && minSize > maxSize) {
            throw new IllegalArgumentException("min size " + minSize + " is above max size " + maxSize);
        }
    }

    /** The filter, with ages turned into times relative to when the job first started. */
    public ObjectFilter filter(Instant referenceTime) {
        return new ObjectFilter(includes, excludes, minSize, maxSize,
                maxAge == null ? null : referenceTime.minus(maxAge),
                minAge == null ? null : referenceTime.minus(minAge),
                storageClasses);
    }

    /** Adds the selection to a job's parameters, as identifying parameters. */
    public JobParametersBuilder addTo(JobParametersBuilder b) {
        b.addString("include", String.join("\n", includes))
                .addString("exclude", String.join("\n", excludes))
                .addString("storage-classes", storageClasses.stream().map(Enum::name).sorted()
                        .collect(Collectors.joining(",")));
        if (minSize != null) {
            b.addLong("min-size", minSize);
        }
        if (maxSize != null) {
            b.addLong("max-size", maxSize);
        }
        if (minAge != null) {
            b.addString("min-age", minAge.toString());
        }
        if (maxAge != null) {
            b.addString("max-age", maxAge.toString());
        }
        return b;
    }

    /** The selection a job execution was started with. */
    public static Selection from(JobParameters p) {
        String classes = p.getString("storage-classes");
        Set<StorageClass.Family> families = classes == null || classes.isEmpty() ? Set.of()
                : Arrays.stream(classes.split(",")).map(StorageClass.Family::valueOf).collect(Collectors.toSet());
        return new Selection(lines(p.getString("include")), lines(p.getString("exclude")), p.getLong("min-size"),
                p.getLong("max-size"), duration(p.getString("min-age")), duration(p.getString("max-age")), families);
    }

    private static List<String> lines(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }

    private static Duration duration(String text) {
        return text == null ? null : Duration.parse(text);
    }
}
