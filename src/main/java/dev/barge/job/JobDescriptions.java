package dev.barge.job;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.batch.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Job executions in words, for {@code barge jobs list} and {@code jobs show} and the dashboard:
 * which job, from where to where, how, and which objects, e.g.
 * {@code migrate sync s3:photos -> oss:backup (--delete-extraneous, include '*.jpg', min-size 1 MiB)}.
 * Each job has its own describer, keyed by job name: a job added later joins with one entry in
 * {@link #standard()}. A job without one (or whose parameters no longer read) is described by its name
 * and its {@code source}/{@code target} parameters, if it has them.
 */
public final class JobDescriptions {
    private final Map<String, Function<JobParameters, String>> describers;

    public JobDescriptions(Map<String, Function<JobParameters, String>> describers) {
        this.describers = Map.copyOf(requireNonNull(describers, "describers is null"));
    }

    /** The describers of Barge's jobs. */
    public static JobDescriptions standard() {
        return new JobDescriptions(Map.of(MigrateJob.NAME, p -> retry(p) + migration(MigrateParameters.from(p)),
                DeleteJob.NAME, p -> deletion(DeleteParameters.from(p)),
                VerifyJob.NAME, p -> verification(VerifyParameters.from(p)),
                ArchiveJob.NAME, p -> archive(ArchiveParameters.from(p)),
                RestoreJob.NAME, p -> restore(RestoreParameters.from(p))));
    }

    /** {@code retry of 42: } for a retry of an execution's failed objects, else nothing. */
    private static String retry(JobParameters p) {
        Long of = p.getLong(MigrateJob.RETRY_OF);
        return of == null ? "" : "retry of " + of + "'s failed objects: ";
    }

    /** A delete: {@code delete LOCATION (options)}. */
    static String deletion(DeleteParameters p) {
        List<String> options = new ArrayList<>();
        if (p.dryRun()) {
            options.add("dry run");
        }
        if (p.wholeBucket()) {
            options.add("--all");
        }
        selection(p.selection(), options);
        return DeleteJob.NAME + " " + p.location() + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    }

    /** An archive in place: {@code archive LOCATION to CLASS (options)}. */
    static String archive(ArchiveParameters p) {
        List<String> options = new ArrayList<>();
        if (p.dryRun()) {
            options.add("dry run");
        }
        selection(p.selection(), options);
        return ArchiveJob.NAME + " " + p.location() + " to " + p.storageClass().name().toLowerCase(Locale.ROOT)
                + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    }

    /** A restore: {@code restore LOCATION, wait, then copy to TARGET as CLASS (options)}. */
    static String restore(RestoreParameters p) {
        List<String> options = new ArrayList<>();
        if (p.dryRun()) {
            options.add("dry run");
        }
        options.add(p.request().days() + (p.request().days() == 1 ? " day" : " days") + ", "
                + p.request().tier().name().toLowerCase(Locale.ROOT));
        selection(p.selection(), options);
        return RestoreJob.NAME + " " + p.location() + (p.waitFor() ? ", wait" : "")
                + (p.thenCopyTo() == null ? "" : ", then copy to " + p.thenCopyTo() + (p.thenStorageClass() == null ? ""
                        : " as " + p.thenStorageClass().name().toLowerCase(Locale.ROOT)))
                + " (" + String.join(", ", options) + ")";
    }

    /** One execution in words. */
    public String describe(JobExecution execution) {
        String name = execution.getJobInstance().getJobName();
        JobParameters parameters = execution.getJobParameters();
        Function<JobParameters, String> describer = describers.get(name);
        if (describer != null) {
            try {
                return describer.apply(parameters);
            } catch (RuntimeException e) {
                // parameters written by another version: fall back to what every job has
            }
        }
        String source = parameters.getString("source");
        String target = parameters.getString("target");
        return name + (source != null ? " " + source : "") + (target != null ? " -> " + target : "");
    }

    /** A migration: {@code migrate MODE SOURCE -> TARGET (options)}. */
    static String migration(MigrateParameters p) {
        List<String> options = new ArrayList<>();
        if (p.dryRun()) {
            options.add("dry run");
        }
        if (p.mode() == MigrationMode.SYNC && p.deleteExtraneous()) {
            options.add("--delete-extraneous");
        }
        selection(p.selection(), options);
        if (p.targetStorageClass() != null) {
            options.add("storage class " + p.targetStorageClass().displayName());
        }
        if (p.identityCheck() != IdentityCheck.CHECKSUM) {
            options.add(p.identityCheck() == IdentityCheck.SIZE_ONLY ? "--size-only" : "size and time");
        }
        return MigrateJob.NAME + " " + p.mode().name().toLowerCase(Locale.ROOT) + " " + p.source() + " -> "
                + p.target() + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    }

    /** A verification: {@code verify SOURCE -> TARGET (options)}. */
    static String verification(VerifyParameters p) {
        List<String> options = new ArrayList<>();
        if (p.identityCheck() != IdentityCheck.CHECKSUM) {
            options.add(p.identityCheck() == IdentityCheck.SIZE_ONLY ? "--size-only" : "size and time");
        }
        if (p.download()) {
            options.add("--download");
        }
        selection(p.selection(), options);
        return VerifyJob.NAME + " " + p.source() + " -> " + p.target()
                + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    }

    /** The filters of a selection, as options. */
    private static void selection(Selection s, List<String> options) {
        s.includes().forEach(glob -> options.add("include '" + glob + "'"));
        s.excludes().forEach(glob -> options.add("exclude '" + glob + "'"));
        if (s.minSize() != null) {
            options.add("min-size " + size(s.minSize()));
        }
        if (s.maxSize() != null) {
            options.add("max-size " + size(s.maxSize()));
        }
        if (s.minAge() != null) {
            options.add("min-age " + age(s.minAge()));
        }
        if (s.maxAge() != null) {
            options.add("max-age " + age(s.maxAge()));
        }
        if (!s.storageClasses().isEmpty()) {
            options.add("from storage class " + String.join(", ", s.storageClasses().stream()
                    .map(f -> f.name().toLowerCase(Locale.ROOT)).sorted().toList()));
        }
    }

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    /** A size as written: {@code 1 MiB} when it is a whole number of a unit, else to a tenth ({@code 1.5 KiB}). */
    static String size(long bytes) {
        long value = bytes;
        int unit = 0;
        while (value != 0 && value % 1024 == 0 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit > 0 || bytes < 1024 ? value + " " + UNITS[unit] : bytes(bytes);
    }

    /** An amount of data as the command line and the dashboard show it: {@code 12 B}, else to a tenth ({@code 1.5 MiB}). */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /**
     * The outcome a job exists for: its objects and bytes are the work done ({@code copied} for a
     * migration), what its progress and rate are measured by.
     */
    public static Outcome work(String jobName) {
        return switch (jobName) {
            case DeleteJob.NAME -> Outcome.DELETED;
            case ArchiveJob.NAME -> Outcome.ARCHIVED;
            case RestoreJob.NAME -> Outcome.RESTORE_REQUESTED;
            case VerifyJob.NAME -> Outcome.MATCHED;
            default -> Outcome.COPIED;
        };
    }

    /** An age in its largest whole unit: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}. */
    static String age(Duration age) {
        long seconds = age.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return age.toMillis() % 1000 == 0 ? seconds + "s" : age.toMillis() + "ms";
    }
}
