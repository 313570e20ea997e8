package dev.barge.job;

import dev.barge.batch.KeySample;
import dev.barge.batch.KeySampler;
import dev.barge.batch.PrefixSampler;
import dev.barge.storage.ObjectStore;
import java.util.Locale;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * How a run with partitions splits its keys ({@code --partition-by}): either way into key ranges,
 * disjoint and covering every key, which differ only in where they fall. A restart never splits
 * again (each partition resumes from its own saved range), so the choice counts for a run's first
 * start only, and does not identify the run.
 */
public enum PartitionSplit {
    /** Ranges from start-after probes spread through the keyspace ({@link KeySampler}): any keyspace. */
    RANGE,
    /** Ranges between top-level prefixes, each about as many prefixes ({@link PrefixSampler}). */
    PREFIX;

    /** The job parameter that holds it, present only for {@link #PREFIX}. */
    static final String PARAMETER = "partition-by";

    /** The sample of the keys under {@code prefix} this split divides. */
    public KeySample sampler(ObjectStore store, String bucket, String prefix) {
        return this == PREFIX ? new PrefixSampler(store, bucket, prefix) : new KeySampler(store, bucket, prefix);
    }

    /** What {@code --partition-by} says: {@code range} or {@code prefix}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The split from {@code --partition-by}'s value, or an error naming the values there are. */
    public static PartitionSplit ofOption(String value) {
        for (PartitionSplit split : values()) {
            if (split.option().equals(value)) {
                return split;
            }
        }
        throw new IllegalArgumentException("--partition-by is range (key ranges sampled from the keyspace) or prefix"
                + " (ranges between top-level prefixes), not '" + value + "'");
    }

    void addTo(JobParametersBuilder b) {
        if (this != RANGE) {
            b.addString(PARAMETER, option(), false);
        }
    }

    static PartitionSplit from(JobParameters p) {
        String value = p.getString(PARAMETER);
        return value == null ? RANGE : ofOption(value);
    }
}
