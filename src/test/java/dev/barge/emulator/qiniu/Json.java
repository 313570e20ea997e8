package dev.barge.emulator.qiniu;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The JSON the emulator reads and writes, on Gson (which the Qiniu SDK brings, so Kodo's own
 * client library parses what the emulator writes with the same code). Objects read as
 * {@code Map<String, Object>}, arrays as {@code List<Object>}, numbers as {@code Long} or {@code Double}.
 */
final class Json {
    private static final Gson GSON = new GsonBuilder()
            .disableHtmlEscaping()
            .serializeNulls()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();
    private static final Type OBJECT = new TypeToken<Map<String, Object>>() {}.getType();

    private Json() {}

    static byte[] write(Object value) {
        return writeString(value).getBytes(StandardCharsets.UTF_8);
    }

    static String writeString(Object value) {
        return GSON.toJson(value);
    }

    /** Parses a JSON object; throws {@link IllegalArgumentException} when it is malformed or anything else. */
    static Map<String, Object> parseObject(String text) {
        try {
            Map<String, Object> map = GSON.fromJson(text, OBJECT);
            if (map == null) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return map;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }
}
