package dev.barge.storage.local;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.ObjectStoreContract;
import dev.barge.storage.RemoteConfig;
import dev.barge.test.TempDirs;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/** The local driver with {@code options.metadata: sidecar}: metadata in {@code .barge.meta/} files only. */
final class LocalSidecarContractTest extends ObjectStoreContract {
    private Path root;

    @Override
    protected ObjectStore createStore() throws Exception {
        root = TempDirs.create("barge-contract-sidecar-");
        return new LocalStoreProvider().open(RemoteConfig.local("local", root).withOption("metadata", "sidecar"));
    }

    @Override
    protected void cleanUp() throws Exception {
        FileSystemUtils.deleteRecursively(root);
    }
}
