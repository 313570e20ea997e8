package dev.barge.storage.local;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import dev.barge.storage.RemoteConfig;
import dev.barge.test.TempDirs;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/** The local driver against the conformance suite, on a temporary directory. */
final class LocalObjectStoreContractTest extends ObjectStoreContract {
    private Path root;

    @Override
    protected ObjectStore createStore() throws Exception {
        root = TempDirs.create("barge-contract-");
        return new LocalStoreProvider().open(RemoteConfig.local("local", root));
    }

    @Override
    protected void cleanUp() throws Exception {
        FileSystemUtils.deleteRecursively(root);
    }
}
