package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Kodo's three credentials, checked against the configured key pairs:
 * <ul>
 * <li>upload tokens {@code ak:urlsafe_b64(hmac_sha1(sk, encodedPutPolicy)):encodedPutPolicy}, sent as a
 * {@code token} form field or {@code Authorization: UpToken <token>};</li>
 * <li>management signatures: {@code Authorization: Qiniu ak:sign} over
 * {@code METHOD path[?query]\nHost: host[\nContent-Type: ct][\nX-Qiniu-*: v...]\n\n[body]} (the body
 * only when a Content-Type other than application/octet-stream is sent), and the legacy
 * {@code QBox ak:sign} over {@code path[?query]\n[body when form-encoded]};</li>
 * <li>private download URLs {@code ...&e=deadline&token=ak:sign}, sign being the HMAC of the URL
 * up to (without) {@code &token=}.</li>
 * </ul>
 */
final class KodoAuth {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, String> secrets;

    KodoAuth(Map<String, String> secrets) {
        this.secrets = Map.copyOf(requireNonNull(secrets, "secrets is null"));
    }

    /** Checks an upload token and returns its policy; 401 "bad token" or "expired token" otherwise. */
    UploadPolicy checkUploadToken(String token, Instant now) {
        if (token == null || token.isEmpty()) {
            throw new KodoException(401, "token not specified");
        }
        String[] parts = token.trim().split(":");
        if (parts.length != 3) {
            throw KodoException.badToken();
        }
        String secret = secrets.get(parts[0]);
        if (secret == null
                || !Codec.sameSignature(Codec.sign(secret, parts[2].getBytes(StandardCharsets.UTF_8)), parts[1])) {
            throw KodoException.badToken();
        }
        UploadPolicy policy;
        try {
            policy = UploadPolicy.fromJson(Json.parseObject(Codec.decodeBase64ToString(parts[2])));
        } catch (IllegalArgumentException e) {
            throw KodoException.badToken();
        }
        if (policy.deadline() < now.getEpochSecond()) {
            throw new KodoException(401, "expired token");
        }
        return policy;
    }

    /** Checks a {@code Qiniu} or {@code QBox} management signature; 401 "bad token" otherwise. */
    void checkManagement(KodoRequest request) {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            throw KodoException.badToken();
        }
        boolean qiniu = authorization.startsWith("Qiniu ");
        if (!qiniu && !authorization.startsWith("QBox ")) {
            throw KodoException.badToken();
        }
        String credential = authorization.substring(authorization.indexOf(' ') + 1).trim();
        int colon = credential.indexOf(':');
        if (colon < 0) {
            throw KodoException.badToken();
        }
        String secret = secrets.get(credential.substring(0, colon));
        if (secret == null) {
            throw KodoException.badToken();
        }
        String sign = credential.substring(colon + 1);
        if (!qiniu) {
            if (!Codec.sameSignature(Codec.sign(secret, qboxSigningData(request)), sign)) {
                throw KodoException.badToken();
            }
            return;
        }
        for (String host : request.signedHosts()) {
            if (Codec.sameSignature(Codec.sign(secret, qiniuSigningData(request, host)), sign)) {
                return;
            }
        }
        if (Boolean.getBoolean(KodoEmulator.TRACE_PROPERTY)) {
            System.err.println("KODO signature mismatch for " + request.method() + " " + request.uri()
                    + ", expected the signature of:\n" + new String(
                            qiniuSigningData(request, request.signedHosts().get(0)), StandardCharsets.UTF_8));
        }
        throw KodoException.badToken();
    }

    /** Checks {@code e} and {@code token} of a private download URL. */
    void checkDownloadUrl(KodoRequest request, Instant now) {
        String uri = request.uri();
        int tokenAt = uri.lastIndexOf("&token=");
        if (tokenAt < 0) {
            // guessed wording; status 401 as documented for a missing download token
            throw new KodoException(401, "download token not specified");
        }
        String token = Codec.formDecode(uri.substring(tokenAt + "&token=".length()));
        int colon = token.indexOf(':');
        String secret = colon < 0 ? null : secrets.get(token.substring(0, colon));
        boolean valid = false;
        for (String host : request.signedHosts()) {
            String signed = "http://" + host + uri.substring(0, tokenAt);
            valid |= secret != null && Codec.sameSignature(
                    Codec.sign(secret, signed.getBytes(StandardCharsets.UTF_8)), token.substring(colon + 1));
        }
        if (!valid) {
            throw new KodoException(401, "download token auth failed");
        }
        String e = request.queryParam("e");
        long deadline;
        try {
            deadline = Long.parseLong(e == null ? "" : e);
        } catch (NumberFormatException ex) {
            throw new KodoException(401, "download token auth failed");
        }
        if (deadline < now.getEpochSecond()) {
            throw new KodoException(401, "token out of date");
        }
    }

    private static byte[] qiniuSigningData(KodoRequest request, String host) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.method()).append(' ').append(Codec.percentDecode(request.rawPath()));
        if (request.rawQuery() != null) {
            sb.append('?').append(request.rawQuery());
        }
        sb.append("\nHost: ").append(host);
        String contentType = request.contentType();
        if (contentType != null) {
            sb.append("\nContent-Type: ").append(contentType);
        }
        List<Map.Entry<String, String>> qiniuHeaders = new ArrayList<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = canonicalHeaderName(header.getKey());
            if (name.length() > "X-Qiniu-".length() && name.startsWith("X-Qiniu-")) {
                qiniuHeaders.add(Map.entry(name, header.getValue()));
            }
        }
        qiniuHeaders.sort(Comparator.<Map.Entry<String, String>, String>comparing(Map.Entry::getKey)
                .thenComparing(Map.Entry::getValue));
        for (Map.Entry<String, String> header : qiniuHeaders) {
            sb.append('\n').append(header.getKey()).append(": ").append(header.getValue());
        }
        sb.append("\n\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = request.body();
        if (body.length == 0 || contentType == null || contentType.isEmpty()
                || "application/octet-stream".equals(contentType)) {
            return head;
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] qboxSigningData(KodoRequest request) {
        StringBuilder sb = new StringBuilder(request.rawPath());
        if (request.rawQuery() != null && !request.rawQuery().isEmpty()) {
            sb.append('?').append(request.rawQuery());
        }
        sb.append('\n');
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        String contentType = request.contentType();
        if (contentType == null || !FORM.equalsIgnoreCase(contentType) || request.body().length == 0) {
            return head;
        }
        byte[] all = new byte[head.length + request.body().length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(request.body(), 0, all, head.length, request.body().length);
        return all;
    }

    /** Go's CanonicalMIMEHeaderKey: upper case after start and '-', lower case elsewhere. */
    static String canonicalHeaderName(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }
}
