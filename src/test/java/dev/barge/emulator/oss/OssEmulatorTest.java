package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.ClientException;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.auth.DefaultCredentialProvider;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.common.utils.CRC64;
import com.aliyun.oss.model.AbortMultipartUploadRequest;
import com.aliyun.oss.model.AppendObjectRequest;
import com.aliyun.oss.model.AppendObjectResult;
import com.aliyun.oss.model.BucketInfo;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.CopyObjectRequest;
import com.aliyun.oss.model.CopyObjectResult;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.aliyun.oss.model.DeleteObjectsResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.ListObjectsV2Request;
import com.aliyun.oss.model.ListObjectsV2Result;
import com.aliyun.oss.model.ListPartsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PartListing;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.SimplifiedObjectMeta;
import com.aliyun.oss.model.StorageClass;
import com.aliyun.oss.model.UploadPartCopyRequest;
import com.aliyun.oss.model.UploadPartRequest;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the emulator with the real aliyun-sdk-oss client over HTTP. */
class OssEmulatorTest {

    private static final String AK = "test-access-key";
    private static final String SK = "test-secret-key";

    private static OssEmulator emulator;
    private static OSS oss;
    private static OSS ossV4;
    private static OSS ossNoRetry;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startEmulator() {
        emulator = OssEmulator.start(AK, SK);
        oss = new OSSClientBuilder().build(emulator.endpoint(), AK, SK, config(3));
        ossNoRetry = new OSSClientBuilder().build(emulator.endpoint(), AK, SK, config(0));
        ClientBuilderConfiguration v4 = config(0);
        v4.setSignatureVersion(SignVersion.V4);
        ossV4 = OSSClientBuilder.create()
                .endpoint(emulator.endpoint())
                .credentialsProvider(new DefaultCredentialProvider(AK, SK))
                .clientConfiguration(v4)
                .region("cn-hangzhou")
                .build();
    }

