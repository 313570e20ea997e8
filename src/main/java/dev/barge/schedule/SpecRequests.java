package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import dev.barge.batch.IdentityCheck;
import dev.barge.batch.MigrationMode;
import dev.barge.job.ArchiveParameters;
import dev.barge.job.DeleteParameters;
import dev.barge.job.JobRequest;
import dev.barge.job.MigrateParameters;
import dev.barge.job.ParameterValues;
import dev.barge.job.RestoreParameters;
import dev.barge.job.Selection;
import dev.barge.job.VerifyParameters;
import dev.barge.storage.ListRequest;
import dev.barge.storage.Location;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Turns the {@code parameters} of a spec into the request of its job. A parameter is named as the
 * command's option without its dashes ({@code delete-extraneous}, {@code min-age}), and a location
 * the command takes as an argument by its role ({@code source}, {@code target}, {@code location}); a
 * value means what it means on the command line ({@link ParameterValues}), and is checked by the
 * same parameter records. What only makes sense at a terminal ({@code json}, {@code stats}) or is set
 * per remote for a long-running server (rate limits) is refused, saying where it goes instead.
 */
final class SpecRequests {
    /** The jobs a spec may name. */
    static final List<String> JOBS = List.of("migrate", "delete", "archive", "restore", "verify");

