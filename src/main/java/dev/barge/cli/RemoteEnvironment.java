package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.config.RemoteSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.PropertySource;

/**
 * Remotes from environment variables in the rclone style, {@code BARGE_REMOTE_<NAME>_<SETTING>},
 * as {@code barge.remotes.<name>.<setting>} properties:
 *
 * <pre>
 * BARGE_REMOTE_BACKUP_TYPE=s3                     barge.remotes.backup.type=s3
 * BARGE_REMOTE_BACKUP_SECRET_ACCESS_KEY=...       barge.remotes.backup.secret-access-key=...
 * BARGE_REMOTE_OSS_PROD_REGION=cn-hangzhou        barge.remotes.oss_prod.region=cn-hangzhou
 * BARGE_REMOTE_KODO_OPTIONS_DOWNLOAD_DOMAIN=...   barge.remotes.kodo.options.download-domain=...
 * BARGE_REMOTE_BACKUP_RATE_LIMIT_BYTES_PER_SECOND barge.remotes.backup.rate-limit.bytes-per-second
 * </pre>
 *
 * The name is lower-cased and keeps its underscores; the setting is the first known setting name
 * that ends the variable, so a remote may be called {@code my_root} or {@code oss_prod}.
 * Spring's own spelling ({@code BARGE_REMOTES_<NAME>_<SETTING>}) works as well.
 */
public final class RemoteEnvironment {
    static final String PREFIX = "BARGE_REMOTE_";

    private static final List<String> SETTINGS = List.of("TYPE", "ENDPOINT", "REGION", "ACCESS_KEY_ID",
            "SECRET_ACCESS_KEY", "SESSION_TOKEN", "PATH_STYLE", "CONNECT_TIMEOUT", "REQUEST_TIMEOUT",
            "MAX_CONNECTIONS", "ROOT");
    private static final List<String> GROUPS = List.of("OPTIONS_", "RETRY_", "RATE_LIMIT_");

    private RemoteEnvironment() {}

    /**
     * The remote properties the variables of {@code environment} stand for, in a stable order, each
     * with the variable it came from as its origin (so that messages name the variable).
     *
     * @throws CliError (usage) for a {@code BARGE_REMOTE_} variable that no setting name ends, naming
     *     the closest valid variable
     */
    public static PropertySource<?> propertySource(Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        Map<String, Object> properties = new LinkedHashMap<>();
        new TreeMap<>(environment).forEach((variable, value) -> {
            if (variable.startsWith(PREFIX)) {
                String property = property(variable.substring(PREFIX.length()));
                if (property == null) {
                    throw CliError.usage("environment variable " + variable + " names no setting of a remote;"
                            + " did you mean " + closest(variable) + "? (BARGE_REMOTE_<NAME>_<SETTING>, the settings"
                            + " being " + String.join(", ", SETTINGS) + ", or OPTIONS_<OPTION>, RETRY_<SETTING>,"
                            + " RATE_LIMIT_<SETTING>)");
                }
                properties.put(property, OriginTrackedValue.of(value, new SystemEnvironmentOrigin(variable)));
            }
        });
        return new OriginTrackedMapPropertySource("barge-remote-environment", properties);
    }

    /** The remote properties the variables of {@code environment} stand for, as plain values. */
    public static Map<String, Object> properties(Map<String, String> environment) {
        Map<String, Object> plain = new LinkedHashMap<>();
        PropertySource<?> source = propertySource(environment);
        for (String name : ((OriginTrackedMapPropertySource) source).getPropertyNames()) {
            plain.put(name, source.getProperty(name));
        }
        return plain;
    }

    /** The valid variable closest to {@code variable}: its last part replaced by the nearest setting. */
    private static String closest(String variable) {
        String rest = variable.substring(PREFIX.length());
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = rest.indexOf('_'); i > 0; i = rest.indexOf('_', i + 1)) {
            String name = rest.substring(0, i);
            String tail = rest.substring(i + 1);
            for (String setting : SETTINGS) {
                int d = RemoteSettings.distance(setting, tail);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = PREFIX + name + "_" + setting;
                }
            }
        }
        return best != null ? best : PREFIX + rest + "_TYPE";
    }

    private static String property(String rest) {
        for (int i = rest.indexOf('_'); i > 0; i = rest.indexOf('_', i + 1)) {
            String name = rest.substring(0, i).toLowerCase(Locale.ROOT);
            String setting = rest.substring(i + 1);
            if (SETTINGS.contains(setting)) {
                return "barge.remotes." + name + "." + kebab(setting);
            }
            for (String group : GROUPS) {
                if (setting.startsWith(group) && setting.length() > group.length()) {
                    return "barge.remotes." + name + "." + kebab(group.substring(0, group.length() - 1)) + "."
                            + kebab(setting.substring(group.length()));
                }
            }
        }
        return null;
    }

    private static String kebab(String upper) {
        return upper.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
