package dev.barge.storage.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.qiniu.storage.model.BatchOpData;
import com.qiniu.storage.model.BatchStatus;
import com.qiniu.storage.model.FileInfo;
import com.qiniu.util.UrlSafeBase64;
import dev.barge.emulator.qiniu.QiniuEtag;
import dev.barge.storage.Checksum;
import dev.barge.storage.DeleteResult;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.Operation;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StorageException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver's translations of Kodo's answers, without a server. */
class QiniuMappingTest {

    @Test
    void theStreamedQetagIsKodosHashForEverySize() {
        int block = QiniuContentHash.BLOCK_SIZE;
        for (int size : new int[] {0, 1, block - 1, block, block + 1, 2 * block, 2 * block + 3}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            QiniuContentHash hash = new QiniuContentHash();
            for (int at = 0; at < size; at += 1_000_003) { // uneven slices across block boundaries
                hash.update(data, at, Math.min(1_000_003, size - at));
            }
            QiniuContentHash.Hashes hashes = hash.finish();
            assertThat(hashes.qetag()).as("%d bytes", size).isEqualTo(QiniuEtag.of(data));
            assertThat(hashes.size()).isEqualTo(size);
            assertThat(QiniuContentHash.isStandardQetag(hashes.qetag())).isTrue();
        }
    }

    @Test
    void aHashFromThePartLayoutIsAnEtagButNotAChecksum() {
        byte[] v2 = new byte[21];
        v2[0] = (byte) 0x9e;
        FileInfo file = file(0, null);
        file.hash = UrlSafeBase64.encodeToString(v2);

        ObjectInfo info = QiniuObjectStore.info("k", file, true);

        assertThat(QiniuContentHash.isStandardQetag(file.hash)).isFalse();
        assertThat(info.etag()).isEqualTo(file.hash);
        assertThat(info.checksum(Checksum.Algorithm.QETAG)).isEmpty();
        assertThat(info.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex("5d41402abc4b2a76b9719d911017c592"));
    }