    private static final List<String> SELECTION = List.of("include", "exclude", "min-size", "max-size", "min-age",
            "max-age", "from-storage-class");
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "migrate", with("source", "target", "mode", "delete-extraneous", "storage-class", "dry-run", "concurrency",
                    "chunk-size", "checksum", "size-only"),
            "delete", with("location", "all", "yes", "dry-run", "chunk-size"),
            "archive", with("location", "storage-class", "to", "delete-source", "dry-run", "concurrency", "chunk-size"),
            "restore", with("location", "days", "tier", "wait", "poll", "timeout", "then-copy-to",
                    "then-storage-class", "dry-run", "concurrency", "chunk-size"),
            "verify", with("source", "target", "checksum", "size-only", "download", "concurrency", "chunk-size"));
    /** As the command line caps it: each object at once holds a thread, and for large ones parts in memory. */
    private static final int MAX_CONCURRENCY = 256;

    private final Consumer<String> remoteCheck;

    /** @param remoteCheck throws a {@link StorageException} naming the known remotes for a remote that is not one */
    SpecRequests(Consumer<String> remoteCheck) {
        this.remoteCheck = requireNonNull(remoteCheck, "remoteCheck is null");
    }

    /** The parameters job {@code job} takes. */
    static List<String> parameters(String job) {
        return PARAMETERS.get(job);
    }

    /**
     * The request of job {@code job} with the parameters {@code p}; {@code null} when a problem was
     * found, each added to {@code p}'s problems.
     */
    JobRequest request(String job, SpecFields p, List<InvalidScheduleSpecs.Problem> problems) {
        int before = problems.size();
        p.onlyKnown(PARAMETERS.get(job), SpecRequests::elsewhere);
        JobRequest request;
        try {
            request = switch (job) {
                case "migrate" -> migrate(p);
                case "delete" -> delete(p);
                case "archive" -> archive(p);
                case "restore" -> restore(p);
                case "verify" -> verify(p);
                default -> throw new IllegalArgumentException("no job " + job);
            };
        } catch (IllegalArgumentException e) {
            // a combination the parameter record refuses
            p.problem("", e.getMessage());
            return null;
        } catch (StorageException e) {
            p.problem("", e.getMessage());
            return null;
        }
        return problems.size() == before ? request : null;
    }

    private JobRequest migrate(SpecFields p) {
        String source = location(p, "source", true);
        String target = location(p, "target", true);
        MigrationMode mode = p.parsed("mode", v -> choice(v, MigrationMode.class, "copy, sync or move"),
                MigrationMode.COPY);
        boolean deleteExtraneous = p.bool("delete-extraneous");
        if (deleteExtraneous && mode != MigrationMode.SYNC) {
            p.problem("delete-extraneous", "needs mode: sync: it deletes target objects the source does not have,"
                    + " which only a sync does");
        }
        StorageClass.Family storageClass = p.parsed("storage-class", StorageClass.Family::parse, null);
        int concurrency = concurrency(p);
        Integer chunkSize = p.integer("chunk-size", null, 1, Integer.MAX_VALUE);
        IdentityCheck identity = identity(p);
        Selection selection = selection(p);
        if (source == null || target == null || selection == null) {
            return null;
        }
        return MigrateParameters.builder(source, target)
                .mode(mode)
                .deleteExtraneous(deleteExtraneous)
                .selection(selection)
                .targetStorageClass(storageClass == null ? null : StorageClass.of(storageClass))
                .identityCheck(identity)
                .dryRun(p.bool("dry-run"))
                .chunkSize(chunkSize != null ? chunkSize : MigrateParameters.defaultChunkSize(concurrency))
                .concurrency(concurrency)
                .build();
    }

    private JobRequest delete(SpecFields p) {
        String location = location(p, "location", true);
        boolean all = p.bool("all");
        boolean dryRun = p.bool("dry-run");
        int chunkSize = p.integer("chunk-size", ListRequest.MAX_PAGE_SIZE, 1, ListRequest.MAX_PAGE_SIZE);
        if (!dryRun && !p.bool("yes")) {
            p.problem("yes", "a scheduled delete has no terminal to ask for a confirmation on: add 'yes: true' to"
                    + " the parameters to delete without asking (check first with 'dry-run: true'); the spec was refused");
        }
        Selection selection = selection(p);
        if (location == null || selection == null) {
            return null;
        }
        Location where = Location.parse(location);
        if (where.path().isEmpty() && !all) {
            p.problem("location", "'" + location + "' is a whole bucket: to delete every object in it, add 'all: true'"
                    + " (and check first with 'dry-run: true'); to delete under a prefix, give remote:bucket/prefix");
            return null;
        }
        if (!where.path().isEmpty() && all) {
            p.problem("all", "deletes a whole bucket, but '" + location + "' names the prefix '" + where.path()
                    + "': leave out 'all', or give the bucket alone");
            return null;
        }
        return new DeleteParameters(location, all, selection, dryRun, chunkSize, Long.MAX_VALUE);
    }

    private JobRequest archive(SpecFields p) {
        String location = location(p, "location", true);
        StorageClass.Family family = p.parsed("storage-class", StorageClass.Family::parse, null);
        if (family == null && !p.has("storage-class")) {
            p.problem("storage-class", "is missing: the class to move to, INFREQUENT, ARCHIVE, COLD_ARCHIVE or"
                    + " DEEP_ARCHIVE");
        }
        String to = location(p, "to", false);
        boolean deleteSource = p.bool("delete-source");
        if (deleteSource && !p.has("to")) {
            p.problem("delete-source", "needs 'to': in place, the archived object is the source, and it is kept");
        }
        boolean dryRun = p.bool("dry-run");
        int concurrency = concurrency(p);
        Integer chunk = p.integer("chunk-size", null, 1, Integer.MAX_VALUE);
        int chunkSize = chunk != null ? chunk : MigrateParameters.defaultChunkSize(concurrency);
        Selection selection = selection(p);
        if (location == null || family == null || selection == null || (p.has("to") && to == null)) {
            return null;
        }
        if (to == null) {
            return new ArchiveParameters(location, family, selection, dryRun, chunkSize, concurrency, Long.MAX_VALUE);
        }
        return MigrateParameters.builder(location, to)
                .mode(deleteSource ? MigrationMode.MOVE : MigrationMode.COPY)
                .selection(selection)
                .targetStorageClass(StorageClass.of(family))
                .identityCheck(IdentityCheck.CHECKSUM)
                .dryRun(dryRun)
                .chunkSize(chunkSize)
                .concurrency(concurrency)
                .build();
    }

    private JobRequest restore(SpecFields p) {
        String location = location(p, "location", true);
        int days = p.integer("days", 1, 1, Integer.MAX_VALUE);
        RestoreRequest.Tier tier = p.parsed("tier", v -> choice(v, RestoreRequest.Tier.class,
                "expedited, standard or bulk"), RestoreRequest.Tier.STANDARD);
        boolean waitFor = p.bool("wait");
        Duration poll = p.parsed("poll", ParameterValues::interval, Duration.ofMinutes(1));
        Duration timeout = p.parsed("timeout", ParameterValues::interval, Duration.ofHours(48));
        String thenCopyTo = location(p, "then-copy-to", false);
        StorageClass.Family copyClass = p.parsed("then-storage-class", StorageClass.Family::parse, null);
        int concurrency = concurrency(p);
        Integer chunk = p.integer("chunk-size", null, 1, Integer.MAX_VALUE);
        Selection selection = selection(p);
        if (location == null || selection == null) {
            return null;
        }
        return new RestoreParameters(location, new RestoreRequest(days, tier), selection, waitFor, poll, timeout,
                thenCopyTo, copyClass, p.bool("dry-run"),
                chunk != null ? chunk : MigrateParameters.defaultChunkSize(concurrency), concurrency, Long.MAX_VALUE);
    }

    private JobRequest verify(SpecFields p) {
        String source = location(p, "source", true);
        String target = location(p, "target", true);
        IdentityCheck identity = identity(p);
        int concurrency = concurrency(p);
        Integer chunk = p.integer("chunk-size", null, 1, Integer.MAX_VALUE);
        Selection selection = selection(p);
        if (source == null || target == null || selection == null) {
            return null;
        }
        return new VerifyParameters(source, target, selection, identity, p.bool("download"), concurrency,
                chunk != null ? chunk : MigrateParameters.defaultChunkSize(concurrency), Long.MAX_VALUE);
    }

    /** A location with a bucket on a configured remote (or a URI), or {@code null} after a problem. */
    private String location(SpecFields p, String name, boolean required) {
        String text = p.text(name, required);
        if (text == null) {
            return null;
        }
        try {
            Location location = Location.parse(text);
            if (!location.hasBucket()) {
                p.problem(name, "'" + text + "' names no bucket: give remote:bucket/prefix (for file:// the first"
                        + " directory of the path is the bucket)");
                return null;
            }
            remoteCheck.accept(location.remote());
            return text;
        } catch (StorageException e) {
            p.problem(name, e.getMessage());
            return null;
        }
    }

    private static int concurrency(SpecFields p) {
        return p.integer("concurrency", 8, 1, MAX_CONCURRENCY);
    }

    private static IdentityCheck identity(SpecFields p) {
        boolean checksum = p.bool("checksum");
        boolean sizeOnly = p.bool("size-only");
        if (checksum && sizeOnly) {
            p.problem("size-only", "and 'checksum' exclude each other: choose one");
        }
        return sizeOnly ? IdentityCheck.SIZE_ONLY : IdentityCheck.CHECKSUM;
    }

    /** The filters, or {@code null} after a problem. */
    private static Selection selection(SpecFields p) {
        Long minSize = p.parsed("min-size", v -> ParameterValues.size(v).toBytes(), null);
        Long maxSize = p.parsed("max-size", v -> ParameterValues.size(v).toBytes(), null);
        Duration minAge = p.parsed("min-age", ParameterValues::age, null);
        Duration maxAge = p.parsed("max-age", ParameterValues::age, null);
        Set<StorageClass.Family> families = EnumSet.noneOf(StorageClass.Family.class);
        for (String name : p.list("from-storage-class", true)) {
            try {
                families.add(StorageClass.Family.parse(name));
            } catch (IllegalArgumentException e) {
                p.problem("from-storage-class", e.getMessage());
                return null;
            }
        }
        try {
            return new Selection(p.list("include", false), p.list("exclude", false), minSize, maxSize, minAge, maxAge,
                    families);
        } catch (IllegalArgumentException e) {
            p.problem("min-size", e.getMessage());
            return null;
        }
    }

    /** Why an option of the command line is no parameter of a spec, or {@code null} when it is simply unknown. */
    private static String elsewhere(String name) {
        return switch (name) {
            case "json", "stats" -> "is how the command line reports; a scheduled run is reported by the dashboard and"
                    + " 'barge jobs show ID'";
            case "tps-limit" -> "is set per remote for scheduled runs: barge.remotes.<remote>.rate-limit"
                    + ".operations-per-second";
            case "bwlimit" -> "is set per remote for scheduled runs: barge.remotes.<remote>.rate-limit.bytes-per-second";
            case "csv" -> "is not written by scheduled runs: the differences are in the failure table, 'barge jobs"
                    + " failures ID --csv'";
            default -> null;
        };
    }

    private static <E extends Enum<E>> E choice(String value, Class<E> type, String choices) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be " + choices + ", not '" + value + "'");
        }
    }

    private static List<String> with(String... names) {
        List<String> all = new ArrayList<>(List.of(names));
        Stream.of(SELECTION).flatMap(List::stream).forEach(all::add);
        return List.copyOf(all);
    }
}
