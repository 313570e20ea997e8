package dev.barge.schedule;

import java.util.List;

/**
 * The scheduled jobs of this {@code barge serve}, for the dashboard: what is scheduled, when it runs
 * next, how its last tick went; and "run now". Runs go through the same rules whoever starts them:
 * one run of a spec at a time across every instance sharing the job repository, each tick recorded.
 */
public interface Schedules {

    /** Every spec, in file name order, with its next run and its last tick. */
    List<Schedule> schedules();

    /**
     * The last {@code limit} ticks of spec {@code name}, newest first, from every instance: its
     * history on the schedules page.
     *
     * @throws java.util.NoSuchElementException when there is no spec of that name
     */
    List<Tick> ticks(String name, int limit);

    /**
     * Starts a run of spec {@code name} now, as if it were due, and returns its execution's id once
     * the execution exists (the run goes on in the background). An unfinished earlier run is
     * continued, as a due tick would.
     *
     * @throws java.util.NoSuchElementException when there is no spec of that name
     * @throws NotStarted when its previous run is still going, or its checks failed: the tick is recorded
     *     as SKIPPED or FAILED_TO_START, with the same message
     */
    long runNow(String name);

    /** A run was not started; the message says why. */
    final class NotStarted extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final Tick.Outcome outcome;

        public NotStarted(Tick.Outcome outcome, String message) {
            super(message);
            this.outcome = outcome;
        }

        /** SKIPPED or FAILED_TO_START. */
        public Tick.Outcome outcome() {
            return outcome;
        }
    }
}
