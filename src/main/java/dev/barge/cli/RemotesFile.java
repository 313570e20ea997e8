package dev.barge.cli;

import dev.barge.config.RemoteSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A remotes file ({@code ~/.config/barge/remotes.yml} or {@code --config FILE}): remote names at
 * the top level, each with the settings of {@code barge.remotes.<name>}:
 *
 * <pre>
 * backup:
 *   type: s3
 *   endpoint: https://s3.eu-west-1.amazonaws.com
 *   access-key-id: AKIA...
 *   secret-access-key: ${BACKUP_SECRET}
 * </pre>
 */
public final class RemotesFile {
    private RemotesFile() {}

    /** The default file, {@code $XDG_CONFIG_HOME/barge/remotes.yml}, else {@code $HOME/.config/barge/remotes.yml}. */
    public static Path defaultPath(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        String home = environment.get("HOME");
        // set but empty, or relative, counts as unset (XDG Base Directory specification)
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : userHome, ".config");
        return base.resolve("barge").resolve("remotes.yml");
    }

    /**
     * The file's settings as {@code barge.remotes.*} properties, each with its line in the file (so
     * that a wrong setting is reported with it).
     *
     * @throws CliError (usage) when the file is missing, unreadable or not YAML; a YAML error names
     *     the line and column but never quotes the line, which may hold a secret
     */
    public static PropertySource<?> properties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliError.usage("remotes file " + file + " does not exist or is not a file");
        }
        List<PropertySource<?>> sources;
        try {
            sources = new YamlPropertySourceLoader().load("remotes", new RemotesResource(file));
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (PropertySource<?> source : sources) {
            if (source instanceof OriginTrackedMapPropertySource tracked) {
                tracked.getSource().forEach((name, value) -> {
                    if (!name.contains(".")) {
                        throw CliError.usage("remotes file " + file + lineOf(value) + ": '" + name + "' is not a"
                                + " remote with settings; write each remote as a name followed by its settings"
                                + " (type, endpoint, ...)");
                    }
                    properties.putIfAbsent("barge.remotes." + name, value);
                });
            }
        }
        return new OriginTrackedMapPropertySource("barge-remotes-file", properties);
    }

    /** Why the file cannot be read; a YAML error by its line and column, never quoting the line. */
    private static CliError unreadable(Path file, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYAMLException yaml) {
                Mark mark = yaml.getProblemMark();
                return CliError.usage("remotes file " + file + " is not valid YAML"
                        + (mark != null ? " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) : "")
                        + ": " + yaml.getProblem() + "; check the indentation, and quote a value that holds ': '"
                        + " or starts with a special character (* & ! { [ % @)");
            }
            if (t instanceof YAMLException) {
                return CliError.usage("remotes file " + file + " is not valid YAML");
            }
        }
        return CliError.usage("cannot read remotes file " + file + ": " + e.getClass().getSimpleName());
    }

    private static String lineOf(Object value) {
        if (value instanceof OriginTrackedValue tracked && tracked.getOrigin() instanceof TextResourceOrigin text
                && text.getLocation() != null) {
            return ", line " + (text.getLocation().getLine() + 1);
        }
        return "";
    }

    /** The file, described as {@link RemoteSettings#REMOTES_FILE} says, so that messages name it so. */
    private static final class RemotesResource extends FileSystemResource {
        RemotesResource(Path file) {
            super(file);
        }

        @Override
        public String getDescription() {
            return RemoteSettings.REMOTES_FILE + getPath();
        }
    }
}
