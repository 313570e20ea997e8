package dev.barge.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * One cluster-wide lock per spec, on ShedLock's JDBC provider in the job repository
 * ({@code BARGE_SCHEDULE_LOCK}): held from the start of a run to its end, so that no instance
 * starts a spec while a run of it goes on anywhere.
 *
 * <p>A run can last hours, longer than any fixed lock time should: the provider given keeps the
 * lock alive ({@link net.javacrumbs.shedlock.support.KeepAliveLockProvider}), extending it every
 * half of {@code lockAtMostFor} while the run goes on. If the instance dies, its lock lapses within
 * {@code lockAtMostFor}, and the execution it left is recovered by the next run
 * ({@link dev.barge.job.ExecutionRecovery}).
 */
final class SpecLocks {
    /** The prefix of a spec's lock name; ShedLock's names are at most 64 characters, spec names 48. */
    static final String PREFIX = "schedule:";

    private final LockProvider provider;
    private final Duration lockAtMostFor;
    private final Clock clock;

    SpecLocks(LockProvider provider, Duration lockAtMostFor, Clock clock) {
        this.provider = requireNonNull(provider, "provider is null");
        this.lockAtMostFor = requireNonNull(lockAtMostFor, "lockAtMostFor is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The lock of spec {@code name}, or empty when a run of it holds it. */
    Optional<SimpleLock> lock(String name) {
        return provider.lock(new LockConfiguration(clock.instant(), PREFIX + name, lockAtMostFor, Duration.ZERO));
    }
}
