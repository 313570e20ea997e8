package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaders;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks OSS request signatures the way OSS does: V1 ({@code Authorization: OSS ak:signature},
 * HMAC-SHA1, the request time in {@code Date} or, as ali-oss sends it, in {@code x-oss-date}), V4
 * ({@code Authorization: OSS4-HMAC-SHA256 Credential=...}, HMAC-SHA256 chain), and the
 * query-string forms of both used by presigned URLs.
 *
 * <p>Failures are OSS's: unknown key → 403 {@code InvalidAccessKeyId}; wrong signature →
 * 403 {@code SignatureDoesNotMatch} (with the {@code StringToSign} the emulator computed, to help
 * whoever debugs a signer); expired URL → 403 {@code AccessDenied} "Request has expired.";
 * request time more than 15 minutes off → 403 {@code RequestTimeTooSkewed}; no signature at all →
 * 403 {@code AccessDenied}.
 */
final class OssSignatureVerifier {

    /** Query parameters that V1 puts in the canonicalized resource (OSS's list of sub-resources). */
    static final Set<String> V1_SUB_RESOURCES = Set.of(
            "acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle", "delete",
            "append", "tagging", "objectMeta", "uploadId", "partNumber", "security-token", "position",
            "response-cache-control", "response-content-disposition", "response-content-encoding",
            "response-content-language", "response-content-type", "response-expires", "img", "style",
            "styleName", "replication", "replicationProgress", "replicationLocation", "cname", "bucketInfo",
            "comp", "qos", "live", "status", "vod", "startTime", "endTime", "x-oss-process",
            "processConfiguration", "symlink", "stat", "udf", "udfName", "udfImage", "udfImageDesc",
            "udfApplication", "udfApplicationLog", "restore", "versions", "versioning", "versionId",
            "encryption", "policy", "requestPayment", "x-oss-traffic-limit", "qosInfo", "asyncFetch",
            "sequential", "x-oss-request-payer", "vpcip", "vip", "inventory", "inventoryId",
            "continuation-token", "worm", "wormId", "wormExtend", "callback", "callback-var", "x-oss-dir",
            "x-oss-rename", "x-oss-delete", "transferAcceleration", "metaQuery", "resourceGroup",
            "regionList", "x-oss-async-process", "x-oss-write-get-object-response", "bucketArchiveDirectRead",
            "httpsConfig", "publicAccessBlock", "policyStatus", "redundancyTransition", "accessPoint",
            "accessPointPolicy", "seal");

    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String V4_ALGORITHM = "OSS4-HMAC-SHA256";
    private static final String V4_TERMINATOR = "aliyun_v4_request";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final Map<String, String> secrets;
    private final Clock clock;

