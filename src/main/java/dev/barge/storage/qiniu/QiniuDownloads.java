package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import com.qiniu.common.QiniuException;
import com.qiniu.storage.BucketManager;
import com.qiniu.util.Auth;
import com.qiniu.util.Json;
import com.qiniu.util.StringMap;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Downloads: Kodo serves object content only from a download domain, through signed ("private") URLs
 * {@code <base>/<key>?e=<deadline>&token=<ak>:<sign>}, read with HTTP ranges. The base of a bucket's
 * URLs is, first match: its entry in {@code download-domains}; {@code download-domain}; in getfile mode
 * {@code <io host>/getfile/<ak>/<bucket>} (Kodo private deployments); in domain mode the first domain
 * bound to the bucket, asked once from the uc host ({@code /v2/domains}) and remembered.
 */
final class QiniuDownloads {

    private final QiniuSettings settings;
    private final Auth auth;
    private final BucketManager manager;
    private final OkHttpClient http;
    private final QiniuHosts hosts;
    private final Map<String, String> boundDomains = new ConcurrentHashMap<>();

    QiniuDownloads(QiniuSettings settings, Auth auth, BucketManager manager, OkHttpClient http, QiniuHosts hosts) {
        this.settings = requireNonNull(settings, "settings is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.manager = requireNonNull(manager, "manager is null");
        this.http = requireNonNull(http, "http is null");
        this.hosts = requireNonNull(hosts, "hosts is null");
    }

    /** A URL that reads the object until {@code deadline} (unix seconds). */
    String signedUrl(Operation op, String bucket, String key, long deadline) {
        return auth.privateDownloadUrlWithDeadline(base(op, bucket) + "/" + encodePath(key), deadline);
    }

    /**
     * Opens {@code length} bytes of the object from {@code offset}, checking that the server is still
     * serving the object {@code info} describes.
     */
    QiniuDownloadStream open(String bucket, String key, ObjectInfo info, long offset, long length, long deadline) {
        Request.Builder request = new Request.Builder().url(signedUrl(Operation.GET, bucket, key, deadline)).get()
                .header("Accept-Encoding", "identity");
        boolean ranged = offset != 0 || length != info.size();
        if (ranged) {
            request.header("Range", "bytes=" + offset + "-" + (offset + length - 1));
        }
        Request get = request.build();
        Response response;
        try {
            response = http.newCall(get).execute();
        } catch (IOException e) {
            throw QiniuErrors.io(Operation.GET, bucket, key, e, sentTo(bucket, get));
        }
        try {
            int code = response.code();
            String reqId = response.header("X-Reqid");
            if (code != 200 && code != 206) {
                String body = response.body() == null ? "" : response.peekBody(4096).string();
                throw QiniuErrors.status(Operation.GET, bucket, key, code, errorText(body), reqId, null);
            }
            String etag = unquote(response.header("ETag"));
            if (etag != null && info.etag() != null && !etag.equals(info.etag())) {
                throw StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(bucket).key(key)
                        .requestId(reqId).detail("the object was replaced while being read (etag " + info.etag()
                                + " became " + etag + "); read it again").build();
            }
            long skip = 0;
            if (code == 206) {
                long start = rangeStart(response.header("Content-Range"));
                if (start != offset) {
                    throw StorageException.builder(ErrorKind.TRANSIENT, Operation.GET).bucket(bucket).key(key)
                            .requestId(reqId).detail("asked for bytes from " + offset + " but got "
                                    + response.header("Content-Range")).build();
                }
            } else if (ranged) {
                skip = offset; // the server ignored the range and sent the whole object
            }
            return new QiniuDownloadStream(response, skip, length, bucket, key);
        } catch (IOException e) {
            response.close();
            throw QiniuErrors.io(Operation.GET, bucket, key, e, sentTo(bucket, get));
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
    }

    /** The host a download request went to, as the remote's settings chose it. */
    private QiniuHosts.Host sentTo(String bucket, Request request) {
        HttpUrl url = request.url();
        return hosts.download(url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port()),
                bucket);
    }

    private String base(Operation op, String bucket) {
        String domain = settings.bucketDomains().get(bucket);
        if (domain != null) {
            return domain;
        }
        if (settings.downloadDomain() != null) {
            return settings.downloadDomain();
        }
        if (settings.downloadMode() == QiniuSettings.DownloadMode.GETFILE) {
            return settings.scheme() + "://" + settings.hosts().io() + "/getfile/" + encodePath(settings.accessKey())
                    + "/" + encodePath(bucket);
        }
        return boundDomains.computeIfAbsent(bucket, b -> lookUpDomain(op, b));
    }

    private String lookUpDomain(Operation op, String bucket) {
        String[] domains;
        try {
            domains = manager.domainList(bucket);
        } catch (QiniuException e) {
            throw QiniuErrors.of(op, bucket, null, e, hosts.of(QiniuHosts.Role.UC, bucket));
        }
        if (domains == null || domains.length == 0 || domains[0] == null || domains[0].isBlank()) {
            throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, op).bucket(bucket)
                    .detail("bucket has no download domain: bind one to it in Kodo, or set download-domain or "
                            + "download-domains for remote '" + settings.remote() + "'").build();
        }
        String domain = domains[0].trim();
        domain = domain.contains("://") ? domain : settings.scheme() + "://" + domain;
        return domain.endsWith("/") ? domain.substring(0, domain.length() - 1) : domain;
    }

    /** Percent-encodes everything but unreserved characters and {@code /}, byte by byte of the UTF-8. */
    static String encodePath(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** The {@code error} of a Kodo JSON error body, else the body itself, shortened. */
    static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            StringMap json = Json.decode(body);
            Object error = json.get("error");
            if (error != null) {
                return error.toString();
            }
        } catch (RuntimeException e) {
            // not JSON
        }
        String text = body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String unquote(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    /** The first byte of {@code bytes first-last/total}, or -1. */
    private static long rangeStart(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        String spec = contentRange.strip();
        if (spec.startsWith("bytes ")) {
            spec = spec.substring(6).strip();
        }
        int dash = spec.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(spec.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
