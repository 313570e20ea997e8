package dev.barge.config;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The {@code barge.remotes.*} settings as the user wrote them, from every property source: checked
 * before they are bound, bound, and named back in the user's own form.
 *
 * <p>Refused, with the file and line (or the variable) and what to write instead: a setting no remote
 * has ({@code endpiont}, with the closest valid name), a value that does not convert
 * ({@code path-style: maybe}), and a {@code ${VAR}} that nothing defines (whose literal text would
 * otherwise become the secret). Messages never quote a value that could be a secret.
 *
 * <p>{@link #name(String, String)} names a setting the way the user configured that remote: a
 * remote from {@code BARGE_REMOTE_OSSE_*} variables gets {@code BARGE_REMOTE_OSSE_SECRET_ACCESS_KEY},
 * one from Spring's {@code BARGE_REMOTES_OSSE_*} gets {@code BARGE_REMOTES_OSSE_SECRETACCESSKEY}, one
 * from a file gets {@code secret-access-key} of that remote in that file.
 */
public final class RemoteSettings {
    static final String PREFIX = "barge.remotes";
    /**
     * How the description of a remotes file's resource begins ({@code remotes file /path}): its keys
     * are {@code <remote>.<setting>}, without the {@code barge.remotes.} of other sources.
     */
    public static final String REMOTES_FILE = "remotes file ";
    private static final ConfigurationPropertyName REMOTES = ConfigurationPropertyName.of(PREFIX);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");

    /** Every setting a remote has, dashed, as {@code access-key-id} or {@code retry.max-attempts}. */
    public static final List<String> NAMES = names();

    private final Environment environment;
    private final Map<String, List<Setting>> byRemote;

    /** One {@code barge.remotes.<remote>.<path>} property as found in its strongest source. */
    private record Setting(String remote, List<String> path, ConfigurationProperty property) {
        String dashed() {
            return String.join(".", path);
        }
    }

    private RemoteSettings(Environment environment, Map<String, List<Setting>> byRemote) {
        this.environment = environment;
        this.byRemote = byRemote;
    }

    /** The remote settings of {@code environment}, as its property sources hold them. */
    public static RemoteSettings of(Environment environment) {
        requireNonNull(environment, "environment is null");
        Map<ConfigurationPropertyName, Setting> found = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(REMOTES::isAncestorOf).forEach(name -> {
                    if (!found.containsKey(name)) {
                        ConfigurationProperty property = source.getConfigurationProperty(name);
                        if (property != null) {
                            found.put(name, setting(name, property));
                        }
                    }
                });
            }
        }
        Map<String, List<Setting>> byRemote = new LinkedHashMap<>();
        found.values().forEach(s -> byRemote.computeIfAbsent(s.remote(), r -> new ArrayList<>()).add(s));
        return new RemoteSettings(environment, byRemote);
    }

    private static Setting setting(ConfigurationPropertyName name, ConfigurationProperty property) {
        String remote = name.getNumberOfElements() > 2 ? name.getElement(2, Form.ORIGINAL) : "";
        List<String> path = new ArrayList<>();
        for (int i = 3; i < name.getNumberOfElements(); i++) {
            path.add(name.getElement(i, Form.DASHED));
        }
        return new Setting(remote, path, property);
    }

    /**
     * Checks every setting's name and placeholders, then binds them.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} naming the first wrong setting and where it is
     */
    public Map<String, RemoteProperties> bind() {
        check();
        Map<String, RemoteProperties> bound;
        try {
            bound = Binder.get(environment)
                    .bind(PREFIX, Bindable.mapOf(String.class, RemoteProperties.class))
                    .orElse(Map.of());
        } catch (BindException e) {
            throw invalid(bindFailure(e));
        }
        bound.forEach(this::checkRanges);
        return bound;
    }

    /** Refuses values that convert but cannot work: a timeout of zero or less, no attempt at all. */
    private void checkRanges(String remote, RemoteProperties p) {
        String positive = "longer than zero, such as 10s";
        refuseIf(notPositive(p.connectTimeout()), remote, "connect-timeout", positive);
        refuseIf(notPositive(p.requestTimeout()), remote, "request-timeout", positive);
        refuseIf(p.maxConnections() != null && p.maxConnections() < 1, remote, "max-connections", "at least 1");
        RemoteProperties.Retry retry = p.retry();
        if (retry != null) {
            refuseIf(retry.maxAttempts() != null && retry.maxAttempts() < 1, remote, "retry.max-attempts",
                    "at least 1 (1 sends each request once, without retries)");
            refuseIf(retry.multiplier() != null && retry.multiplier() < 1, remote, "retry.multiplier", "1.0 or more");
            for (var delay : Map.of("retry.initial-delay", Optional.ofNullable(retry.initialDelay()),
                    "retry.max-delay", Optional.ofNullable(retry.maxDelay()),
                    "retry.jitter", Optional.ofNullable(retry.jitter()),
                    "retry.max-elapsed", Optional.ofNullable(retry.maxElapsed()),
                    "retry.max-throttled", Optional.ofNullable(retry.maxThrottled())).entrySet()) {
                refuseIf(delay.getValue().filter(Duration::isNegative).isPresent(), remote, delay.getKey(),
                        "zero or more, such as 200ms");
            }
        }
        RemoteProperties.RateLimit limit = p.rateLimit();
        if (limit != null) {
            refuseIf(limit.operationsPerSecond() != null && limit.operationsPerSecond() < 0, remote,
                    "rate-limit.operations-per-second", "above zero (leave it out for no limit)");
            refuseIf(limit.bytesPerSecond() != null && limit.bytesPerSecond().isNegative(), remote,
                    "rate-limit.bytes-per-second", "above zero (leave it out for no limit)");
        }
    }

    private static boolean notPositive(Duration duration) {
        return duration != null && (duration.isNegative() || duration.isZero());
    }

    private void refuseIf(boolean wrong, String remote, String dashed, String rule) {
        if (!wrong) {
            return;
        }
        Setting setting = byRemote.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(remote))
                .flatMap(e -> e.getValue().stream()).filter(s -> same(s, dashed)).findFirst().orElse(null);
        if (setting == null) {
            throw invalid(PREFIX + "." + remote + "." + dashed + " is not valid: it must be " + rule);
        }
        throw invalid(subject(setting) + "=" + setting.property().getValue() + " is not valid: it must be " + rule);
    }

    /** Refuses unknown setting names and unresolved placeholders. */
    void check() {
        for (List<Setting> settings : byRemote.values()) {
            for (Setting setting : settings) {
                unknown(setting).ifPresent(message -> {
                    throw invalid(message);
                });
                unresolved(setting).ifPresent(message -> {
                    throw invalid(message);
                });
            }
        }
    }

    private Optional<String> unknown(Setting setting) {
        if (setting.path().isEmpty()) {
            return Optional.of(subject(setting) + ": remote '" + setting.remote() + "' has a value but no settings;"
                    + " write it as a name followed by its settings (type, endpoint, ...)");
        }
        String dashed = setting.dashed();
        for (String known : NAMES) {
            if (known.equals(dashed) || known.endsWith(".*") && dashed.startsWith(known.substring(0, known.length() - 1))
                    && dashed.length() > known.length() - 1) {
                return Optional.empty();
            }
        }
        // uniform comparison: BARGE_REMOTES_X_SECRETACCESSKEY is secret-access-key
        String uniform = uniform(dashed);
        for (String known : NAMES) {
            if (!known.endsWith(".*") && uniform(known).equals(uniform)) {
                return Optional.empty();
            }
        }
        String closest = closest(dashed);
        return Optional.of(subject(setting) + " is not a setting of remote '" + setting.remote() + "'; did you mean "
                + inForm(setting, closest) + "? (the settings are " + String.join(", ", NAMES) + ")");
    }

    private Optional<String> unresolved(Setting setting) {
        if (!(setting.property().getValue() instanceof CharSequence raw) || !raw.toString().contains("${")) {
            return Optional.empty();
        }
        try {
            environment.resolveRequiredPlaceholders(raw.toString());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            Matcher m = PLACEHOLDER.matcher(raw);
            String variable = null;
            while (m.find() && variable == null) {
                if (m.group(2) == null && !environment.containsProperty(m.group(1))) {
                    variable = m.group(1);
                }
            }
            String named = variable != null ? "${" + variable + "}" : "a placeholder";
            return Optional.of(subject(setting) + " refers to " + named + ", which is not"
                    + " set; set " + (variable != null ? "the environment variable " + variable : "it")
                    + ", or give a default as ${" + (variable != null ? variable : "NAME") + ":default}");
        }
    }

    private String bindFailure(BindException e) {
        ConfigurationProperty property = e.getProperty();
        String cause = rootMessage(e);
        if (property == null) {
            return "cannot read the settings under " + e.getName() + ": " + cause;
        }
        Setting setting = setting(property.getName(), property);
        String expected = expected(e.getTarget().getType().resolve(Object.class));
        boolean secret = setting.dashed().contains("secret") || setting.dashed().contains("token");
        return subject(setting) + (secret ? "" : "=" + property.getValue())
                + " is not valid" + (expected != null ? ": it must be " + expected : " (" + cause + ")");
    }

    private static String expected(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 10s, 5m or 1h";
        }
        if (type == DataSize.class) {
            return "a size such as 512KB, 10MB or 1GB";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        return null;
    }

    /**
     * The setting {@code setting} (dashed, as {@code secret-access-key}) of {@code remote} in the form
     * the user configured that remote: an environment variable of the same kind, a key of the same
     * file, else {@code barge.remotes.<remote>.<setting>}.
     */
    public String name(String remote, String setting) {
        requireNonNull(remote, "remote is null");
        requireNonNull(setting, "setting is null");
        List<Setting> settings = byRemote.getOrDefault(remote, List.of());
        Setting model = settings.stream().filter(s -> same(s, setting)).findFirst()
                .or(() -> settings.stream().filter(s -> same(s, sibling(setting))).findFirst())
                .or(() -> settings.stream().filter(s -> same(s, "type")).findFirst())
                .or(() -> settings.stream().findFirst())
                .orElse(null);
        if (model == null) {
            return PREFIX + "." + remote + "." + setting;
        }
        Origin origin = origin(model);
        if (origin instanceof SystemEnvironmentOrigin env) {
            return variable(model, env.getProperty(), setting);
        }
        if (origin instanceof TextResourceOrigin text && text.getResource() != null && isRemotesFile(text)) {
            return setting + " of remote '" + remote + "' in " + file(text);
        }
        return PREFIX + "." + remote + "." + setting;
    }

    private static boolean same(Setting setting, String dashed) {
        return uniform(setting.dashed()).equals(uniform(dashed));
    }

    private static String sibling(String setting) {
        return switch (setting) {
            case "secret-access-key", "session-token" -> "access-key-id";
            case "access-key-id" -> "secret-access-key";
            default -> "type";
        };
    }

    /** The variable for {@code setting}, modelled on {@code model}'s variable. */
    private static String variable(Setting model, String modelVariable, String setting) {
        String suffix = "_" + envForm(model.dashed());
        if (modelVariable.startsWith("BARGE_REMOTE_") && modelVariable.endsWith(suffix)) {
            return modelVariable.substring(0, modelVariable.length() - suffix.length()) + "_" + envForm(setting);
        }
        String springSuffix = "_" + uniform(model.dashed()).toUpperCase(Locale.ROOT).replace('.', '_');
        String base = modelVariable.endsWith(springSuffix)
                ? modelVariable.substring(0, modelVariable.length() - springSuffix.length())
                : "BARGE_REMOTES_" + model.remote().toUpperCase(Locale.ROOT).replace('-', '_');
        return base + "_" + uniform(setting).toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static String envForm(String dashed) {
        return dashed.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /**
     * A setting as the user wrote it, and where: {@code remotes file F, line 3: path-style}, {@code
     * environment variable BARGE_REMOTE_X_PATH_STYLE}, {@code barge.remotes.x.path-style
     * (class path resource [application.yml], line 7)} or {@code barge.remotes.x.path-style}.
     */
    private static String subject(Setting setting) {
        Origin origin = origin(setting);
        if (origin instanceof SystemEnvironmentOrigin env) {
            return "environment variable " + env.getProperty();
        }
        String property = PREFIX + "." + setting.remote() + "." + setting.dashed();
        if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
            String line = text.getLocation() != null ? ", line " + (text.getLocation().getLine() + 1) : "";
            return isRemotesFile(text) ? "remotes file " + file(text) + line + ": " + quoted(setting)
                    : property + " (" + file(text) + line + ")";
        }
        return property;
    }

    private static String quoted(Setting setting) {
        return setting.path().isEmpty() ? setting.remote() : setting.dashed();
    }

    /** {@code known} in the form {@code setting} was written in. */
    private static String inForm(Setting setting, String known) {
        Origin origin = origin(setting);
        if (origin instanceof SystemEnvironmentOrigin env) {
            return variable(setting, env.getProperty(), known.replace(".*", ".name"));
        }
        if (origin instanceof TextResourceOrigin text && isRemotesFile(text)) {
            return "'" + known + "'";
        }
        return PREFIX + "." + setting.remote() + "." + known;
    }

    /** Where a setting was written, past the property source that holds it. */
    private static Origin origin(Setting setting) {
        Origin origin = Origin.from(setting.property());
        while (origin instanceof PropertySourceOrigin wrapper && wrapper.getOrigin() != null) {
            origin = wrapper.getOrigin();
        }
        return origin;
    }

    private static boolean isRemotesFile(TextResourceOrigin origin) {
        return origin.getResource() != null && origin.getResource().getDescription().startsWith(REMOTES_FILE);
    }

    private static String file(TextResourceOrigin origin) {
        String description = origin.getResource().getDescription();
        return description.startsWith(REMOTES_FILE) ? description.substring(REMOTES_FILE.length())
                : description;
    }

    /** The known name closest to {@code dashed} by edit distance. */
    private static String closest(String dashed) {
        return NAMES.stream()
                .min(Comparator.comparingInt((String known) -> distance(known.replace(".*", ""), dashed)))
                .orElseThrow();
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String uniform(String dashed) {
        return dashed.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    static StorageException invalid(String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE).detail(detail).build();
    }

    /** The dashed names of {@link RemoteProperties}' components; a map component takes any name ({@code .*}). */
    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (RecordComponent component : RemoteProperties.class.getRecordComponents()) {
            String name = dashed(component.getName());
            Class<?> type = component.getType();
            if (Map.class.isAssignableFrom(type)) {
                names.add(name + ".*");
            } else if (type.isRecord()) {
                for (RecordComponent child : type.getRecordComponents()) {
                    names.add(name + "." + dashed(child.getName()));
                }
            } else {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private static String dashed(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
