package dev.barge.storage;

import static java.util.Objects.requireNonNull;

/**
 * A credential value that never shows itself: {@link #toString()} is masked, so a secret that
 * ends up in a log line, an exception message or the dashboard prints as {@code ******}.
 * Only drivers call {@link #reveal()}, to hand the value to their SDK.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = requireNonNull(value, "value is null");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself: for SDK credentials only, never for messages. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "******";
    }
}
