package dev.barge.storage.s3;

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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Opens {@code s3} remotes: AWS S3 and every S3-compatible store, with the AWS SDK for Java 2.
 *
 * <p>Settings: {@code endpoint} (AWS when absent), {@code region} ({@code us-east-1} when absent;
 * without an endpoint too, requests then follow a bucket to its region), {@code path-style},
 * static credentials or else the AWS default chain (environment, profile, container or instance
 * role), {@code max-connections}, {@code connect-timeout}, {@code request-timeout} (one attempt
 * of one call, and the whole call: the SDK does not retry).
 *
 * <p>Options ({@code barge.remotes.<name>.options.*}):
 * <ul>
 *   <li>{@code multipart-copy-threshold} (default 5GB): objects larger than this are copied with
 *       parallel UploadPartCopy requests instead of one CopyObject; at most 5GB, S3's limit for one copy;</li>
 *   <li>{@code multipart-copy-part-size} (default 256MB): the part size of those copies, raised so
 *       that an object needs at most 10,000 parts;</li>
 *   <li>{@code multipart-copy-concurrency} (default 4): parts of one copy copied at once;</li>
 *   <li>{@code multipart-upload-part-size} (default 16MB): a put of unknown length is sent in parts
 *       of this size, each held in memory while it is sent; objects up to 10,000 parts;</li>
 *   <li>{@code multipart-upload-concurrency} (default 4): parts of one put of unknown length read and
 *       sent at once, the part being read included: memory is this times the part size;</li>
 *   <li>{@code etag-is-md5} (default true): whether a single-part etag of 32 hex digits is the MD5
 *       of the content. Set false for stores where it is not (buckets encrypted with SSE-KMS by
 *       default, some S3-compatible stores): the store then reports no MD5;</li>
 *   <li>{@code sign-payload} (default false): with a configured {@code endpoint}, include the
 *       SHA-256 of each request body in its signature. Off, bodies go as {@code UNSIGNED-PAYLOAD}
 *       (as over https), protected by the signed Content-MD5 and Barge's end-to-end checksums; see
 *       {@link S3Resolution};</li>
 *   <li>{@code flexible-checksums} (default false): let the SDK send and check the CRC checksums
 *       AWS S3 knows ({@code x-amz-checksum-*}, aws-chunked trailers). Off by default because many
 *       S3-compatible stores refuse or mishandle them; see below.</li>
 * </ul>
 */
