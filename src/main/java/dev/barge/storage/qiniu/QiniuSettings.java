package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A qiniu remote's settings, checked: see {@link QiniuStoreProvider} for what each one means.
 *
 * @param remote the remote's name, for messages
 * @param accessKey the access key
 * @param secretKey the secret key
 * @param hosts every host role, {@code host[:port]}, when the remote names its hosts (a private
 *     deployment); {@code null} to use the region's hosts
 * @param regionId the region id ({@code z0}...), or {@code null} for the SDK's automatic region lookup
 * @param https whether the service hosts are spoken to over https
 * @param downloadMode how download URLs are built when no download domain is configured for a bucket
 * @param downloadDomain scheme and host of a domain serving every bucket, or {@code null}
 * @param bucketDomains scheme and host of the domain serving a bucket, by bucket
 * @param formUploadThreshold puts of at most this many bytes are one form upload; larger ones resumable
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long one request (or one read of a streamed body) may stall
 * @param maxConnections connection pool size
 */
record QiniuSettings(
        String remote,
        String accessKey,
        Secret secretKey,
        Hosts hosts,
        String regionId,
        boolean https,
        DownloadMode downloadMode,
        String downloadDomain,
        Map<String, String> bucketDomains,
        long formUploadThreshold,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxConnections) {

    static final long DEFAULT_FORM_UPLOAD_THRESHOLD = 4L * 1024 * 1024;
    static final long MAX_FORM_UPLOAD_THRESHOLD = 1024L * 1024 * 1024;
    static final String DEFAULT_REGION = "z0";
    static final List<String> HOST_OPTIONS = List.of("up-host", "rs-host", "rsf-host", "api-host", "uc-host", "io-host");

    QiniuSettings {
        requireNonNull(remote, "remote is null");
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(downloadMode, "downloadMode is null");
        bucketDomains = Map.copyOf(requireNonNull(bucketDomains, "bucketDomains is null"));
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
    }

    /** How the URL of an object is built for a bucket that has no configured download domain. */
    enum DownloadMode {
        /** {@code <io-host>/getfile/<access key>/<bucket>/<key>}: Kodo private deployments. */
        GETFILE,
        /** {@code <first domain bound to the bucket>/<key>}, the domains asked once from the uc host. */
        DOMAIN
    }

    /** The six host roles, each {@code host[:port]} without a scheme. */
    record Hosts(String up, String rs, String rsf, String api, String uc, String io) {
        Hosts {
            requireNonNull(up, "up is null");
            requireNonNull(rs, "rs is null");
            requireNonNull(rsf, "rsf is null");
            requireNonNull(api, "api is null");
            requireNonNull(uc, "uc is null");
            requireNonNull(io, "io is null");
        }
    }

    static QiniuSettings from(RemoteConfig config) {
        requireNonNull(config, "config is null");
        if (config.credentials() == null) {
            throw invalid(config, "Qiniu needs an access key and a secret key (the SDK has no default credential "
                    + "chain): set barge.remotes." + config.name() + ".access-key-id and .secret-access-key");
        }
        if (config.credentials().sessionToken() != null) {
            throw invalid(config, "Qiniu keys have no session token; remove session-token");
        }

        Map<String, String> options = config.options();
        Endpoint endpoint = config.endpoint() == null || config.endpoint().isBlank()
                ? null : Endpoint.parse(config, "endpoint", config.endpoint());
        Map<String, Endpoint> roles = new LinkedHashMap<>();
        for (String option : HOST_OPTIONS) {
            String value = options.get(option);
            if (value != null && !value.isBlank()) {
                roles.put(option, Endpoint.parse(config, option, value));
            }
        }
        Hosts hosts = null;
        boolean https;
        if (endpoint != null || !roles.isEmpty()) {
            if (endpoint == null && roles.size() < HOST_OPTIONS.size()) {
                throw invalid(config, "set endpoint (used for every host role) or all of " + HOST_OPTIONS
                        + "; only " + roles.keySet() + " are set");
            }
            String scheme = endpoint != null ? endpoint.schemeOr("https") : null;
            for (Map.Entry<String, Endpoint> role : roles.entrySet()) {
                String roleScheme = role.getValue().scheme();
                if (roleScheme != null && scheme != null && !roleScheme.equals(scheme)) {
                    throw invalid(config, role.getKey() + " uses " + roleScheme + " but the other hosts use " + scheme
                            + "; the Qiniu SDK speaks one scheme to every host");
                }
                scheme = scheme != null ? scheme : roleScheme;
            }
            https = !"http".equals(scheme);
            hosts = new Hosts(host(roles, "up-host", endpoint), host(roles, "rs-host", endpoint),
                    host(roles, "rsf-host", endpoint), host(roles, "api-host", endpoint),
                    host(roles, "uc-host", endpoint), host(roles, "io-host", endpoint));
            if (options.containsKey("use-https")) {
                throw invalid(config, "use-https applies to region hosts only; with endpoint the scheme of the URL decides");
            }
        } else {
            https = config.booleanOption("use-https", true);
        }

        String region = config.region() == null || config.region().isBlank() ? null : config.region().trim();
        if (hosts != null && region == null) {
            region = DEFAULT_REGION;
        }

        DownloadMode mode = hosts != null ? DownloadMode.GETFILE : DownloadMode.DOMAIN;
        String modeOption = options.get("download-mode");
        if (modeOption != null) {
            try {
                mode = DownloadMode.valueOf(modeOption.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(config, "download-mode=" + modeOption + " must be getfile or domain");
            }
        }
        if (mode == DownloadMode.GETFILE && hosts == null) {
            throw invalid(config, "download-mode=getfile needs the io host of a private deployment: set endpoint or io-host");
        }
        String downloadDomain = null;
        if (options.get("download-domain") != null && !options.get("download-domain").isBlank()) {
            downloadDomain = Endpoint.parse(config, "download-domain", options.get("download-domain")).base(https);
        }
        Map<String, String> bucketDomains = new LinkedHashMap<>();
        String pairs = options.get("download-domains");
        if (pairs != null && !pairs.isBlank()) {
            for (String pair : pairs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw invalid(config, "download-domains must be bucket=domain pairs separated by commas: '"
                            + pair.trim() + "' is not one");
                }
                bucketDomains.put(pair.substring(0, eq).trim(),
                        Endpoint.parse(config, "download-domains", pair.substring(eq + 1).trim()).base(https));
            }
        }

        long threshold = config.longOption("form-upload-threshold", DEFAULT_FORM_UPLOAD_THRESHOLD);
        if (threshold < 0 || threshold > MAX_FORM_UPLOAD_THRESHOLD) {
            throw invalid(config, "form-upload-threshold must be between 0 and 1GB: " + threshold);
        }
        return new QiniuSettings(config.name(), config.credentials().accessKeyId(),
                config.credentials().secretAccessKey(), hosts, region, https, mode, downloadDomain, bucketDomains,
                threshold, config.connectTimeout(), config.requestTimeout(), config.maxConnections());
    }

    /** {@code scheme://} for the service hosts. */
    String scheme() {
        return https ? "https" : "http";
    }

    private static String host(Map<String, Endpoint> roles, String option, Endpoint endpoint) {
        Endpoint role = roles.get(option);
        return role != null ? role.hostPort() : endpoint.hostPort();
    }

    static StorageException invalid(RemoteConfig config, String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + config.name() + "': " + detail).build();
    }

    /** A host given as {@code host[:port]} or {@code http(s)://host[:port]}, without a path. */
    private record Endpoint(String scheme, String hostPort) {

        static Endpoint parse(RemoteConfig config, String setting, String value) {
            String text = value.trim();
            String scheme = null;
            int sep = text.indexOf("://");
            if (sep >= 0) {
                scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw invalid(config, setting + "=" + value + " must be http:// or https://");
                }
            }
            URI uri;
            try {
                uri = new URI(sep >= 0 ? text : "http://" + text);
            } catch (URISyntaxException e) {
                throw invalid(config, setting + "=" + value + " is not a host[:port] or URL (" + e.getMessage() + ")");
            }
            String path = uri.getRawPath();
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || (path != null && !path.isEmpty() && !path.equals("/"))) {
                throw invalid(config, setting + "=" + value + " must be host[:port] or scheme://host[:port], "
                        + "without a path");
            }
            String hostPort = uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
            return new Endpoint(scheme, hostPort);
        }

        String schemeOr(String fallback) {
            return scheme != null ? scheme : fallback;
        }

        String base(boolean https) {
            return schemeOr(https ? "https" : "http") + "://" + hostPort;
        }
    }
}
