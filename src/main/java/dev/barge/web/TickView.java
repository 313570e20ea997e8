package dev.barge.web;

import dev.barge.schedule.Tick;
import java.time.Instant;

/**
 * One tick of a scheduled job, for its history on the schedules page and {@code GET /api/schedules/{name}/ticks}.
 *
 * @param due when it was due (for a run now: when it was asked for)
 * @param trigger CRON or MANUAL (run now)
 * @param outcome STARTED, SKIPPED or FAILED_TO_START
 * @param executionId the execution it started, or for a skipped tick the one still going
 * @param message why it was skipped or did not start
 */
public record TickView(Instant due, String trigger, String node, String outcome, Long executionId, String message) {

    static TickView of(Tick t) {
        return new TickView(t.due(), t.trigger().name(), t.node(), t.outcome().name(), t.jobExecutionId(), t.message());
    }
}