public final class S3StoreProvider implements StoreProvider {
    public static final String TYPE = "s3";
    static final String DEFAULT_REGION = "us-east-1";

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectStore open(RemoteConfig config) {
        URI endpoint = endpoint(config);
        boolean regionGiven = config.region() != null && !config.region().isBlank();
        String region = regionGiven ? config.region().trim() : DEFAULT_REGION;
        S3Options options = options(config, region, regionGiven);
        boolean flexibleChecksums = config.booleanOption("flexible-checksums", false);
        Duration requestTimeout = positive(config, "request-timeout", config.requestTimeout());
        Duration connectTimeout = positive(config, "connect-timeout", config.connectTimeout());

        AwsCredentialsProvider credentials = credentials(config.credentials());
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(config.maxConnections())
                        .connectionTimeout(connectTimeout)
                        // a read that stalls this long fails, as rclone's idle timeout; long server-side
                        // copies and completions of stores that send nothing meanwhile still fit
                        .socketTimeout(requestTimeout)
                        .connectionAcquisitionTimeout(requestTimeout))
                // Barge's retry layer retries, in one place: the SDK sends every call exactly once.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(requestTimeout)
                        .apiCallTimeout(requestTimeout));
        if (flexibleChecksums) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
        } else {
            // Since SDK 2.30 the default (WHEN_SUPPORTED) adds a CRC32 to every upload, sent as an
            // aws-chunked trailer, and sends CRC32 instead of Content-MD5 where S3 requires a checksum
            // (DeleteObjects). Many S3-compatible stores (Ceph RGW before Reef, older MinIO, Cloudflare
            // R2, Aliyun OSS, Tencent COS, Huawei OBS, Qiniu) refuse one or the other. WHEN_REQUIRED
            // sends checksums only where S3 requires them, and the legacy MD5 plugin makes those
            // Content-MD5 again, which every S3 dialect knows. Integrity does not suffer: the driver
            // sends Content-MD5 where it holds the bytes or knows their MD5, and the transfer layer
            // compares checksums end to end.
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .addPlugin(LegacyMd5Plugin.create());
        }
        if (endpoint != null) {
            boolean signPayload = config.booleanOption("sign-payload", false);
            S3Resolution resolution = new S3Resolution(signPayload);
            builder.endpointOverride(endpoint)
                    .endpointProvider(resolution.endpointProvider())
                    .authSchemeProvider(resolution.authSchemeProvider());
            if (!signPayload) {
                builder.putAuthScheme(new S3UnsignedPayload());
            }
        } else if (!regionGiven) {
            // AWS without a region: start in us-east-1 and follow each bucket to its own region
            builder.crossRegionAccessEnabled(true);
        }

        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
        if (endpoint != null) {
            presigner.endpointOverride(endpoint);
        }
        S3Client client = builder.build();
        try {
            return new S3ObjectStore(client, presigner.build(),
                    credentials instanceof AutoCloseable closeable ? closeable : null, options);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static AwsCredentialsProvider credentials(Credentials credentials) {
        if (credentials == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String id = credentials.accessKeyId();
        String secret = credentials.secretAccessKey().reveal();
        return StaticCredentialsProvider.create(credentials.sessionToken() == null
                ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, credentials.sessionToken().reveal()));
    }

    private static URI endpoint(RemoteConfig config) {
        if (config.endpoint() == null || config.endpoint().isBlank()) {
            return null;
        }
        String text = config.endpoint().trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(config, "endpoint '" + text + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            throw invalid(config, "endpoint '" + text + "' must be an http:// or https:// URL with a host, "
                    + "e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw invalid(config, "endpoint '" + text + "' must not have a query or fragment");
        }
        return uri;
    }

    private static S3Options options(RemoteConfig config, String region, boolean regionGiven) {
        long copyThreshold = config.longOption("multipart-copy-threshold", 5 * GIB);
        if (copyThreshold < 1 || copyThreshold > S3ObjectStore.MAX_COPY_SIZE) {
            throw invalid(config, "option multipart-copy-threshold must be between 1 byte and 5GB");
        }
        long copyPartSize = config.longOption("multipart-copy-part-size", 256 * MIB);
        if (copyPartSize < S3ObjectStore.MIN_PART_SIZE || copyPartSize > S3ObjectStore.MAX_PART_SIZE) {
            throw invalid(config, "option multipart-copy-part-size must be between 5MB and 5GB");
        }
        long copyConcurrency = config.longOption("multipart-copy-concurrency", 4);
        if (copyConcurrency < 1 || copyConcurrency > 256) {
            throw invalid(config, "option multipart-copy-concurrency must be between 1 and 256");
        }
        long uploadPartSize = config.longOption("multipart-upload-part-size", 16 * MIB);
        if (uploadPartSize < S3ObjectStore.MIN_PART_SIZE || uploadPartSize > GIB) {
            throw invalid(config, "option multipart-upload-part-size must be between 5MB and 1GB "
                    + "(each part is held in memory while it is sent)");
        }
        long uploadConcurrency = config.longOption("multipart-upload-concurrency", 4);
        if (uploadConcurrency < 1 || uploadConcurrency > 256) {
            throw invalid(config, "option multipart-upload-concurrency must be between 1 and 256");
        }
        return new S3Options(config.name(), region, regionGiven, copyThreshold, copyPartSize, (int) copyConcurrency,
                (int) uploadPartSize, (int) uploadConcurrency, config.booleanOption("etag-is-md5", true));
    }

    private static Duration positive(RemoteConfig config, String setting, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw invalid(config, setting + " must be positive: " + value);
        }
        return value;
    }

    private static StorageException invalid(RemoteConfig config, String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + config.name() + "': " + detail).build();
    }
}
