package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;

/**
 * A scheduled job as the dashboard shows it.
 *
 * @param name the spec's name
 * @param job the job as the spec names it ({@code migrate}...)
 * @param description what each run does, in words ({@code sync prod:photos -> backup:photos})
 * @param cron its cron expression
 * @param zone the zone the expression is read in
 * @param nextRun when it is next due
 * @param lastTick its last tick, from any instance, if it had one
 * @param lastExecutionId the execution of its last run that started, if one did
 * @param lastExecutionStatus that execution's status now ({@code STARTED} while it runs)
 */
public record Schedule(String name, String job, String description, String cron, ZoneId zone, Instant nextRun,
        Optional<Tick> lastTick, Optional<Long> lastExecutionId, Optional<BatchStatus> lastExecutionStatus) {
    public Schedule {
        requireNonNull(name, "name is null");
        requireNonNull(job, "job is null");
        requireNonNull(description, "description is null");
        requireNonNull(cron, "cron is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(lastTick, "lastTick is null");
        requireNonNull(lastExecutionId, "lastExecutionId is null");
        requireNonNull(lastExecutionStatus, "lastExecutionStatus is null");
    }
}
