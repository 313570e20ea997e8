package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The io host: {@code GET|HEAD /<key>} where the Host header names a domain bound to a bucket (as with
 * a real bucket domain), or {@code GET|HEAD /getfile/<ak>/<bucket>/<key>} (Kodo's private-cloud form,
 * built by the SDK's DownloadPrivateCloudUrl). Private buckets want a signed URL. Single byte ranges
 * are honoured (206), unsatisfiable ones get 416.
 */
final class DownloadApi {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final KodoStore store;
    private final KodoAuth auth;

    DownloadApi(KodoStore store, KodoAuth auth) {
        this.store = requireNonNull(store, "store is null");
        this.auth = requireNonNull(auth, "auth is null");
    }

    KodoResponse download(KodoRequest request) {
        String[] segments = request.segments();
        String bucketName;
        String key;
        if (segments.length >= 4 && segments[0].equals("getfile")) {
            bucketName = Codec.percentDecode(segments[2]);
            key = Codec.percentDecode(String.join("/", Arrays.copyOfRange(segments, 3, segments.length)));
        } else {
            bucketName = store.bucketForDomain(request.host());
            if (bucketName == null) {
                // guessed: a domain bound to no bucket
                throw new KodoException(404, "no such domain");
            }
            key = Codec.percentDecode(request.rawPath().substring(1));
        }
        KodoBucketState bucket = store.bucket(bucketName);
        Instant now = store.now();
        if (bucket.isPrivate()) {
            auth.checkDownloadUrl(request, now);
        }
        StoredObject object = bucket.objects().get(key);
        if (object == null) {
            throw new KodoException(404, "Document not found");
        }
        if (object.status() != 0) {
            // guessed wording: a disabled file is forbidden
            throw new KodoException(403, "file is disabled");
        }
        if (!object.readable(now)) {
            // guessed: status and wording for reading a frozen archive / deep archive file
            throw new KodoException(403, "archive file is not restored");
        }
        return content(request, object);
    }

    private static KodoResponse content(KodoRequest request, StoredObject object) {
        long size = object.size();
        long first = 0;
        long last = size - 1;
        int status = 200;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", object.mimeType()));
        headers.add(Map.entry("Accept-Ranges", "bytes"));
        headers.add(Map.entry("ETag", "\"" + object.hash() + "\""));
        headers.add(Map.entry("Last-Modified",
                HTTP_DATE.format(Instant.ofEpochSecond(object.putTime() / 10_000_000L))));
        object.meta().forEach((name, value) -> headers.add(Map.entry("x-qn-meta-" + name, value)));
        String attname = request.queryParam("attname");
        if (attname != null && !attname.isEmpty()) {
            headers.add(Map.entry("Content-Disposition",
                    "attachment; filename=\"" + attname.replace("\"", "") + "\"; filename*=utf-8''"
                            + Codec.percentEncode(attname, "")));
        }
        long[] range = parseRange(request.header("Range"), size);
        if (range != null) {
            if (range.length == 0) {
                List<Map.Entry<String, String>> h = List.of(Map.entry("Content-Range", "bytes */" + size),
                        Map.entry("Content-Type", "application/json"));
                return new KodoResponse(416, h, Json.write(Map.of("error", "requested range not satisfiable")), null);
            }
            first = range[0];
            last = range[1];
            status = 206;
            headers.add(Map.entry("Content-Range", "bytes " + first + "-" + last + "/" + size));
        }
        int length = (int) (last - first + 1);
        headers.add(Map.entry("Content-Length", Integer.toString(Math.max(length, 0))));
        byte[] body = request.method().equals("HEAD") || length <= 0
                ? new byte[0] : Arrays.copyOfRange(object.data(), (int) first, (int) last + 1);
        return new KodoResponse(status, headers, body, null);
    }

    /**
     * Parses a single {@code bytes=} range against {@code size}: null for "no (usable) range, send all",
     * an empty array for "unsatisfiable", else {first, last}. Several ranges are answered with the whole body.
     */
    static long[] parseRange(String header, long size) {
        if (header == null || !header.trim().startsWith("bytes=")) {
            return null;
        }
        String spec = header.trim().substring("bytes=".length()).trim();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return new long[0];
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            if (!b.isEmpty() && Long.parseLong(b) < first) {
                return null; // syntactically invalid: ignored (RFC 9110)
            }
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first >= size) {
                return new long[0];
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
