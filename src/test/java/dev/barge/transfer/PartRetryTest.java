package dev.barge.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.oss.OssExchange;
import dev.barge.storage.Credentials;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.local.LocalStoreProvider;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large object read in parts from a real OSS SDK against the emulator, whose connection breaks
 * mid-part: only that part is read again, and the object is not started over.
 */
class PartRetryTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path temp;

    private final OssEmulator oss = OssEmulator.start("ak", "sk");
    private final ExecutorService parts = Executors.newFixedThreadPool(3);
    private ObjectStore source;
    private ObjectStore target;

    @BeforeEach
    void stores() throws IOException {
        source = new OssStoreProvider().open(new RemoteConfig("oss", "oss", oss.endpoint(), null,
                new Credentials("ak", Secret.of("sk"), null), false, null, null, 0, null,
                Map.of("signature-version", "v1")));
        target = new LocalStoreProvider().open(RemoteConfig.local("disk", Files.createDirectories(temp.resolve("dst")))
                .withOption("multipart-min-part-size", "1MB").withOption("sync", "false"));
        source.createBucket("source");
        target.createBucket("out");
    }

    @AfterEach
    void stop() {
        parts.shutdownNow();
        source.close();
        target.close();
        oss.close();
    }

    @Test
    void aPartCutOffMidBodyIsReadAgainAloneAndTheCopyCompletes() throws IOException {
        byte[] data = new byte[4 * MIB + 777];
        new Random(4).nextBytes(data);
        source.put(PutRequest.builder("source", "big.bin").build(), Payload.ofBytes(data));
        ObjectInfo listed = source.list(ListRequest.of("source", "big.bin")).objects().get(0);
        oss.clearJournal();
        // the second ranged GET from now sends half its body, then closes the connection
        oss.faults().add(FaultRule.builder().method("GET").keyPrefix("big.bin").skip(1)
                .fault(Fault.truncatedBody()).build());
        ObjectTransfer transfer = new ObjectTransfer(new TransferSettings(MIB, MIB, 3), parts);

        TransferResult result = transfer.transfer(new TransferRequest(source, "source", listed, target, "out", "big.bin",
                false, null));

        assertThat(result.method()).isEqualTo(TransferResult.Method.MULTIPART);
        try (ObjectContent copy = target.get("out", "big.bin")) {
            assertThat(copy.body().readAllBytes()).isEqualTo(data);
        }
        List<OssExchange> gets = oss.journal().stream().filter(e -> e.request().method().equals("GET")).toList();
        assertThat(gets).as("5 parts, one of them read twice").hasSize(6);
        assertThat(gets).filteredOn(e -> e.fault() != null).hasSize(1);
    }
}
