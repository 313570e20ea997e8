package dev.barge.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON object on one line from strings, numbers, booleans and nulls, and maps (objects) and
 * collections (arrays) of them: all {@code --json} needs. Anything else is written as its string.
 */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder();
        value(json, fields);
        return json.toString();
    }

    private static void value(StringBuilder json, Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof Map<?, ?> map) {
            json.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                string(json, String.valueOf(entry.getKey()));
                json.append(':');
                value(json, entry.getValue());
                if (entries.hasNext()) {
                    json.append(',');
                }
            }
            json.append('}');
        } else if (value instanceof Collection<?> items) {
            json.append('[');
            Iterator<?> it = items.iterator();
            while (it.hasNext()) {
                value(json, it.next());
                if (it.hasNext()) {
                    json.append(',');
                }
            }
            json.append(']');
        } else {
            string(json, value.toString());
        }
    }

    /** One JSON object saying why a command did nothing or failed, for {@code --json}. */
    static String error(String status, int exitCode, String message, java.util.List<String> problems) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("status", status);
        fields.put("exitCode", exitCode);
        fields.put("message", message);
        if (!problems.isEmpty()) {
            fields.put("problems", problems);
        }
        return object(fields);
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
