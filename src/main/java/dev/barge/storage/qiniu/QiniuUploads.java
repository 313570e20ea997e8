package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import com.qiniu.common.QiniuException;
import com.qiniu.storage.Configuration;
import com.qiniu.util.Auth;
import com.qiniu.util.Json;
import com.qiniu.util.StringMap;
import com.qiniu.util.UrlSafeBase64;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Kodo's upload API on the up host, sent with the driver's OkHttp client: form upload
 * ({@code POST /} multipart) and resumable upload v2 ({@code /buckets/<bucket>/objects/<b64 key>/uploads}).
 * Every call carries an upload token scoped to {@code bucket:key}, so that it may replace an existing
 * object, and each call is sent once: retrying is the retry layer's business.
 */
final class QiniuUploads {

    static final String OCTET_STREAM = "application/octet-stream";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String META_PREFIX = "x-qn-meta-";

    private final OkHttpClient http;
    private final Auth auth;
    private final Configuration cfg;
    private final Duration tokenTtl;
    private final QiniuHosts hosts;

    QiniuUploads(OkHttpClient http, Auth auth, Configuration cfg, Duration tokenTtl, QiniuHosts hosts) {
        this.http = requireNonNull(http, "http is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.cfg = requireNonNull(cfg, "cfg is null");
        this.tokenTtl = requireNonNull(tokenTtl, "tokenTtl is null");
        this.hosts = requireNonNull(hosts, "hosts is null");
    }

    /** An upload token for exactly this key, giving new objects the storage type {@code fileType}. */
    String token(String bucket, String key, int fileType) {
        StringMap policy = new StringMap();
        if (fileType != QiniuStorageTypes.STANDARD) {
            policy.put("fileType", fileType);
        }
        return auth.uploadToken(bucket, key, tokenTtl.toSeconds(), policy, true);
    }

    /** One form upload; returns Kodo's hash of the stored object. */
    String form(Operation op, String bucket, String key, String token, byte[] data, int length, String contentType,
            Map<String, String> metadata) {
        CRC32 crc32 = new CRC32();
        crc32.update(data, 0, length);
        MultipartBody.Builder form = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("token", token)
                .addFormDataPart("key", key)
                .addFormDataPart("crc32", Long.toString(crc32.getValue()));
        metadata.forEach((name, value) -> form.addFormDataPart(META_PREFIX + name, value));
        // Kodo wants the file last; its part's Content-Type becomes the object's MIME type
        form.addFormDataPart("file", fileName(key),
                RequestBody.create(mediaType(contentType), data, 0, length));
        Request request = new Request.Builder().url(upBase(op, bucket, key, token) + "/").post(form.build()).build();
        return string(call(op, bucket, key, request), "hash");
    }

    /** Starts a resumable upload; returns Kodo's uploadId. */
    String initiate(Operation op, String bucket, String key, String token) {
        Request request = new Request.Builder().url(uploadsUrl(op, bucket, key, token))
                .header("Authorization", "UpToken " + token)
                .post(RequestBody.create(null, new byte[0])).build();
        return string(call(op, bucket, key, request), "uploadId");
    }

    /** Uploads one part; Kodo answers its etag and MD5. */
    UploadedPart uploadPart(Operation op, String bucket, String key, String token, String uploadId, int partNumber,
            RequestBody body) {
        Request request = new Request.Builder()
                .url(uploadsUrl(op, bucket, key, token) + "/" + uploadId + "/" + partNumber)
                .header("Authorization", "UpToken " + token)
                .put(body).build();
        StringMap answer = call(op, bucket, key, request);
        Object md5 = answer.get("md5");
        return new UploadedPart(string(answer, "etag"), md5 == null ? null : md5.toString().toLowerCase(Locale.ROOT));
    }

    /** Assembles the parts (sorted by number) into the object; returns Kodo's hash. */
    String complete(Operation op, String bucket, String key, String token, String uploadId, List<CompletedPart> parts,
            String contentType, Map<String, String> metadata) {
        List<Map<String, Object>> partList = new ArrayList<>();
        for (CompletedPart part : parts) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partNumber", part.partNumber());
            p.put("etag", part.etag());
            partList.add(p);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parts", partList);
        body.put("fname", fileName(key));
        body.put("mimeType", contentType != null ? contentType : OCTET_STREAM);
        if (!metadata.isEmpty()) {
            Map<String, String> meta = new LinkedHashMap<>();
            metadata.forEach((name, value) -> meta.put(META_PREFIX + name, value));
            body.put("metadata", meta);
        }
        Request request = new Request.Builder().url(uploadsUrl(op, bucket, key, token) + "/" + uploadId)
                .header("Authorization", "UpToken " + token)
                .post(RequestBody.create(JSON, Json.encode(body))).build();
        return string(call(op, bucket, key, request), "hash");
    }

    /** Abandons an upload; an unknown one is fine. */
    void abort(Operation op, String bucket, String key, String token, String uploadId) {
        Request request = new Request.Builder().url(uploadsUrl(op, bucket, key, token) + "/" + uploadId)
                .header("Authorization", "UpToken " + token)
                .delete().build();
        try {
            call(op, bucket, key, request);
        } catch (StorageException e) {
            if (!"612".equals(e.vendorCode())) {
                throw e;
            }
        }
    }

    private String uploadsUrl(Operation op, String bucket, String key, String token) {
        return upBase(op, bucket, key, token) + "/buckets/" + QiniuDownloads.encodePath(bucket) + "/objects/"
                + UrlSafeBase64.encodeToString(key) + "/uploads";
    }

    /** The up host the SDK chooses for this token's bucket (the configured one, or the region's). */
    private String upBase(Operation op, String bucket, String key, String token) {
        String host;
        try {
            // the SDK's host choice is not thread-safe: two first calls at once race on its lazily made
            // host list (UpHostHelper.RegionUpHost.lastHosts) and one gets a NullPointerException
            synchronized (cfg) {
                host = cfg.upHost(token);
            }
        } catch (QiniuException e) {
            // without a region, the SDK asks the uc host for the bucket's upload hosts
            throw QiniuErrors.of(op, bucket, key, e, hosts.of(QiniuHosts.Role.UP, bucket));
        }
        if (!host.contains("://")) {
            host = (cfg.useHttpsDomains ? "https://" : "http://") + host;
        }
        return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    }

    private StringMap call(Operation op, String bucket, String key, Request request) {
        Call call = http.newCall(request);
        if (request.body() instanceof QiniuPartBody part) {
            part.attach(call);
        }
        try (Response response = call.execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (response.code() / 100 != 2) {
                throw QiniuErrors.status(op, bucket, key, response.code(), QiniuDownloads.errorText(body),
                        response.header("X-Reqid"), null);
            }
            return body.isBlank() ? new StringMap() : Json.decode(body);
        } catch (IOException e) {
            if (request.body() instanceof QiniuPartBody) {
                // the part's call was cancelled and its connection closed; OkHttp 3 hands out a pooled
                // connection that never completed an exchange without checking it, so drop the idle ones
                http.connectionPool().evictAll();
            }
            if (e instanceof PayloadException payload) {
                throw payload.failure;
            }
            HttpUrl url = request.url();
            String host = url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
            throw QiniuErrors.io(op, bucket, key, e, hosts.upload(host));
        } catch (com.google.gson.JsonParseException e) {
            throw QiniuErrors.status(op, bucket, key, 599, "answer is not JSON: " + e.getMessage(), null, e);
        }
    }

    private static String string(StringMap answer, String field) {
        Object value = answer.get(field);
        return value == null ? null : value.toString();
    }

    private static MediaType mediaType(String contentType) {
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        return type != null ? type : MediaType.get(OCTET_STREAM);
    }

    /** The file name Kodo records (fname): the key's last segment, in the ASCII a multipart header holds. */
    private static String fileName(String key) {
        String last = key.substring(key.lastIndexOf('/') + 1);
        StringBuilder name = new StringBuilder();
        for (char c : last.toCharArray()) {
            name.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return name.length() == 0 ? "file" : name.toString();
    }

    /**
     * @param etag Kodo's etag of the part, needed to complete
     * @param md5 Kodo's MD5 of the bytes it received, lower-case hex, or {@code null}
     */
    record UploadedPart(String etag, String md5) {}

    /** Raised from inside a request body when the payload, not the network, is at fault. */
    static final class PayloadException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient StorageException failure;

        PayloadException(StorageException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }
    }
}
