package dev.barge.web;

import dev.barge.schedule.Schedule;
import dev.barge.schedule.Tick;
import java.time.Instant;

/**
 * A scheduled job as the schedules page and {@code GET /api/schedules} show it.
 *
 * @param description what each run does, in words
 * @param nextRun when it is next due, or {@code null} when never again
 * @param lastTick when it was last due (or run now), or {@code null} when never yet
 * @param lastOutcome what came of that tick: STARTED, SKIPPED or FAILED_TO_START
 * @param lastMessage why that tick was skipped or did not start
 * @param lastExecutionId the execution of its last run that started
 * @param lastExecutionStatus that execution's status now
 */
public record ScheduleView(String name, String job, String description, String cron, String zone, Instant nextRun,
        Instant lastTick, String lastOutcome, String lastMessage, Long lastExecutionId, String lastExecutionStatus) {

    static ScheduleView of(Schedule s) {
        Tick tick = s.lastTick().orElse(null);
        return new ScheduleView(s.name(), s.job(), s.description(), s.cron(), s.zone().getId(), s.nextRun(),
                tick == null ? null : tick.due(), tick == null ? null : tick.outcome().name(),
                tick == null ? null : tick.message(), s.lastExecutionId().orElse(null),
                s.lastExecutionStatus().map(Enum::name).orElse(null));
    }
}