    OssSignatureVerifier(Map<String, String> secrets, Clock clock) {
        this.secrets = Map.copyOf(requireNonNull(secrets, "secrets is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Verifies the request's signature and returns the access key id that signed it. */
    String verify(OssRequest request) {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            if (authorization.startsWith(V4_ALGORITHM + " ")) {
                return verifyV4Header(request, authorization.substring(V4_ALGORITHM.length() + 1));
            }
            if (authorization.startsWith("OSS ")) {
                return verifyV1Header(request, authorization.substring(4));
            }
            throw new OssError(400, "InvalidArgument", "Authorization header is invalid.")
                    .detail("Authorization", authorization);
        }
        if (request.hasParam("x-oss-signature-version") || request.hasParam("x-oss-signature")) {
            return verifyV4Query(request);
        }
        if (request.hasParam("Signature") || request.hasParam("OSSAccessKeyId") || request.hasParam("Expires")) {
            return verifyV1Query(request);
        }
        throw OssError.accessDenied("You have no right to access this object because of bucket acl.");
    }

    // ---- V1

    private String verifyV1Header(OssRequest request, String credentials) {
        int colon = credentials.lastIndexOf(':');
        if (colon <= 0 || colon == credentials.length() - 1) {
            throw new OssError(400, "InvalidArgument", "Authorization header is invalid.")
                    .detail("Authorization", "OSS " + credentials);
        }
        String accessKeyId = credentials.substring(0, colon).trim();
        String signature = credentials.substring(colon + 1).trim();
        String secret = secret(accessKeyId);
        // the request time: x-oss-date when sent (ali-oss sends it instead of Date), else Date
        String ossDate = request.header("x-oss-date");
        String httpDate = request.header("Date");
        String date = ossDate != null ? ossDate : httpDate;
        Instant requestTime = OssCodecs.parseRfc1123(date);
        if (requestTime == null) {
            throw OssError.accessDenied(ossDate != null ? "Invalid x-oss-date header: a V1 signature needs the "
                    + "RFC 1123 form, e.g. Tue, 20 Dec 2022 08:48:18 GMT." : "Missing or invalid Date header.");
        }
        checkSkew(requestTime);
        // the Date line of the string to sign holds the header that carries the time (x-oss-date is
        // signed a second time among the x-oss-* headers)
        compareV1(secret, v1StringToSign(request, date), signature, accessKeyId);
        return accessKeyId;
    }

    private String verifyV1Query(OssRequest request) {
        String accessKeyId = request.param("OSSAccessKeyId");
        String expires = request.param("Expires");
        String signature = request.param("Signature");
        if (accessKeyId == null || expires == null || signature == null) {
            throw OssError.accessDenied(
                    "Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters");
        }
        String secret = secret(accessKeyId);
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw OssError.invalidArgument("Expires is not a number.", "Expires", expires);
        }
        Instant now = clock.instant();
        if (now.getEpochSecond() > expiresAt) {
            throw OssError.accessDenied("Request has expired.")
                    .detail("Expires", OssCodecs.ISO_8601.format(Instant.ofEpochSecond(expiresAt)))
                    .detail("ServerTime", OssCodecs.ISO_8601.format(now));
        }
        compareV1(secret, v1StringToSign(request, expires), signature, accessKeyId);
        return accessKeyId;
    }

    private static void compareV1(String secret, String stringToSign, String provided, String accessKeyId) {
        String expected = OssCodecs.base64(OssCodecs.hmac("HmacSHA1", secret.getBytes(UTF_8), stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(UTF_8), provided.getBytes(UTF_8))) {
            throw signatureDoesNotMatch(stringToSign, provided, accessKeyId);
        }
    }

    /** VERB, Content-MD5, Content-Type, Date, canonicalized x-oss-* headers, canonicalized resource. */
    static String v1StringToSign(OssRequest request, String date) {
        StringBuilder out = new StringBuilder();
        out.append(request.method()).append('\n');
        out.append(nullToEmpty(request.header("Content-MD5")).trim()).append('\n');
        out.append(nullToEmpty(request.header("Content-Type")).trim()).append('\n');
        out.append(date).append('\n');
        for (Map.Entry<String, String> header : lowerCaseHeaders(request.headers()).entrySet()) {
            if (header.getKey().startsWith("x-oss-")) {
                out.append(header.getKey()).append(':').append(header.getValue()).append('\n');
            }
        }
        out.append(resourcePath(request));
        char separator = '?';
        String[] names = request.params().keySet().toArray(new String[0]);
        Arrays.sort(names);
        for (String name : names) {
            if (!V1_SUB_RESOURCES.contains(name)) {
                continue;
            }
            out.append(separator).append(name);
            String value = request.param(name);
            // "?objectMeta=" (ali-oss) signs as "?objectMeta", like a bare "?acl"
            if (value != null && !value.isEmpty()) {
                out.append('=').append(value);
            }
            separator = '&';
        }
        return out.toString();
    }

    // ---- V4

    private String verifyV4Header(OssRequest request, String fields) {
        String credential = null;
        String additional = null;
        String signature = null;
        for (String field : fields.split(",")) {
            String trimmed = field.trim();
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = trimmed.substring(0, equals);
            String value = trimmed.substring(equals + 1);
            switch (name) {
                case "Credential" -> credential = value;
                case "AdditionalHeaders" -> additional = value;
                case "Signature" -> signature = value;
                default -> { }
            }
        }
        if (credential == null || signature == null) {
            throw new OssError(400, "InvalidArgument", "Authorization header is invalid: Credential and Signature "
                    + "are required.").detail("Authorization", V4_ALGORITHM + " " + fields);
        }
        String dateTime = request.header("x-oss-date");
        if (dateTime == null) {
            throw OssError.accessDenied("Missing x-oss-date header.");
        }
        checkSkew(parseV4DateTime(dateTime));
        String payloadHash = request.header("x-oss-content-sha256");
        if (payloadHash == null || payloadHash.isEmpty()) {
            payloadHash = UNSIGNED_PAYLOAD;
        } else if (!payloadHash.equals(UNSIGNED_PAYLOAD)
                && !payloadHash.equalsIgnoreCase(OssCodecs.lowerHex(OssCodecs.sha256(request.body())))) {
            throw OssError.invalidArgument("x-oss-content-sha256 does not match the request body.",
                    "x-oss-content-sha256", payloadHash);
        }
        return verifyV4(request, credential, additional, signature, dateTime, payloadHash, Set.of());
    }

    private String verifyV4Query(OssRequest request) {
        String version = request.param("x-oss-signature-version");
        String credential = request.param("x-oss-credential");
        String dateTime = request.param("x-oss-date");
        String expires = request.param("x-oss-expires");
        String signature = request.param("x-oss-signature");
        if (!V4_ALGORITHM.equals(version) || credential == null || dateTime == null || expires == null
                || signature == null) {
            throw OssError.accessDenied("Query-string authentication V4 requires the x-oss-signature-version, "
                    + "x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters");
        }
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw OssError.invalidArgument("x-oss-expires is not a number.", "x-oss-expires", expires);
        }
        if (seconds < 1 || seconds > 604_800) {
            throw OssError.invalidArgument("x-oss-expires must be between 1 and 604800.", "x-oss-expires", expires);
        }
        Instant signedAt = parseV4DateTime(dateTime);
        Instant expiresAt = signedAt.plusSeconds(seconds);
        Instant now = clock.instant();
        if (now.isAfter(expiresAt)) {
            throw OssError.accessDenied("Request has expired.")
                    .detail("Expires", OssCodecs.ISO_8601.format(expiresAt))
                    .detail("ServerTime", OssCodecs.ISO_8601.format(now));
        }
        return verifyV4(request, credential, request.param("x-oss-additional-headers"), signature, dateTime,
                UNSIGNED_PAYLOAD, Set.of("x-oss-signature"));
    }