    @AfterAll
    static void stopEmulator() {
        oss.shutdown();
        ossNoRetry.shutdown();
        ossV4.shutdown();
        emulator.close();
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    private static ClientBuilderConfiguration config(int retries) {
        ClientBuilderConfiguration config = new ClientBuilderConfiguration();
        config.setMaxErrorRetry(retries);
        config.setConnectionTimeout(5_000);
        config.setSocketTimeout(10_000);
        return config;
    }

    private static String newBucket() {
        String bucket = "bucket-" + BUCKETS.incrementAndGet();
        oss.createBucket(bucket);
        return bucket;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void put(String bucket, String key, byte[] data) {
        oss.putObject(bucket, key, new ByteArrayInputStream(data));
    }

    private static byte[] read(OSS client, GetObjectRequest request) throws IOException {
        try (OSSObject object = client.getObject(request); InputStream in = object.getObjectContent()) {
            return in.readAllBytes();
        }
    }

    private static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
    }

    private static long sdkCrc(byte[] data) {
        CRC64 crc = new CRC64();
        crc.update(data, data.length);
        return crc.getValue();
    }

    private static OSSException ossError(Runnable call) {
        try {
            call.run();
        } catch (OSSException e) {
            return e;
        }
        throw new AssertionError("expected an OSSException");
    }

    // ---- objects

    @Test
    void putGetHeadKeepContentTypeAndLowerCaseUserMetadata() throws Exception {
        String bucket = newBucket();
        byte[] data = "hello, emulator".getBytes(UTF_8);
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setContentType("text/plain");
        metadata.addUserMetadata("Color", "blue");
        metadata.addUserMetadata("owner-name", "Alice");
        PutObjectResult put = oss.putObject(bucket, "dir/hello.txt", new ByteArrayInputStream(data), metadata);

        assertThat(put.getETag()).isEqualTo(md5Hex(data));
        assertThat(put.getServerCRC()).isEqualTo(sdkCrc(data)).isEqualTo(put.getClientCRC());

        ObjectMetadata head = oss.getObjectMetadata(bucket, "dir/hello.txt");
        assertThat(head.getUserMetadata()).isEqualTo(Map.of("color", "blue", "owner-name", "Alice"));
        assertThat(head.getContentType()).isEqualTo("text/plain");
        assertThat(head.getContentLength()).isEqualTo(data.length);
        assertThat(head.getETag()).isEqualTo(md5Hex(data));
        assertThat(head.getObjectType()).isEqualTo("Normal");
        assertThat(head.getObjectStorageClass()).isEqualTo(StorageClass.Standard);
        assertThat(head.getServerCRC()).isEqualTo(sdkCrc(data));
        assertThat(head.getLastModified()).isCloseTo(new Date(), 60_000);
        assertThat(head.getRequestId()).hasSize(24);

        try (OSSObject object = ossV4.getObject(bucket, "dir/hello.txt")) {
            assertThat(object.getObjectContent().readAllBytes()).isEqualTo(data);
            assertThat(object.getObjectMetadata().getUserMetadata()).containsEntry("color", "blue");
        }
        SimplifiedObjectMeta meta = oss.getSimplifiedObjectMeta(bucket, "dir/hello.txt");
        assertThat(meta.getSize()).isEqualTo(data.length);
        assertThat(meta.getETag()).isEqualTo(md5Hex(data));
    }

    @Test
    void downloadToFileHasItsCrc64VerifiedBySdk() throws Exception {
        String bucket = newBucket();
        byte[] data = random(300_000, 7);
        put(bucket, "big.bin", data);
        File target = tempDir.resolve("big.bin").toFile();
        ObjectMetadata metadata = oss.getObject(new GetObjectRequest(bucket, "big.bin"), target);
        assertThat(Files.readAllBytes(target.toPath())).isEqualTo(data);
        assertThat(metadata.getServerCRC()).isEqualTo(sdkCrc(data));
        assertThat(Crc64Ecma.of(data)).isEqualTo(sdkCrc(data));
    }

    @Test
    void rangedGetsReturnPartialContent() throws Exception {
        String bucket = newBucket();
        put(bucket, "digits", "0123456789".getBytes(UTF_8));

        GetObjectRequest middle = new GetObjectRequest(bucket, "digits");
        middle.setRange(2, 5);
        try (OSSObject object = oss.getObject(middle)) {
            assertThat(object.getObjectContent().readAllBytes()).asString(UTF_8).isEqualTo("2345");
            assertThat(object.getResponse().getStatusCode()).isEqualTo(206);
            assertThat(object.getResponse().getHeaders()).containsEntry("Content-Range", "bytes 2-5/10");
        }
        GetObjectRequest openEnded = new GetObjectRequest(bucket, "digits");
        openEnded.setRange(7, -1);
        assertThat(read(oss, openEnded)).asString(UTF_8).isEqualTo("789");
        GetObjectRequest suffix = new GetObjectRequest(bucket, "digits");
        suffix.setRange(-1, 3);
        assertThat(read(oss, suffix)).asString(UTF_8).isEqualTo("789");
    }

    @Test
    void unsatisfiableRangesFollowOssDefaultAndStandardBehaviour() throws Exception {
        String bucket = newBucket();
        put(bucket, "digits", "0123456789".getBytes(UTF_8));

        GetObjectRequest pastEnd = new GetObjectRequest(bucket, "digits");
        pastEnd.setRange(20, 30);
        try (OSSObject object = oss.getObject(pastEnd)) {
            assertThat(object.getResponse().getStatusCode()).isEqualTo(200);
            assertThat(object.getObjectContent().readAllBytes()).asString(UTF_8).isEqualTo("0123456789");
        }
        GetObjectRequest endPastEnd = new GetObjectRequest(bucket, "digits");
        endPastEnd.setRange(5, 30);
        assertThat(read(oss, endPastEnd)).asString(UTF_8).isEqualTo("0123456789");

        GetObjectRequest standardCut = new GetObjectRequest(bucket, "digits");
        standardCut.setRange(5, 30);
        standardCut.addHeader("x-oss-range-behavior", "standard");
        assertThat(read(oss, standardCut)).asString(UTF_8).isEqualTo("56789");

        GetObjectRequest standardPastEnd = new GetObjectRequest(bucket, "digits");
        standardPastEnd.setRange(20, 30);
        standardPastEnd.addHeader("x-oss-range-behavior", "standard");
        OSSException error = ossError(() -> oss.getObject(standardPastEnd));
        assertThat(error.getErrorCode()).isEqualTo("InvalidRange");
        assertThat(error.getRawResponseError()).contains("<Code>InvalidRange</Code>");
    }

    @Test
    void wrongContentMd5IsInvalidDigest() {
        String bucket = newBucket();
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setContentMD5(Base64.getEncoder().encodeToString(new byte[16]));
        OSSException error = ossError(() ->
                oss.putObject(bucket, "k", new ByteArrayInputStream("data".getBytes(UTF_8)), metadata));
        assertThat(error.getErrorCode()).isEqualTo("InvalidDigest");
        assertThat(oss.doesObjectExist(bucket, "k")).isFalse();
    }

    @Test
    void missingObjectsAndBucketsAreOssErrors() {
        String bucket = newBucket();
        OSSException noKey = ossError(() -> oss.getObject(bucket, "absent"));
        assertThat(noKey.getErrorCode()).isEqualTo("NoSuchKey");
        assertThat(noKey.getRequestId()).hasSize(24);
        // HEAD has no body: the code travels in x-oss-err
        OSSException headNoKey = ossError(() -> oss.getObjectMetadata(bucket, "absent"));
        assertThat(headNoKey.getErrorCode()).isEqualTo("NoSuchKey");
        OSSException headNoBucket = ossError(() -> oss.getObjectMetadata("no-such-bucket", "k"));
        assertThat(headNoBucket.getErrorCode()).isEqualTo("NoSuchBucket");
        assertThat(oss.doesObjectExist(bucket, "absent")).isFalse();
        assertThat(ossError(() -> oss.listObjects("no-such-bucket")).getErrorCode()).isEqualTo("NoSuchBucket");
        oss.deleteObject(bucket, "absent"); // missing key: success
    }

    // ---- listings

    private static List<String> sortedByUtf8(Set<String> keys) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8)));
        return sorted;
    }

    private static Set<String> manyKeys(String bucket) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < 230; i++) {
            keys.add(String.format("k/%03d", i));
        }
        // UTF-16 order and UTF-8 byte order disagree on these two
        keys.add("k/\uFFFD-replacement");
        keys.add("k/\uD83D\uDE00-emoji");
        keys.add("k/ space and+plus");
        keys.add("other");
        byte[] one = {1};
        keys.forEach(key -> put(bucket, key, one));
        return keys;
    }

    @Test
    void listObjectsV1PagesInUtf8OrderWithoutGapsOrDuplicates() {
        String bucket = newBucket();
        List<String> expected = sortedByUtf8(manyKeys(bucket));
        assertThat(expected.indexOf("k/\uFFFD-replacement")).isLessThan(expected.indexOf("k/\uD83D\uDE00-emoji"));

        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            ObjectListing page = oss.listObjects(new ListObjectsRequest(bucket).withMarker(marker).withMaxKeys(7));
            page.getObjectSummaries().forEach(summary -> seen.add(summary.getKey()));
            assertThat(page.getObjectSummaries()).allSatisfy(summary -> {
                assertThat(summary.getStorageClass()).isEqualTo("Standard");
                assertThat(summary.getType()).isEqualTo("Normal");
                assertThat(summary.getSize()).isEqualTo(1);
            });
            marker = page.isTruncated() ? page.getNextMarker() : null;
            pages++;
        } while (marker != null);
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo((expected.size() + 6) / 7);

        // with encoding-type=url OSS encodes keys and the SDK hands them over encoded
        ObjectListing encoded = oss.listObjects(new ListObjectsRequest(bucket).withPrefix("k/ ").withEncodingType("url"));
        assertThat(encoded.getEncodingType()).isEqualTo("url");
        assertThat(encoded.getObjectSummaries()).extracting(OSSObjectSummary::getKey)
                .containsExactly("k%2F%20space%20and%2Bplus");
        assertThat(java.net.URLDecoder.decode(encoded.getObjectSummaries().get(0).getKey(), UTF_8))
                .isEqualTo("k/ space and+plus");
    }

    @Test
    void listObjectsV2PagesWithContinuationTokensAndStartAfter() {
        String bucket = newBucket();
        List<String> expected = sortedByUtf8(manyKeys(bucket));

        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Result page = oss.listObjectsV2(new ListObjectsV2Request(bucket)
                    .withContinuationToken(token).withMaxKeys(11).withFetchOwner(true));
            page.getObjectSummaries().forEach(summary -> seen.add(summary.getKey()));
            assertThat(page.getKeyCount()).isEqualTo(page.getObjectSummaries().size());
            assertThat(page.getObjectSummaries()).allSatisfy(summary -> assertThat(summary.getOwner()).isNotNull());
            token = page.isTruncated() ? page.getNextContinuationToken() : null;
        } while (token != null);
        assertThat(seen).isEqualTo(expected);

        ListObjectsV2Result afterStart = oss.listObjectsV2(new ListObjectsV2Request(bucket)
                .withStartAfter("k/228").withMaxKeys(1000));
        assertThat(afterStart.getObjectSummaries()).extracting(OSSObjectSummary::getKey)
                .isEqualTo(expected.subList(expected.indexOf("k/228") + 1, expected.size()));
        assertThat(afterStart.getObjectSummaries().get(0).getOwner()).isNull();
    }

    @Test
    void delimiterRollsUpCommonPrefixesAcrossPages() {
        String bucket = newBucket();
        for (String key : List.of("a/1", "a/2", "a/3", "b/1", "c", "d/x/y", "e")) {
            put(bucket, key, new byte[] {1});
        }
        ObjectListing all = oss.listObjects(new ListObjectsRequest(bucket).withDelimiter("/"));
        assertThat(all.getCommonPrefixes()).containsExactly("a/", "b/", "d/");
        assertThat(all.getObjectSummaries()).extracting(OSSObjectSummary::getKey).containsExactly("c", "e");

        List<String> v1Entries = new ArrayList<>();
        String marker = null;
        do {
            ObjectListing page = oss.listObjects(
                    new ListObjectsRequest(bucket).withDelimiter("/").withMarker(marker).withMaxKeys(1));
            v1Entries.addAll(page.getCommonPrefixes());
            page.getObjectSummaries().forEach(summary -> v1Entries.add(summary.getKey()));
            marker = page.isTruncated() ? page.getNextMarker() : null;
        } while (marker != null);
        assertThat(v1Entries).containsExactly("a/", "b/", "c", "d/", "e");

        List<String> v2Entries = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Result page = oss.listObjectsV2(new ListObjectsV2Request(bucket)
                    .withDelimiter("/").withContinuationToken(token).withMaxKeys(2));
            v2Entries.addAll(page.getCommonPrefixes());
            page.getObjectSummaries().forEach(summary -> v2Entries.add(summary.getKey()));
            token = page.isTruncated() ? page.getNextContinuationToken() : null;
        } while (token != null);
        assertThat(v2Entries).containsExactlyInAnyOrder("a/", "b/", "c", "d/", "e").hasSize(5);

        ObjectListing underA = oss.listObjects(new ListObjectsRequest(bucket).withPrefix("a/").withDelimiter("/"));
        assertThat(underA.getObjectSummaries()).extracting(OSSObjectSummary::getKey).containsExactly("a/1", "a/2", "a/3");
        assertThat(underA.getCommonPrefixes()).isEmpty();
    }

    // ---- delete multiple

    @Test
    void deleteMultipleObjectsVerboseAndQuiet() throws Exception {
        String bucket = newBucket();
        for (String key : List.of("one", "two", "three", "four")) {
            put(bucket, key, new byte[] {1});
        }
        DeleteObjectsResult verbose = oss.deleteObjects(
                new DeleteObjectsRequest(bucket).withKeys(List.of("one", "two", "never-existed")).withQuiet(false));
        assertThat(verbose.getDeletedObjects()).containsExactly("one", "two", "never-existed");

        DeleteObjectsResult quiet = oss.deleteObjects(
                new DeleteObjectsRequest(bucket).withKeys(List.of("three")).withQuiet(true));
        assertThat(quiet.getDeletedObjects()).isEmpty();

        assertThat(oss.listObjects(bucket).getObjectSummaries()).extracting(OSSObjectSummary::getKey)
                .containsExactly("four");

        byte[] body = "<Delete><Quiet>true</Quiet><Object><Key>four</Key></Object></Delete>".getBytes(UTF_8);
        HttpResponse<String> noMd5 = signedV1("POST", "/" + bucket + "/?delete", "/" + bucket + "/?delete", body, null);
        assertThat(noMd5.statusCode()).isEqualTo(400);
        assertThat(noMd5.body()).contains("<Code>MissingArgument</Code>");
        String wrongMd5 = Base64.getEncoder().encodeToString(new byte[16]);
        HttpResponse<String> badMd5 = signedV1("POST", "/" + bucket + "/?delete", "/" + bucket + "/?delete", body,
                wrongMd5);
        assertThat(badMd5.body()).contains("<Code>InvalidDigest</Code>");
        assertThat(oss.doesObjectExist(bucket, "four")).isTrue();
    }

    // ---- append

    @Test
    void appendObjectChecksPositionsAndObjectType() {
        String bucket = newBucket();
        AppendObjectResult first = oss.appendObject(new AppendObjectRequest(bucket, "app.log",
                new ByteArrayInputStream("hello".getBytes(UTF_8))).withPosition(0L));
        assertThat(first.getNextPosition()).isEqualTo(5);
        AppendObjectResult second = oss.appendObject(new AppendObjectRequest(bucket, "app.log",
                new ByteArrayInputStream("world".getBytes(UTF_8))).withPosition(5L).withInitCRC(first.getClientCRC()));
        assertThat(second.getNextPosition()).isEqualTo(10);
        assertThat(second.getServerCRC()).isEqualTo(sdkCrc("helloworld".getBytes(UTF_8)));

        ObjectMetadata head = oss.getObjectMetadata(bucket, "app.log");
        assertThat(head.getObjectType()).isEqualTo("Appendable");
        assertThat(head.getContentLength()).isEqualTo(10);

        OSSException wrongPosition = ossError(() -> oss.appendObject(new AppendObjectRequest(bucket, "app.log",
                new ByteArrayInputStream("!".getBytes(UTF_8))).withPosition(3L)));
        assertThat(wrongPosition.getErrorCode()).isEqualTo("PositionNotEqualToLength");

        put(bucket, "normal", "x".getBytes(UTF_8));
        OSSException notAppendable = ossError(() -> oss.appendObject(new AppendObjectRequest(bucket, "normal",
                new ByteArrayInputStream("y".getBytes(UTF_8))).withPosition(1L)));
        assertThat(notAppendable.getErrorCode()).isEqualTo("ObjectNotAppendable");
        assertThat(oss.getObjectMetadata(bucket, "app.log").getContentLength()).isEqualTo(10);
    }

    // ---- copy

    @Test
    void copyObjectKeepsOrReplacesMetadataAndChangesStorageClass() throws Exception {
        String bucket = newBucket();
        String other = newBucket();
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setContentType("image/png");
        metadata.addUserMetadata("origin", "camera");
        byte[] data = random(1000, 3);
        oss.putObject(bucket, "dir/pic 1.png", new ByteArrayInputStream(data), metadata);

        CopyObjectResult kept = oss.copyObject(bucket, "dir/pic 1.png", other, "copy.png");
        assertThat(kept.getETag()).isEqualTo(md5Hex(data));
        ObjectMetadata keptHead = oss.getObjectMetadata(other, "copy.png");
        assertThat(keptHead.getUserMetadata()).isEqualTo(Map.of("origin", "camera"));
        assertThat(keptHead.getContentType()).isEqualTo("image/png");
        assertThat(read(oss, new GetObjectRequest(other, "copy.png"))).isEqualTo(data);

        CopyObjectRequest replace = new CopyObjectRequest(bucket, "dir/pic 1.png", other, "replaced.png");
        ObjectMetadata replacement = new ObjectMetadata();
        replacement.setContentType("application/x-test");
        replacement.addUserMetadata("edited", "yes");
        replace.setNewObjectMetadata(replacement);
        oss.copyObject(replace);
        ObjectMetadata replacedHead = oss.getObjectMetadata(other, "replaced.png");
        assertThat(replacedHead.getUserMetadata()).isEqualTo(Map.of("edited", "yes"));
        assertThat(replacedHead.getContentType()).isEqualTo("application/x-test");

        CopyObjectRequest toIa = new CopyObjectRequest(bucket, "dir/pic 1.png", bucket, "dir/pic 1.png");
        ObjectMetadata ia = new ObjectMetadata();
        ia.setHeader("x-oss-storage-class", StorageClass.IA.toString());
        toIa.setNewObjectMetadata(ia);
        oss.copyObject(toIa);
        assertThat(oss.getObjectMetadata(bucket, "dir/pic 1.png").getObjectStorageClass()).isEqualTo(StorageClass.IA);
        assertThat(read(oss, new GetObjectRequest(bucket, "dir/pic 1.png"))).isEqualTo(data);

        assertThat(ossError(() -> oss.copyObject(bucket, "absent", other, "x")).getErrorCode()).isEqualTo("NoSuchKey");
    }

    // ---- multipart

    @Test
    void multipartUploadWithUploadPartCopyCompletes() throws Exception {
        String bucket = newBucket();
        byte[] source = random(6000, 11);
        put(bucket, "source.bin", source);
        byte[] part1 = random(100 * 1024, 12);

        ObjectMetadata metadata = new ObjectMetadata();
        metadata.addUserMetadata("kind", "multi");
        String uploadId = oss.initiateMultipartUpload(
                new InitiateMultipartUploadRequest(bucket, "mp.bin", metadata)).getUploadId();
        UploadPartRequest upload = new UploadPartRequest(bucket, "mp.bin", uploadId, 1,
                new ByteArrayInputStream(part1), part1.length);
        PartETag first = oss.uploadPart(upload).getPartETag();
        PartETag second = oss.uploadPartCopy(
                new UploadPartCopyRequest(bucket, "source.bin", bucket, "mp.bin", uploadId, 2, 10L, 5000L)).getPartETag();

        PartListing parts = oss.listParts(new ListPartsRequest(bucket, "mp.bin", uploadId));
        assertThat(parts.getParts()).extracting(part -> part.getSize()).containsExactly((long) part1.length, 5000L);
        assertThat(oss.listMultipartUploads(new ListMultipartUploadsRequest(bucket)).getMultipartUploads())
                .extracting(u -> u.getUploadId()).containsExactly(uploadId);

        CompleteMultipartUploadResult done = oss.completeMultipartUpload(
                new CompleteMultipartUploadRequest(bucket, "mp.bin", uploadId, new ArrayList<>(List.of(first, second))));
        assertThat(done.getETag()).matches("[0-9A-F]{32}-2");

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(part1);
        expected.write(source, 10, 5000);
        File file = tempDir.resolve("mp.bin").toFile();
        ObjectMetadata head = oss.getObject(new GetObjectRequest(bucket, "mp.bin"), file); // SDK checks CRC64
        assertThat(Files.readAllBytes(file.toPath())).isEqualTo(expected.toByteArray());
        assertThat(head.getObjectType()).isEqualTo("Multipart");
        assertThat(head.getUserMetadata()).isEqualTo(Map.of("kind", "multi"));
        assertThat(ossError(() -> oss.listParts(new ListPartsRequest(bucket, "mp.bin", uploadId))).getErrorCode())
                .isEqualTo("NoSuchUpload");
    }

    @Test
    void multipartCompletionRefusesSmallPartsWrongEtagsAndDisorder() throws Exception {
        String bucket = newBucket();
        String uploadId = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest(bucket, "k")).getUploadId();
        byte[] small = random(1000, 1);
        PartETag p1 = oss.uploadPart(new UploadPartRequest(bucket, "k", uploadId, 1, new ByteArrayInputStream(small),
                small.length)).getPartETag();
        PartETag p2 = oss.uploadPart(new UploadPartRequest(bucket, "k", uploadId, 2, new ByteArrayInputStream(small),
                small.length)).getPartETag();

        assertThat(ossError(() -> oss.completeMultipartUpload(
                new CompleteMultipartUploadRequest(bucket, "k", uploadId, new ArrayList<>(List.of(p1, p2)))))
                .getErrorCode()).isEqualTo("EntityTooSmall");
        assertThat(ossError(() -> oss.completeMultipartUpload(new CompleteMultipartUploadRequest(bucket, "k", uploadId,
                new ArrayList<>(List.of(new PartETag(1, "0123456789ABCDEF0123456789ABCDEF"))))))
                .getErrorCode()).isEqualTo("InvalidPart");

        // the SDK sorts parts itself; send the XML by hand to see the order check
        String body = "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>\"" + p2.getETag()
                + "\"</ETag></Part><Part><PartNumber>1</PartNumber><ETag>\"" + p1.getETag()
                + "\"</ETag></Part></CompleteMultipartUpload>";
        HttpResponse<String> disorder = signedV1("POST", "/" + bucket + "/k?uploadId=" + uploadId,
                "/" + bucket + "/k?uploadId=" + uploadId, body.getBytes(UTF_8), null);
        assertThat(disorder.statusCode()).isEqualTo(400);
        assertThat(disorder.body()).contains("<Code>InvalidPartOrder</Code>");

        oss.abortMultipartUpload(new AbortMultipartUploadRequest(bucket, "k", uploadId));
        assertThat(ossError(() -> oss.uploadPart(new UploadPartRequest(bucket, "k", uploadId, 3,
                new ByteArrayInputStream(small), small.length))).getErrorCode()).isEqualTo("NoSuchUpload");
    }

    /** Sends a request signed with signature V1 by hand (for what the SDK won't send). */
    private static HttpResponse<String> signedV1(String method, String pathAndQuery, String canonicalResource,
            byte[] body, String contentMd5) throws Exception {
        String date = OssCodecs.formatRfc1123(java.time.Instant.now());
        String stringToSign = method + "\n" + (contentMd5 == null ? "" : contentMd5) + "\n\n" + date + "\n"
                + canonicalResource;
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(SK.getBytes(UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + pathAndQuery))
                .header("Date", date)
                .header("Authorization", "OSS " + AK + ":" + signature)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentMd5 != null) {
            request.header("Content-MD5", contentMd5);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- archive and restore

    @Test
    void archivedObjectNeedsRestoreBeforeItCanBeRead() throws Exception {
        String bucket = newBucket();
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setHeader("x-oss-storage-class", StorageClass.Archive.toString());
        byte[] data = "frozen".getBytes(UTF_8);
        oss.putObject(bucket, "cold.bin", new ByteArrayInputStream(data), metadata);

        assertThat(oss.getObjectMetadata(bucket, "cold.bin").getObjectStorageClass()).isEqualTo(StorageClass.Archive);
        assertThat(oss.listObjects(bucket).getObjectSummaries().get(0).getStorageClass()).isEqualTo("Archive");
        OSSException frozen = ossError(() -> oss.getObject(bucket, "cold.bin"));
        assertThat(frozen.getErrorCode()).isEqualTo("InvalidObjectState");

        assertThat(oss.restoreObject(bucket, "cold.bin").getStatusCode()).isEqualTo(202);
        assertThat(ossError(() -> oss.restoreObject(bucket, "cold.bin")).getErrorCode())
                .isEqualTo("RestoreAlreadyInProgress");
        assertThat(ossError(() -> oss.getObject(bucket, "cold.bin")).getErrorCode()).isEqualTo("InvalidObjectState");

        ObjectMetadata ongoing = oss.getObjectMetadata(bucket, "cold.bin");
        assertThat(ongoing.getObjectRawRestore()).isEqualTo("ongoing-request=\"true\"");
        assertThat(ongoing.isRestoreCompleted()).isFalse();

        ObjectMetadata restored = oss.getObjectMetadata(bucket, "cold.bin");
        assertThat(restored.getObjectRawRestore()).startsWith("ongoing-request=\"false\", expiry-date=\"");
        assertThat(restored.isRestoreCompleted()).isTrue();
        assertThat(read(oss, new GetObjectRequest(bucket, "cold.bin"))).isEqualTo(data);
        assertThat(oss.restoreObject(bucket, "cold.bin").getStatusCode()).isEqualTo(200);

        put(bucket, "warm", data);
        assertThat(ossError(() -> oss.restoreObject(bucket, "warm")).getErrorCode()).isEqualTo("OperationNotSupported");
    }

    @Test
    void completeRestoresFinishesRunningRestores() throws Exception {
        String bucket = newBucket();
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.setHeader("x-oss-storage-class", StorageClass.ColdArchive.toString());
        oss.putObject(bucket, "deep", new ByteArrayInputStream("z".getBytes(UTF_8)), metadata);
        oss.restoreObject(bucket, "deep");
        assertThat(emulator.completeRestores()).isEqualTo(1);
        assertThat(read(oss, new GetObjectRequest(bucket, "deep"))).asString(UTF_8).isEqualTo("z");
    }

    // ---- authentication

    @Test
    void wrongSecretUnknownKeyAndAnonymousRequestsAreRefused() throws Exception {
        String bucket = newBucket();
        put(bucket, "k", "v".getBytes(UTF_8));
        OSS wrongSecret = new OSSClientBuilder().build(emulator.endpoint(), AK, "not-the-secret", config(0));
        OSS unknownKey = new OSSClientBuilder().build(emulator.endpoint(), "nobody", SK, config(0));
        try {
            OSSException mismatch = ossError(() -> wrongSecret.getObject(bucket, "k"));
            assertThat(mismatch.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(mismatch.getRawResponseError()).contains("<StringToSign>GET\n");
            assertThat(ossError(() -> unknownKey.listObjects(bucket)).getErrorCode()).isEqualTo("InvalidAccessKeyId");
        } finally {
            wrongSecret.shutdown();
            unknownKey.shutdown();
        }
        HttpResponse<String> anonymous = HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/" + bucket + "/k")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
        assertThat(anonymous.headers().firstValue("x-oss-request-id")).isPresent();
    }

    /** A V1 request as ali-oss signs it: the time in x-oss-date (no Date header), signed in both places. */
    private static HttpResponse<String> getSignedWithOssDate(String bucket, String keyAndQuery, String resource,
            java.time.Instant time, String secret) throws Exception {
        return signedWithOssDate("GET", bucket, keyAndQuery, resource, time, secret);
    }

    private static HttpResponse<String> signedWithOssDate(String method, String bucket, String keyAndQuery,
            String resource, java.time.Instant time, String secret) throws Exception {
        String date = OssCodecs.formatRfc1123(time);
        String stringToSign = method + "\n\n\n" + date + "\nx-oss-date:" + date + "\n/" + bucket + "/" + resource;
        String signature = OssCodecs.base64(OssCodecs.hmac("HmacSHA1", secret.getBytes(UTF_8), stringToSign));
        return HTTP.send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/" + bucket + "/" + keyAndQuery))
                        .header("x-oss-date", date)
                        .header("Authorization", "OSS " + AK + ":" + signature)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void v1SignaturesWithTheTimeInXOssDateAreCheckedLikeDate() throws Exception {
        String bucket = newBucket();
        put(bucket, "k", "v".getBytes(UTF_8));
        java.time.Instant now = java.time.Instant.now();

        HttpResponse<String> ok = getSignedWithOssDate(bucket, "k", "k", now, SK);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("v");
        // "?objectMeta=" with an empty value is signed as the bare sub-resource, as ali-oss does
        HttpResponse<String> meta = signedWithOssDate("HEAD", bucket, "k?objectMeta=", "k?objectMeta", now, SK);
        assertThat(meta.statusCode()).isEqualTo(200);
        assertThat(meta.headers().firstValue("Content-Length")).hasValue("1");
        HttpResponse<String> metaAsSignedWithEquals =
                signedWithOssDate("HEAD", bucket, "k?objectMeta=", "k?objectMeta=", now, SK);
        assertThat(metaAsSignedWithEquals.statusCode()).isEqualTo(403);

        HttpResponse<String> wrongSecret = getSignedWithOssDate(bucket, "k", "k", now, "not-the-secret");
        assertThat(wrongSecret.statusCode()).isEqualTo(403);
        assertThat(wrongSecret.body()).contains("<Code>SignatureDoesNotMatch</Code>")
                .contains("<StringToSign>GET\n\n\n" + OssCodecs.formatRfc1123(now) + "\nx-oss-date:");
        HttpResponse<String> otherResource = getSignedWithOssDate(bucket, "k?acl", "k", now, SK);
        assertThat(otherResource.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        HttpResponse<String> stale = getSignedWithOssDate(bucket, "k", "k", now.minus(Duration.ofMinutes(20)), SK);
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(stale.body()).contains("<Code>RequestTimeTooSkewed</Code>");

        // a fresh Date does not rescue a stale x-oss-date: x-oss-date is the request time when both are sent
        String staleDate = OssCodecs.formatRfc1123(now.minus(Duration.ofMinutes(20)));
        String signature = OssCodecs.base64(OssCodecs.hmac("HmacSHA1", SK.getBytes(UTF_8),
                "GET\n\n\n" + staleDate + "\nx-oss-date:" + staleDate + "\n/" + bucket + "/k"));
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /" + bucket + "/k HTTP/1.1\r\nHost: 127.0.0.1:" + emulator.port() + "\r\nDate: "
                    + OssCodecs.formatRfc1123(now) + "\r\nx-oss-date: " + staleDate + "\r\nAuthorization: OSS " + AK
                    + ":" + signature + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8)).startsWith("HTTP/1.1 403")
                    .contains("<Code>RequestTimeTooSkewed</Code>");
        }
    }

    @Test
    void ossDomainHostHeaderAddressesTheBucketAsAliOssSendsIt() throws Exception {
        String bucket = newBucket();
        put(bucket, "vh.txt", "virtual".getBytes(UTF_8));
        URL signed = oss.generatePresignedUrl(bucket, "vh.txt", new Date(System.currentTimeMillis() + 600_000));
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /vh.txt?" + signed.getQuery() + " HTTP/1.1\r\nHost: " + bucket
                    + ".oss-cn-hangzhou.aliyuncs.com\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nvirtual");
        }
    }

    @Test
    void presignedUrlsWorkUntilTheyExpire() throws Exception {
        String bucket = newBucket();
        put(bucket, "dir/shared file.txt", "shared".getBytes(UTF_8));

        URL valid = oss.generatePresignedUrl(bucket, "dir/shared file.txt", new Date(System.currentTimeMillis() + 600_000));
        HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(valid.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("shared");

        URL v4 = ossV4.generatePresignedUrl(bucket, "dir/shared file.txt", new Date(System.currentTimeMillis() + 600_000));
        assertThat(v4.getQuery()).contains("x-oss-signature-version=OSS4-HMAC-SHA256");
        HttpResponse<String> okV4 = HTTP.send(HttpRequest.newBuilder(v4.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(okV4.statusCode()).isEqualTo(200);
        assertThat(okV4.body()).isEqualTo("shared");

        URL expired = oss.generatePresignedUrl(bucket, "dir/shared file.txt", new Date(System.currentTimeMillis() - 60_000));
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(expired.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired.");

        URI tampered = URI.create(valid.toString().replace("shared%20file", "other%20file"));
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(tampered).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void signatureV4ClientWorksForWritesListingsAndMultipart() throws Exception {
        String bucket = "v4-" + BUCKETS.incrementAndGet();
        ossV4.createBucket(bucket);
        ObjectMetadata metadata = new ObjectMetadata();
        metadata.addUserMetadata("signed-by", "v4");
        ossV4.putObject(bucket, "a b/ü.txt", new ByteArrayInputStream("v4".getBytes(UTF_8)), metadata);
        assertThat(ossV4.listObjectsV2(bucket).getObjectSummaries()).extracting(OSSObjectSummary::getKey)
                .containsExactly("a b/ü.txt");
        assertThat(ossV4.getObjectMetadata(bucket, "a b/ü.txt").getUserMetadata()).containsEntry("signed-by", "v4");
        ossV4.deleteObjects(new DeleteObjectsRequest(bucket).withKeys(List.of("a b/ü.txt")));
        String uploadId = ossV4.initiateMultipartUpload(new InitiateMultipartUploadRequest(bucket, "m")).getUploadId();
        PartETag part = ossV4.uploadPart(new UploadPartRequest(bucket, "m", uploadId, 1,
                new ByteArrayInputStream("one".getBytes(UTF_8)), 3)).getPartETag();
        ossV4.completeMultipartUpload(new CompleteMultipartUploadRequest(bucket, "m", uploadId, new ArrayList<>(List.of(part))));
        assertThat(read(ossV4, new GetObjectRequest(bucket, "m"))).asString(UTF_8).isEqualTo("one");
    }

    @Test
    void virtualHostStyleAddressesTheBucketThroughTheHostHeader() throws Exception {
        String bucket = newBucket();
        put(bucket, "vh.txt", "virtual".getBytes(UTF_8));
        URL signed = oss.generatePresignedUrl(bucket, "vh.txt", new Date(System.currentTimeMillis() + 600_000));
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /vh.txt?" + signed.getQuery() + " HTTP/1.1\r\nHost: " + bucket + ".127.0.0.1:"
                    + emulator.port() + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nvirtual").contains("x-oss-request-id: ");
        }
    }

    // ---- buckets

    @Test
    void bucketOperations() throws Exception {
        String bucket = "bucket-ops-" + BUCKETS.incrementAndGet();
        oss.createBucket(bucket);
        assertThat(ossError(() -> oss.createBucket(bucket)).getErrorCode()).isEqualTo("BucketAlreadyExists");
        assertThat(oss.doesBucketExist(bucket)).isTrue();
        assertThat(oss.listBuckets()).extracting(b -> b.getName()).contains(bucket);
        BucketInfo info = oss.getBucketInfo(bucket);
        assertThat(info.getBucket().getName()).isEqualTo(bucket);
        assertThat(info.getBucket().getStorageClass()).isEqualTo(StorageClass.Standard);
        assertThat(oss.getBucketLocation(bucket)).isEqualTo("oss-cn-hangzhou");
        // the SDK checks names itself; send the request by hand to see the emulator's check
        HttpResponse<String> badName = signedV1("PUT", "/Bad_Name/", "/Bad_Name/", new byte[0], null);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("<Code>InvalidBucketName</Code>");

        put(bucket, "keep", new byte[] {1});
        assertThat(ossError(() -> oss.deleteBucket(bucket)).getErrorCode()).isEqualTo("BucketNotEmpty");
        oss.deleteObject(bucket, "keep");
        oss.deleteBucket(bucket);
        assertThat(oss.doesBucketExist(bucket)).isFalse();
        assertThat(ossError(() -> oss.getBucketInfo(bucket)).getErrorCode()).isEqualTo("NoSuchBucket");
    }

    // ---- faults

    @Test
    void injectedServerBusyIsRetriedBySdkAndSeenWithoutRetries() {
        String bucket = newBucket();
        emulator.clearJournal();
        FaultRule busy = emulator.faults().add(FaultRule.builder().method("PUT").keyPrefix("retry/")
                .fault(Fault.error(503, "ServerBusy")).build());
        put(bucket, "retry/ok", "x".getBytes(UTF_8));
        assertThat(busy.fired()).isEqualTo(1);
        assertThat(emulator.journal()).extracting(OssExchange::status).containsExactly(503, 200);
        assertThat(emulator.journal().get(0).errorCode()).isEqualTo("ServerBusy");

        emulator.faults().next(1, Fault.error(500, "InternalError"));
        OSSException error = ossError(() -> ossNoRetry.getObject(bucket, "retry/ok"));
        assertThat(error.getErrorCode()).isEqualTo("InternalError");
        assertThat(ossNoRetry.doesObjectExist(bucket, "retry/ok")).isTrue();
    }

    @Test
    void connectionResetAndTruncatedBodyAreClientFailures() throws Exception {
        String bucket = newBucket();
        byte[] data = random(64 * 1024, 5);
        put(bucket, "blob", data);

        emulator.faults().next(1, Fault.resetBeforeResponse());
        assertThatThrownBy(() -> ossNoRetry.getObjectMetadata(bucket, "blob")).isInstanceOf(ClientException.class)
                .isNotInstanceOf(OSSException.class);
        assertThat(ossNoRetry.getObjectMetadata(bucket, "blob").getContentLength()).isEqualTo(data.length);

        emulator.faults().add(FaultRule.builder().method("GET").fault(Fault.truncatedBody()).build());
        assertThatThrownBy(() -> read(ossNoRetry, new GetObjectRequest(bucket, "blob")))
                .isInstanceOfAny(IOException.class, ClientException.class);
        assertThat(read(ossNoRetry, new GetObjectRequest(bucket, "blob"))).isEqualTo(data);
    }

    @Test
    void delayFaultSlowsTheNthMatchingRequest() {
        String bucket = newBucket();
        put(bucket, "slow", new byte[] {1});
        FaultRule slow = emulator.faults().add(FaultRule.builder().method("HEAD").skip(1)
                .fault(Fault.delay(Duration.ofMillis(300))).build());
        oss.getObjectMetadata(bucket, "slow");
        assertThat(slow.fired()).isZero();
        long start = System.nanoTime();
        oss.getObjectMetadata(bucket, "slow");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(slow.fired()).isEqualTo(1);
        assertThat(slow.exhausted()).isTrue();
        assertThat(millis).isGreaterThanOrEqualTo(300);
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        String bucket = newBucket();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        put(bucket, "t" + thread + "/" + i, ("v" + i).getBytes(UTF_8));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        ListObjectsV2Result listing = oss.listObjectsV2(new ListObjectsV2Request(bucket).withMaxKeys(1000));
        assertThat(listing.getKeyCount()).isEqualTo(160);
        TreeMap<String, Integer> perThread = new TreeMap<>();
        listing.getObjectSummaries().forEach(s -> perThread.merge(s.getKey().substring(0, 2), 1, Integer::sum));
        assertThat(perThread.values()).containsOnly(20);
    }
}
