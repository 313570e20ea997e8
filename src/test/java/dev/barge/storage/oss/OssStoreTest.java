package dev.barge.storage.oss;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.ListMultipartUploadsRequest;
import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.oss.RestorePolicy;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Checksum;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.Credentials;
import dev.barge.storage.DeleteResult;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PresignRequest;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.RestoreRequest;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import dev.barge.storage.WriteResult;
import dev.barge.storage.layer.RetrySettings;
import dev.barge.storage.layer.StoreLayers;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the OSS driver does beyond the conformance suite, against the OSS emulator over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssStoreTest {
    private static final String AK = "store-test-key";
    private static final String SK = "store-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ShiftableClock clock = new ShiftableClock();
    private final List<ObjectStore> opened = new ArrayList<>();
    private OssEmulator emulator;
    private OSS sdk;
    private ObjectStore store;
    private String bucket;

    @BeforeAll
    void startEmulator() {
        emulator = OssEmulator.builder().credentials(AK, SK).port(0).region("cn-hangzhou").clock(clock)
                .restorePolicy(RestorePolicy.manual()).build().start();
        sdk = new OSSClientBuilder().build(emulator.endpoint(), AK, SK);
        store = open(Map.of());
    }

    @AfterAll
    void stopEmulator() {
        opened.forEach(ObjectStore::close);
        sdk.shutdown();
        emulator.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "store-" + BUCKETS.incrementAndGet();
        store.createBucket(bucket);
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
        clock.offset.set(Duration.ZERO);
    }

    // ---- credentials ---------------------------------------------------------------------

    @ParameterizedTest(name = "signature {0}")
    @ValueSource(strings = {"v1", "v4"})
    void aWrongSecretIsInvalidCredentials(String version) {
        put("k", "v".getBytes(UTF_8));
        ObjectStore wrong = open(AK, "not-the-secret", null, Map.of("signature-version", version));

        StorageException e = assertKind(() -> wrong.stat(bucket, "k"), ErrorKind.INVALID_CREDENTIALS);
        assertThat(e.vendorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains(bucket + "/k").doesNotContain("not-the-secret");
        assertThat(assertKind(() -> wrong.get(bucket, "k"), ErrorKind.INVALID_CREDENTIALS).getMessage())
                .doesNotContain("not-the-secret").contains("secret");

        ObjectStore unknown = open("nobody", SK, null, Map.of("signature-version", version));
        assertThat(assertKind(() -> unknown.list(ListRequest.of(bucket, "")), ErrorKind.INVALID_CREDENTIALS)
                .vendorCode()).isEqualTo("InvalidAccessKeyId");
    }

    @Test
    void aSessionTokenIsSentWithTheKeys() {
        Credentials sts = new Credentials(AK, Secret.of(SK), Secret.of("sts-token"));
        assertThat(OssStoreProvider.credentialsProvider(sts).getCredentials().getSecurityToken()).isEqualTo("sts-token");
        assertThat(OssStoreProvider.credentialsProvider(sts).getCredentials().getSecretAccessKey()).isEqualTo(SK);

        ObjectStore withToken = open(AK, SK, "sts-token", Map.of());
        withToken.put(PutRequest.builder(bucket, "sts").build(), Payload.ofBytes(new byte[] {7}));
        assertThat(read(withToken, "sts")).containsExactly(7);
    }

    @Test
    void withoutCredentialsTheEnvironmentIsAskedAndItsAbsenceIsInvalidCredentials() {
        assumeThat(System.getenv("OSS_ACCESS_KEY_ID")).as("OSS_ACCESS_KEY_ID is not set").isNull();
        ObjectStore fromEnvironment = new OssStoreProvider().open(new RemoteConfig("oss-env", "oss",
                emulator.endpoint(), null, null, false, null, null, 0, null, Map.of()));
        opened.add(fromEnvironment);
        StorageException e = assertKind(() -> fromEnvironment.stat(bucket, "k"), ErrorKind.INVALID_CREDENTIALS);
        assertThat(e.getMessage()).contains("OSS_ACCESS_KEY_ID");
    }

    // ---- archive and restore -------------------------------------------------------------

    @Test
    void anArchivedObjectIsReadOnlyAfterARestore() throws IOException {
        byte[] data = bytes(2048, 1);
        store.put(PutRequest.builder(bucket, "frozen").storageClass(StorageClass.of(StorageClass.Family.ARCHIVE))
                .build(), Payload.ofBytes(data));

        ObjectInfo before = store.stat(bucket, "frozen");
        assertThat(before.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.ARCHIVE, "Archive"));
        assertThat(before.restore()).isEqualTo(RestoreStatus.NONE);
        assertThat(before.isReadable()).isFalse();
        StorageException frozen = assertKind(() -> store.get(bucket, "frozen"), ErrorKind.ARCHIVED);
        assertThat(frozen.vendorCode()).isEqualTo("InvalidObjectState");

        store.restore(bucket, "frozen", new RestoreRequest(2, RestoreRequest.Tier.STANDARD));
        assertThat(store.stat(bucket, "frozen").restore()).isEqualTo(RestoreStatus.IN_PROGRESS);
        store.restore(bucket, "frozen", new RestoreRequest(2, RestoreRequest.Tier.STANDARD)); // in progress: success
        assertKind(() -> store.get(bucket, "frozen"), ErrorKind.ARCHIVED);

        assertThat(emulator.completeRestores()).isEqualTo(1);
        ObjectInfo after = store.stat(bucket, "frozen");
        assertThat(after.restore().state()).isEqualTo(RestoreStatus.State.RESTORED);
        assertThat(after.restore().readableUntil())
                .isBetween(Instant.now().plus(Duration.ofDays(2)).minusSeconds(120), Instant.now().plus(Duration.ofDays(2)));
        assertThat(after.isReadable()).isTrue();
        assertThat(store.list(ListRequest.of(bucket, "")).objects().get(0).restore().state())
                .isEqualTo(RestoreStatus.State.RESTORED);
        assertThat(read(store, "frozen")).isEqualTo(data);
    }

    @Test
    void coldArchivesRestoreWithATierAndStandardObjectsCannotBeRestored() {
        store.put(PutRequest.builder(bucket, "cold").storageClass(StorageClass.of(StorageClass.Family.COLD_ARCHIVE))
                .build(), Payload.ofBytes(new byte[] {1}));
        store.put(PutRequest.builder(bucket, "deep").storageClass(StorageClass.of(StorageClass.Family.DEEP_ARCHIVE))
                .build(), Payload.ofBytes(new byte[] {2}));
        assertThat(store.stat(bucket, "cold").storageClass().vendorName()).isEqualTo("ColdArchive");
        assertThat(store.stat(bucket, "deep").storageClass().vendorName()).isEqualTo("DeepColdArchive");

        store.restore(bucket, "cold", new RestoreRequest(3, RestoreRequest.Tier.BULK));
        store.restore(bucket, "deep", new RestoreRequest(3, RestoreRequest.Tier.STANDARD));
        assertThat(store.stat(bucket, "cold").restore()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(emulator.completeRestores()).isEqualTo(2);
        assertThat(read(store, "deep")).containsExactly(2);

        put("warm", new byte[] {3});
        StorageException e = assertKind(() -> store.restore(bucket, "warm", new RestoreRequest(1,
                RestoreRequest.Tier.STANDARD)), ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("Standard");
        assertKind(() -> store.restore(bucket, "absent", new RestoreRequest(1, RestoreRequest.Tier.STANDARD)),
                ErrorKind.NOT_FOUND);
    }

    // ---- throttling and retries ----------------------------------------------------------

    @Test
    void serverBusyIsRetriedByTheRetryLayerAloneAndSucceeds() {
        put("busy", new byte[] {1, 2, 3});
        ObjectStore retrying = StoreLayers.builder("oss")
                .retry(new RetrySettings(4, Duration.ofMillis(1), 2, Duration.ofMillis(20), Duration.ZERO,
                        Duration.ofSeconds(5)))
                .build().wrap(store);
        FaultRule busy = emulator.faults().add(FaultRule.builder().times(3).fault(Fault.error(503, "ServerBusy")).build());

        long before = emulator.requestCount();
        assertThat(retrying.stat(bucket, "busy").size()).isEqualTo(3);
        // three 503s and the success: four requests in all, so the SDK sent each attempt once
        assertThat(emulator.requestCount() - before).isEqualTo(4);
        assertThat(busy.fired()).isEqualTo(3);

        emulator.faults().next(1, Fault.error(503, "ServerBusy"));
        before = emulator.requestCount();
        StorageException alone = assertKind(() -> store.stat(bucket, "busy"), ErrorKind.THROTTLED);
        assertThat(alone.isRetryable()).isTrue();
        assertThat(alone.vendorCode()).isEqualTo("ServerBusy");
        assertThat(alone.requestId()).isNotBlank();
        assertThat(emulator.requestCount() - before).isEqualTo(1);

        emulator.faults().next(5, Fault.error(503, "ServerBusy"));
        before = emulator.requestCount();
        StorageException exhausted = assertKind(() -> retrying.stat(bucket, "busy"), ErrorKind.THROTTLED);
        assertThat(exhausted.attempts()).isEqualTo(4);
        assertThat(exhausted.isRetryable()).isFalse();
        assertThat(emulator.requestCount() - before).as("one request per attempt of the retry layer").isEqualTo(4);
    }

    @Test
    void serverFailuresMapOntoKinds() {
        put("k", new byte[] {1});
        Map<String, ErrorKind> expected = Map.of(
                "500 InternalError", ErrorKind.TRANSIENT,
                "429 QpsLimitExceeded", ErrorKind.THROTTLED,
                "503 TotalQpsLimitExceeded", ErrorKind.THROTTLED,
                "503 DownloadTrafficRateLimitExceeded", ErrorKind.THROTTLED,
                "403 AccessDenied", ErrorKind.ACCESS_DENIED,
                "412 PreconditionFailed", ErrorKind.PRECONDITION_FAILED);
        expected.forEach((fault, kind) -> {
            String[] parts = fault.split(" ");
            emulator.faults().next(1, Fault.error(Integer.parseInt(parts[0]), parts[1]));
            StorageException e = assertKind(() -> store.get(bucket, "k"), kind);
            assertThat(e.vendorCode()).as(fault).isEqualTo(parts[1]);
        });
        emulator.faults().next(1, Fault.resetBeforeResponse());
        assertThat(assertKind(() -> store.stat(bucket, "k"), ErrorKind.TRANSIENT).isRetryable()).isTrue();
    }

    @Test
    void aBodyCutShortIsAnIoFailureCausedByAStorageException() throws IOException {
        put("cut", bytes(64 * 1024, 9));
        emulator.faults().add(FaultRule.builder().method("GET").fault(Fault.truncatedBody()).build());
        try (ObjectContent content = store.get(bucket, "cut")) {
            Throwable thrown = catchThrowable(() -> content.body().readAllBytes());
            assertThat(thrown).isInstanceOf(IOException.class);
            assertThat(thrown.getCause()).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.isRetryable()).isTrue());
        }
    }

    // ---- append --------------------------------------------------------------------------

    @Test
    void anAppendAtTheWrongPositionOrOnANormalObjectIsAConflict() {
        PutRequest log = PutRequest.builder(bucket, "log").build();
        assertThat(store.append(log, 0, Payload.ofBytes("abc".getBytes(UTF_8)))).isEqualTo(3);
        StorageException wrong = assertKind(() -> store.append(log, 1, Payload.ofBytes("x".getBytes(UTF_8))),
                ErrorKind.CONFLICT);
        assertThat(wrong.vendorCode()).isEqualTo("PositionNotEqualToLength");
        assertThat(store.append(log, 3, Payload.ofStream(new ByteArrayInputStream("de".getBytes(UTF_8)),
                Payload.UNKNOWN_LENGTH))).isEqualTo(5);

        put("normal", new byte[] {1, 2});
        StorageException normal = assertKind(() -> store.append(PutRequest.builder(bucket, "normal").build(), 2,
                Payload.ofBytes(new byte[] {3})), ErrorKind.CONFLICT);
        assertThat(normal.vendorCode()).isEqualTo("ObjectNotAppendable");
        assertThat(new String(read(store, "log"), UTF_8)).isEqualTo("abcde");
        // an appendable object's etag is not an MD5; its CRC-64 is
        ObjectInfo info = store.stat(bucket, "log");
        assertThat(info.checksum(Checksum.Algorithm.MD5)).isEmpty();
        assertThat(info.checksum(Checksum.Algorithm.CRC64_ECMA)).contains(crc64("abcde".getBytes(UTF_8)));
    }

    // ---- checksums -----------------------------------------------------------------------

    @Test
    void crc64ReportedByStatEqualsAnIndependentComputation() {
        assertThat(Crc64.of("123456789".getBytes(UTF_8))).as("CRC-64/XZ check value").isEqualTo(0x995DC9BBDF1939FAL);
        byte[] data = bytes(300_000, 4);
        WriteResult written = put("crc", data);
        Checksum expected = crc64(data);

        assertThat(written.checksum(Checksum.Algorithm.CRC64_ECMA)).contains(expected);
        assertThat(store.stat(bucket, "crc").checksum(Checksum.Algorithm.CRC64_ECMA)).contains(expected);
        assertThat(store.stat(bucket, "crc").checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5(data)));
    }

    @Test
    void anExpectedCrc64IsCheckedBeforeTheObjectAppears() {
        byte[] data = bytes(5000, 5);
        put("kept", new byte[] {42});
        Checksum wrong = new Checksum(Checksum.Algorithm.CRC64_ECMA, Long.toUnsignedString(Crc64.of(data) + 1));
        assertKind(() -> store.put(PutRequest.builder(bucket, "kept").expectedChecksums(List.of(wrong)).build(),
                Payload.ofBytes(data)), ErrorKind.CHECKSUM_MISMATCH);
        assertThat(read(store, "kept")).as("previous object left in place").containsExactly(42);

        WriteResult ok = store.put(PutRequest.builder(bucket, "kept").expectedChecksums(List.of(crc64(data))).build(),
                Payload.ofBytes(data));
        assertThat(ok.checksums()).contains(crc64(data), Checksum.md5Hex(md5(data)));
        assertThat(read(store, "kept")).isEqualTo(data);

        assertKind(() -> store.put(PutRequest.builder(bucket, "sha").expectedChecksums(
                List.of(new Checksum(Checksum.Algorithm.SHA256, "00"))).build(), Payload.ofBytes(data)),
                ErrorKind.UNSUPPORTED);
    }

    // ---- puts in parts -------------------------------------------------------------------

    @Test
    void aStreamOfUnknownLengthIsUploadedInParts() {
        ObjectStore small = open(Map.of("upload-part-size", "100KB"));
        byte[] data = bytes(350_000, 6);
        emulator.clearJournal();

        WriteResult written = small.put(PutRequest.builder(bucket, "streamed").contentType("text/csv")
                        .userMetadata(Map.of("Source", "pipe")).build(),
                Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH));

        assertThat(emulator.journal()).filteredOn(x -> x.request().hasParameter("partNumber")).hasSize(4);
        assertThat(written.checksum(Checksum.Algorithm.CRC64_ECMA)).contains(crc64(data));
        assertThat(read(small, "streamed")).isEqualTo(data);
        ObjectInfo info = small.stat(bucket, "streamed");
        assertThat(info.contentType()).isEqualTo("text/csv");
        assertThat(info.userMetadata()).containsEntry("source", "pipe");
        assertThat(info.checksum(Checksum.Algorithm.MD5)).as("a multipart etag is no MD5").isEmpty();
        assertThat(info.checksum(Checksum.Algorithm.CRC64_ECMA)).contains(crc64(data));
    }

    @Test
    void aStreamWithTheWrongChecksumIsAbandonedLeavingThePreviousObject() {
        ObjectStore small = open(Map.of("upload-part-size", "100KB"));
        put("target", new byte[] {1});
        byte[] data = bytes(250_000, 7);

        assertKind(() -> small.put(PutRequest.builder(bucket, "target")
                        .expectedChecksums(List.of(Checksum.md5Hex(md5("other".getBytes(UTF_8))))).build(),
                Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH)), ErrorKind.CHECKSUM_MISMATCH);

        assertThat(read(store, "target")).containsExactly(1);
        assertThat(unfinishedUploads()).isZero();

        small.put(PutRequest.builder(bucket, "target").expectedChecksums(List.of(Checksum.md5Hex(md5(data)), crc64(data)))
                .build(), Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH));
        assertThat(read(store, "target")).isEqualTo(data);
    }

    @Test
    void aFailedPartAbortsTheUpload() {
        ObjectStore small = open(Map.of("upload-part-size", "100KB"));
        emulator.faults().add(FaultRule.builder().parameter("partNumber").skip(1)
                .fault(Fault.error(500, "InternalError")).build());

        assertKind(() -> small.put(PutRequest.builder(bucket, "broken").build(),
                Payload.ofStream(new ByteArrayInputStream(bytes(300_000, 8)), Payload.UNKNOWN_LENGTH)),
                ErrorKind.TRANSIENT);

        assertKind(() -> store.stat(bucket, "broken"), ErrorKind.NOT_FOUND);
        assertThat(unfinishedUploads()).isZero();
    }

    @Test
    void aPayloadOfAnotherLengthThanAnnouncedWritesNothing() {
        byte[] ten = bytes(10, 1);
        StorageException shorter = assertKind(() -> store.put(PutRequest.builder(bucket, "short").build(),
                Payload.ofStream(new ByteArrayInputStream(ten), 20)), ErrorKind.INVALID_ARGUMENT);
        assertThat(shorter.getMessage()).contains("20");
        assertKind(() -> store.put(PutRequest.builder(bucket, "long").build(),
                Payload.ofStream(new ByteArrayInputStream(ten), 5)), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> store.put(PutRequest.builder(bucket, "crc").expectedChecksums(List.of(crc64(ten))).build(),
                Payload.ofStream(new ByteArrayInputStream(ten), 11)), ErrorKind.INVALID_ARGUMENT);
        assertThat(store.list(ListRequest.of(bucket, "")).objects()).isEmpty();
    }

    @Test
    void aPartOfUnknownLengthIsSentChunked() {
        byte[] first = bytes(100 * 1024, 1);
        byte[] last = bytes(500, 2);
        var upload = store.initiateMultipart(PutRequest.builder(bucket, "chunked").build());
        var p1 = store.uploadPart(upload, 1, Payload.ofStream(new ByteArrayInputStream(first), Payload.UNKNOWN_LENGTH));
        var p2 = store.uploadPart(upload, 2, Payload.ofBytes(last));
        assertThat(p1.size()).isEqualTo(first.length);
        WriteResult done = store.completeMultipart(upload, List.of(p2, p1));
        byte[] all = new byte[first.length + last.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(last, 0, all, first.length, last.length);
        assertThat(done.checksum(Checksum.Algorithm.CRC64_ECMA)).contains(crc64(all));
        assertThat(read(store, "chunked")).isEqualTo(all);
        assertKind(() -> store.uploadPart(upload, 3, Payload.ofBytes(last)), ErrorKind.NOT_FOUND);
    }

    // ---- copies --------------------------------------------------------------------------

    @Test
    void largeObjectsAreCopiedPartByPartKeepingMetadata() {
        ObjectStore copier = open(Map.of("multipart-copy-threshold", "100KB"));
        byte[] data = bytes(250_000, 3);
        store.put(PutRequest.builder(bucket, "big").contentType("video/mp4").userMetadata(Map.of("take", "2")).build(),
                Payload.ofBytes(data));
        emulator.clearJournal();

        WriteResult copied = copier.copy(CopyRequest.of(bucket, "big", bucket, "big-copy")
                .withStorageClass(StorageClass.of(StorageClass.Family.INFREQUENT)));

        assertThat(emulator.journal()).filteredOn(x -> x.request().hasParameter("partNumber")).hasSize(3);
        assertThat(copied.checksum(Checksum.Algorithm.CRC64_ECMA)).contains(crc64(data));
        ObjectInfo info = store.stat(bucket, "big-copy");
        assertThat(info.storageClass().family()).isEqualTo(StorageClass.Family.INFREQUENT);
        assertThat(info.contentType()).isEqualTo("video/mp4");
        assertThat(info.userMetadata()).containsEntry("take", "2");
        assertThat(read(store, "big-copy")).isEqualTo(data);

        copier.setStorageClass(bucket, "big", StorageClass.of(StorageClass.Family.ARCHIVE));
        ObjectInfo archived = store.stat(bucket, "big");
        assertThat(archived.storageClass().vendorName()).isEqualTo("Archive");
        assertThat(archived.userMetadata()).containsEntry("take", "2");
        assertThat(archived.size()).isEqualTo(data.length);

        assertKind(() -> copier.copy(CopyRequest.of(bucket, "big", bucket, "thawed")), ErrorKind.ARCHIVED);
        assertThat(unfinishedUploads()).isZero();
    }

    @Test
    void aSmallCopyIsOneRequestAndChangingToTheSameClassSendsNothing() {
        put("small", new byte[] {1, 2, 3});
        emulator.clearJournal();
        WriteResult copied = store.copy(CopyRequest.of(bucket, "small", bucket, "small-copy"));
        assertThat(emulator.journal()).extracting(x -> x.request().method()).containsExactly("HEAD", "PUT");
        assertThat(copied.checksums()).contains(Checksum.md5Hex(md5(new byte[] {1, 2, 3})));

        emulator.clearJournal();
        store.setStorageClass(bucket, "small", StorageClass.STANDARD);
        assertThat(emulator.journal()).extracting(x -> x.request().method()).containsExactly("HEAD");
    }

    // ---- keys, listings, deletes ---------------------------------------------------------

    @Test
    void keysOssCannotHoldAreInvalidArguments() {
        String tooLong = "k".repeat(1024);
        assertKind(() -> put(tooLong, new byte[] {1}), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> put("/leading-slash", new byte[] {1}), ErrorKind.INVALID_ARGUMENT);
        put("k".repeat(1023), new byte[] {2});
        put("?leading-question-mark", new byte[] {3});
        assertThat(read(store, "?leading-question-mark")).containsExactly(3);

        DeleteResult result = store.deleteAll(bucket, List.of(tooLong, "k".repeat(1023), "?leading-question-mark"));
        assertThat(result.deleted()).containsExactlyInAnyOrder("k".repeat(1023), "?leading-question-mark");
        assertThat(result.failed()).containsOnlyKeys(tooLong);
        assertThat(result.failed().get(tooLong).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(store.list(ListRequest.of(bucket, "")).objects()).isEmpty();
    }

    @Test
    void encodedListingsAndDeletesHandBackKeysAsWritten() {
        List<String> keys = List.of("100%", "a%2Fb", "plus+and space", "tab\there", "bell\u0007key", "é/ü");
        keys.forEach(key -> put(key, new byte[] {1}));
        assertThat(store.list(ListRequest.of(bucket, "")).objects()).extracting(ObjectInfo::key)
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(store.list(ListRequest.of(bucket, "").withDelimiter("/")).commonPrefixes()).containsExactly("é/");
        assertThat(store.list(ListRequest.of(bucket, "").withStartAfter("a%2Fb")).objects()).extracting(ObjectInfo::key)
                .doesNotContain("100%", "a%2Fb").contains("plus+and space");

        DeleteResult result = store.deleteAll(bucket, keys);
        assertThat(result.failed()).isEmpty();
        assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(store.list(ListRequest.of(bucket, "")).objects()).isEmpty();
    }

    @Test
    void anInvalidPageTokenIsAnInvalidArgument() {
        put("k", new byte[] {1});
        assertKind(() -> store.list(ListRequest.of(bucket, "").withPageToken("!!not-a-token!!")),
                ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void rangesOfAnEmptyObject() throws IOException {
        put("empty", new byte[0]);
        try (ObjectContent content = store.get(bucket, "empty", ByteRange.suffix(10))) {
            assertThat(content.length()).isZero();
            assertThat(content.body().readAllBytes()).isEmpty();
        }
        assertKind(() -> store.get(bucket, "empty", ByteRange.of(0, 0)), ErrorKind.INVALID_ARGUMENT);
    }

    // ---- presigned URLs ------------------------------------------------------------------

    @ParameterizedTest(name = "signature {0}")
    @ValueSource(strings = {"v1", "v4"})
    void presignedUrlsWorkUntilTheyExpire(String version) throws Exception {
        ObjectStore signer = open(Map.of("signature-version", version));
        put("dir/shared file.txt", "shared".getBytes(UTF_8));

        URI get = signer.presign(new PresignRequest(PresignRequest.Method.GET, bucket, "dir/shared file.txt",
                Duration.ofMinutes(10)));
        HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("shared");

        URI put = signer.presign(new PresignRequest(PresignRequest.Method.PUT, bucket, "uploaded", Duration.ofMinutes(10)));
        HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(put)
                .PUT(HttpRequest.BodyPublishers.ofString("via url")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(new String(read(store, "uploaded"), UTF_8)).isEqualTo("via url");

        clock.offset.set(Duration.ofMinutes(11));
        HttpResponse<String> expired = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("<Code>AccessDenied</Code>");
    }

    // ---- configuration -------------------------------------------------------------------

    @Test
    void settingsComeFromTheRemote() {
        OssSettings byRegion = OssStoreProvider.settings(remote(null, "cn-shanghai", Map.of()));
        assertThat(byRegion.endpoint()).isEqualTo("https://oss-cn-shanghai.aliyuncs.com");
        assertThat(byRegion.signVersion()).isEqualTo(com.aliyun.oss.common.comm.SignVersion.V4);

        OssSettings byHost = OssStoreProvider.settings(remote("oss-eu-central-1-internal.aliyuncs.com", null, Map.of()));
        assertThat(byHost.endpoint()).isEqualTo("https://oss-eu-central-1-internal.aliyuncs.com");
        assertThat(byHost.region()).isEqualTo("eu-central-1");
        assertThat(byHost.signVersion()).isEqualTo(com.aliyun.oss.common.comm.SignVersion.V4);

        OssSettings byIp = OssStoreProvider.settings(remote("http://127.0.0.1:9000", null, Map.of()));
        assertThat(byIp.region()).isNull();
        assertThat(byIp.signVersion()).isEqualTo(com.aliyun.oss.common.comm.SignVersion.V1);
        assertThat(byIp.copyThreshold()).isEqualTo(1L << 30);

        OssSettings v1 = OssStoreProvider.settings(remote(null, "oss-cn-beijing",
                Map.of("signature-version", "V1", "upload-part-size", "16MB")));
        assertThat(v1.region()).isEqualTo("cn-beijing");
        assertThat(v1.signVersion()).isEqualTo(com.aliyun.oss.common.comm.SignVersion.V1);
        assertThat(v1.uploadPartSize()).isEqualTo(16L << 20);
    }

    @Test
    void aRemoteWithoutEndpointOrRegionTakesThemFromTheEnvironment() {
        RemoteConfig bare = RemoteConfig.defaults("oss", "oss");
        OssStoreProvider withRegion = new OssStoreProvider(Map.of("OSS_REGION", "cn-shenzhen")::get);
        assertThat(OssStoreProvider.settings(withRegion.withEnvironmentDefaults(bare)).endpoint())
                .isEqualTo("https://oss-cn-shenzhen.aliyuncs.com");
        OssStoreProvider withEndpoint = new OssStoreProvider(Map.of("OSS_ENDPOINT", emulator.endpoint())::get);
        assertThat(OssStoreProvider.settings(withEndpoint.withEnvironmentDefaults(bare)).endpoint())
                .isEqualTo(emulator.endpoint());
        RemoteConfig configured = remote(null, "cn-beijing", Map.of());
        assertThat(withRegion.withEnvironmentDefaults(configured)).isSameAs(configured);
        StorageException e = assertKind(() -> new OssStoreProvider(name -> null).open(bare), ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("OSS_REGION");
    }

    @Test
    void wrongSettingsAreRefusedNamingTheRemote() {
        List<RemoteConfig> wrong = List.of(
                remote(null, null, Map.of()),
                remote("http://127.0.0.1:9000", null, Map.of("signature-version", "v4")),
                remote("http://127.0.0.1:9000", null, Map.of("signature-version", "v2")),
                remote("ftp://127.0.0.1", null, Map.of()),
                remote("http://127.0.0.1:9000/bucket", null, Map.of()),
                remote("http://127.0.0.1:9000", null, Map.of("multipart-copy-threshold", "6GB")),
                remote("http://127.0.0.1:9000", null, Map.of("upload-part-size", "10KB")));
        for (RemoteConfig config : wrong) {
            StorageException e = assertKind(() -> new OssStoreProvider(name -> null).open(config),
                    ErrorKind.INVALID_ARGUMENT);
            assertThat(e.getMessage()).as(config.toString()).contains("remote 'oss-config'");
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private ObjectStore open(Map<String, String> options) {
        return open(AK, SK, null, options);
    }

    private ObjectStore open(String accessKey, String secret, String token, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(options);
        String region = "v4".equalsIgnoreCase(all.get("signature-version")) ? "cn-hangzhou" : null;
        all.putIfAbsent("signature-version", "v1");
        ObjectStore opened = new OssStoreProvider().open(new RemoteConfig("oss-test", "oss", emulator.endpoint(), region,
                new Credentials(accessKey, Secret.of(secret), token == null ? null : Secret.of(token)), false,
                null, null, 0, null, all));
        this.opened.add(opened);
        return opened;
    }

    private static RemoteConfig remote(String endpoint, String region, Map<String, String> options) {
        return new RemoteConfig("oss-config", "oss", endpoint, region, null, false, null, null, 0, null, options);
    }

    private WriteResult put(String key, byte[] data) {
        return store.put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(data));
    }

    private byte[] read(ObjectStore from, String key) {
        try (ObjectContent content = from.get(bucket, key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int unfinishedUploads() {
        return sdk.listMultipartUploads(new ListMultipartUploadsRequest(bucket)).getMultipartUploads().size();
    }

    private static StorageException assertKind(ThrowingCallable call, ErrorKind kind) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a StorageException of kind %s", kind).isInstanceOf(StorageException.class);
        StorageException e = (StorageException) thrown;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }

    private static Checksum crc64(byte[] data) {
        return new Checksum(Checksum.Algorithm.CRC64_ECMA, Long.toUnsignedString(Crc64.of(data)));
    }

    private static String md5(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** CRC-64/ECMA-182 as OSS computes it (reflected, all-ones init and final xor), bit by bit. */
    private static final class Crc64 {
        static long of(byte[] data) {
            long crc = ~0L;
            for (byte b : data) {
                crc ^= b & 0xFF;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xC96C5795D7870F42L : crc >>> 1;
                }
            }
            return ~crc;
        }
    }

    /** The emulator's clock, which a test can move forward to expire presigned URLs. */
    private static final class ShiftableClock extends Clock {
        final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }
}
