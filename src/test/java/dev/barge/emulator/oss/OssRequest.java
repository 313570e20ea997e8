package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request as the operations see it: method, bucket and key resolved from a path-style or
 * virtual-host-style address, decoded query parameters ({@code null} value for a bare
 * {@code ?acl}), headers and the whole body.
 *
 * @param requestId the {@code x-oss-request-id} this request is answered with
 * @param method upper-case HTTP method
 * @param uri the raw request URI as received
 * @param params decoded query parameters, in request order
 * @param headers request headers (case-insensitive lookup)
 * @param body the aggregated body, empty when none
 * @param bucket the bucket, or {@code null} for service-level requests
 * @param key the decoded object key, or {@code null} for bucket- and service-level requests
 */
record OssRequest(
        String requestId,
        String method,
        String uri,
        Map<String, String> params,
        HttpHeaders headers,
        byte[] body,
        String bucket,
        String key) {

    OssRequest {
        requireNonNull(requestId, "requestId is null");
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
    }

    /**
     * Parses the request target. A Host of the form {@code bucket.127.0.0.1:port},
     * {@code bucket.localhost:port} or {@code bucket.oss-<region>.aliyuncs.com} (what ali-oss sends
     * to an IP endpoint) selects virtual-host addressing; otherwise the first path
     * segment is the bucket.
     */
    static OssRequest parse(String requestId, String method, String uri, HttpHeaders headers, byte[] body) {
        int question = uri.indexOf('?');
        String rawPath = question < 0 ? uri : uri.substring(0, question);
        String rawQuery = question < 0 ? "" : uri.substring(question + 1);
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = OssCodecs.percentDecode(equals < 0 ? pair : pair.substring(0, equals), true);
            String value = equals < 0 ? null : OssCodecs.percentDecode(pair.substring(equals + 1), true);
            params.putIfAbsent(name, value);
        }
        String path = OssCodecs.percentDecode(rawPath.isEmpty() ? "/" : rawPath, false);
        String hostBucket = virtualHostBucket(headers.get("Host"));
        String bucket;
        String key;
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (hostBucket != null) {
            bucket = hostBucket;
            key = rest.isEmpty() ? null : rest;
        } else if (rest.isEmpty()) {
            bucket = null;
            key = null;
        } else {
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
        }
        return new OssRequest(requestId, method, uri, params, headers, body, bucket, key);
    }

    private static String virtualHostBucket(String host) {
        if (host == null) {
            return null;
        }
        String name = host;
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        for (String base : new String[] {".127.0.0.1", ".localhost"}) {
            if (name.endsWith(base) && name.length() > base.length()) {
                return name.substring(0, name.length() - base.length());
            }
        }
        // OSS's own domain, bucket.oss-cn-hangzhou.aliyuncs.com: ali-oss sends it as Host to an IP endpoint
        int dot = name.indexOf('.');
        if (dot > 0 && name.endsWith(".aliyuncs.com") && name.startsWith("oss-", dot + 1)) {
            return name.substring(0, dot);
        }
        return null;
    }

    String header(String name) {
        return headers.get(name);
    }

    boolean hasParam(String name) {
        return params.containsKey(name);
    }

    String param(String name) {
        return params.get(name);
    }

    boolean isHead() {
        return method.equals("HEAD");
    }
}