    private String verifyV4(OssRequest request, String credential, String additional, String signature,
            String dateTime, String payloadHash, Set<String> excludedParams) {
        String[] scope = credential.split("/");
        if (scope.length != 5) {
            throw OssError.invalidArgument("Credential is malformed; expected ak/date/region/oss/aliyun_v4_request.",
                    "Credential", credential);
        }
        String accessKeyId = scope[0];
        String secret = secret(accessKeyId);
        String date = scope[1];
        String region = scope[2];
        if (!dateTime.startsWith(date) || !scope[3].equals("oss") || !scope[4].equals(V4_TERMINATOR)) {
            throw OssError.invalidArgument("Invalid credential scope: the date must match x-oss-date and the "
                    + "scope end with oss/aliyun_v4_request.", "Credential", credential);
        }
        List<String> additionalHeaders = new ArrayList<>();
        if (additional != null && !additional.isBlank()) {
            for (String name : new TreeSet<>(Arrays.asList(additional.toLowerCase(Locale.ROOT).split(";")))) {
                if (!name.isBlank()) {
                    additionalHeaders.add(name.trim());
                }
            }
        }
        String canonicalRequest = v4CanonicalRequest(request, additionalHeaders, payloadHash, excludedParams);
        String scopeString = date + "/" + region + "/oss/" + V4_TERMINATOR;
        String stringToSign = V4_ALGORITHM + "\n" + dateTime + "\n" + scopeString + "\n"
                + OssCodecs.lowerHex(OssCodecs.sha256(canonicalRequest.getBytes(UTF_8)));
        byte[] key = OssCodecs.hmac("HmacSHA256", ("aliyun_v4" + secret).getBytes(UTF_8), date);
        key = OssCodecs.hmac("HmacSHA256", key, region);
        key = OssCodecs.hmac("HmacSHA256", key, "oss");
        key = OssCodecs.hmac("HmacSHA256", key, V4_TERMINATOR);
        String expected = OssCodecs.lowerHex(OssCodecs.hmac("HmacSHA256", key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(UTF_8), signature.toLowerCase(Locale.ROOT).getBytes(UTF_8))) {
            throw signatureDoesNotMatch(stringToSign, signature, accessKeyId).detail("CanonicalRequest", canonicalRequest);
        }
        return accessKeyId;
    }

