package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request as the handlers see it: copied out of Netty's buffers so that it can be processed later
 * (after an injected delay) or on another thread.
 *
 * @param uri the request target exactly as sent ({@code /path?query})
 * @param rawPath the path, still percent-encoded
 * @param rawQuery the query without '?', still encoded; null when the target has no '?'
 * @param localPort the emulator's port the request came in on
 */
record KodoRequest(String reqId, String method, String uri, String rawPath, String rawQuery, HttpHeaders headers,
        byte[] body, int localPort) {

    KodoRequest {
        requireNonNull(reqId, "reqId is null");
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(rawPath, "rawPath is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
    }

    static KodoRequest of(String reqId, String method, String uri, HttpHeaders headers, byte[] body, int localPort) {
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? null : uri.substring(q + 1);
        return new KodoRequest(reqId, method, uri, rawPath.isEmpty() ? "/" : rawPath, rawQuery, headers, body,
                localPort);
    }

    String header(String name) {
        return headers.get(name);
    }

    String host() {
        return headers.get("Host");
    }

    /**
     * The hosts a client may have signed: the Host header, and the Host header with the port when it
     * lacks one (the Java SDK's Api requests send {@code Host: 127.0.0.1} while signing the URL's
     * {@code 127.0.0.1:PORT}), or with its port twice when it has one (the Node.js SDK signs
     * {@code url.host + ":" + url.port}, {@code 127.0.0.1:PORT:PORT}). Against real Kodo, on default
     * ports, the forms agree; here, on a random port, each SDK's form is accepted.
     */
    List<String> signedHosts() {
        String host = host() == null ? "" : host();
        if (host.isEmpty() || host.endsWith("]") || host.indexOf(':') < 0) {
            return List.of(host, host + ":" + localPort);
        }
        return List.of(host, host + host.substring(host.lastIndexOf(':')));
    }

    String contentType() {
        return headers.get("Content-Type");
    }

    Map<String, List<String>> query() {
        return Codec.parseForm(rawQuery);
    }

    String queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Path segments after the leading '/', still percent-encoded. */
    String[] segments() {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
