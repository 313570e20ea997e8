package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The up host: form upload ({@code POST /} multipart), resumable upload v2
 * ({@code /buckets/<bucket>/objects/<b64 key or ~>/uploads[/<uploadId>[/<partNumber>]]}) and
 * resumable upload v1 ({@code /mkblk}, {@code /bput}, {@code /mkfile}).
 */
final class UploadApi {

    static final int MIN_PART_SIZE = 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    private static final Duration UPLOAD_TTL = Duration.ofDays(7);
    private static final String META_PREFIX = "x-qn-meta-";
    private static final Pattern MAGIC_VARIABLE = Pattern.compile("\\$\\(([^)]+)\\)");

    private final KodoStore store;
    private final KodoAuth auth;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Block> blocks = new ConcurrentHashMap<>();

    UploadApi(KodoStore store, KodoAuth auth) {
        this.store = requireNonNull(store, "store is null");
        this.auth = requireNonNull(auth, "auth is null");
    }

    // ---- form upload

    KodoResponse form(KodoRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        byte[] file = null;
        String fileName = null;
        String fileType = null;
        FullHttpRequest nettyRequest = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                request.uri(), Unpooled.wrappedBuffer(request.body()), request.headers(), EmptyHttpHeaders.INSTANCE);
        HttpPostRequestDecoder decoder = null;
        try {
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), nettyRequest,
                    StandardCharsets.UTF_8);
            if (!decoder.isMultipart()) {
                throw KodoException.invalidArgument("multipart/form-data expected");
            }
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload upload && data.getName().equals("file")) {
                    file = upload.get();
                    fileName = upload.getFilename();
                    fileType = upload.getContentType();
                } else if (data instanceof Attribute attribute) {
                    fields.put(attribute.getName(), attribute.getValue());
                }
            }
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException | IOException e) {
            throw KodoException.invalidArgument("invalid multipart form");
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
            nettyRequest.release();
        }
        UploadPolicy policy = auth.checkUploadToken(fields.get("token"), store.now());
        store.bucket(policy.bucket());
        if (file == null) {
            throw KodoException.invalidArgument("file is not specified");
        }
        String crc = fields.get("crc32");
        if (crc != null && !crc.isEmpty()) {
            CRC32 crc32 = new CRC32();
            crc32.update(file);
            if (!Long.toString(crc32.getValue()).equals(crc.trim())) {
                // status 406 is Kodo's CRC32 mismatch; the wording is a guess
                throw new KodoException(406, "crc32 not match");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, String> vars = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(META_PREFIX)) {
                meta.put(name.substring(META_PREFIX.length()), value);
            } else if (name.startsWith("x:")) {
                vars.put(name, value);
            }
        });
        String mime = fields.getOrDefault("mimeType", fileType);
        String fname = fields.getOrDefault("fname", fileName);
        return finish(policy, fields.get("key"), file, mime, meta, vars, fname);
    }

    // ---- resumable upload v2

    static boolean isV2Path(String[] segments) {
        return segments.length >= 5 && segments[0].equals("buckets") && segments[2].equals("objects")
                && segments[4].equals("uploads");
    }

    KodoResponse v2(KodoRequest request) {
        String[] segments = request.segments();
        UploadPolicy policy = auth.checkUploadToken(upToken(request), store.now());
        String bucket = Codec.percentDecode(segments[1]);
        if (!bucket.equals(policy.bucket())) {
            // guessed: a token for another bucket does not grant this one
            throw new KodoException(403, "bucket doesn't match scope");
        }
        store.bucket(bucket);
        String encodedKey = Codec.percentDecode(segments[3]);
        String key = encodedKey.equals("~") ? null : decodeKey(encodedKey);
        String method = request.method();
        if (segments.length == 5 && method.equals("POST")) {
            return initUpload(policy, bucket, key);
        }
        Session session = segments.length >= 6 ? sessions.get(segments[5]) : null;
        if (session == null || !session.bucket.equals(bucket) || !Objects.equals(session.key, key)) {
            // guessed wording; 612 is what Kodo answers for an unknown uploadId
            throw new KodoException(612, "no such uploadId");
        }
        if (segments.length == 7 && method.equals("PUT")) {
            return uploadPart(request, session, segments[6]);
        }
        if (segments.length == 6) {
            switch (method) {
                case "POST" -> {
                    return completeUpload(request, policy, session);
                }
                case "DELETE" -> {
                    sessions.remove(session.id);
                    return KodoResponse.empty();
                }
                case "GET" -> {
                    return listParts(request, session);
                }
                default -> {
                }
            }
        }
        throw new KodoException(405, "method not allowed");
    }

    private KodoResponse initUpload(UploadPolicy policy, String bucket, String key) {
        if (key != null) {
            policy.checkKey(key);
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        Instant expireAt = store.now().plus(UPLOAD_TTL);
        sessions.put(id, new Session(id, bucket, key, expireAt));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadId", id);
        json.put("expireAt", expireAt.getEpochSecond());
        return KodoResponse.ok(json);
    }

    private KodoResponse uploadPart(KodoRequest request, Session session, String partText) {
        int partNumber;
        try {
            partNumber = Integer.parseInt(partText);
        } catch (NumberFormatException e) {
            partNumber = -1;
        }
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw KodoException.invalidArgument("invalid part number");
        }
        byte[] data = request.body();
        String md5 = Codec.md5Hex(data);
        String contentMd5 = request.header("Content-MD5");
        if (contentMd5 != null && !contentMd5.isEmpty() && !contentMd5.equalsIgnoreCase(md5)) {
            throw KodoException.invalidArgument("Content-MD5 mismatch");
        }
        Part part = new Part(data, QiniuEtag.of(data), md5, StoredObject.putTime(store.now()));
        session.parts.put(partNumber, part);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("etag", part.etag);
        json.put("md5", part.md5);
        return KodoResponse.ok(json);
    }

    private KodoResponse listParts(KodoRequest request, Session session) {
        int marker = parseIntOr(request.queryParam("part-number-marker"), 0);
        int max = parseIntOr(request.queryParam("max-parts"), 1000);
        List<Object> parts = new ArrayList<>();
        int last = 0;
        for (Map.Entry<Integer, Part> e : session.parts.tailMap(marker, false).entrySet()) {
            if (parts.size() == max) {
                break;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("size", e.getValue().data.length);
            json.put("etag", e.getValue().etag);
            json.put("partNumber", e.getKey());
            json.put("putTime", e.getValue().putTime);
            parts.add(json);
            last = e.getKey();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadId", session.id);
        json.put("expireAt", session.expireAt.getEpochSecond());
        json.put("partNumberMarker", session.parts.higherKey(last) == null ? 0 : last);
        json.put("parts", parts);
        return KodoResponse.ok(json);
    }

    private KodoResponse completeUpload(KodoRequest request, UploadPolicy policy, Session session) {
        Map<String, Object> body;
        try {
            body = Json.parseObject(request.bodyString());
        } catch (IllegalArgumentException e) {
            throw KodoException.invalidArgument("invalid JSON body");
        }
        if (!(body.get("parts") instanceof List<?> parts) || parts.isEmpty()) {
            throw KodoException.invalidArgument("parts are empty");
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int previous = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (!(parts.get(i) instanceof Map<?, ?> p) || !(p.get("partNumber") instanceof Number n)) {
                throw KodoException.invalidArgument("invalid part");
            }
            int number = n.intValue();
            if (number <= previous) {
                throw KodoException.invalidArgument("parts must be in ascending order of partNumber");
            }
            previous = number;
            Part part = session.parts.get(number);
            if (part == null || !part.etag.equals(p.get("etag"))) {
                throw KodoException.invalidArgument("invalid part " + number);
            }
            if (i < parts.size() - 1 && part.data.length < MIN_PART_SIZE) {
                // Kodo: every part but the last is at least 1 MiB; the wording is a guess
                throw KodoException.invalidArgument("part " + number + " is smaller than 1 MiB");
            }
            content.writeBytes(part.data);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String field : List.of("metadata", "metaData")) {
            if (body.get(field) instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    String name = String.valueOf(k);
                    meta.put(name.startsWith(META_PREFIX) ? name.substring(META_PREFIX.length()) : name,
                            String.valueOf(v));
                });
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        if (body.get("customVars") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> vars.put(String.valueOf(k), String.valueOf(v)));
        }
        String mime = body.get("mimeType") instanceof String s ? s : null;
        String fname = body.get("fname") instanceof String s ? s : null;
        KodoResponse response = finish(policy, session.key, content.toByteArray(), mime, meta, vars, fname);
        sessions.remove(session.id);
        return response;
    }

    // ---- resumable upload v1

    static boolean isV1Path(String[] segments) {
        return segments.length >= 2 && (segments[0].equals("mkblk") || segments[0].equals("bput")
                || segments[0].equals("mkfile"));
    }

    KodoResponse v1(KodoRequest request) {
        String[] segments = request.segments();
        UploadPolicy policy = auth.checkUploadToken(upToken(request), store.now());
        store.bucket(policy.bucket());
        switch (segments[0]) {
            case "mkblk" -> {
                int size = parseIntOr(segments[1], -1);
                if (size <= 0 || size > QiniuEtag.BLOCK_SIZE || request.body().length > size) {
                    throw KodoException.invalidArgument("invalid block size");
                }
                Block block = new Block(UUID.randomUUID().toString().replace("-", ""), size);
                blocks.put(block.id, block);
                return chunkResponse(request, block, request.body());
            }
            case "bput" -> {
                Block block = blockOf(segments[1]);
                long offset = segments.length > 2 ? parseIntOr(segments[2], -1) : -1;
                synchronized (block) {
                    if (offset != block.data.size() || offset + request.body().length > block.size) {
                        throw KodoException.invalidArgument("invalid offset");
                    }
                    return chunkResponse(request, block, request.body());
                }
            }
            default -> {
                return makeFile(request, policy, segments);
            }
        }
    }

    private KodoResponse chunkResponse(KodoRequest request, Block block, byte[] chunk) {
        synchronized (block) {
            block.data.writeBytes(chunk);
            CRC32 crc32 = new CRC32();
            crc32.update(chunk);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("ctx", block.id + "." + block.data.size());
            json.put("checksum", Codec.urlSafeBase64(Codec.digest("SHA-1", chunk)));
            json.put("crc32", crc32.getValue());
            json.put("offset", block.data.size());
            json.put("host", "http://" + request.host());
            json.put("expired_at", store.now().plus(UPLOAD_TTL).getEpochSecond());
            return KodoResponse.ok(json);
        }
    }

    private KodoResponse makeFile(KodoRequest request, UploadPolicy policy, String[] segments) {
        long size = parseIntOr(segments[1], -1);
        String key = null;
        String mime = null;
        String fname = null;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 2; i + 1 < segments.length; i += 2) {
            String name = Codec.percentDecode(segments[i]);
            String value = decodeKey(Codec.percentDecode(segments[i + 1]));
            switch (name) {
                case "key" -> key = value;
                case "mimeType" -> mime = value;
                case "fname" -> fname = value;
                default -> {
                    if (name.startsWith(META_PREFIX)) {
                        meta.put(name.substring(META_PREFIX.length()), value);
                    } else if (name.startsWith("x:")) {
                        vars.put(name, value);
                    }
                }
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        List<Block> used = new ArrayList<>();
        for (String ctx : request.bodyString().split(",")) {
            if (ctx.isBlank()) {
                continue;
            }
            Block block = blockOf(ctx.trim());
            synchronized (block) {
                if (block.data.size() != block.size) {
                    throw KodoException.invalidArgument("incomplete block");
                }
                content.writeBytes(block.data.toByteArray());
            }
            used.add(block);
        }
        if (content.size() != size) {
            throw KodoException.invalidArgument("file size does not match the blocks");
        }
        KodoResponse response = finish(policy, key, content.toByteArray(), mime, meta, vars, fname);
        used.forEach(b -> blocks.remove(b.id));
        return response;
    }

    private Block blockOf(String ctx) {
        int dot = ctx.indexOf('.');
        Block block = blocks.get(dot < 0 ? ctx : ctx.substring(0, dot));
        if (block == null) {
            // 701: Kodo's "ctx is invalid or expired"
            throw new KodoException(701, "invalid context");
        }
        return block;
    }

    // ---- shared

    /** Names the key as Kodo does, checks it against the policy, saves, and renders returnBody. */
    private KodoResponse finish(UploadPolicy policy, String requestedKey, byte[] data, String mime,
            Map<String, String> meta, Map<String, String> vars, String fname) {
        String key = requestedKey;
        if (policy.forceSaveKey() && policy.saveKey() != null) {
            key = expand(policy.saveKey(), vars);
        } else if (key == null && policy.scopeKey() != null && !policy.prefixalScope()) {
            key = policy.scopeKey();
        } else if (key == null && policy.saveKey() != null) {
            key = expand(policy.saveKey(), vars);
        } else if (key == null) {
            key = QiniuEtag.of(data);
        }
        policy.checkKey(key);
        if (policy.fsizeLimit() > 0 && data.length > policy.fsizeLimit()) {
            throw new KodoException(413, "request entity too large");
        }
        if (policy.fileType() < 0 || policy.fileType() > StoredObject.MAX_TYPE) {
            throw KodoException.invalidArgument("invalid fileType");
        }
        String mimeType = mime == null || mime.isBlank() ? "application/octet-stream" : mime;
        StoredObject saved = store.save(policy.bucket(), key, data, mimeType, meta, policy.fileType(),
                policy.allowsOverwrite(key), policy.insertOnly());
        if (policy.returnBody() == null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", saved.key());
            json.put("hash", saved.hash());
            return KodoResponse.ok(json);
        }
        Map<String, String> values = new LinkedHashMap<>(vars);
        values.put("key", saved.key());
        values.put("hash", saved.hash());
        values.put("etag", saved.hash());
        values.put("fsize", Long.toString(saved.size()));
        values.put("bucket", policy.bucket());
        values.put("mimeType", saved.mimeType());
        values.put("fname", fname == null ? "" : fname);
        values.put("md5", saved.md5());
        String rendered = expandJson(policy.returnBody(), values);
        return new KodoResponse(200, List.of(Map.entry("Content-Type", "application/json")),
                rendered.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String expand(String template, Map<String, String> vars) {
        Matcher m = MAGIC_VARIABLE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Magic variables in a returnBody are replaced by their JSON-escaped text (the template has the quotes). */
    private static String expandJson(String template, Map<String, String> values) {
        Matcher m = MAGIC_VARIABLE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String quoted = Json.writeString(values.getOrDefault(m.group(1), ""));
            m.appendReplacement(sb, Matcher.quoteReplacement(quoted.substring(1, quoted.length() - 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String upToken(KodoRequest request) {
        String authorization = request.header("Authorization");
        return authorization != null && authorization.startsWith("UpToken ")
                ? authorization.substring("UpToken ".length()).trim() : null;
    }

    private static String decodeKey(String encoded) {
        try {
            return Codec.decodeBase64ToString(encoded);
        } catch (IllegalArgumentException e) {
            throw KodoException.invalidArgument("invalid base64 " + encoded);
        }
    }

    private static int parseIntOr(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** How many resumable v2 uploads are open (not completed nor aborted). */
    int openUploads() {
        return sessions.size();
    }

    private static final class Session {
        final String id;
        final String bucket;
        final String key;
        final Instant expireAt;
        final ConcurrentSkipListMap<Integer, Part> parts = new ConcurrentSkipListMap<>();

        Session(String id, String bucket, String key, Instant expireAt) {
            this.id = id;
            this.bucket = bucket;
            this.key = key;
            this.expireAt = expireAt;
        }
    }

    private record Part(byte[] data, String etag, String md5, long putTime) {
    }

    private static final class Block {
        final String id;
        final int size;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Block(String id, int size) {
            this.id = id;
            this.size = size;
        }
    }
}
