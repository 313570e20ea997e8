package dev.barge.emulator.oss;

import dev.barge.storage.KeyOrder;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Encodings, digests and date formats shared by the emulator's classes. */
final class OssCodecs {

    /** Keys in ascending UTF-8 byte order, which is code point order (not UTF-16 order). */
    static final Comparator<String> KEY_ORDER = KeyOrder.UTF8;

    /** Last-Modified, Date, Expires: always two-digit days, always "GMT". */
    static final DateTimeFormatter RFC_1123 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** Dates inside XML bodies. */
    static final DateTimeFormatter ISO_8601 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);

    /** {@code x-oss-date} of signature V4. */
    static final DateTimeFormatter V4_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.US).withZone(ZoneOffset.UTC);

    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();
    private static final HexFormat LOWER_HEX = HexFormat.of();

    private OssCodecs() {}

    static String upperHex(byte[] bytes) {
        return UPPER_HEX.formatHex(bytes);
    }

    static String lowerHex(byte[] bytes) {
        return LOWER_HEX.formatHex(bytes);
    }

    static byte[] parseHex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] md5(byte[] data, int offset, int length) {
        MessageDigest digest = digest("MD5");
        digest.update(data, offset, length);
        return digest.digest();
    }

    static byte[] md5(byte[] data) {
        return md5(data, 0, data.length);
    }

    static byte[] sha256(byte[] data) {
        return digest("SHA-256").digest(data);
    }

    static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String formatRfc1123(Instant instant) {
        return RFC_1123.format(instant);
    }

    /** Parses an HTTP date; {@code null} when absent or malformed. */
    static Instant parseRfc1123(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Percent-encodes as RFC 3986 (unreserved characters {@code A-Z a-z 0-9 - _ . ~} kept),
     * which is what the OSS SDK's V4 signer produces; {@code keepSlash} leaves '/' alone.
     */
    static String uriEncode(String value, boolean keepSlash) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(UTF_8)) {
            int c = b & 0xFF;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /**
     * Decodes {@code %XX} sequences as UTF-8. In query strings {@code plusIsSpace} turns '+' into
     * a space (form encoding); in paths '+' is literal.
     */
    static String percentDecode(String value, boolean plusIsSpace) {
        if (value.indexOf('%') < 0 && (!plusIsSpace || value.indexOf('+') < 0)) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()
                    && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(value.charAt(i + 1), 16) << 4 | Character.digit(value.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < value.length()) {
                    bytes = value.substring(i, i + 2).getBytes(UTF_8);
                    i++;
                }
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(UTF_8);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
