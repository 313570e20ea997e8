package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import dev.barge.job.JobRequest;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.scheduling.support.CronExpression;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the scheduled job specs of a directory: every {@code *.yml} and {@code *.yaml} file in it
 * (not below it), each one spec:
 *
 * <pre>
 * name: nightly-sync              # unique; names the lock and the runs
 * cron: "0 0 2 * * *"             # Spring cron: second minute hour day-of-month month day-of-week
 * zone: Europe/Berlin             # time zone id; UTC when absent
 * job: migrate                    # migrate, delete, archive, restore or verify
 * parameters:                     # the command's options without their dashes
 *   source: prod:photos
 *   target: backup:photos
 *   mode: sync
 * </pre>
 *
 * All of them are checked before any is scheduled, and every problem is reported at once, naming the
 * file, the field and the line ({@link InvalidScheduleSpecs}).
 */
public final class ScheduleSpecs {
    static final List<String> FIELDS = List.of("name", "cron", "zone", "job", "parameters");
    /** Letters, digits, dots, dashes and underscores: the name goes into a lock's name and the URL of the dashboard. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,47}");

    private final SpecRequests requests;

    /**
     * @param remoteCheck throws a {@link dev.barge.storage.StorageException} naming the configured remotes when
     *     given a remote that is not one of them ({@code StoreRegistry::remote})
     */
    public ScheduleSpecs(Consumer<String> remoteCheck) {
        this.requests = new SpecRequests(remoteCheck);
    }

    /**
     * The specs of {@code directory}, in file name order; none when the directory does not exist.
     *
     * @throws InvalidScheduleSpecs naming every problem, when there is one
     */
    public List<ScheduleSpec> read(Path directory) {
        requireNonNull(directory, "directory is null");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".yml")
                            || f.getFileName().toString().endsWith(".yaml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidScheduleSpecs(List.of(new InvalidScheduleSpecs.Problem(directory, "", 0,
                    "cannot be listed: " + e.getMessage())));
        }
        List<InvalidScheduleSpecs.Problem> problems = new ArrayList<>();
        List<ScheduleSpec> specs = new ArrayList<>();
        Map<String, ScheduleSpec> byName = new HashMap<>();
        for (Path file : files) {
            read(file, problems).ifPresent(spec -> {
                ScheduleSpec same = byName.putIfAbsent(spec.name(), spec);
                if (same != null) {
                    problems.add(new InvalidScheduleSpecs.Problem(file, "name", 0, "'" + spec.name()
                            + "' is already the name of " + same.file() + "; each spec needs a name of its own"));
                } else {
                    specs.add(spec);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidScheduleSpecs(problems);
        }
        return List.copyOf(specs);
    }

    /** The spec in {@code file}, or empty with its problems added to {@code problems}. */
    Optional<ScheduleSpec> read(Path file, List<InvalidScheduleSpecs.Problem> problems) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            problems.add(new InvalidScheduleSpecs.Problem(file, "", mark == null ? 0 : mark.getLine() + 1,
                    "is not valid YAML: " + e.getProblem()));
            return Optional.empty();
        } catch (YAMLException | IOException e) {
            problems.add(new InvalidScheduleSpecs.Problem(file, "", 0, "cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(new InvalidScheduleSpecs.Problem(file, "", 0, root == null ? "is empty"
                    : "must be a mapping of fields (name, cron, zone, job, parameters), one per line"));
            return Optional.empty();
        }
        int before = problems.size();
        SpecFields fields = new SpecFields(file, "", mapping, 0, problems);
        fields.onlyKnown(FIELDS, name -> null);
        String name = fields.text("name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            fields.problem("name", "'" + name + "' must be 1 to 48 letters, digits, dots, dashes or underscores,"
                    + " starting with a letter or digit");
        }
        String cron = fields.text("cron", true);
        if (cron != null) {
            try {
                CronExpression.parse(cron);
            } catch (IllegalArgumentException e) {
                fields.problem("cron", "'" + cron + "' is not a cron expression: " + e.getMessage() + "; Spring's has"
                        + " six fields, second minute hour day-of-month month day-of-week, e.g. \"0 0 2 * * *\" for"
                        + " 02:00 every day");
            }
        }
        ZoneId zone = zone(fields);
        String job = fields.text("job", true);
        if (job != null && !SpecRequests.JOBS.contains(job)) {
            String closest = SpecFields.closest(job, SpecRequests.JOBS);
            fields.problem("job", "'" + job + "' is not a job" + (closest != null ? "; did you mean '" + closest + "'?"
                    : "") + " (jobs: " + String.join(", ", SpecRequests.JOBS) + ")");
            job = null;
        }
        JobRequest request = null;
        if (job != null) {
            MappingNode parameters = fields.mapping("parameters");
            if (parameters == null) {
                if (!fields.has("parameters")) {
                    fields.problem("parameters", "is missing: the " + job + " job's parameters, e.g. "
                            + (SpecRequests.parameters(job).contains("source") ? "source and target" : "location"));
                }
            } else {
                request = requests.request(job, new SpecFields(file, "parameters.", parameters,
                        fields.lineOf("parameters"), problems), problems);
            }
        }
        if (problems.size() > before || request == null) {
            return Optional.empty();
        }
        return Optional.of(new ScheduleSpec(name, file, cron, zone, job, request));
    }

    private static ZoneId zone(SpecFields fields) {
        String zone = fields.text("zone", false);
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            String closest = SpecFields.closest(zone.toLowerCase(Locale.ROOT),
                    ZoneId.getAvailableZoneIds().stream().map(z -> z.toLowerCase(Locale.ROOT)).toList());
            String suggestion = closest == null ? null : ZoneId.getAvailableZoneIds().stream()
                    .filter(z -> z.equalsIgnoreCase(closest)).findFirst().orElse(null);
            fields.problem("zone", "'" + zone + "' is not a time zone id" + (suggestion != null ? "; did you mean '"
                    + suggestion + "'?" : "") + " (e.g. UTC, Europe/Berlin, Asia/Shanghai)");
            return null;
        }
    }
}