    /**
     * VERB, URI-encoded "/bucket/key", sorted encoded query, signed headers (Content-Type,
     * Content-MD5, x-oss-*, and the additional ones), the additional header names, payload hash.
     */
    static String v4CanonicalRequest(OssRequest request, List<String> additionalHeaders, String payloadHash,
            Set<String> excludedParams) {
        StringBuilder out = new StringBuilder();
        out.append(request.method()).append('\n');
        out.append(OssCodecs.uriEncode(resourcePath(request), true)).append('\n');
        TreeMap<String, String> query = new TreeMap<>();
        for (Map.Entry<String, String> param : request.params().entrySet()) {
            if (excludedParams.contains(param.getKey())) {
                continue;
            }
            String value = param.getValue() == null ? "" : param.getValue().trim();
            query.put(OssCodecs.uriEncode(param.getKey().trim(), false), OssCodecs.uriEncode(value, false));
        }
        String separator = "";
        for (Map.Entry<String, String> param : query.entrySet()) {
            out.append(separator).append(param.getKey());
            if (!param.getValue().isEmpty()) {
                out.append('=').append(param.getValue());
            }
            separator = "&";
        }
        out.append('\n');
        for (Map.Entry<String, String> header : lowerCaseHeaders(request.headers()).entrySet()) {
            String name = header.getKey();
            if (name.equals("content-type") || name.equals("content-md5") || name.startsWith("x-oss-")
                    || additionalHeaders.contains(name)) {
                out.append(name).append(':').append(header.getValue()).append('\n');
            }
        }
        out.append('\n');
        out.append(String.join(";", additionalHeaders)).append('\n');
        out.append(payloadHash);
        return out.toString();
    }

    // ---- shared

    /** "/bucket/key" as the SDK signs it: "/" for the service, "/bucket/" for bucket requests. */
    static String resourcePath(OssRequest request) {
        if (request.bucket() == null) {
            return "/";
        }
        return "/" + request.bucket() + "/" + (request.key() == null ? "" : request.key());
    }

    private String secret(String accessKeyId) {
        String secret = secrets.get(accessKeyId);
        if (secret == null) {
            throw new OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.")
                    .detail("OSSAccessKeyId", accessKeyId);
        }
        return secret;
    }

    private void checkSkew(Instant requestTime) {
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new OssError(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.")
                    .detail("RequestTime", OssCodecs.ISO_8601.format(requestTime))
                    .detail("ServerTime", OssCodecs.ISO_8601.format(now))
                    .detail("MaxAllowedSkewMilliseconds", String.valueOf(MAX_SKEW.toMillis()));
        }
    }

    private static Instant parseV4DateTime(String value) {
        try {
            return Instant.from(OssCodecs.V4_DATE_TIME.parse(value));
        } catch (DateTimeParseException e) {
            throw OssError.invalidArgument("x-oss-date must look like 20231216T120000Z.", "x-oss-date", value);
        }
    }

    private static OssError signatureDoesNotMatch(String stringToSign, String provided, String accessKeyId) {
        return new OssError(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                        + "Check your key and signing method.")
                .detail("StringToSign", stringToSign)
                .detail("SignatureProvided", provided)
                .detail("OSSAccessKeyId", accessKeyId);
    }

    /** Header names lower-cased and sorted; repeated headers joined with ','; values trimmed. */
    private static TreeMap<String, String> lowerCaseHeaders(HttpHeaders headers) {
        TreeMap<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            String value = header.getValue().trim();
            result.merge(name, value, (a, b) -> a + "," + b);
        }
        return result;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
