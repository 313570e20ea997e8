package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import dev.barge.job.ArchiveParameters;
import dev.barge.job.DeleteParameters;
import dev.barge.job.JobRequest;
import dev.barge.job.MigrateParameters;
import dev.barge.job.RestoreParameters;
import dev.barge.job.VerifyParameters;
import dev.barge.storage.Location;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.springframework.scheduling.support.CronTrigger;

/**
 * One scheduled job, as a file of {@code jobs/*.yml} describes it, checked: a cron expression of
 * Spring's six fields in a time zone, and the job's parameters, already turned into the request the
 * job runs with ({@link dev.barge.job.JobCatalog}).
 *
 * @param name the spec's name, unique among the specs; it names the cluster-wide lock and the ticks
 * @param file the file it was read from
 * @param cron a Spring cron expression: second, minute, hour, day of month, month, day of week
 * @param zone the time zone the expression is read in
 * @param job the job's kind as the spec names it: {@code migrate}, {@code delete}, {@code archive},
 *     {@code restore} or {@code verify} (an archive to another location runs as a migration)
 * @param request what each run does
 */
public record ScheduleSpec(String name, Path file, String cron, ZoneId zone, String job, JobRequest request) {
    public ScheduleSpec {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(cron, "cron is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(job, "job is null");
        requireNonNull(request, "request is null");
    }

    /** The locations its runs read or write, in the order the request names them. */
    public List<Location> locations() {
        List<String> named = new ArrayList<>();
        if (request instanceof MigrateParameters p) {
            named.addAll(List.of(p.source(), p.target()));
        } else if (request instanceof DeleteParameters p) {
            named.add(p.location());
        } else if (request instanceof ArchiveParameters p) {
            named.add(p.location());
        } else if (request instanceof RestoreParameters p) {
            named.add(p.location());
            if (p.thenCopyTo() != null) {
                named.add(p.thenCopyTo());
            }
        } else if (request instanceof VerifyParameters p) {
            named.addAll(List.of(p.source(), p.target()));
        }
        return named.stream().map(Location::parse).toList();
    }

    /** When the spec is due: its cron expression in its zone. */
    public CronTrigger trigger() {
        return new CronTrigger(cron, zone);
    }
}
