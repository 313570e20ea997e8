package dev.barge.config;

import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import dev.barge.storage.layer.AdaptiveRateSettings;
import dev.barge.storage.layer.RateLimitSettings;
import dev.barge.storage.layer.RetrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.util.unit.DataSize;

/**
 * One remote, {@code barge.remotes.<name>.*}. Every setting but {@code type} is optional.
 *
 * @param type {@code s3}, {@code oss}, {@code qiniu} or {@code local}
 * @param endpoint service endpoint URL; the vendor's default when absent
 * @param region region name
 * @param accessKeyId access key id; without it the vendor's default credential chain is used
 * @param secretAccessKey secret key, required with an access key id
 * @param sessionToken temporary (STS) session token
 * @param pathStyle address buckets in the URL path (MinIO, Ceph, IP endpoints)
 * @param connectTimeout time to establish a connection
 * @param requestTimeout time one request may take
 * @param maxConnections connection pool size
 * @param root for {@code local}: the directory holding the buckets
 * @param options driver-specific options, see each driver
 * @param retry how failed requests are retried
 * @param rateLimit limits on requests and bytes per second
 */
public record RemoteProperties(
        String type,
        String endpoint,
        String region,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        Boolean pathStyle,
        Duration connectTimeout,
        Duration requestTimeout,
        Integer maxConnections,
        Path root,
        Map<String, String> options,
        Retry retry,
        RateLimit rateLimit) {

    /** The driver settings, checked, for the remote called {@code name}. */
    public RemoteConfig toRemoteConfig(String name) {
        return toRemoteConfig(name, setting -> "barge.remotes." + name + "." + setting);
    }

    /**
     * The driver settings, checked, for the remote called {@code name}; a message names a setting as
     * {@code settingName} gives it (the user's own form: a variable, a key of a file).
     *
     * @param settingName the name to show for a setting given dashed, as {@code secret-access-key}
     */
    public RemoteConfig toRemoteConfig(String name, Function<String, String> settingName) {
        if (type == null || type.isBlank()) {
            throw invalid(name, "type is missing: set " + settingName.apply("type") + " to s3, oss, qiniu or local");
        }
        Credentials credentials = null;
        if (accessKeyId != null && !accessKeyId.isBlank()) {
            if (secretAccessKey == null || secretAccessKey.isBlank()) {
                throw invalid(name, "access-key-id is set but secret-access-key is not; set "
                        + settingName.apply("secret-access-key"));
            }
            credentials = new Credentials(accessKeyId, Secret.of(secretAccessKey),
                    sessionToken == null || sessionToken.isBlank() ? null : Secret.of(sessionToken));
        } else if (secretAccessKey != null && !secretAccessKey.isBlank()) {
            throw invalid(name, "secret-access-key is set but access-key-id is not; set "
                    + settingName.apply("access-key-id"));
        }
        return new RemoteConfig(name, type.toLowerCase(Locale.ROOT), endpoint, region, credentials,
                Boolean.TRUE.equals(pathStyle), connectTimeout, requestTimeout, maxConnections == null ? 0 : maxConnections,
                root, options);
    }

    /** How this remote's requests are retried; defaults from {@link RetrySettings#DEFAULT}. */
    public RetrySettings retrySettings() {
        RetrySettings d = RetrySettings.DEFAULT;
        if (retry == null) {
            return d;
        }
        return new RetrySettings(
                retry.maxAttempts() != null ? retry.maxAttempts() : d.maxAttempts(),
                retry.initialDelay() != null ? retry.initialDelay() : d.initialDelay(),
                retry.multiplier() != null ? retry.multiplier() : d.multiplier(),
                retry.maxDelay() != null ? retry.maxDelay() : d.maxDelay(),
                retry.jitter() != null ? retry.jitter() : d.jitter(),
                retry.maxElapsed() != null ? retry.maxElapsed() : d.maxElapsed(),
                retry.maxThrottled() != null ? retry.maxThrottled() : d.maxThrottled());
    }

    /** This remote's rate limits; none by default. */
    public RateLimitSettings rateLimitSettings() {
        if (rateLimit == null) {
            return RateLimitSettings.NONE;
        }
        return new RateLimitSettings(
                rateLimit.operationsPerSecond() != null ? rateLimit.operationsPerSecond() : 0,
                rateLimit.bytesPerSecond() != null ? rateLimit.bytesPerSecond().toBytes() : 0);
    }

    private static StorageException invalid(String name, String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + name + "': " + detail).build();
    }

    /** {@code barge.remotes.<name>.retry.*}; see {@link RetrySettings}. */
    public record Retry(Integer maxAttempts, Duration initialDelay, Double multiplier, Duration maxDelay,
            Duration jitter, Duration maxElapsed, Duration maxThrottled) {}

    /**
     * How this remote's operations rate adapts to the store's throttling: {@link AdaptiveRateSettings#DEFAULT}
     * unless {@code rate-limit.adaptive: false}, and never for a local remote (which does not throttle:
     * no layer, no cost).
     */
    public AdaptiveRateSettings adaptiveRateSettings() {
        return rateLimit != null && Boolean.FALSE.equals(rateLimit.adaptive()) ? AdaptiveRateSettings.OFF
                : AdaptiveRateSettings.DEFAULT;
    }

    /**
     * {@code barge.remotes.<name>.rate-limit.*}.
     *
     * @param operationsPerSecond requests per second (fractions allowed)
     * @param bytesPerSecond bytes per second, e.g. {@code 50MB}
     * @param adaptive whether throttled answers step the operations rate down (default true)
     */
    public record RateLimit(Double operationsPerSecond, DataSize bytesPerSecond, Boolean adaptive) {}
}
