package dev.barge.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Barge keeps its state by default ({@code barge.home}: the embedded job repository and
 * {@code barge.log}): {@code $BARGE_HOME}, else {@code $XDG_DATA_HOME/barge}, else
 * {@code $HOME/.local/share/barge}, else the JVM's {@code user.home} in place of {@code $HOME}.
 * A variable that is set but empty counts as unset, and so does an {@code XDG_DATA_HOME} that is not
 * an absolute path, as the XDG Base Directory specification says: an empty {@code XDG_DATA_HOME}
 * must not make the home {@code /barge}.
 */
final class BargeHome {
    private BargeHome() {}

    /** The state directory for this environment. */
    static Path of(Map<String, String> environment, String userHome) {
        String barge = environment.get("BARGE_HOME");
        if (barge != null && !barge.isBlank()) {
            return Path.of(barge);
        }
        String xdg = environment.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "barge");
        }
        String home = environment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome, ".local", "share", "barge");
    }
}
