package dev.barge.web;

/**
 * {@code barge serve} refuses to start as configured, and says what to set: its address reaches beyond
 * this machine and no user has a password, or a user is configured wrong. The command line reports
 * it as a usage error (exit 2).
 */
public final class ServeRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ServeRefused(String message) {
        super(message);
    }
}
