package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When a restore of an archive-class object finishes in the emulator. Whatever the policy,
 * {@link OssEmulator#completeRestores()} finishes every running restore at once.
 *
 * <ul>
 *   <li>{@link #afterHeads(int) afterHeads(n)} (default {@code afterHeads(1)}): the restore is
 *       reported as ongoing ({@code x-oss-restore: ongoing-request="true"}) by the next {@code n}
 *       HEAD / GetObjectMeta requests on the object and is finished for every request after
 *       that. With {@code n = 1}: RestoreObject 202, HEAD shows ongoing, the next HEAD shows
 *       {@code ongoing-request="false", expiry-date=...} and GET works. A GET or a second
 *       RestoreObject before that HEAD still sees the restore running.</li>
 *   <li>{@link #afterDelay(Duration)}: finished once the emulator clock has moved {@code delay}
 *       past the restore request.</li>
 *   <li>{@link #manual()}: finished only by {@link OssEmulator#completeRestores()}.</li>
 * </ul>
 */
public sealed interface RestorePolicy {

    /** Restores finish after {@code heads} HEAD requests have reported them ongoing. */
    static RestorePolicy afterHeads(int heads) {
        return new AfterHeads(heads);
    }

    /** Restores finish {@code delay} after they were requested (emulator clock). */
    static RestorePolicy afterDelay(Duration delay) {
        return new AfterDelay(delay);
    }

    /** Restores finish only when a test calls {@link OssEmulator#completeRestores()}. */
    static RestorePolicy manual() {
        return new Manual();
    }

    /** See {@link RestorePolicy#afterHeads(int)}. */
    record AfterHeads(int heads) implements RestorePolicy {
        public AfterHeads {
            if (heads < 0) {
                throw new IllegalArgumentException("heads must not be negative: " + heads);
            }
        }
    }

    /** See {@link RestorePolicy#afterDelay(Duration)}. */
    record AfterDelay(Duration delay) implements RestorePolicy {
        public AfterDelay {
            requireNonNull(delay, "delay is null");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
        }
    }

    /** See {@link RestorePolicy#manual()}. */
    record Manual() implements RestorePolicy {}
}
