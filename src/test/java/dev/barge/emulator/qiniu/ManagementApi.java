package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rs host: stat, delete, copy, move, chtype, restoreAr, chgm, chstatus, one at a time
 * ({@code /op/...}) or in a {@code /batch} of up to 1000 {@code op=} form fields.
 */
final class ManagementApi {

    static final int MAX_BATCH_OPS = 1000;

    private final KodoStore store;

    ManagementApi(KodoStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    static boolean handles(String op) {
        return switch (op) {
            case "stat", "delete", "copy", "move", "chtype", "restoreAr", "chgm", "chstatus" -> true;
            default -> false;
        };
    }

    KodoResponse single(KodoRequest request) {
        Object data = execute(request.segments());
        return data == null ? KodoResponse.empty() : KodoResponse.ok(data);
    }

    KodoResponse batch(KodoRequest request) {
        List<String> ops = Codec.parseForm(request.bodyString()).getOrDefault("op", List.of());
        if (ops.isEmpty()) {
            ops = request.query().getOrDefault("op", List.of());
        }
        if (ops.isEmpty()) {
            throw KodoException.invalidArgument("empty op");
        }
        if (ops.size() > MAX_BATCH_OPS) {
            // the 1000-op cap is documented; the wording is a guess
            throw KodoException.invalidArgument("too many ops in a batch");
        }
        List<Object> results = new ArrayList<>();
        boolean allOk = true;
        for (String op : ops) {
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                Object data = execute(op.startsWith("/") ? op.substring(1).split("/", -1) : op.split("/", -1));
                result.put("code", 200);
                if (data != null) {
                    result.put("data", data);
                }
            } catch (KodoException e) {
                allOk = false;
                result.put("code", e.status());
                result.put("data", Map.of("error", e.error()));
            }
            results.add(result);
        }
        return KodoResponse.json(allOk ? 200 : 298, results);
    }

    /** Runs one operation given as path segments ({@code stat, <entry>}); null data for "no body". */
    private Object execute(String[] segments) {
        if (segments.length < 2) {
            throw KodoException.invalidArgument("invalid argument");
        }
        String op = segments[0];
        Entry entry = Entry.decode(segments[1]);
        switch (op) {
            case "stat" -> {
                return statJson(store.stat(entry.bucket(), entry.key()), store.now(), true);
            }
            case "delete" -> store.delete(entry.bucket(), entry.key());
            case "copy", "move" -> {
                if (segments.length < 3) {
                    throw KodoException.invalidArgument("invalid argument");
                }
                Entry target = Entry.decode(segments[2]);
                boolean force = false;
                for (int i = 3; i + 1 < segments.length; i += 2) {
                    if ("force".equals(segments[i])) {
                        force = Boolean.parseBoolean(segments[i + 1]);
                    }
                }
                if (op.equals("copy")) {
                    store.copy(entry.bucket(), entry.key(), target.bucket(), target.key(), force);
                } else {
                    store.move(entry.bucket(), entry.key(), target.bucket(), target.key(), force);
                }
            }
            case "chtype" -> store.changeType(entry.bucket(), entry.key(), intParam(segments, "type"));
            case "restoreAr" -> store.restore(entry.bucket(), entry.key(), intParam(segments, "freezeAfterDays"));
            case "chstatus" -> store.changeStatus(entry.bucket(), entry.key(), intParam(segments, "status"));
            case "chgm" -> changeMeta(entry, segments);
            default -> throw KodoException.invalidArgument("unknown op " + op);
        }
        return null;
    }

    private void changeMeta(Entry entry, String[] segments) {
        StoredObject object = store.stat(entry.bucket(), entry.key());
        String mime = null;
        Map<String, String> meta = new LinkedHashMap<>(object.meta());
        for (int i = 2; i + 1 < segments.length; i += 2) {
            String name = Codec.percentDecode(segments[i]);
            String value = decodeParam(segments[i + 1]);
            if (name.equals("mime")) {
                mime = value;
            } else if (name.startsWith("x-qn-meta-")) {
                // the SDK's changeHeaders writes "x-qn-meta-!name": treated like "x-qn-meta-name"
                String metaKey = name.substring("x-qn-meta-".length());
                meta.put(metaKey.startsWith("!") ? metaKey.substring(1) : metaKey, value);
            }
            // "cond/..." (conditional change) is accepted and ignored
        }
        store.changeMimeAndMeta(entry.bucket(), entry.key(), mime, meta);
    }

    private static String decodeParam(String segment) {
        try {
            return Codec.decodeBase64ToString(Codec.percentDecode(segment));
        } catch (IllegalArgumentException e) {
            throw KodoException.invalidArgument("invalid argument");
        }
    }

    private static int intParam(String[] segments, String name) {
        for (int i = 2; i + 1 < segments.length; i++) {
            if (name.equals(segments[i])) {
                try {
                    return Integer.parseInt(segments[i + 1]);
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw KodoException.invalidArgument("invalid " + name);
    }

    /** The JSON of stat (and, without metadata, of a listing item). */
    static Map<String, Object> statJson(StoredObject object, Instant now, boolean withMeta) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fsize", object.size());
        json.put("hash", object.hash());
        json.put("md5", object.md5());
        json.put("mimeType", object.mimeType());
        json.put("putTime", object.putTime());
        json.put("type", object.type());
        Integer restoreStatus = object.restoreStatus(now);
        if (restoreStatus != null) {
            json.put("restoreStatus", restoreStatus);
        }
        if (object.status() != 0) {
            json.put("status", object.status());
        }
        if (withMeta && !object.meta().isEmpty()) {
            json.put("x-qn-meta", new LinkedHashMap<>(object.meta()));
        }
        return json;
    }

    /** A decoded EncodedEntryURI: urlsafe_base64("bucket:key"). */
    record Entry(String bucket, String key) {

        static Entry decode(String segment) {
            String entry;
            try {
                entry = Codec.decodeBase64ToString(Codec.percentDecode(segment));
            } catch (IllegalArgumentException e) {
                throw KodoException.invalidArgument("invalid argument");
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw KodoException.invalidArgument("invalid argument");
            }
            return new Entry(entry.substring(0, colon), entry.substring(colon + 1));
        }
    }
}
