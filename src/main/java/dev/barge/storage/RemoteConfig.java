package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * The driver settings of one remote ({@code barge.remotes.<name>.*}): everything a
 * {@link StoreProvider} needs to open a store. Settings a driver does not use are ignored by it.
 *
 * @param name the remote's name, as used in locations ({@code name:bucket/prefix})
 * @param type the driver: {@code s3}, {@code oss}, {@code qiniu} or {@code local}
 * @param endpoint the service endpoint URL, or {@code null} for the vendor's default
 * @param region the region, or {@code null}
 * @param credentials static credentials, or {@code null} for the vendor's default chain
 * @param pathStyle address buckets in the path ({@code host/bucket/key}) rather than the host name
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long one request may take before it is abandoned as failed
 * @param maxConnections size of the connection pool
 * @param root for {@code local}: the directory whose subdirectories are the buckets
 * @param options driver-specific settings, documented by each driver
 */
public record RemoteConfig(
        String name,
        String type,
        String endpoint,
        String region,
        Credentials credentials,
        boolean pathStyle,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxConnections,
        Path root,
        Map<String, String> options) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Connections are opened as requests need them; the cap only protects the store. High enough
     * that the threads of a job (objects x parts in flight, listings) never wait for a connection.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public RemoteConfig {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        connectTimeout = connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
        requestTimeout = requestTimeout != null ? requestTimeout : DEFAULT_REQUEST_TIMEOUT;
        maxConnections = maxConnections > 0 ? maxConnections : DEFAULT_MAX_CONNECTIONS;
        options = Map.copyOf(options != null ? options : Map.of());
    }

    /** A remote of the given type with every setting at its default. */
    public static RemoteConfig defaults(String name, String type) {
        return new RemoteConfig(name, type, null, null, null, false, null, null, 0, null, Map.of());
    }

    /** A {@code local} remote rooted at a directory. */
    public static RemoteConfig local(String name, Path root) {
        return new RemoteConfig(name, "local", null, null, null, false, null, null, 0, root, Map.of());
    }

    /** This remote with one driver option changed. */
    public RemoteConfig withOption(String option, String value) {
        Map<String, String> changed = new java.util.HashMap<>(options);
        changed.put(option, value);
        return new RemoteConfig(name, type, endpoint, region, credentials, pathStyle, connectTimeout, requestTimeout,
                maxConnections, root, changed);
    }

    /**
     * A driver option, or {@code defaultValue} when not set.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} naming the remote and option when the
     *     value is not of the expected form
     */
    public long longOption(String option, long defaultValue) {
        String value = options.get(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            return DataSize.parse(value).toBytes();
        } catch (IllegalArgumentException e) {
            throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                    .detail("remote '" + name + "': option " + option + "=" + value + " is not a size or number ("
                            + e.getMessage() + ")")
                    .build();
        }
    }

    /** A boolean driver option, or {@code defaultValue} when not set. */
    public boolean booleanOption(String option, boolean defaultValue) {
        String value = options.get(option);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + name + "': option " + option + "=" + value + " must be true or false")
                .build();
    }
}
