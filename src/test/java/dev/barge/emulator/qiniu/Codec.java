package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Encodings Kodo uses: URL-safe base64, HMAC-SHA1 signatures, percent-decoding, form bodies. */
final class Codec {

    private Codec() {
    }

    /** URL-safe base64 with padding, as Qiniu's UrlSafeBase64 writes it. */
    static String urlSafeBase64(byte[] data) {
        return Base64.getUrlEncoder().encodeToString(data);
    }

    static String urlSafeBase64(String text) {
        return urlSafeBase64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes URL-safe (or standard) base64, with or without padding. */
    static byte[] decodeBase64(String text) {
        requireNonNull(text, "text is null");
        String normalized = text.trim().replace('+', '-').replace('/', '_');
        int pad = normalized.indexOf('=');
        if (pad >= 0) {
            normalized = normalized.substring(0, pad);
        }
        return Base64.getUrlDecoder().decode(normalized);
    }

    static String decodeBase64ToString(String text) {
        return new String(decodeBase64(text), StandardCharsets.UTF_8);
    }

    static byte[] hmacSha1(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** {@code urlsafe_base64(hmac_sha1(secret, data))}. */
    static String sign(String secret, byte[] data) {
        return urlSafeBase64(hmacSha1(secret, data));
    }

    /** Constant-time comparison of two signatures. */
    static boolean sameSignature(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("MD5", data));
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    /** Percent-decoding as {@link java.net.URI#getPath()} does it: '+' stays '+'. */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                out.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }

    /** Form decoding ({@code application/x-www-form-urlencoded} and query strings): '+' is a space. */
    static String formDecode(String text) {
        return percentDecode(text.replace('+', ' '));
    }

    /** Parses {@code a=1&b=2&a=3} into name -> values, keeping order. */
    static Map<String, List<String>> parseForm(String text) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return params;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** Percent-encodes everything except unreserved characters and the given safe ones. */
    static String percentEncode(String text, String safe) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || safe.indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
