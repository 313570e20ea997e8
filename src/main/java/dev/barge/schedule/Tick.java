package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One time a spec was due, or was run now from the dashboard, and what came of it.
 *
 * @param id the tick's id in {@code BARGE_SCHEDULE_TICK}
 * @param schedule the spec's name
 * @param due when it was due (for a run now: when it was asked for)
 * @param trigger whether the cron expression or an operator started it
 * @param node the {@code barge serve} instance that recorded it
 * @param outcome what came of it
 * @param jobExecutionId the execution it started, or for a skipped tick the one still going; {@code null} when
 *     none (yet)
 * @param message why it was skipped or did not start; {@code null} when it started
 */
public record Tick(long id, String schedule, Instant due, Trigger trigger, String node, Outcome outcome,
        Long jobExecutionId, String message) {
    public Tick {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(due, "due is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(node, "node is null");
        requireNonNull(outcome, "outcome is null");
    }

    /** What started a tick. */
    public enum Trigger {
        /** the spec's cron expression */
        CRON,
        /** an operator, with "run now" */
        MANUAL
    }

    /** What came of a tick. */
    public enum Outcome {
        /** a run was started (or an unfinished one continued): see the execution */
        STARTED,
        /** the spec's previous run was still going, in this instance or another: nothing was started */
        SKIPPED,
        /** the checks before the start failed, or no thread was free: nothing was started */
        FAILED_TO_START
    }
}
