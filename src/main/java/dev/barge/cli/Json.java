package dev.barge.cli;

import java.util.Iterator;
import java.util.Map;

/** A flat JSON object from strings, numbers, booleans, nulls and lists of those: all {@code --json} needs. */
final class Json {
    private Json() {}

    static String object(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder("{");
        Iterator<? extends Map.Entry<String, ?>> entries = fields.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, ?> entry = entries.next();
            string(json, entry.getKey());
            json.append(':');
            value(json, entry.getValue());
            if (entries.hasNext()) {
                json.append(',');
            }
        }
        return json.append('}').toString();
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

    private static void value(StringBuilder json, Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof Iterable<?> items) {
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
