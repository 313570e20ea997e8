package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.support.CronTrigger;

/**
 * A spec's cron trigger that remembers the instant it last scheduled: while a tick runs, that is the
 * instant the tick was due, the same on every instance (cron instants are whole seconds in the
 * spec's zone, whatever the instance's clock drift or scheduling delay), which makes it the key that
 * tells instances' ticks apart.
 */
final class DueTrigger implements Trigger {
    private final CronTrigger cron;
    private volatile Instant scheduled;

    DueTrigger(CronTrigger cron) {
        this.cron = requireNonNull(cron, "cron is null");
    }

    @Override
    public Instant nextExecution(TriggerContext context) {
        Instant next = cron.nextExecution(context);
        scheduled = next;
        return next;
    }

    /** When the tick now running was due. */
    Instant due() {
        return scheduled;
    }
}
