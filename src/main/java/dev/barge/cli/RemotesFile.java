package dev.barge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

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

    /** The default file, under {@code $XDG_CONFIG_HOME} or {@code ~/.config}. */
    public static Path defaultPath(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".config");
        return base.resolve("barge").resolve("remotes.yml");
    }

    /**
     * The file's settings as {@code barge.remotes.*} properties.
     *
     * @throws CliError (usage) when the file is missing, unreadable or not YAML
     */
    public static Map<String, Object> properties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliError.usage("remotes file " + file + " does not exist or is not a file");
        }
        List<PropertySource<?>> sources;
        try {
            sources = new YamlPropertySourceLoader().load("remotes", new FileSystemResource(file));
        } catch (IOException | RuntimeException e) {
            throw CliError.usage("cannot read remotes file " + file + ": " + e.getMessage());
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (PropertySource<?> source : sources) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (!name.contains(".")) {
                        throw CliError.usage("remotes file " + file + ": '" + name + "' is not a remote with settings;"
                                + " write each remote as a name followed by its settings (type, endpoint, ...)");
                    }
                    properties.putIfAbsent("barge.remotes." + name, enumerable.getProperty(name));
                }
            }
        }
        return properties;
    }
}
