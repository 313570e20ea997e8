package dev.barge.storage.qiniu;

import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.Credentials;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import java.util.Map;

/**
 * The Qiniu driver against the conformance suite, on the Kodo emulator. The remote is configured as a
 * private deployment: one endpoint for every host role, downloads through {@code /getfile/}, which
 * serves every bucket the suite creates.
 */
final class QiniuObjectStoreContractTest extends ObjectStoreContract {
    private static final String ACCESS_KEY = "contract-ak";
    private static final String SECRET_KEY = "contract-sk";

    private KodoEmulator kodo;

    @Override
    protected ObjectStore createStore() {
        kodo = KodoEmulator.builder().credentials(ACCESS_KEY, SECRET_KEY).port(0).start();
        return new QiniuStoreProvider().open(new RemoteConfig("kodo", "qiniu", "http://" + kodo.hostAndPort(), null,
                new Credentials(ACCESS_KEY, Secret.of(SECRET_KEY), null), false, null, null, 0, null, Map.of()));
    }

    @Override
    protected void cleanUp() {
        if (kodo != null) {
            kodo.close();
        }
    }
}
