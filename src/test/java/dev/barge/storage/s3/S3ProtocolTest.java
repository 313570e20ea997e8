package dev.barge.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.ByteRange;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.MultipartUpload;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.DeleteResult;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import dev.barge.storage.layer.RetrySettings;
import dev.barge.storage.layer.StoreLayers;
import dev.barge.storage.s3.S3StubServer.Request;
import dev.barge.storage.s3.S3StubServer.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What S3Proxy cannot show: archives, restores, throttling, storage class changes, per-key batch
 * delete failures, dropped connections. A local server answers with the status codes, headers and
 * XML bodies of the S3 API reference, the real SDK parses them, and the tests check what the driver
 * makes of them, and what it sent. The SDK is set to send each request once: every test counts the
 * requests the server saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class S3ProtocolTest {
    private static final String LAST_MODIFIED = "Wed, 12 Oct 2022 17:50:00 GMT";
    private static final String ETAG = "\"9b2cf535f27731c974343645a3985328\"";

    private S3StubServer server;
    private ObjectStore store;

    @BeforeAll
    void start() throws IOException {
        server = S3StubServer.start();
        store = new S3StoreProvider().open(server.remote("stub"));
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    // ---- throttling and retries -----------------------------------------------------------

    @Test
    void slowDownIsThrottledRetryableAndSentOnce() {
        server.enqueue(slowDown("REQ-SLOW-1"));

        StorageException e = assertKind(() -> store.get("bucket", "key"), ErrorKind.THROTTLED);

        assertThat(e.isRetryable()).isTrue();
        assertThat(e.vendorCode()).isEqualTo("SlowDown");
        assertThat(e.requestId()).isEqualTo("REQ-SLOW-1");
        assertThat(e.getMessage()).contains("get").contains("bucket/key").contains("503");
        assertThat(server.requests()).as("the SDK does not retry").hasSize(1);
    }

    @Test
    void theRetryLayerRetriesSlowDownAndTheSdkDoesNot() throws IOException {
        server.enqueue(slowDown("REQ-1"), slowDown("REQ-2"), object("hello".getBytes(StandardCharsets.UTF_8)));
        ObjectStore retrying = StoreLayers.builder("s3").retry(fastRetries(5)).build().wrap(store);

        try (ObjectContent content = retrying.get("bucket", "key")) {
            assertThat(new String(content.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(server.requests()).as("two refusals and a success, each sent once").hasSize(3)
                .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
    }

    @Test
    void theRetryLayerGivesUpAfterItsAttemptsAndSaysSo() {
        server.enqueue(slowDown("REQ-1"), slowDown("REQ-2"), slowDown("REQ-3"), object(new byte[1]));
        ObjectStore retrying = StoreLayers.builder("s3").retry(fastRetries(3)).build().wrap(store);

        StorageException e = assertKind(() -> retrying.stat("bucket", "key"), ErrorKind.THROTTLED);

        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.isRetryable()).as("spent: not to be retried again higher up").isFalse();
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreTransient() {
        server.enqueue(Response.error(500, "InternalError", "We encountered an internal error. Please try again.",
                "REQ-500"), Response.of(502), Response.of(504), Response.RESET);

        assertThat(assertKind(() -> store.get("bucket", "key"), ErrorKind.TRANSIENT).vendorCode()).isEqualTo("InternalError");
        assertKind(() -> store.get("bucket", "key"), ErrorKind.TRANSIENT);
        assertKind(() -> store.get("bucket", "key"), ErrorKind.TRANSIENT);
        StorageException reset = assertKind(() -> store.get("bucket", "key"), ErrorKind.TRANSIENT);
        assertThat(reset.isRetryable()).isTrue();
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void aDownloadMayOutlastTheRequestTimeoutButNotStallLongerThanIt() throws IOException {
        byte[] data = new byte[4000];
        new java.util.Random(4).nextBytes(data);
        server.enqueue(object(data).trickled(5, Duration.ofMillis(350)), object(data).trickled(2, Duration.ofMillis(3000)));

        try (ObjectStore timed = new S3StoreProvider().open(server.remote("timed", Duration.ofMillis(1000)))) {
            try (ObjectContent content = timed.get("bucket", "slow")) {
                assertThat(content.body().readAllBytes()).as("1.4 s in all, never 1 s without a byte").isEqualTo(data);
            }
            try (ObjectContent content = timed.get("bucket", "stalled")) {
                IOException e = catchThrowableOfType(IOException.class, () -> content.body().readAllBytes());
                assertThat(e).isNotNull();
                assertThat(e.getCause()).isInstanceOfSatisfying(StorageException.class, cause -> {
                    assertThat(cause.kind()).isEqualTo(ErrorKind.TRANSIENT);
                    assertThat(cause.getMessage()).contains("bucket/stalled");
                });
            }
        }
    }

    // ---- archives and restores ------------------------------------------------------------

    @Test
    void getOfAnArchivedObjectIsArchived() {
        server.enqueue(Response.error(403, "InvalidObjectState", "The operation is not valid for the object's storage class",
                "REQ-ARCH"));

        StorageException e = assertKind(() -> store.get("bucket", "cold/object"), ErrorKind.ARCHIVED);

        assertThat(e.vendorCode()).isEqualTo("InvalidObjectState");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("restore");
    }

    @Test
    void statReadsStorageClassAndRestoreState() {
        server.enqueue(
                head(10).with("x-amz-storage-class", "GLACIER"),
                head(10).with("x-amz-storage-class", "DEEP_ARCHIVE").with("x-amz-restore", "ongoing-request=\"true\""),
                head(10).with("x-amz-storage-class", "GLACIER")
                        .with("x-amz-restore", "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\""),
                head(10).with("x-amz-storage-class", "GLACIER_IR"));

        ObjectInfo archived = store.stat("bucket", "a");
        assertThat(archived.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.ARCHIVE, "GLACIER"));
        assertThat(archived.restore()).isEqualTo(RestoreStatus.NONE);
        assertThat(archived.isReadable()).isFalse();

        ObjectInfo restoring = store.stat("bucket", "b");
        assertThat(restoring.storageClass().family()).isEqualTo(StorageClass.Family.DEEP_ARCHIVE);
        assertThat(restoring.restore()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(restoring.isReadable()).isFalse();

        ObjectInfo restored = store.stat("bucket", "c");
        assertThat(restored.restore())
                .isEqualTo(RestoreStatus.restoredUntil(Instant.parse("2012-12-21T00:00:00Z")));
        assertThat(restored.isReadable()).isTrue();

        ObjectInfo instant = store.stat("bucket", "d");
        assertThat(instant.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT, "GLACIER_IR"));
        assertThat(instant.isReadable()).isTrue();
        assertThat(server.requests()).extracting(Request::method).containsOnly("HEAD");
    }

    @Test
    void restoreSendsDaysAndTierAndTakesAcceptedAlreadyRestoredAndInProgressAsSuccess() {
        server.enqueue(Response.of(202), Response.of(200),
                Response.error(409, "RestoreAlreadyInProgress", "Object restore is already in progress", "REQ-409"));

        store.restore("bucket", "cold/object", new RestoreRequest(7, RestoreRequest.Tier.BULK));
        store.restore("bucket", "cold/object", new RestoreRequest(7, RestoreRequest.Tier.STANDARD));
        store.restore("bucket", "cold/object", new RestoreRequest(1, RestoreRequest.Tier.EXPEDITED));

        List<Request> requests = server.requests();
        assertThat(requests).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/bucket/cold/object");
            assertThat(r.query()).startsWith("restore");
        });
        assertThat(requests.get(0).bodyText()).contains("<Days>7</Days>").contains("<Tier>Bulk</Tier>");
        assertThat(requests.get(1).bodyText()).contains("<Tier>Standard</Tier>");
        assertThat(requests.get(2).bodyText()).contains("<Days>1</Days>").contains("<Tier>Expedited</Tier>");
    }

    @Test
    void restoreOfAnObjectThatIsNotArchivedIsInvalidAndOfAMissingOneNotFound() {
        server.enqueue(
                Response.error(403, "InvalidObjectState", "Restore is not allowed for the object's current storage class",
                        "REQ-1"),
                Response.error(404, "NoSuchKey", "The specified key does not exist.", "REQ-2"));

        StorageException notArchived = assertKind(() -> store.restore("bucket", "hot",
                new RestoreRequest(1, RestoreRequest.Tier.STANDARD)), ErrorKind.INVALID_ARGUMENT);
        assertThat(notArchived.vendorCode()).isEqualTo("InvalidObjectState");
        assertKind(() -> store.restore("bucket", "gone", new RestoreRequest(1, RestoreRequest.Tier.STANDARD)),
                ErrorKind.NOT_FOUND);
    }

    // ---- storage classes ------------------------------------------------------------------

    @Test
    void setStorageClassCopiesTheObjectOntoItselfKeepingItsHeaders() {
        server.enqueue(
                head(1).with("Content-Type", "text/plain").with("Cache-Control", "max-age=60")
                        .with("x-amz-meta-kept", "yes"),
                Response.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult>"
                        + "<LastModified>2022-10-12T17:50:30.000Z</LastModified><ETag>" + ETAG.replace("\"", "&quot;")
                        + "</ETag></CopyObjectResult>"),
                head(1).with("x-amz-storage-class", "GLACIER"));

        store.setStorageClass("bucket", "dir/moved file", StorageClass.of(StorageClass.Family.ARCHIVE));

        Request copy = server.requests().get(1);
        assertThat(copy.method()).isEqualTo("PUT");
        assertThat(copy.path()).isEqualTo("/bucket/dir/moved%20file");
        assertThat(copy.header("x-amz-copy-source")).isEqualTo("bucket/dir/moved%20file");
        assertThat(copy.header("x-amz-storage-class")).isEqualTo("GLACIER");
        assertThat(copy.header("x-amz-metadata-directive")).isEqualTo("REPLACE");
        assertThat(copy.header("content-type")).isEqualTo("text/plain");
        assertThat(copy.header("cache-control")).isEqualTo("max-age=60");
        assertThat(copy.header("x-amz-meta-kept")).isEqualTo("yes");
        assertThat(store.stat("bucket", "dir/moved file").storageClass().family()).isEqualTo(StorageClass.Family.ARCHIVE);

        server.reset();
        server.enqueue(head(1).with("x-amz-storage-class", "DEEP_ARCHIVE"));
        store.setStorageClass("bucket", "k", new StorageClass(StorageClass.Family.DEEP_ARCHIVE, "DEEP_ARCHIVE"));
        assertThat(server.requests()).as("already in that class: no copy").hasSize(1);

        assertKind(() -> store.setStorageClass("bucket", "k", StorageClass.of(StorageClass.Family.COLD_ARCHIVE)),
                ErrorKind.UNSUPPORTED);
        assertThat(server.requests()).as("refused before sending").hasSize(1);
    }

    // ---- multipart copy -------------------------------------------------------------------

    @Test
    void aLargeCopyGoesInPartsPinnedToTheSourceEtagAndCompletesInOrder() {
        long size = 12L << 20; // parts of 5 MiB: 5, 5 and 2
        server.enqueue(head(size).with("Content-Type", "video/mp4").with("x-amz-meta-origin", "camera"),
                initiated("UPLOAD-1"));
        for (int i = 0; i < 3; i++) {
            server.enqueue(S3ProtocolTest::partCopied);
        }
        server.enqueue(Response.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult>"
                + "<Bucket>dst</Bucket><Key>copy.mp4</Key><ETag>&quot;3858f62230ac3c915f300c664312c11f-3&quot;</ETag>"
                + "</CompleteMultipartUploadResult>"));

        WriteResult result;
        try (ObjectStore copier = smallCopies()) {
            result = copier.copy(CopyRequest.of("src", "video.mp4", "dst", "copy.mp4")
                    .withStorageClass(StorageClass.of(StorageClass.Family.INFREQUENT)));
        }

        assertThat(result.etag()).isEqualTo("3858f62230ac3c915f300c664312c11f-3");
        assertThat(result.checksums()).as("a multipart etag is no MD5").isEmpty();
        List<Request> requests = server.requests();
        assertThat(requests).hasSize(6);
        Request initiate = requests.get(1);
        assertThat(initiate.method() + " " + initiate.path() + "?" + initiate.query()).isEqualTo("POST /dst/copy.mp4?uploads");
        assertThat(initiate.header("x-amz-storage-class")).isEqualTo("STANDARD_IA");
        assertThat(initiate.header("content-type")).isEqualTo("video/mp4");
        assertThat(initiate.header("x-amz-meta-origin")).isEqualTo("camera");
        Map<String, String> ranges = new java.util.TreeMap<>();
        for (Request part : requests.subList(2, 5)) {
            assertThat(part.method()).isEqualTo("PUT");
            assertThat(part.query()).contains("uploadId=UPLOAD-1");
            assertThat(part.header("x-amz-copy-source")).isEqualTo("src/video.mp4");
            assertThat(part.header("x-amz-copy-source-if-match")).isEqualTo(ETAG);
            ranges.put(partNumber(part), part.header("x-amz-copy-source-range"));
        }
        assertThat(ranges).containsExactly(Map.entry("1", "bytes=0-5242879"), Map.entry("2", "bytes=5242880-10485759"),
                Map.entry("3", "bytes=10485760-12582911"));
        String complete = requests.get(5).bodyText();
        assertThat(requests.get(5).query()).isEqualTo("uploadId=UPLOAD-1");
        assertThat(complete.indexOf("etag-1")).isPositive().isLessThan(complete.indexOf("etag-2"));
        assertThat(complete.indexOf("etag-2")).isLessThan(complete.indexOf("etag-3"));
    }

    @Test
    void aPartThatFailsAbortsTheCopy() {
        server.enqueue(head(12L << 20), initiated("UPLOAD-2"));
        for (int i = 0; i < 4; i++) {
            server.enqueue(request -> request.method().equals("DELETE") ? Response.of(204)
                    : partNumber(request).equals("2")
                            ? Response.error(412, "PreconditionFailed", "At least one of the pre-conditions you "
                                    + "specified did not hold", "REQ-412")
                            : partCopied(request));
        }

        StorageException e;
        try (ObjectStore copier = smallCopies()) {
            e = assertKind(() -> copier.copy(CopyRequest.of("src", "video.mp4", "dst", "copy.mp4")),
                    ErrorKind.PRECONDITION_FAILED);
        }

        assertThat(e.vendorCode()).isEqualTo("PreconditionFailed");
        Request last = server.requests().get(server.requests().size() - 1);
        assertThat(last.method() + " " + last.query()).isEqualTo("DELETE uploadId=UPLOAD-2");
        assertThat(server.requests()).noneMatch(r -> r.method().equals("POST") && "uploadId=UPLOAD-2".equals(r.query()));
    }

    // ---- missing objects and buckets, ranges ---------------------------------------------

    @Test
    void aHeadThat404sAsksTheBucketToTellAMissingKeyFromAMissingBucket() {
        server.enqueue(Response.of(404), Response.of(200), Response.of(404), Response.of(404));

        assertKind(() -> store.stat("bucket", "missing"), ErrorKind.NOT_FOUND);
        assertKind(() -> store.stat("no-bucket", "missing"), ErrorKind.BUCKET_NOT_FOUND);

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("HEAD /bucket/missing", "HEAD /bucket", "HEAD /no-bucket/missing", "HEAD /no-bucket");
    }

    @Test
    void anUnsatisfiableRangeIsInvalidButASuffixOfAnEmptyObjectIsEmpty() throws IOException {
        server.enqueue(Response.error(416, "InvalidRange", "The requested range is not satisfiable", "REQ-416"));
        StorageException e = assertKind(() -> store.get("bucket", "short", ByteRange.from(10)), ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("bytes=10-");
        assertThat(server.requests().get(0).header("range")).isEqualTo("bytes=10-");

        server.reset();
        server.enqueue(Response.error(416, "InvalidRange", "The requested range is not satisfiable", "REQ-416"),
                head(0), object(new byte[0]));
        try (ObjectContent content = store.get("bucket", "empty", ByteRange.suffix(10))) {
            assertThat(content.length()).isZero();
            assertThat(content.body().readAllBytes()).isEmpty();
        }
    }

    @Test
    void aRangeTheServerIgnoresIsCutOutOfTheWholeObject() throws IOException {
        byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
        server.enqueue(object(data));

        try (ObjectContent content = store.get("bucket", "k", ByteRange.of(2, 4))) {
            assertThat(content.offset()).isEqualTo(2);
            assertThat(content.length()).isEqualTo(3);
            assertThat(content.info().size()).isEqualTo(10);
            assertThat(new String(content.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("234");
        }
    }

    // ---- batch delete ---------------------------------------------------------------------

    @Test
    void batchDeleteReportsPerKeyFailuresAndSendsContentMd5() {
        server.enqueue(Response.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Error><Key>locked</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                + "<Error><Key>busy</Key><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"
                + "</DeleteResult>").with("x-amz-request-id", "REQ-DEL"));

        DeleteResult result = store.deleteAll("bucket", List.of("gone", "locked", "busy", "never-existed"));

        assertThat(result.deleted()).containsExactly("gone", "never-existed");
        assertThat(result.failed()).containsOnlyKeys("locked", "busy");
        assertThat(result.failed().get("locked").kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
        assertThat(result.failed().get("locked").vendorCode()).isEqualTo("AccessDenied");
        assertThat(result.failed().get("busy").kind()).isEqualTo(ErrorKind.TRANSIENT);
        Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).startsWith("delete");
        assertThat(request.header("content-md5")).as("S3-compatible stores require Content-MD5 here").isNotBlank();
        assertThat(request.bodyText()).contains("<Quiet>true</Quiet>").contains("<Key>locked</Key>");
    }

    // ---- what goes over the wire ----------------------------------------------------------

    @Test
    void putsSendContentMd5AndNoFlexibleChecksums() {
        byte[] data = "checked bytes".getBytes(StandardCharsets.UTF_8);
        String md5 = md5Hex(data);
        server.enqueue(Response.of(200).with("ETag", "\"" + md5 + "\""), Response.of(200).with("ETag", "\"" + md5 + "\""));

        store.put(PutRequest.builder("bucket", "known").expectedChecksums(List.of(Checksum.md5Hex(md5))).build(),
                Payload.ofBytes(data));
        var written = store.put(PutRequest.builder("bucket", "streamed").build(),
                Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH));

        assertThat(written.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5));
        assertThat(server.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.header("content-md5")).isEqualTo(java.util.Base64.getEncoder()
                    .encodeToString(java.util.HexFormat.of().parseHex(md5)));
            assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("x-amz-checksum-"))
                    .doesNotContain("x-amz-trailer", "x-amz-sdk-checksum-algorithm");
        });
    }

    @Test
    void bodiesGoUnsignedOverHttpUnlessSignPayloadIsSet() throws Exception {
        byte[] data = "signed or not".getBytes(StandardCharsets.UTF_8);
        String md5 = md5Hex(data);
        Response ok = Response.of(200).with("ETag", "\"" + md5 + "\"");
        server.enqueue(ok, ok, ok);
        PutRequest withMd5 = PutRequest.builder("bucket", "k").expectedChecksums(List.of(Checksum.md5Hex(md5))).build();

        store.put(withMd5, Payload.ofBytes(data));
        store.put(PutRequest.builder("bucket", "no-md5").build(), Payload.ofBytes(data));
        try (ObjectStore signing = new S3StoreProvider().open(server.remote("signing", Duration.ofSeconds(10),
                Map.of("sign-payload", "true")))) {
            signing.put(withMd5, Payload.ofBytes(data));
        }

        List<Request> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).header("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(requests.get(0).header("authorization")).as("the signature covers the Content-MD5")
                .contains("content-md5");
        assertThat(requests.get(1).header("content-md5")).isNull();
        assertThat(requests.get(1).header("x-amz-content-sha256")).as("a body without Content-MD5 stays signed")
                .isNotEqualTo("UNSIGNED-PAYLOAD");
        assertThat(requests.get(2).header("x-amz-content-sha256")).isNotEqualTo("UNSIGNED-PAYLOAD");
    }

    @Test
    void aPartInMemoryCarriesItsMd5AndGoesUnsignedAndAStreamedPartStaysSigned() {
        byte[] data = "one part of many".getBytes(StandardCharsets.UTF_8);
        String md5 = md5Hex(data);
        Response ok = Response.of(200).with("ETag", "\"" + md5 + "\"");
        server.enqueue(ok, ok);
        MultipartUpload upload = new MultipartUpload("bucket", "big", "upload-1");

        CompletedPart inMemory = store.uploadPart(upload, 1, Payload.ofBytes(data));
        store.uploadPart(upload, 2, Payload.ofStream(new ByteArrayInputStream(data), data.length));

        assertThat(inMemory.etag()).isEqualTo(md5);
        List<Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).header("content-md5")).as("the store checks the part")
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(md5)));
        assertThat(requests.get(0).header("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(requests.get(1).header("content-md5")).as("a one-shot stream cannot be hashed before it is sent")
                .isNull();
        assertThat(requests.get(1).header("x-amz-content-sha256")).isNotEqualTo("UNSIGNED-PAYLOAD");
    }

    @Test
    void badCredentialsAreInvalidCredentialsAndTheSecretIsNeverShown() {
        server.enqueue(
                Response.error(403, "InvalidAccessKeyId", "The AWS access key Id you provided does not exist in our records.",
                        "REQ-1"),
                Response.error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                        + "signature you provided. Check your key and signing method.", "REQ-2"),
                Response.error(403, "AccessDenied", "Access Denied", "REQ-3"));

        StorageException unknownKey = assertKind(() -> store.list(ListRequest.of("bucket", "")), ErrorKind.INVALID_CREDENTIALS);
        StorageException wrongSecret = assertKind(() -> store.list(ListRequest.of("bucket", "")), ErrorKind.INVALID_CREDENTIALS);
        assertKind(() -> store.list(ListRequest.of("bucket", "")), ErrorKind.ACCESS_DENIED);

        for (StorageException e : List.of(unknownKey, wrongSecret)) {
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains("secret-access-key").doesNotContain(S3StubServer.SECRET_KEY);
        }
        assertThat(server.requests().get(0).header("authorization"))
                .contains(S3StubServer.ACCESS_KEY).doesNotContain(S3StubServer.SECRET_KEY);
    }

    // ---- helpers --------------------------------------------------------------------------

    private static RetrySettings fastRetries(int attempts) {
        return new RetrySettings(attempts, Duration.ofMillis(1), 1.0, Duration.ofMillis(1), Duration.ZERO,
                Duration.ofSeconds(30));
    }

    private static Response slowDown(String requestId) {
        return Response.error(503, "SlowDown", "Please reduce your request rate.", requestId);
    }

    private static Response head(long size) {
        return Response.of(200).with("Content-Length", Long.toString(size)).with("ETag", ETAG)
                .with("Last-Modified", LAST_MODIFIED).with("x-amz-request-id", "REQ-HEAD");
    }

    private static Response object(byte[] data) {
        return Response.of(200).with("ETag", ETAG).with("Last-Modified", LAST_MODIFIED)
                .with("Content-Type", "application/octet-stream").withBody(data);
    }

    /** A store that copies objects above 5 MiB in parts of 5 MiB. */
    private ObjectStore smallCopies() {
        return new S3StoreProvider().open(server.remote("stub").withOption("multipart-copy-threshold", "5MB")
                .withOption("multipart-copy-part-size", "5MB"));
    }

    private static Response initiated(String uploadId) {
        return Response.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult>"
                + "<Bucket>dst</Bucket><Key>copy.mp4</Key><UploadId>" + uploadId + "</UploadId>"
                + "</InitiateMultipartUploadResult>");
    }

    /** The answer to an UploadPartCopy, with an etag naming the part. */
    private static Response partCopied(Request request) {
        return Response.xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult>"
                + "<LastModified>2022-10-12T17:50:30.000Z</LastModified><ETag>&quot;etag-" + partNumber(request)
                + "&quot;</ETag></CopyPartResult>");
    }

    private static String partNumber(Request request) {
        for (String parameter : request.query().split("&")) {
            if (parameter.startsWith("partNumber=")) {
                return parameter.substring("partNumber=".length());
            }
        }
        throw new AssertionError("no part number in " + request.query());
    }

    private static StorageException assertKind(ThrowingCallable call, ErrorKind kind) {
        StorageException e = catchThrowableOfType(StorageException.class, call);
        assertThat(e).as("expected a StorageException of kind %s", kind).isNotNull();
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }

    private static String md5Hex(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
