package dev.barge.storage.azure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * User metadata names as Azure can hold them. Azure takes only C# identifiers ({@code [A-Za-z_][A-Za-z0-9_]*}),
 * so names such as {@code source-md5} are written encoded: {@code bgx_} followed by the name with every
 * byte outside {@code [a-z0-9]} as {@code _} and two hex digits ({@code bgx_source_2dmd5}). Names that
 * are identifiers already are written as they are, so metadata set by other tools reads back unchanged;
 * a name that itself starts with {@code bgx_} is encoded too, which keeps the mapping one to one.
 */
final class AzureMetadata {
    private static final String MARK = "bgx_";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final HexFormat HEX = HexFormat.of();

    private AzureMetadata() {}

    static Map<String, String> encode(Map<String, String> metadata) {
        Map<String, String> encoded = new LinkedHashMap<>();
        metadata.forEach((name, value) -> encoded.put(encodeName(name), value));
        return encoded;
    }

    static Map<String, String> decode(Map<String, String> metadata) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((name, value) -> decoded.put(decodeName(name), value));
        }
        return decoded;
    }

    static String encodeName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (IDENTIFIER.matcher(lower).matches() && !lower.startsWith(MARK)) {
            return lower;
        }
        StringBuilder s = new StringBuilder(MARK);
        for (byte b : lower.getBytes(StandardCharsets.UTF_8)) {
            if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
                s.append((char) b);
            } else {
                s.append('_').append(HEX.toHexDigits(b));
            }
        }
        return s.toString();
    }

    static String decodeName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.startsWith(MARK)) {
            return lower;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (int i = MARK.length(); i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '_' && i + 3 <= lower.length()) {
                bytes.write(HEX.fromHexDigits(lower, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        } catch (IllegalArgumentException e) {
            return lower; // not written by Barge: keep it as the store has it
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
