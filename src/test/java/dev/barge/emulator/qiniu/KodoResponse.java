package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A response before it goes on the wire. {@code chunks} non-null means a chunked body (Kodo streams
 * v2 listings); otherwise {@code body} is sent with a Content-Length.
 */
record KodoResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, List<byte[]> chunks) {

    KodoResponse {
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        headers = List.copyOf(headers);
        chunks = chunks == null ? null : List.copyOf(chunks);
    }

    static KodoResponse json(int status, Object value) {
        return new KodoResponse(status, List.of(Map.entry("Content-Type", "application/json")), Json.write(value),
                null);
    }

    static KodoResponse ok(Object value) {
        return json(200, value);
    }

    /** 200 with no body: what Kodo answers to delete, copy, move, chtype... */
    static KodoResponse empty() {
        return new KodoResponse(200, List.of(Map.entry("Content-Type", "application/json")),
                new byte[0], null);
    }

    static KodoResponse error(int status, String error) {
        return json(status, Map.of("error", error));
    }

    static KodoResponse error(KodoException e) {
        return error(e.status(), e.error());
    }

    static KodoResponse jsonLines(List<String> lines) {
        List<byte[]> chunks = new ArrayList<>();
        for (String line : lines) {
            chunks.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new KodoResponse(200, List.of(Map.entry("Content-Type", "application/json")), new byte[0], chunks);
    }
}
