package dev.barge.storage.azure;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Azure driver against the conformance suite, on Azurite (see {@link AzuriteServer}), Microsoft's
 * emulator, with the development account's key.
 *
 * <p>Azurite departs from the service in one way the suite sees, declared as a deviation:
 * {@code UTF16_LISTING_ORDER}: it sorts blob names as JavaScript strings (loki's {@code simplesort}
 * on UTF-16 units), so {@code b😀} lists before {@code b\uE000}. The driver passes on the order the
 * service gives; that Azure itself lists in UTF-8 byte order is not checked here.
 *
 * <p>Not deviations, but worth knowing: Azurite rehydrates an archived blob at once (the service takes
 * hours), so {@link AzureStoreTest} sees a restore finish immediately; and it answers a wrong
 * Content-MD5 with {@code InvalidOperation} where the service says {@code Md5Mismatch}
 * ({@link AzureErrors} maps both).
 */
final class AzureObjectStoreContractTest extends ObjectStoreContract {
    private AzuriteServer azurite;

    @Override
    protected ObjectStore createStore() {
        azurite = AzuriteServer.start();
        return new AzureStoreProvider().open(azurite.remote("azurite"));
    }

    @Override
    protected void cleanUp() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Override
    protected Set<ServerDeviation> serverDeviations() {
        return EnumSet.of(ServerDeviation.UTF16_LISTING_ORDER);
    }
}
