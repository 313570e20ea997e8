package dev.barge.storage.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.emulator.qiniu.QiniuEtag;
import dev.barge.storage.ByteRange;
import dev.barge.storage.Checksum;
import dev.barge.storage.CompletedPart;
import dev.barge.storage.CopyRequest;
import dev.barge.storage.Credentials;
import dev.barge.storage.DeleteResult;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.MultipartUpload;
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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the Qiniu driver does beyond the shared suite, against the Kodo emulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QiniuStoreTest {
    private static final String AK = "store-ak";
    private static final String SK = "store-secret-key-value";
    private static final RetrySettings FAST_RETRIES = new RetrySettings(4, Duration.ofMillis(1), 2,
            Duration.ofMillis(20), Duration.ZERO, Duration.ofSeconds(5));

    private final ShiftableClock clock = new ShiftableClock();
    private final AtomicInteger buckets = new AtomicInteger();
    private KodoEmulator kodo;
    private ObjectStore store;
    private HttpClient http;

    @BeforeAll
    void start() {
        kodo = KodoEmulator.builder().credentials(AK, SK).port(0).clock(clock).restoreImmediately(false).start();
        store = open(SK, Map.of());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    void stop() {
        store.close();
        kodo.close();
    }

    @AfterEach
    void reset() {
        kodo.faults().clear();
        clock.shift(Duration.ZERO);
    }

    // ---- credentials and tokens ---------------------------------------------------------

    @Test
    void aWrongSecretIsInvalidCredentialsEverywhereAndNeverShown() {
        String bucket = bucket();
        put(bucket, "k", new byte[] {1});
        String wrongSecret = "not-the-secret-" + SK;
        try (ObjectStore wrong = open(wrongSecret, Map.of())) {
            List<StorageException> failures = List.of(
                    kind(() -> wrong.stat(bucket, "k"), ErrorKind.INVALID_CREDENTIALS),
                    kind(() -> wrong.list(ListRequest.of(bucket, "")), ErrorKind.INVALID_CREDENTIALS),
                    kind(() -> wrong.put(PutRequest.builder(bucket, "k2").build(), Payload.ofBytes(new byte[] {2})),
                            ErrorKind.INVALID_CREDENTIALS),
                    kind(wrong::listBuckets, ErrorKind.INVALID_CREDENTIALS),
                    kind(() -> wrong.deleteAll(bucket, List.of("k")), ErrorKind.INVALID_CREDENTIALS));
            for (StorageException e : failures) {
                assertThat(e.getMessage()).doesNotContain(wrongSecret).doesNotContain(SK).contains("401");
                assertThat(e.vendorCode()).isEqualTo("401");
                assertThat(e.requestId()).isNotBlank();
                assertThat(e.isRetryable()).isFalse();
            }
        }
        assertThat(kodo.keys(bucket)).containsExactly("k");
    }

    @Test
    void anUploadTokenThatHasExpiredIsRefusedAndWritesNothing() {
        String bucket = bucket();
        clock.shift(Duration.ofHours(3)); // the driver's tokens last an hour by this server's clock

        StorageException small = kind(() -> put(bucket, "small", new byte[] {1}), ErrorKind.INVALID_CREDENTIALS);
        StorageException large = kind(() -> put(bucket, "large", bytes(5 * 1024 * 1024, 1)),
                ErrorKind.INVALID_CREDENTIALS);

        assertThat(small.getMessage()).contains("expired token");
        assertThat(large.getMessage()).contains("expired token");
        assertThat(kodo.keys(bucket)).isEmpty();
        clock.shift(Duration.ZERO);
        put(bucket, "small", new byte[] {1});
        assertThat(kodo.keys(bucket)).containsExactly("small");
    }

    @Test
    void aPresignedUrlReadsThePrivateObjectUntilItExpires() throws Exception {
        String bucket = bucket();
        kodo.setBucketPrivate(bucket, true);
        byte[] data = bytes(3000, 2);
        put(bucket, "dir/shared file.bin", data);

        URI url = store.presign(new PresignRequest(PresignRequest.Method.GET, bucket, "dir/shared file.bin",
                Duration.ofMinutes(1)));
        HttpResponse<byte[]> fresh = fetch(url);
        HttpResponse<byte[]> unsigned = fetch(URI.create(url.toString().substring(0, url.toString().indexOf('?'))));
        clock.shift(Duration.ofMinutes(2));
        HttpResponse<byte[]> expired = fetch(url);

        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(fresh.body()).isEqualTo(data);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(new String(expired.body())).contains("token out of date");
        kind(() -> store.presign(new PresignRequest(PresignRequest.Method.PUT, bucket, "k", Duration.ofMinutes(1))),
                ErrorKind.UNSUPPORTED);
    }

    // ---- batch delete -------------------------------------------------------------------

    @Test
    void deleteAllCountsMissingKeysAsDeletedAndAMissingBucketFailsTheCall() {
        String bucket = bucket();
        put(bucket, "a", new byte[] {1});
        put(bucket, "b", new byte[] {2});
        put(bucket, "keep", new byte[] {3});

        int[] requests = new int[1];
        DeleteResult result = counted(requests, () -> store.deleteAll(bucket, List.of("a", "missing", "b", "")));

        assertThat(result.deleted()).containsExactlyInAnyOrder("a", "missing", "b");
        assertThat(result.failed()).containsOnlyKeys("");
        assertThat(result.failed().get("").kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(requests[0]).as("one batch request for all the keys").isEqualTo(1);
        assertThat(kodo.keys(bucket)).containsExactly("keep");

        kind(() -> store.deleteAll(bucket + "-gone", List.of("a", "b")), ErrorKind.BUCKET_NOT_FOUND);
        kodo.faults().next(1, Fault.error(573, "too many requests"));
        kind(() -> store.deleteAll(bucket, List.of("keep")), ErrorKind.THROTTLED);
        assertThat(kodo.keys(bucket)).containsExactly("keep");
    }

    // ---- archive and restore ------------------------------------------------------------

    @Test
    void archivedObjectsAreReadOnlyAfterTheirRestoreFinishes() throws IOException {
        String bucket = bucket();
        byte[] data = "cold data".getBytes();
        store.put(PutRequest.builder(bucket, "cold").storageClass(StorageClass.of(StorageClass.Family.ARCHIVE)).build(),
                Payload.ofBytes(data));
        put(bucket, "warm", new byte[] {1});

        ObjectInfo frozen = store.stat(bucket, "cold");
        StorageException refused = kind(() -> store.get(bucket, "cold"), ErrorKind.ARCHIVED);
        kind(() -> store.restore(bucket, "cold", new RestoreRequest(8, RestoreRequest.Tier.STANDARD)),
                ErrorKind.INVALID_ARGUMENT);
        kind(() -> store.restore(bucket, "warm", new RestoreRequest(1, RestoreRequest.Tier.STANDARD)),
                ErrorKind.INVALID_ARGUMENT);
        store.restore(bucket, "cold", new RestoreRequest(2, RestoreRequest.Tier.BULK));
        ObjectInfo restoring = store.stat(bucket, "cold");
        kind(() -> store.get(bucket, "cold"), ErrorKind.ARCHIVED);
        store.restore(bucket, "cold", new RestoreRequest(2, RestoreRequest.Tier.BULK)); // again: nothing changes
        boolean finished = kodo.finishRestore(bucket, "cold");
        ObjectInfo restored = store.stat(bucket, "cold");

        assertThat(frozen.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.ARCHIVE, "GLACIER"));
        assertThat(frozen.restore()).isEqualTo(RestoreStatus.NONE);
        assertThat(frozen.isReadable()).isFalse();
        assertThat(refused.getMessage()).contains("restore");
        assertThat(restoring.restore()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(finished).isTrue();
        assertThat(restored.restore().state()).isEqualTo(RestoreStatus.State.RESTORED);
        assertThat(restored.isReadable()).isTrue();
        try (ObjectContent content = store.get(bucket, "cold")) {
            assertThat(content.body().readAllBytes()).isEqualTo(data);
        }
        assertThat(store.list(ListRequest.of(bucket, "")).objects().get(0).restore().state())
                .isEqualTo(RestoreStatus.State.RESTORED);
    }

    // ---- a listed object is read with one request ------------------------------------------

    @Test
    void aListedObjectIsReadWithOneRequestAndItsTypeAndMetadataComeFromTheDownload() throws IOException {
        String bucket = bucket();
        byte[] data = bytes(3000, 7);
        store.put(PutRequest.builder(bucket, "listed.bin").contentType("image/png")
                .userMetadata(Map.of("origin", "camera-2")).build(), Payload.ofBytes(data));
        ObjectInfo listed = store.list(ListRequest.of(bucket, "")).objects().get(0);
        int[] requests = new int[1];

        ObjectContent whole = counted(requests, () -> store.get(bucket, listed, null));
        assertThat(requests[0]).as("the download only: no stat before it").isEqualTo(1);
        assertThat(readAll(whole)).isEqualTo(data);
        assertThat(whole.info().contentType()).isEqualTo("image/png");
        assertThat(whole.info().userMetadata()).containsEntry("origin", "camera-2");
        assertThat(whole.info().etag()).isEqualTo(listed.etag());

        ObjectContent part = counted(requests, () -> store.get(bucket, listed, ByteRange.of(100, 199)));
        assertThat(requests[0]).isEqualTo(1);
        assertThat(readAll(part)).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 200));

        // replaced since the listing: the read says so rather than passing the new bytes off as the listed ones
        put(bucket, "listed.bin", bytes(3000, 8));
        StorageException replaced = kind(() -> store.get(bucket, listed, null), ErrorKind.TRANSIENT);
        assertThat(replaced.getMessage()).contains("replaced while being read");
    }

    @Test
    void aListedArchiveOrEmptyObjectIsStatFirstAsAnyRead() {
        String bucket = bucket();
        store.put(PutRequest.builder(bucket, "cold.bin").storageClass(StorageClass.of(StorageClass.Family.ARCHIVE))
                .build(), Payload.ofBytes(bytes(10, 1)));
        store.put(PutRequest.builder(bucket, "empty").userMetadata(Map.of("kept", "yes")).build(),
                Payload.ofBytes(new byte[0]));
        List<ObjectInfo> listed = store.list(ListRequest.of(bucket, "")).objects();
        int[] requests = new int[1];

        kind(() -> counted(requests, () -> store.get(bucket, listed.get(0), null)), ErrorKind.ARCHIVED);
        assertThat(requests[0]).as("the stat tells the restore state; no download").isEqualTo(1);
        ObjectContent empty = counted(requests, () -> store.get(bucket, listed.get(1), null));
        assertThat(requests[0]).as("an empty object: its stat, no download").isEqualTo(1);
        assertThat(empty.info().userMetadata()).containsEntry("kept", "yes");
    }

    // ---- retries happen in the retry layer only -----------------------------------------

    @Test
    void throttlingIsRetriedByTheRetryLayerAndEachAttemptIsOneRequest() throws IOException {
        String bucket = bucket();
        byte[] data = bytes(2000, 3);
        put(bucket, "k", data);
        ObjectStore retrying = StoreLayers.builder("q").retry(FAST_RETRIES).build().wrap(store);
        int[] requests = new int[1];

        kodo.faults().next(2, Fault.error(573, "too many requests"));
        ObjectInfo info = counted(requests, () -> retrying.stat(bucket, "k"));
        assertThat(info.size()).isEqualTo(2000);
        assertThat(requests[0]).as("stat: two throttled, one answered").isEqualTo(3);

        // the uc host: the SDK's own host retries would double these
        kodo.faults().next(2, Fault.error(573, "too many requests"));
        assertThat(counted(requests, retrying::listBuckets)).isNotEmpty();
        assertThat(requests[0]).as("list buckets").isEqualTo(3);

        kodo.faults().next(1, Fault.error(573, "too many requests"));
        counted(requests, () -> retrying.put(PutRequest.builder(bucket, "k2").build(), Payload.ofBytes(data)));
        assertThat(requests[0]).as("form upload").isEqualTo(2);
        assertThat(kodo.content(bucket, "k2")).hasValue(data);

        kodo.faults().add(FaultRule.builder().method("GET").pathPrefix("/getfile/").times(2)
                .fault(Fault.error(503, "service unavailable")).build());
        byte[] read = counted(requests, () -> readAll(retrying.get(bucket, "k", ByteRange.of(10, 19))));
        assertThat(read).isEqualTo(java.util.Arrays.copyOfRange(data, 10, 20));
        assertThat(requests[0]).as("download: one stat and three GETs each time").isEqualTo(6);
    }

    @Test
    void whenTheRetriesAreSpentTheFailureSaysSoAndNothingWasResentInBetween() {
        String bucket = bucket();
        put(bucket, "k", new byte[] {1});
        ObjectStore retrying = StoreLayers.builder("q").retry(FAST_RETRIES).build().wrap(store);
        int[] requests = new int[1];

        kodo.faults().next(10, Fault.error(573, "too many requests"));
        StorageException e = kind(() -> counted(requests, () -> retrying.stat(bucket, "k")), ErrorKind.THROTTLED);

        assertThat(requests[0]).isEqualTo(4);
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.vendorCode()).isEqualTo("573");
        assertThat(e.requestId()).isNotBlank();
    }

    @Test
    void aDownloadWhoseConnectionIsResetIsTransientAndNotResentByTheDriver() {
        String bucket = bucket();
        put(bucket, "k", bytes(100, 4));
        int[] requests = new int[1];

        kodo.faults().add(FaultRule.builder().method("GET").pathPrefix("/getfile/")
                .fault(Fault.resetBeforeResponse()).build());
        StorageException e = kind(() -> counted(requests, () -> store.get(bucket, "k")), ErrorKind.TRANSIENT);

        assertThat(requests[0]).as("one stat, one GET").isEqualTo(2);
        assertThat(e.isRetryable()).isTrue();
        assertThat(readAll(store.get(bucket, "k"))).isEqualTo(bytes(100, 4));
    }

    // ---- checksums ----------------------------------------------------------------------

    @Test
    void statAndPutReportKodosQetagAndTheMd5() {
        String bucket = bucket();
        byte[] small = bytes(1000, 5);
        byte[] large = bytes(9 * 1024 * 1024 + 17, 6);
        int[] requests = new int[1];

        WriteResult smallWrite = put(bucket, "small", small);
        WriteResult largeWrite = counted(requests, () -> put(bucket, "large", large));

        assertThat(requests[0]).as("resumable: initiate, three 4 MiB parts, complete").isEqualTo(5);
        for (var c : List.of(Map.entry("small", small), Map.entry("large", large))) {
            ObjectInfo info = store.stat(bucket, c.getKey());
            assertThat(info.checksum(Checksum.Algorithm.QETAG))
                    .contains(new Checksum(Checksum.Algorithm.QETAG, QiniuEtag.of(c.getValue())));
            assertThat(info.etag()).isEqualTo(QiniuEtag.of(c.getValue()));
            assertThat(info.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5(c.getValue())));
        }
        assertThat(smallWrite.checksum(Checksum.Algorithm.QETAG)).contains(
                new Checksum(Checksum.Algorithm.QETAG, QiniuEtag.of(small)));
        assertThat(largeWrite.etag()).isEqualTo(QiniuEtag.of(large));
        assertThat(largeWrite.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5(large)));
    }

    @Test
    void aWrongExpectedChecksumWritesNothingAndKeepsThePreviousObject() {
        String bucket = bucket();
        byte[] previous = bytes(10, 7);
        byte[] small = bytes(1000, 8);
        byte[] large = bytes(6 * 1024 * 1024, 9);
        put(bucket, "k", previous);
        Checksum wrongQetag = new Checksum(Checksum.Algorithm.QETAG, QiniuEtag.of(previous));

        for (byte[] data : List.of(small, large)) {
            StorageException e = kind(() -> store.put(PutRequest.builder(bucket, "k")
                    .expectedChecksums(List.of(wrongQetag)).build(), Payload.ofBytes(data)), ErrorKind.CHECKSUM_MISMATCH);
            assertThat(e.getMessage()).contains("nothing was written");
        }
        kind(() -> store.put(PutRequest.builder(bucket, "k").expectedChecksums(List.of(Checksum.md5Hex(md5(large))))
                .build(), Payload.ofStream(new ByteArrayInputStream(large), large.length + 1)), ErrorKind.INVALID_ARGUMENT);

        assertThat(kodo.content(bucket, "k")).hasValue(previous);
        assertThat(kodo.openUploads()).as("the resumable uploads were aborted").isZero();
        store.put(PutRequest.builder(bucket, "k").expectedChecksums(List.of(
                new Checksum(Checksum.Algorithm.QETAG, QiniuEtag.of(large)), Checksum.md5Hex(md5(large)))).build(),
                Payload.ofStream(new ByteArrayInputStream(large), Payload.UNKNOWN_LENGTH));
        assertThat(kodo.content(bucket, "k")).hasValue(large);
    }

    // ---- optional operations ------------------------------------------------------------

    @Test
    void unsupportedRequestsAreRefusedBeforeAnyRequestIsSent() {
        String bucket = bucket();
        put(bucket, "k", new byte[] {1});
        long before = kodo.faults().faulted();
        kodo.faults().add(FaultRule.builder().times(1_000).fault(Fault.delay(Duration.ZERO)).build());

        kind(() -> store.append(PutRequest.builder(bucket, "k").build(), 1, Payload.ofBytes(new byte[] {2})),
                ErrorKind.UNSUPPORTED);
        kind(() -> store.list(ListRequest.of(bucket, "").withStartAfter("a")), ErrorKind.UNSUPPORTED);
        kind(() -> store.put(PutRequest.builder(bucket, "k").storageClass(StorageClass.of(StorageClass.Family.COLD_ARCHIVE))
                .build(), Payload.ofBytes(new byte[] {2})), ErrorKind.UNSUPPORTED);
        kind(() -> store.put(PutRequest.builder(bucket, "k").expectedChecksums(List.of(
                new Checksum(Checksum.Algorithm.SHA256, "00"))).build(), Payload.ofBytes(new byte[] {2})),
                ErrorKind.UNSUPPORTED);
        kind(() -> store.presign(new PresignRequest(PresignRequest.Method.PUT, bucket, "k", Duration.ofMinutes(5))),
                ErrorKind.UNSUPPORTED);
        kind(() -> store.put(PutRequest.builder(bucket, "k").userMetadata(Map.of("bad name", "v")).build(),
                Payload.ofBytes(new byte[] {2})), ErrorKind.INVALID_ARGUMENT);
        kind(() -> store.stat(bucket, "nul\0key"), ErrorKind.INVALID_ARGUMENT);

        assertThat(kodo.faults().faulted() - before).as("requests sent").isZero();
        assertThat(store.capabilities().append()).isFalse();
        assertThat(kodo.content(bucket, "k")).hasValue(new byte[] {1});
    }

    @Test
    void copyChangesClassAndAddsMetadataOnTheServerAndRefusesAnArchivedSource() {
        String bucket = bucket();
        byte[] data = bytes(5000, 10);
        store.put(PutRequest.builder(bucket, "src").contentType("text/plain").userMetadata(Map.of("color", "blue"))
                .build(), Payload.ofBytes(data));
        long before = kodo.faults().faulted();
        kodo.faults().add(FaultRule.builder().method("GET").pathPrefix("/getfile/").times(1_000)
                .fault(Fault.delay(Duration.ZERO)).build());
        kodo.faults().add(FaultRule.builder().matching(r -> r.method().equals("POST") && r.path().equals("/"))
                .times(1_000).fault(Fault.delay(Duration.ZERO)).build()); // form uploads

        store.copy(CopyRequest.of(bucket, "src", bucket, "dst")
                .withMetadata("text/csv", Map.of("color", "red", "shape", "round"))
                .withStorageClass(StorageClass.of(StorageClass.Family.INFREQUENT)));
        store.copy(CopyRequest.of(bucket, "dst", bucket, "dst").withStorageClass(new StorageClass(
                StorageClass.Family.INFREQUENT, "GLACIER_IR")));

        assertThat(kodo.faults().faulted() - before).as("downloads and uploads sent").isZero();
        kodo.faults().clear();
        ObjectInfo copy = store.stat(bucket, "dst");
        assertThat(copy.contentType()).isEqualTo("text/csv");
        assertThat(copy.userMetadata()).containsEntry("color", "red").containsEntry("shape", "round");
        assertThat(copy.storageClass()).isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT, "GLACIER_IR"));
        assertThat(readAll(store.get(bucket, "dst"))).isEqualTo(data);

        store.setStorageClass(bucket, "src", StorageClass.of(StorageClass.Family.DEEP_ARCHIVE));
        kind(() -> store.copy(CopyRequest.of(bucket, "src", bucket, "thawed")), ErrorKind.ARCHIVED);
        kind(() -> store.copy(CopyRequest.of(bucket, "dst", bucket + "-gone", "x")), ErrorKind.BUCKET_NOT_FOUND);
        assertThat(kodo.keys(bucket)).containsExactly("dst", "src");
    }

    @Test
    void multipartKeepsItsClassAndMetadataAcrossStoresAndReportsTheQetag() {
        String bucket = bucket();
        int part = 4 * 1024 * 1024;
        byte[] data = bytes(2 * part + 999, 11);
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "mp").contentType("video/mp4")
                .userMetadata(Map.of("origin", "camera")).storageClass(StorageClass.of(StorageClass.Family.INFREQUENT))
                .build());

        List<CompletedPart> parts = new ArrayList<>();
        try (ObjectStore other = open(SK, Map.of())) { // another worker's store continues the upload
            parts.add(other.uploadPart(upload, 2, Payload.ofStream(new ByteArrayInputStream(data, part, part), part)));
            parts.add(store.uploadPart(upload, 3, Payload.ofStream(
                    new ByteArrayInputStream(data, 2 * part, 999), Payload.UNKNOWN_LENGTH)));
            parts.add(other.uploadPart(upload, 1, Payload.ofBytes(data, 0, part)));
            // parts that fail half-sent must not leave their connection to the next request
            kind(() -> other.uploadPart(upload, 4, Payload.ofStream(new ByteArrayInputStream(new byte[10]), 11)),
                    ErrorKind.INVALID_ARGUMENT);
            StorageException broken = kind(() -> other.uploadPart(upload, 5, Payload.ofStream(brokenAfter(1000), 5000)),
                    ErrorKind.TRANSIENT);
            assertThat(broken.getMessage()).contains("source went away");
            WriteResult result = other.completeMultipart(upload, parts);
            assertThat(result.checksum(Checksum.Algorithm.QETAG))
                    .contains(new Checksum(Checksum.Algorithm.QETAG, QiniuEtag.of(data)));
        }

        ObjectInfo info = store.stat(bucket, "mp");
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.contentType()).isEqualTo("video/mp4");
        assertThat(info.userMetadata()).containsEntry("origin", "camera");
        assertThat(info.storageClass().family()).isEqualTo(StorageClass.Family.INFREQUENT);
        assertThat(kodo.content(bucket, "mp")).hasValue(data);
        assertThat(kodo.openUploads()).isZero();
        kind(() -> store.uploadPart(new MultipartUpload(bucket, "mp", "not-ours"), 1, Payload.ofBytes(new byte[1])),
                ErrorKind.NOT_FOUND);
        kind(() -> store.initiateMultipart(PutRequest.builder(bucket, "mp2")
                .expectedChecksums(List.of(Checksum.md5Hex(md5(data)))).build()), ErrorKind.UNSUPPORTED);
    }

    // ---- downloads through bound domains ------------------------------------------------

    @Test
    void inDomainModeDownloadsUseTheDomainBoundToTheBucketAskedOnce() {
        String bucket = bucket();
        String unbound = bucket();
        byte[] data = bytes(500, 12);
        put(bucket, "k", data);
        put(unbound, "k", data);
        kodo.bindDefaultDomain(bucket);
        int[] firstLookups = new int[1];
        int[] laterLookups = new int[1];

        try (ObjectStore domains = open(SK, Map.of("download-mode", "domain"))) {
            byte[] first = countedMatching(firstLookups, FaultRule.builder().method("GET").pathPrefix("/v2/domains"),
                    () -> readAll(domains.get(bucket, "k")));
            byte[] range = countedMatching(laterLookups, FaultRule.builder().method("GET").pathPrefix("/v2/domains"),
                    () -> readAll(domains.get(bucket, "k", ByteRange.suffix(10))));
            URI presigned = domains.presign(new PresignRequest(PresignRequest.Method.GET, bucket, "k",
                    Duration.ofMinutes(1)));
            StorageException e = kind(() -> domains.get(unbound, "k"), ErrorKind.INVALID_ARGUMENT);

            assertThat(first).isEqualTo(data);
            assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(data, 490, 500));
            assertThat(firstLookups[0]).as("the first read asked the uc host").isEqualTo(1);
            assertThat(laterLookups[0]).as("the second read used the remembered domain").isZero();
            assertThat(presigned.toString()).startsWith("http://" + kodo.hostAndPort() + "/k?e=");
            assertThat(e.getMessage()).contains("download domain").contains("download-domain");
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private ObjectStore open(String secret, Map<String, String> options) {
        return new QiniuStoreProvider().open(new RemoteConfig("kodo-test", "qiniu", "http://" + kodo.hostAndPort(),
                null, new Credentials(AK, Secret.of(secret), null), false, null, null, 0, null, options));
    }

    private String bucket() {
        String name = "store-" + buckets.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        kodo.createBucket(name);
        return name;
    }

    private WriteResult put(String bucket, String key, byte[] data) {
        return store.put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(data));
    }

    /** Runs {@code action}, leaving in {@code count[0]} how many requests the emulator received meanwhile. */
    private <T> T counted(int[] count, java.util.function.Supplier<T> action) {
        return countedMatching(count, FaultRule.builder(), action);
    }

    /** Like {@link #counted}, counting only the requests the rule {@code matching} (its filters, not yet built) takes. */
    private <T> T countedMatching(int[] count, FaultRule.Builder matching, java.util.function.Supplier<T> action) {
        // a zero delay is a fault that changes nothing but is counted; rules added earlier apply first
        long before = kodo.faults().faulted();
        kodo.faults().add(matching.times(1_000_000).fault(Fault.delay(Duration.ZERO)).build());
        try {
            return action.get();
        } finally {
            count[0] = (int) (kodo.faults().faulted() - before);
            kodo.faults().clear();
        }
    }

    /** A stream that yields {@code good} bytes, then fails the way a broken download does. */
    private static InputStream brokenAfter(int good) {
        return new InputStream() {
            private int left = good;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    throw new IOException("read failed", StorageException.builder(ErrorKind.TRANSIENT,
                            dev.barge.storage.Operation.GET).detail("the source went away").build());
                }
                int n = Math.min(len, left);
                left -= n;
                return n;
            }
        };
    }

    private HttpResponse<byte[]> fetch(URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] readAll(ObjectContent content) {
        try (content; InputStream body = content.body()) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StorageException kind(ThrowingCallable call, ErrorKind kind) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a StorageException of kind %s", kind).isInstanceOf(StorageException.class);
        StorageException e = (StorageException) thrown;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The emulator's clock: the system clock moved by a settable amount. */
    private static final class ShiftableClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration by) {
            shift = by;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }
}
