package dev.barge.emulator.qiniu;

import dev.barge.storage.KeyOrder;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The rsf host: {@code /list} (v1, one JSON document) and {@code /v2/list} (one JSON line per entry,
 * streamed). Keys come in ascending UTF-8 byte order; with a delimiter, keys sharing a common prefix
 * are folded into one entry. A limit counts items and common prefixes together.
 *
 * <p>Markers are {@code urlsafe_base64({"c":0,"k":"<last key>"})}, like Kodo's; the emulator uses
 * {@code "c":1} when the last entry handed out was a common prefix, so that the next page skips
 * everything under it.
 */
final class ListApi {

    static final int MAX_V1_LIMIT = 1000;

    private final KodoStore store;

    ListApi(KodoStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    KodoResponse listV1(KodoRequest request) {
        Query query = Query.of(request, store);
        int limit = query.limit <= 0 || query.limit > MAX_V1_LIMIT ? MAX_V1_LIMIT : query.limit;
        Page page = scan(query, limit);
        Instant now = store.now();
        List<Object> items = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
        for (Entry entry : page.entries) {
            if (entry.item != null) {
                items.add(itemJson(entry.item, now));
            } else {
                prefixes.add(entry.dir);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        if (page.more) {
            json.put("marker", page.entries.get(page.entries.size() - 1).marker());
        }
        json.put("items", items);
        if (!query.delimiter.isEmpty()) {
            json.put("commonPrefixes", prefixes);
        }
        return KodoResponse.ok(json);
    }

    KodoResponse listV2(KodoRequest request) {
        Query query = Query.of(request, store);
        Page page = scan(query, query.limit <= 0 ? Integer.MAX_VALUE : query.limit);
        Instant now = store.now();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < page.entries.size(); i++) {
            Entry entry = page.entries.get(i);
            boolean last = i == page.entries.size() - 1;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("item", entry.item == null ? null : itemJson(entry.item, now));
            line.put("marker", last && !page.more ? "" : entry.marker());
            line.put("dir", entry.dir == null ? "" : entry.dir);
            lines.add(Json.writeString(line));
        }
        return KodoResponse.jsonLines(lines);
    }

    private static Map<String, Object> itemJson(StoredObject object, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", object.key());
        json.putAll(ManagementApi.statJson(object, now, false));
        return json;
    }

    private Page scan(Query query, int limit) {
        NavigableMap<String, StoredObject> objects = query.bucket.objects();
        String start = query.prefix;
        boolean inclusive = true;
        String lastDir = null;
        if (query.after != null && KeyOrder.UTF8.compare(query.after.key, start) >= 0) {
            start = query.after.key;
            inclusive = query.after.dir; // a common-prefix marker: keys equal to it are inside it
            lastDir = query.after.dir ? query.after.key : null;
        }
        List<Entry> entries = new ArrayList<>();
        boolean more = false;
        for (StoredObject object : objects.tailMap(start, inclusive).values()) {
            String key = object.key();
            if (!key.startsWith(query.prefix)) {
                break; // keys sharing a prefix are contiguous in byte order
            }
            if (lastDir != null && key.startsWith(lastDir)) {
                continue;
            }
            String dir = null;
            if (!query.delimiter.isEmpty()) {
                int at = key.indexOf(query.delimiter, query.prefix.length());
                if (at >= 0) {
                    dir = key.substring(0, at + query.delimiter.length());
                }
            }
            if (entries.size() == limit) {
                more = true;
                break;
            }
            if (dir != null) {
                entries.add(new Entry(null, dir));
                lastDir = dir;
            } else {
                entries.add(new Entry(object, null));
            }
        }
        return new Page(entries, more);
    }

    private record Entry(StoredObject item, String dir) {
        String marker() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("c", item == null ? 1 : 0);
            json.put("k", item == null ? dir : item.key());
            return Codec.urlSafeBase64(Json.write(json));
        }
    }

    private record Page(List<Entry> entries, boolean more) {
    }

    private record Marker(String key, boolean dir) {
        static Marker decode(String marker) {
            try {
                Map<String, Object> json = Json.parseObject(Codec.decodeBase64ToString(marker));
                if (json.get("k") instanceof String key) {
                    return new Marker(key, json.get("c") instanceof Number c && c.intValue() == 1);
                }
            } catch (IllegalArgumentException e) {
                // fall through
            }
            // code 640 is Kodo's "invalid marker"; the wording is a guess
            throw new KodoException(640, "invalid marker");
        }
    }

    private record Query(KodoBucketState bucket, String prefix, String delimiter, Marker after, int limit) {
        static Query of(KodoRequest request, KodoStore store) {
            String bucketName = request.queryParam("bucket");
            if (bucketName == null || bucketName.isEmpty()) {
                throw KodoException.invalidArgument("invalid argument");
            }
            KodoBucketState bucket = store.bucket(bucketName);
            String prefix = orEmpty(request.queryParam("prefix"));
            String delimiter = orEmpty(request.queryParam("delimiter"));
            String marker = request.queryParam("marker");
            int limit = 0;
            String limitText = request.queryParam("limit");
            if (limitText != null && !limitText.isEmpty()) {
                try {
                    limit = Integer.parseInt(limitText);
                } catch (NumberFormatException e) {
                    throw KodoException.invalidArgument("invalid limit");
                }
            }
            return new Query(bucket, prefix, delimiter,
                    marker == null || marker.isEmpty() ? null : Marker.decode(marker), limit);
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s;
        }
    }
}
