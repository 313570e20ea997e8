package dev.barge.emulator.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.qiniu.common.QiniuException;
import com.qiniu.http.Response;
import com.qiniu.storage.BucketManager;
import com.qiniu.storage.Configuration;
import com.qiniu.storage.DownloadPrivateCloudUrl;
import com.qiniu.storage.DownloadUrl;
import com.qiniu.storage.Region;
import com.qiniu.storage.UploadManager;
import com.qiniu.storage.model.AclType;
import com.qiniu.storage.model.BatchStatus;
import com.qiniu.storage.model.DefaultPutRet;
import com.qiniu.storage.model.FileInfo;
import com.qiniu.storage.model.FileListing;
import com.qiniu.storage.model.StorageType;
import com.qiniu.util.Auth;
import com.qiniu.util.Etag;
import com.qiniu.util.StringMap;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the emulator with the real qiniu-java-sdk over real HTTP. */
class KodoEmulatorTest {

    private static final String AK = "emulator-ak";
    private static final String SK = "emulator-sk";
    private static final Comparator<String> UTF8_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private static KodoEmulator kodo;
    private static Auth auth;
    private static Configuration cfg;
    private static BucketManager buckets;
    private static UploadManager uploads;
    private static HttpClient http;

    @BeforeAll
    static void startEmulator() {
        kodo = KodoEmulator.start(AK, SK);
        String h = kodo.hostAndPort();
        cfg = new Configuration(new Region.Builder().region("z0").srcUpHost(h).accUpHost(h).iovipHost(h)
                .ioSrcHost(h).rsHost(h).rsfHost(h).apiHost(h).ucHost(h).build());
        cfg.useHttpsDomains = false;
        cfg.resumableUploadAPIVersion = Configuration.ResumableUploadAPIVersion.V2;
        auth = Auth.create(AK, SK);
        buckets = new BucketManager(auth, cfg);
        uploads = new UploadManager(cfg);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopEmulator() {
        kodo.close();
    }

    @AfterEach
    void noFaultLeftBehind() {
        kodo.faults().clear();
    }

    @Test
    void formUploadKeepsMetadataAndStatReportsQiniuHash() throws Exception {
        kodo.createBucket("form");
        byte[] data = "hello kodo".getBytes(StandardCharsets.UTF_8);
        long before = System.currentTimeMillis();

        Response response = uploads.put(data, "docs/hello.txt", auth.uploadToken("form", "docs/hello.txt"),
                new StringMap().put("x-qn-meta-color", "blue"), "text/plain", false);
        DefaultPutRet ret = response.jsonToObject(DefaultPutRet.class);
        FileInfo info = buckets.stat("form", "docs/hello.txt");

        assertThat(response.reqId).isNotEmpty();
        assertThat(ret.key).isEqualTo("docs/hello.txt");
        assertThat(ret.hash).isEqualTo(Etag.data(data));
        assertThat(info.hash).isEqualTo(Etag.data(data));
        assertThat(info.fsize).isEqualTo(data.length);
        assertThat(info.md5).isEqualTo(md5(data));
        assertThat(info.mimeType).isEqualTo("text/plain");
        assertThat(info.type).isZero();
        assertThat(info.restoreStatus).isNull();
        assertThat(info.meta).containsEntry("color", "blue");
        assertThat(info.putTime / 10_000).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void resumableV2UploadInSeveralPartsKeepsMetadata(@TempDir Path dir) throws Exception {
        kodo.createBucket("resumable");
        byte[] data = randomBytes(9 * 1024 * 1024 + 123, 1);
        Path file = dir.resolve("big.bin");
        Files.write(file, data);

        Response response = uploads.put(file.toFile(), "big/nine.bin", auth.uploadToken("resumable", "big/nine.bin"),
                new StringMap().put("x-qn-meta-origin", "test"), "application/x-test", false);
        FileInfo info = buckets.stat("resumable", "big/nine.bin");

        assertThat(response.jsonToObject(DefaultPutRet.class).hash).isEqualTo(Etag.file(file.toFile()));
        assertThat(info.hash).isEqualTo(Etag.data(data));
        assertThat(info.fsize).isEqualTo(data.length);
        assertThat(info.mimeType).isEqualTo("application/x-test");
        assertThat(info.meta).containsEntry("origin", "test");
        assertThat(kodo.content("resumable", "big/nine.bin")).hasValueSatisfying(c -> assertThat(c).isEqualTo(data));
        assertThat(kodo.openUploads()).isZero();
    }

    @Test
    void resumableV1UploadWithBlocksAndChunks(@TempDir Path dir) throws Exception {
        kodo.createBucket("resumable-v1");
        byte[] data = randomBytes(9 * 1024 * 1024 + 5, 3);
        Path file = dir.resolve("v1.bin");
        Files.write(file, data);
        Configuration v1 = cfg.clone();
        v1.resumableUploadAPIVersion = Configuration.ResumableUploadAPIVersion.V1;

        Response response = new UploadManager(v1).put(file.toFile(), "v1.bin", auth.uploadToken("resumable-v1"),
                new StringMap().put("x-qn-meta-api", "v1"), "application/x-v1", false);
        FileInfo info = buckets.stat("resumable-v1", "v1.bin");

        assertThat(response.jsonToObject(DefaultPutRet.class).hash).isEqualTo(Etag.data(data));
        assertThat(info.fsize).isEqualTo(data.length);
        assertThat(info.mimeType).isEqualTo("application/x-v1");
        assertThat(info.meta).containsEntry("api", "v1");
    }

    @Test
    void streamUploadOfUnknownLengthAndCrcCheckedFormUpload() throws Exception {
        kodo.createBucket("stream");
        byte[] big = randomBytes(6 * 1024 * 1024, 4);
        byte[] small = randomBytes(1000, 5);

        uploads.put(new ByteArrayInputStream(big), "streamed", auth.uploadToken("stream"), null, null);
        uploads.put(small, "crc", auth.uploadToken("stream"), null, null, true);

        assertThat(buckets.stat("stream", "streamed").hash).isEqualTo(Etag.data(big));
        assertThat(buckets.stat("stream", "crc").hash).isEqualTo(Etag.data(small));
        assertThat(buckets.stat("stream", "crc").mimeType).isEqualTo("application/octet-stream");
    }

    @Test
    void changeMimeMetadataAndStatus() throws Exception {
        kodo.createBucket("chgm");
        String domain = kodo.bindDefaultDomain("chgm");
        uploads.put("x".getBytes(StandardCharsets.UTF_8), "k", auth.uploadToken("chgm"),
                new StringMap().put("x-qn-meta-keep", "1"), "text/plain", false);

        checked(buckets.changeMime("chgm", "k", "application/json"));
        checked(buckets.changeHeaders("chgm", "k", Map.of("added", "yes")));
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create("http://" + domain + "/k"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        checked(buckets.changeStatus("chgm", "k", 1));
        FileInfo disabled = buckets.stat("chgm", "k");
        int downloadWhileDisabled = get("http://" + domain + "/k", null).statusCode();

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(head.headers().firstValue("Content-Length")).hasValue("1");
        assertThat(head.headers().firstValue("x-qn-meta-added")).hasValue("yes");
        assertThat(disabled.meta).containsEntry("keep", "1").containsEntry("added", "yes");
        assertThat(disabled.status).isEqualTo(1);
        assertThat(downloadWhileDisabled).isEqualTo(403);
    }

    @Test
    void rangedDownloadOfPrivateBucketNeedsSignedUrl() throws Exception {
        kodo.createBucket("private-dl");
        kodo.setBucketPrivate("private-dl", true);
        String domain = kodo.bindDefaultDomain("private-dl");
        byte[] data = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        uploads.put(data, "dir/k 1.txt", auth.uploadToken("private-dl"));
        long deadline = System.currentTimeMillis() / 1000 + 600;

        String signed = new DownloadUrl(domain, false, "dir/k 1.txt").buildURL(auth, deadline);
        HttpResponse<byte[]> ranged = get(signed, "bytes=2-5");
        HttpResponse<byte[]> suffix = get(signed, "bytes=-3");
        HttpResponse<byte[]> pastEnd = get(signed, "bytes=16-20");
        HttpResponse<byte[]> whole = get(signed, null);
        HttpResponse<byte[]> unsigned = get(new DownloadUrl(domain, false, "dir/k 1.txt").buildURL(), null);
        HttpResponse<byte[]> privateCloud = get(
                new DownloadPrivateCloudUrl(domain, false, "private-dl", "dir/k 1.txt", AK).buildURL(auth, deadline),
                "bytes=10-");

        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(new String(ranged.body(), StandardCharsets.UTF_8)).isEqualTo("2345");
        assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes 2-5/16");
        assertThat(ranged.headers().firstValue("X-Reqid")).isPresent();
        assertThat(new String(suffix.body(), StandardCharsets.UTF_8)).isEqualTo("def");
        assertThat(pastEnd.statusCode()).isEqualTo(416);
        assertThat(pastEnd.headers().firstValue("Content-Range")).hasValue("bytes */16");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.headers().firstValue("X-Reqid")).isPresent();
        assertThat(privateCloud.statusCode()).isEqualTo(206);
        assertThat(new String(privateCloud.body(), StandardCharsets.UTF_8)).isEqualTo("abcdef");
    }

    @Test
    void expiredOrTamperedDownloadUrlIsRefused() throws Exception {
        kodo.createBucket("expired-dl");
        kodo.setBucketPrivate("expired-dl", true);
        uploads.put(new byte[] {1, 2, 3}, "k", auth.uploadToken("expired-dl"));
        String base = "http://" + kodo.hostAndPort() + "/getfile/" + AK + "/expired-dl/k";

        HttpResponse<byte[]> expired = get(auth.privateDownloadUrlWithDeadline(base,
                System.currentTimeMillis() / 1000 - 10), null);
        HttpResponse<byte[]> wrongKey = get(Auth.create(AK, "not-the-secret").privateDownloadUrl(base), null);
        HttpResponse<byte[]> valid = get(auth.privateDownloadUrl(base), null);

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(new String(expired.body(), StandardCharsets.UTF_8)).contains("token out of date");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.body()).containsExactly(1, 2, 3);
    }

    @Test
    void listV1PagesInUtf8ByteOrderWithoutGapOrDuplicate() throws Exception {
        kodo.createBucket("list-v1");
        List<String> keys = manyKeys();
        for (String key : keys) {
            uploads.put(key.getBytes(StandardCharsets.UTF_8), key, auth.uploadToken("list-v1"));
        }

        List<String> listed = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            FileListing page = buckets.listFiles("list-v1", null, marker, 7, null);
            Arrays.stream(page.items).map(i -> i.key).forEach(listed::add);
            marker = page.marker;
            pages++;
        } while (marker != null && !marker.isEmpty());
        List<String> viaIterator = new ArrayList<>();
        BucketManager.FileListIterator it = buckets.createFileListIterator("list-v1", "", 50, null);
        while (it.hasNext()) {
            Arrays.stream(it.next()).map(i -> i.key).forEach(viaIterator::add);
        }

        List<String> expected = new ArrayList<>(keys);
        expected.sort(UTF8_ORDER);
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo((keys.size() + 6) / 7);
        assertThat(viaIterator).containsExactlyElementsOf(expected);
        assertThat(it.error()).isNull();
    }

