package dev.barge.storage.oss;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.oss.RestorePolicy;
import dev.barge.storage.Credentials;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OSS driver against the conformance suite, signing with V1, on an {@link OssEmulator}.
 * {@link OssV4ObjectStoreContractTest} runs the whole suite again signing with V4.
 */
class OssObjectStoreContractTest extends ObjectStoreContract {
    static final String ACCESS_KEY = "contract-access-key";
    static final String SECRET = "contract-secret";

    private OssEmulator emulator;

    @Override
    protected ObjectStore createStore() {
        emulator = OssEmulator.builder().credentials(ACCESS_KEY, SECRET).port(0).region("cn-hangzhou")
                .restorePolicy(RestorePolicy.manual()).build().start();
        return new OssStoreProvider().open(remote(emulator.endpoint()));
    }

    /** The remote under test: V1 signatures, no region. */
    protected RemoteConfig remote(String endpoint) {
        return new RemoteConfig("oss-contract", "oss", endpoint, null,
                new Credentials(ACCESS_KEY, Secret.of(SECRET), null), false, null, null, 0, null,
                Map.of("signature-version", "v1"));
    }

    @Override
    protected void cleanUp() {
        if (emulator != null) {
            emulator.close();
        }
    }

    /**
     * OSS deviation: OSS keys have at most 1023 UTF-8 bytes, one less than the SPI's 1024, so the
     * suite's 1024-byte key becomes a 1023-byte one here. OssStoreTest checks that a 1024-byte key
     * fails with INVALID_ARGUMENT, as the SPI says for keys a store cannot hold.
     */
    @Override
    protected List<String> awkwardKeys() {
        List<String> keys = new ArrayList<>(super.awkwardKeys());
        String longKey = longKey();
        keys.replaceAll(key -> key.equals(longKey) ? longKey.substring(0, longKey.length() - 1) : key);
        return keys;
    }
}
