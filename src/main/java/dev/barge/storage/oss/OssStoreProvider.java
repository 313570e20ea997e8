package dev.barge.storage.oss;

import static java.util.Objects.requireNonNull;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.CredentialsProvider;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.auth.EnvironmentVariableCredentialsProvider;
import com.aliyun.oss.common.comm.SignVersion;
import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens {@code oss} remotes: Aliyun Object Storage Service through {@code aliyun-sdk-oss}.
 *
 * <p>Settings: {@code endpoint} (required unless {@code region} is given, which then means
 * {@code https://oss-<region>.aliyuncs.com}; an endpoint without a scheme gets {@code https://};
 * a remote with neither, such as the one {@code oss://bucket} stands for, takes them from the
 * environment variables {@code OSS_ENDPOINT} and {@code OSS_REGION}),
 * {@code region} (needed for V4 signatures; read from an {@code oss-<region>.aliyuncs.com} endpoint
 * when not given), static credentials with an optional STS session token, or when there are none the
 * SDK's environment provider ({@code OSS_ACCESS_KEY_ID}, {@code OSS_ACCESS_KEY_SECRET},
 * {@code OSS_SESSION_TOKEN}), {@code path-style} (the SDK addresses IP endpoints path-style by
 * itself), timeouts and the connection pool size.
 *
 * <p>Options:
 * <ul>
 *   <li>{@code signature-version}: {@code v1} or {@code v4}. Default {@code v4} when the region is
 *       known (Aliyun's current scheme; it binds each signature to a region and a day), else
 *       {@code v1}, the only one that can sign without a region (older endpoints, compatible
 *       servers).</li>
 *   <li>{@code multipart-copy-threshold} (default 1GB, the largest object OSS's CopyObject takes when
 *       it changes the storage class): larger objects are copied with UploadPartCopy, in parts of
 *       this size (more when 10 000 parts would not do).</li>
 *   <li>{@code upload-part-size} (default 8MB): the part size, and memory buffer, of puts that must
 *       be split into parts (unknown length, or a CRC-64 to check before the object appears). It
 *       doubles every 1000 parts so that long streams fit in 10 000 parts.</li>
 * </ul>
 */
public final class OssStoreProvider implements StoreProvider {
    public static final String TYPE = "oss";

    static final long MIN_PART_SIZE = 100L << 10;
    static final long MAX_PART_SIZE = 5L << 30;
    static final int MAX_PARTS = 10_000;
    static final long DEFAULT_COPY_THRESHOLD = 1L << 30;
    static final long DEFAULT_UPLOAD_PART_SIZE = 8L << 20;
    /** Part buffers are arrays: keep them well below the 2 GiB array limit. */
    static final long MAX_UPLOAD_PART_SIZE = 1L << 30;

    private static final Pattern REGIONAL_HOST =
            Pattern.compile("(?:.+\\.)?oss-([a-z0-9-]+?)(?:-internal)?\\.aliyuncs\\.com");

    private final Function<String, String> environment;

    public OssStoreProvider() {
        this(System::getenv);
    }

    /** A provider reading the environment from {@code environment} (for tests). */
    OssStoreProvider(Function<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectStore open(RemoteConfig config) {
        OssSettings settings = settings(withEnvironmentDefaults(config));
        OSS client = OSSClientBuilder.create()
                .endpoint(settings.endpoint())
                .credentialsProvider(credentialsProvider(config.credentials()))
                .clientConfiguration(clientConfiguration(config, settings))
                .region(settings.region())
                .build();
        return new OssObjectStore(client, settings);
    }

    /** The remote, with endpoint and region from the environment when it sets neither. */
    RemoteConfig withEnvironmentDefaults(RemoteConfig config) {
        if (!isBlank(config.endpoint()) || !isBlank(config.region())) {
            return config;
        }
        String endpoint = environment.apply("OSS_ENDPOINT");
        String region = environment.apply("OSS_REGION");
        if (isBlank(endpoint) && isBlank(region)) {
            return config;
        }
        return new RemoteConfig(config.name(), config.type(), isBlank(endpoint) ? null : endpoint,
                isBlank(region) ? null : region, config.credentials(), config.pathStyle(), config.connectTimeout(),
                config.requestTimeout(), config.maxConnections(), config.root(), config.options());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Validates the remote's settings without opening a client. */
    static OssSettings settings(RemoteConfig config) {
        String region = config.region() == null || config.region().isBlank() ? null
                : stripOssPrefix(config.region().trim());
        String endpoint;
        if (config.endpoint() != null && !config.endpoint().isBlank()) {
            endpoint = normalizeEndpoint(config, config.endpoint().trim());
            if (region == null) {
                Matcher m = REGIONAL_HOST.matcher(URI.create(endpoint).getHost().toLowerCase(Locale.ROOT));
                if (m.matches() && !m.group(1).startsWith("accelerate")) {
                    region = m.group(1);
                }
            }
        } else if (region != null) {
            endpoint = "https://oss-" + region + ".aliyuncs.com";
        } else {
            throw invalid(config, "an oss remote needs an endpoint (e.g. https://oss-cn-hangzhou.aliyuncs.com) "
                    + "or a region (e.g. cn-hangzhou); set barge.remotes." + config.name()
                    + ".region, or OSS_REGION or OSS_ENDPOINT in the environment");
        }

        String version = config.options().get("signature-version");
        SignVersion signVersion;
        if (version == null) {
            signVersion = region != null ? SignVersion.V4 : SignVersion.V1;
        } else if (version.equalsIgnoreCase("v4")) {
            if (region == null) {
                throw invalid(config, "signature-version=v4 needs a region: set region (e.g. cn-hangzhou)");
            }
            signVersion = SignVersion.V4;
        } else if (version.equalsIgnoreCase("v1")) {
            signVersion = SignVersion.V1;
        } else {
            throw invalid(config, "option signature-version=" + version + " must be v1 or v4");
        }

        long copyThreshold = config.longOption("multipart-copy-threshold", DEFAULT_COPY_THRESHOLD);
        if (copyThreshold < MIN_PART_SIZE || copyThreshold > MAX_PART_SIZE) {
            throw invalid(config, "multipart-copy-threshold must be between 100KB and 5GB (OSS's part sizes): "
                    + copyThreshold);
        }
        long uploadPartSize = config.longOption("upload-part-size", DEFAULT_UPLOAD_PART_SIZE);
        if (uploadPartSize < MIN_PART_SIZE || uploadPartSize > MAX_UPLOAD_PART_SIZE) {
            throw invalid(config, "upload-part-size must be between 100KB and 1GB: " + uploadPartSize);
        }
        return new OssSettings(config.name(), endpoint, region, signVersion, copyThreshold, uploadPartSize);
    }

    private static String normalizeEndpoint(RemoteConfig config, String endpoint) {
        String withScheme = endpoint.contains("://") ? endpoint : "https://" + endpoint;
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw invalid(config, "endpoint " + endpoint + " is not an http(s) URL");
            }
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw invalid(config, "endpoint " + endpoint + " must not have a path: give the bucket in locations");
            }
            return scheme + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            throw invalid(config, "endpoint " + endpoint + " is not a URL: " + e.getMessage());
        }
    }

    private static String stripOssPrefix(String region) {
        return region.startsWith("oss-") ? region.substring(4) : region;
    }

    static CredentialsProvider credentialsProvider(Credentials credentials) {
        if (credentials == null) {
            // read on every request; missing variables fail the first request with INVALID_CREDENTIALS
            return new EnvironmentVariableCredentialsProvider();
        }
        String token = credentials.sessionToken() == null ? null : credentials.sessionToken().reveal();
        return new DefaultCredentialProvider(credentials.accessKeyId(), credentials.secretAccessKey().reveal(), token);
    }

    private static ClientBuilderConfiguration clientConfiguration(RemoteConfig config, OssSettings settings) {
        ClientBuilderConfiguration c = new ClientBuilderConfiguration();
        // Barge's retry layer is the only place that retries: an SDK retry inside it would multiply
        // attempts, hide throttling from the backoff and send non-idempotent appends twice.
        c.setMaxErrorRetry(0);
        c.setSignatureVersion(settings.signVersion());
        c.setConnectionTimeout(millis(config.connectTimeout()));
        // a read that waits longer than a whole request may take has failed
        c.setSocketTimeout(millis(config.requestTimeout()));
        c.setRequestTimeoutEnabled(true);
        c.setRequestTimeout(millis(config.requestTimeout()));
        c.setMaxConnections(config.maxConnections());
        // The SDK's CRC check would hash every byte sent and received once more (CRC-64 of each request
        // and response body), on top of Barge's own checks, which stay:
        // - whole-object GETs (transfers and `barge cat` alike) are checked by OssObjectBody against
        //   x-oss-hash-crc64ecma; the SDK never checks ranged GETs either;
        // - puts carry the Content-MD5 of their bytes when their MD5 is expected (OSS refuses a mismatch
        //   before the object becomes visible, where the SDK's check came after it had replaced the old
        //   one); a put expecting a CRC-64 is held and checked before it is sent, or, larger than a part,
        //   checked by the multipart engine before it completes; a put in parts (MultipartEngine) is
        //   compared with the CRC-64 OSS reports of the whole;
        // - the transfer layer compares the CRC-64 OSS reports after a multipart upload (parsed whether or
        //   not the check is on) with the CRC-64 of the bytes it sent, and deletes a mismatching object.
        c.setCrcCheckEnabled(false);
        // OSS holds keys starting with '?'; the strict check refuses them client-side
        c.setVerifyObjectStrictEnable(false);
        if (config.pathStyle()) {
            c.setSLDEnabled(true);
        }
        return c;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    private static StorageException invalid(RemoteConfig config, String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + config.name() + "': " + detail).build();
    }
}
