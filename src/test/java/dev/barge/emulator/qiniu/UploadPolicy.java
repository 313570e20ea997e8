package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The parts of a putPolicy the emulator honours.
 *
 * @param bucket bucket from {@code scope}
 * @param scopeKey key from {@code scope} ({@code bucket:key}); null when the scope is the bucket only
 * @param prefixalScope {@code isPrefixalScope}: the scope key is a prefix the upload key must start with
 * @param deadline unix seconds after which the token is refused
 * @param insertOnly never replace an existing key
 * @param saveKey key template used when the upload names no key (only literal text and $(x:var) are expanded)
 * @param forceSaveKey use saveKey even when the upload names a key
 * @param returnBody template of the JSON answered on success; null for Kodo's default {"key","hash"}
 * @param fsizeLimit largest accepted size in bytes; 0 for none
 * @param fileType storage type given to the new object
 */
record UploadPolicy(String bucket, String scopeKey, boolean prefixalScope, long deadline, boolean insertOnly,
        String saveKey, boolean forceSaveKey, String returnBody, long fsizeLimit, int fileType) {

    UploadPolicy {
        requireNonNull(bucket, "bucket is null");
    }

    static UploadPolicy fromJson(Map<String, Object> json) {
        Object scope = json.get("scope");
        if (!(scope instanceof String s) || s.isEmpty()) {
            throw KodoException.badToken();
        }
        int colon = s.indexOf(':');
        String bucket = colon < 0 ? s : s.substring(0, colon);
        String key = colon < 0 ? null : s.substring(colon + 1);
        return new UploadPolicy(bucket, key, number(json, "isPrefixalScope") != 0, number(json, "deadline"),
                number(json, "insertOnly") != 0, string(json, "saveKey"), bool(json, "forceSaveKey"),
                string(json, "returnBody"), number(json, "fsizeLimit"), (int) number(json, "fileType"));
    }

    /** Whether an upload to {@code key} may replace an existing object (the token names that key). */
    boolean allowsOverwrite(String key) {
        return scopeKey != null && !prefixalScope && scopeKey.equals(key);
    }

    /** Throws unless {@code key} fits the scope; Kodo answers 403 "key doesn't match scope". */
    void checkKey(String key) {
        if (scopeKey == null) {
            return;
        }
        boolean ok = prefixalScope ? key != null && key.startsWith(scopeKey) : scopeKey.equals(key);
        if (!ok) {
            throw new KodoException(403, "key doesn't match scope");
        }
    }

    private static long number(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return 0;
    }

    private static boolean bool(Map<String, Object> json, String name) {
        return number(json, name) != 0;
    }

    private static String string(Map<String, Object> json, String name) {
        Object value = json.get(name);
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