    @Test
    void listV2StreamsPagesWithoutGapOrDuplicate() throws Exception {
        kodo.createBucket("list-v2");
        List<String> keys = manyKeys();
        for (String key : keys) {
            uploads.put(new byte[0], key, auth.uploadToken("list-v2"));
        }

        List<String> listed = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            FileListing page = buckets.listFilesV2("list-v2", "", marker, 9, "");
            Arrays.stream(page.items).map(i -> i.key).forEach(listed::add);
            marker = page.marker;
            pages++;
        } while (marker != null && !marker.isEmpty());
        FileListing all = buckets.listFilesV2("list-v2", "", null, 0, "");

        List<String> expected = new ArrayList<>(keys);
        expected.sort(UTF8_ORDER);
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo((keys.size() + 8) / 9);
        assertThat(Arrays.stream(all.items).map(i -> i.key).toList()).containsExactlyElementsOf(expected);
        assertThat(all.marker).isEmpty();
    }

    @Test
    void delimiterFoldsCommonPrefixesAcrossPages() throws Exception {
        kodo.createBucket("delim");
        for (String key : List.of("dir/a", "dir/b", "dir/sub/1", "dir/sub/2", "dir/sub/deep/3", "dir/sub2/x",
                "dir/z", "other/q")) {
            uploads.put(new byte[] {7}, key, auth.uploadToken("delim"));
        }

        List<String> items = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String marker = null;
        do {
            FileListing page = buckets.listFiles("delim", "dir/", marker, 2, "/");
            Arrays.stream(page.items).map(i -> i.key).forEach(items::add);
            if (page.commonPrefixes != null) {
                prefixes.addAll(Arrays.asList(page.commonPrefixes));
            }
            marker = page.marker;
        } while (marker != null && !marker.isEmpty());
        List<String> v2Items = new ArrayList<>();
        Set<String> v2Prefixes = new LinkedHashSet<>();
        marker = null;
        do {
            FileListing page = buckets.listFilesV2("delim", "dir/", marker, 1, "/");
            Arrays.stream(page.items).map(i -> i.key).forEach(v2Items::add);
            v2Prefixes.addAll(Arrays.asList(page.commonPrefixes));
            marker = page.marker;
        } while (marker != null && !marker.isEmpty());

        assertThat(items).containsExactly("dir/a", "dir/b", "dir/z");
        assertThat(prefixes).containsExactly("dir/sub/", "dir/sub2/");
        assertThat(v2Items).containsExactly("dir/a", "dir/b", "dir/z");
        assertThat(v2Prefixes).containsExactly("dir/sub/", "dir/sub2/");
    }

    @Test
    void batchWithMissingKeysAnswers298AndPerOpCodes() throws Exception {
        kodo.createBucket("batch");
        for (String key : List.of("a", "b", "c")) {
            uploads.put(new byte[] {1}, key, auth.uploadToken("batch"));
        }

        Response response = buckets.batch(new BucketManager.BatchOperations()
                .addDeleteOp("batch", "a", "missing-1", "b", "missing-2")
                .addStatOps("batch", "c"));
        BatchStatus[] statuses = response.jsonToObject(BatchStatus[].class);
        Response allGood = buckets.batch(new BucketManager.BatchOperations().addStatOps("batch", "c"));

        assertThat(response.statusCode).isEqualTo(298);
        assertThat(Arrays.stream(statuses).map(s -> s.code)).containsExactly(200, 612, 200, 612, 200);
        assertThat(statuses[1].data.error).isEqualTo("no such file or directory");
        assertThat(statuses[4].data.fsize).isEqualTo(1);
        assertThat(statuses[4].data.hash).isEqualTo(Etag.data(new byte[] {1}));
        assertThat(kodo.keys("batch")).containsExactly("c");
        assertThat(allGood.statusCode).isEqualTo(200);
    }

    @Test
    void copyAndMoveWithoutForceRefuseAnExistingTarget() throws Exception {
        kodo.createBucket("copy-src");
        kodo.createBucket("copy-dst");
        uploads.put("source".getBytes(StandardCharsets.UTF_8), "src", auth.uploadToken("copy-src"));
        uploads.put("taken".getBytes(StandardCharsets.UTF_8), "taken", auth.uploadToken("copy-dst"));

        QiniuException copyRefused = catchThrowableOfType(QiniuException.class,
                () -> buckets.copy("copy-src", "src", "copy-dst", "taken"));
        buckets.copy("copy-src", "src", "copy-dst", "taken", true);
        QiniuException moveRefused = catchThrowableOfType(QiniuException.class,
                () -> buckets.move("copy-src", "src", "copy-dst", "taken"));
        buckets.move("copy-src", "src", "copy-dst", "moved");
        QiniuException missing = catchThrowableOfType(QiniuException.class, () -> buckets.stat("copy-src", "src"));

        assertThat(copyRefused.code()).isEqualTo(614);
        assertThat(copyRefused.error()).isEqualTo("file exists");
        assertThat(moveRefused.code()).isEqualTo(614);
        assertThat(kodo.content("copy-dst", "taken")).hasValue("source".getBytes(StandardCharsets.UTF_8));
        assertThat(buckets.stat("copy-dst", "moved").hash).isEqualTo(Etag.data("source".getBytes(StandardCharsets.UTF_8)));
        assertThat(missing.code()).isEqualTo(612);
    }

    @Test
    void archivedObjectIsReadableOnlyOnceRestored() throws Exception {
        kodo.createBucket("archive");
        String domain = kodo.bindDefaultDomain("archive");
        uploads.put("cold".getBytes(StandardCharsets.UTF_8), "cold.txt", auth.uploadToken("archive"));
        String url = new DownloadUrl(domain, false, "cold.txt").buildURL();

        buckets.changeType("archive", "cold.txt", StorageType.Archive);
        FileInfo frozen = buckets.stat("archive", "cold.txt");
        int frozenStatus = get(url, null).statusCode();
        buckets.restoreArchive("archive", "cold.txt", 1);
        FileInfo restoring = buckets.stat("archive", "cold.txt");
        int restoringStatus = get(url, null).statusCode();
        boolean finished = kodo.finishRestore("archive", "cold.txt");
        FileInfo restored = buckets.stat("archive", "cold.txt");
        HttpResponse<byte[]> readable = get(url, null);
        QiniuException again = catchThrowableOfType(QiniuException.class,
                () -> checked(buckets.restoreArchive("archive", "cold.txt", 1)));

        assertThat(frozen.type).isEqualTo(2);
        assertThat(frozen.restoreStatus).isNull();
        assertThat(frozenStatus).isEqualTo(403);
        assertThat(restoring.restoreStatus).isEqualTo(1);
        assertThat(restoringStatus).isEqualTo(403);
        assertThat(finished).isTrue();
        assertThat(restored.restoreStatus).isEqualTo(2);
        assertThat(readable.statusCode()).isEqualTo(200);
        assertThat(new String(readable.body(), StandardCharsets.UTF_8)).isEqualTo("cold");
        assertThat(again.code()).isEqualTo(400);
    }

    @Test
    void wrongSecretIsRefusedWith401() {
        kodo.createBucket("auth");
        Auth wrong = Auth.create(AK, "wrong-secret");

        QiniuException management = catchThrowableOfType(QiniuException.class,
                () -> new BucketManager(wrong, cfg).stat("auth", "k"));
        QiniuException legacy = catchThrowableOfType(QiniuException.class,
                () -> new BucketManager(Auth.create("unknown-ak", SK), cfg).buckets());
        QiniuException upload = catchThrowableOfType(QiniuException.class,
                () -> uploads.put(new byte[] {1}, "k", wrong.uploadToken("auth", "k")));

        assertThat(management.code()).isEqualTo(401);
        assertThat(management.error()).isEqualTo("bad token");
        assertThat(legacy.code()).isEqualTo(401);
        assertThat(upload.code()).isEqualTo(401);
        assertThat(upload.error()).isEqualTo("bad token");
    }

    @Test
    void legacyQboxSignatureIsCheckedIncludingAChunkedFormBody() throws Exception {
        kodo.createBucket("qbox");
        uploads.put(new byte[] {9, 9}, "k", auth.uploadToken("qbox"));
        String form = "application/x-www-form-urlencoded";
        String statUrl = "http://" + kodo.hostAndPort() + "/stat/" + BucketManager.encodedEntry("qbox", "k");
        String batchUrl = "http://" + kodo.hostAndPort() + "/batch";
        byte[] batchBody = ("op=stat/" + BucketManager.encodedEntry("qbox", "k")).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> stat = http.send(HttpRequest.newBuilder(URI.create(statUrl))
                .header("Authorization", (String) auth.authorization(statUrl, null, form).get("Authorization"))
                .header("Content-Type", form).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> batch = http.send(HttpRequest.newBuilder(URI.create(batchUrl))
                .header("Authorization", (String) auth.authorization(batchUrl, batchBody, form).get("Authorization"))
                .header("Content-Type", form)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(batchBody)))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(batchUrl))
                .header("Authorization", (String) auth.authorization(batchUrl, batchBody, form).get("Authorization"))
                .header("Content-Type", form)
                .POST(HttpRequest.BodyPublishers.ofString("op=delete/" + BucketManager.encodedEntry("qbox", "k")))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(statUrl))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(stat.statusCode()).isEqualTo(200);
        assertThat(stat.body()).contains("\"fsize\":2");
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.body()).startsWith("[{\"code\":200,\"data\":{\"fsize\":2");
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("X-Reqid")).isPresent();
        assertThat(kodo.keys("qbox")).containsExactly("k");
    }

    /** A GET signed by hand with a "Qiniu" token over {@code signedHost}, or a "QBox" token when null. */
    private static HttpResponse<String> signedGet(String path, String signedHost, String secret) throws Exception {
        String form = "application/x-www-form-urlencoded";
        String authorization = signedHost == null
                ? "QBox " + AK + ":" + Codec.sign(secret, (path + "\n").getBytes(StandardCharsets.UTF_8))
                : "Qiniu " + AK + ":" + Codec.sign(secret, ("GET " + path + "\nHost: " + signedHost + "\nContent-Type: "
                        + form + "\nX-Qiniu-Date: 20261203T120000Z\n\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://" + kodo.hostAndPort() + path))
                .header("Authorization", authorization).header("Content-Type", form)
                .header("X-Qiniu-Date", "20261203T120000Z").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getsSignedWithEitherTokenFormAndTheNodeSdksHostAreCheckedToo() throws Exception {
        kodo.createBucket("forms");
        uploads.put(new byte[] {7}, "k", auth.uploadToken("forms"));
        String stat = "/stat/" + BucketManager.encodedEntry("forms", "k");
        String host = kodo.hostAndPort();
        String port = String.valueOf(kodo.port());

        assertThat(signedGet(stat, host, SK).statusCode()).isEqualTo(200);
        // the qiniu Node.js SDK signs url.host + ":" + url.port: the port twice
        assertThat(signedGet(stat, host + ":" + port, SK).statusCode()).isEqualTo(200);
        assertThat(signedGet(stat, null, SK).statusCode()).isEqualTo(200);

        assertThat(signedGet(stat, host + ":1", SK).statusCode()).isEqualTo(401);
        assertThat(signedGet(stat, "127.0.0.2:" + port, SK).statusCode()).isEqualTo(401);
        assertThat(signedGet(stat, host + ":" + port, "wrong-secret").statusCode()).isEqualTo(401);
        assertThat(signedGet(stat, null, "wrong-secret").statusCode()).isEqualTo(401);
    }

    @Test
    void expiredUploadTokenIsRefused() {
        kodo.createBucket("expired-up");
        String expired = auth.uploadTokenWithDeadline("expired-up", "k", System.currentTimeMillis() / 1000 - 60,
                null, true);

        QiniuException e = catchThrowableOfType(QiniuException.class,
                () -> uploads.put(new byte[] {1}, "k", expired));

        assertThat(e.code()).isEqualTo(401);
        assertThat(e.error()).isEqualTo("expired token");
        assertThat(kodo.keys("expired-up")).isEmpty();
    }

    @Test
    void uploadsFollowTheTokenScopeAndInsertOnly() throws Exception {
        kodo.createBucket("scope");
        byte[] first = {1};
        byte[] second = {2};
        uploads.put(first, "k", auth.uploadToken("scope"));

        QiniuException bucketScoped = catchThrowableOfType(QiniuException.class,
                () -> uploads.put(second, "k", auth.uploadToken("scope")));
        Response sameContent = uploads.put(first, "k", auth.uploadToken("scope"));
        QiniuException insertOnly = catchThrowableOfType(QiniuException.class, () -> uploads.put(second, "k",
                auth.uploadToken("scope", "k", 3600, new StringMap().put("insertOnly", 1))));
        QiniuException otherKey = catchThrowableOfType(QiniuException.class,
                () -> uploads.put(second, "other", auth.uploadToken("scope", "k")));
        uploads.put(second, "k", auth.uploadToken("scope", "k"));

        assertThat(bucketScoped.code()).isEqualTo(614);
        assertThat(sameContent.isOK()).isTrue();
        assertThat(insertOnly.code()).isEqualTo(614);
        assertThat(otherKey.code()).isEqualTo(403);
        assertThat(kodo.content("scope", "k")).hasValue(second);
    }

    @Test
    void bucketsCanBeCreatedListedMadePrivateAndDropped() throws Exception {
        buckets.createBucket("made-by-sdk", "z0");
        String[] afterCreate = buckets.buckets();
        QiniuException duplicate = catchThrowableOfType(QiniuException.class,
                () -> buckets.createBucket("made-by-sdk", "z0"));
        buckets.setBucketAcl("made-by-sdk", AclType.PRIVATE);
        boolean privateAfterAcl = buckets.getBucketInfo("made-by-sdk").getPrivate() == 1;
        buckets.deleteBucket("made-by-sdk");
        String[] afterDrop = buckets.buckets();
        QiniuException dropMissing = catchThrowableOfType(QiniuException.class,
                () -> buckets.deleteBucket("made-by-sdk"));
        QiniuException statMissing = catchThrowableOfType(QiniuException.class,
                () -> buckets.stat("made-by-sdk", "k"));

        assertThat(afterCreate).contains("made-by-sdk");
        assertThat(duplicate.code()).isEqualTo(614);
        assertThat(privateAfterAcl).isTrue();
        assertThat(afterDrop).doesNotContain("made-by-sdk");
        assertThat(dropMissing.code()).isEqualTo(631);
        assertThat(statMissing.code()).isEqualTo(631);
    }

    @Test
    void throttlingFaultFailsOnceThenTheRequestSucceeds() throws Exception {
        kodo.createBucket("throttle");
        uploads.put(new byte[] {5}, "k", auth.uploadToken("throttle"));
        FaultRule throttle = kodo.faults().add(FaultRule.builder().method("POST").pathPrefix("/stat/")
                .fault(Fault.throttle()).build());

        QiniuException throttled = catchThrowableOfType(QiniuException.class, () -> buckets.stat("throttle", "k"));
        FileInfo info = buckets.stat("throttle", "k");

        assertThat(throttled.code()).isEqualTo(573);
        assertThat(throttled.error()).isEqualTo("too many requests");
        assertThat(throttled.response.reqId).isNotEmpty();
        assertThat(info.fsize).isEqualTo(1);
        assertThat(throttle.exhausted()).isTrue();
    }

    @Test
    void connectionResetSurfacesAsAnIoFailure() throws Exception {
        kodo.createBucket("reset");
        uploads.put(new byte[] {5}, "k", auth.uploadToken("reset"));
        long before = kodo.faults().faulted();
        kodo.faults().add(FaultRule.builder().pathPrefix("/stat/").times(5).fault(Fault.resetBeforeResponse()).build());

        assertThatThrownBy(() -> buckets.stat("reset", "k")).isInstanceOf(IOException.class);
        long resets = kodo.faults().faulted() - before;
        kodo.faults().clear();
        FileInfo info = buckets.stat("reset", "k");

        assertThat(resets).isPositive();
        assertThat(info.fsize).isEqualTo(1);
    }

    @Test
    void resumableUploadRecoversFromAnInjected503OnAPart(@TempDir Path dir) throws Exception {
        kodo.createBucket("flaky");
        byte[] data = randomBytes(5 * 1024 * 1024, 2);
        Path file = dir.resolve("flaky.bin");
        Files.write(file, data);
        long before = kodo.faults().faulted();
        kodo.faults().add(FaultRule.builder().method("PUT").pathPrefix("/buckets/flaky/").skip(1)
                .fault(Fault.error(503, "service unavailable")).build());

        uploads.put(file.toFile(), "flaky.bin", auth.uploadToken("flaky", "flaky.bin"));

        assertThat(kodo.faults().faulted() - before).isEqualTo(1);
        assertThat(buckets.stat("flaky", "flaky.bin").hash).isEqualTo(Etag.data(data));
    }

    @Test
    void delayFaultHoldsTheAnswerBack() throws Exception {
        kodo.createBucket("slow");
        kodo.faults().add(FaultRule.builder().method("POST").pathPrefix("/buckets")
                .fault(Fault.delay(Duration.ofMillis(300))).build());

        long start = System.nanoTime();
        String[] names = buckets.buckets();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(names).contains("slow");
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
    }

    @Test
    void unknownDomainAndMissingKeyAnswerJsonErrorsWithReqid() throws Exception {
        kodo.createBucket("misc");
        String domain = kodo.bindDefaultDomain("misc");

        HttpResponse<byte[]> missing = get("http://" + domain + "/no/such/key", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Reqid")).isPresent();
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"Document not found\"}");
    }

    private static HttpResponse<byte[]> get(String url, String range) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Response checked(Response response) throws QiniuException {
        if (!response.isOK()) {
            throw new QiniuException(response);
        }
        return response;
    }

    /** 240 keys, some of them where UTF-16 order and UTF-8 byte order disagree. */
    private static List<String> manyKeys() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 230; i++) {
            keys.add("k/" + Integer.toString(i * 7919 % 1000, 36) + "-" + i);
        }
        keys.addAll(List.of("k/\uFF5E", "k/\uD83D\uDE00", "k/\uE000x", "k/\uD800\uDC00", "k/~", "k/ space",
                "k/a%2F", "k/\u00e9", "k/Z", "k/z"));
        return new ArrayList<>(keys);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String md5(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