    @Test
    void kodoTypesBecomeFamiliesThatKeepTheKodoName() {
        assertThat(QiniuObjectStore.info("k", file(4, null), true).storageClass())
                .isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT, "GLACIER_IR"));
        assertThat(QiniuStorageTypes.storageClass(1)).isEqualTo(new StorageClass(StorageClass.Family.INFREQUENT, "LINE"));
        assertThat(QiniuStorageTypes.storageClass(3).requiresRestore()).isTrue();
        assertThat(QiniuStorageTypes.typeOf(new StorageClass(StorageClass.Family.INFREQUENT, "glacier_ir"))).isEqualTo(4);
        assertThat(QiniuStorageTypes.typeOf(new StorageClass(StorageClass.Family.ARCHIVE, "STANDARD_IA"))).isEqualTo(2);
        assertThat(QiniuStorageTypes.typeOf(new StorageClass(StorageClass.Family.DEEP_ARCHIVE, "3"))).isEqualTo(3);
        assertThat(QiniuStorageTypes.typeOf(StorageClass.of(StorageClass.Family.COLD_ARCHIVE))).isEqualTo(-1);

        ObjectInfo restoring = QiniuObjectStore.info("k", file(2, 1), true);
        ObjectInfo restored = QiniuObjectStore.info("k", file(3, 2), false);
        assertThat(restoring.restore()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(restoring.isReadable()).isFalse();
        assertThat(restored.restore().state()).isEqualTo(RestoreStatus.State.RESTORED);
        assertThat(restored.isReadable()).isTrue();
        assertThat(restored.contentType()).isNull();
        assertThat(restored.userMetadata()).isEmpty();
        assertThat(restoring.userMetadata()).containsEntry("owner", "ops");
        assertThat(restoring.lastModified()).isEqualTo(Instant.parse("2024-12-31T12:00:00.1234567Z"));
    }

    @Test
    void aBatchFailsOnlyTheKeysKodoRefusedAndAMissingBucketFailsAll() {
        List<String> keys = List.of("ok", "gone", "busy", "locked");
        BatchStatus[] statuses = {status(200, null), status(612, "no such file or directory"),
            status(599, "server operation failed"), status(403, "permission denied")};

        DeleteResult result = QiniuObjectStore.deleteResult("b", keys, new QiniuObjectStore.BatchAnswer(statuses, "req-1"));

        assertThat(result.deleted()).containsExactly("ok", "gone");
        assertThat(result.failed()).containsOnlyKeys("busy", "locked");
        assertThat(result.failed().get("busy").kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(result.failed().get("busy").requestId()).isEqualTo("req-1");
        assertThat(result.failed().get("locked").kind()).isEqualTo(ErrorKind.ACCESS_DENIED);
        assertThat(result.failed().get("locked").vendorCode()).isEqualTo("403");
        assertThat(result.failed().get("locked").getMessage()).contains("delete_batch b/locked");

        StorageException missing = catchThrowableOfType(StorageException.class, () -> QiniuObjectStore.deleteResult("b",
                List.of("x"), new QiniuObjectStore.BatchAnswer(new BatchStatus[] {status(631, "no such bucket")}, "r")));
        assertThat(missing.kind()).isEqualTo(ErrorKind.BUCKET_NOT_FOUND);
        StorageException short_ = catchThrowableOfType(StorageException.class, () -> QiniuObjectStore.deleteResult("b",
                keys, new QiniuObjectStore.BatchAnswer(new BatchStatus[] {status(200, null)}, "r")));
        assertThat(short_.kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void kodoCodesBecomeKinds() {
        Map<Integer, ErrorKind> expected = Map.ofEntries(
                Map.entry(612, ErrorKind.NOT_FOUND), Map.entry(631, ErrorKind.BUCKET_NOT_FOUND),
                Map.entry(614, ErrorKind.CONFLICT), Map.entry(401, ErrorKind.INVALID_CREDENTIALS),
                Map.entry(573, ErrorKind.THROTTLED), Map.entry(429, ErrorKind.THROTTLED),
                Map.entry(500, ErrorKind.TRANSIENT), Map.entry(502, ErrorKind.TRANSIENT),
                Map.entry(503, ErrorKind.TRANSIENT), Map.entry(504, ErrorKind.TRANSIENT),
                Map.entry(599, ErrorKind.TRANSIENT), Map.entry(400, ErrorKind.INVALID_ARGUMENT),
                Map.entry(416, ErrorKind.INVALID_ARGUMENT), Map.entry(640, ErrorKind.INVALID_ARGUMENT),
                Map.entry(406, ErrorKind.CHECKSUM_MISMATCH), Map.entry(579, ErrorKind.PERMANENT));
        expected.forEach((code, kind) -> assertThat(QiniuErrors.kindOf(code, "x")).as("%d", code).isEqualTo(kind));
        assertThat(QiniuErrors.kindOf(403, "permission denied")).isEqualTo(ErrorKind.ACCESS_DENIED);
        assertThat(QiniuErrors.kindOf(403, "archive file is not restored")).isEqualTo(ErrorKind.ARCHIVED);
        assertThat(QiniuErrors.kindOf(403, "bucket is not empty")).isEqualTo(ErrorKind.CONFLICT);

        StorageException e = QiniuErrors.status(Operation.STAT, "b", "k", 573, "too many requests", "abc", null);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.vendorCode()).isEqualTo("573");
        assertThat(e.requestId()).isEqualTo("abc");
        assertThat(e.getMessage()).contains("stat b/k").contains("too many requests");
    }

    @Test
    void theUploadIdCarriesWhatKodoWantsAtCompletion() {
        QiniuUploadId id = new QiniuUploadId("kodo.upload-1", "text/plain; charset=utf-8", 3,
                Map.of("origin", "camera", "note", "a=b.c"));

        assertThat(QiniuUploadId.decode(id.encode())).isEqualTo(id);
        assertThat(QiniuUploadId.decode("plain-id")).isNull();
        assertThat(QiniuUploadId.decode("id.%%%")).isNull();
    }

    private static FileInfo file(int type, Integer restoreStatus) {
        FileInfo file = new FileInfo();
        file.fsize = 5;
        file.hash = "FkT3Xs2ccT5aY3rq";
        file.md5 = "5d41402abc4b2a76b9719d911017c592";
        file.mimeType = "text/plain";
        file.putTime = 17356464001234567L;
        file.type = type;
        file.restoreStatus = restoreStatus;
        file.meta = Map.of("Owner", "ops");
        return file;
    }

    private static BatchStatus status(int code, String error) {
        BatchStatus status = new BatchStatus();
        status.code = code;
        if (error != null) {
            status.data = new BatchOpData();
            status.data.error = error;
        }
        return status;
    }
}
