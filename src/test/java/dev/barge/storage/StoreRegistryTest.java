package dev.barge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.local.LocalStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRegistryTest {

    @TempDir
    Path root;

    @Test
    void opensAConfiguredRemoteOnceAndDecoratesIt() throws Exception {
        AtomicInteger decorated = new AtomicInteger();
        try (StoreRegistry registry = new StoreRegistry(List.of(new LocalStoreProvider()),
                List.of(RemoteConfig.local("disk", root)), (remote, store) -> {
                    decorated.incrementAndGet();
                    assertThat(remote.name()).isEqualTo("disk");
                    return store;
                })) {
            ObjectStore store = registry.store(Location.parse("disk:bucket/x"));
            assertThat(registry.store("disk")).isSameAs(store);
            assertThat(decorated).hasValue(1);

            store.createBucket("bucket");
            assertThat(Files.isDirectory(root.resolve("bucket"))).isTrue();
        }
    }

    @Test
    void fileUrisUseTheLocalFileSystemFromTheRoot() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hi");
        Location location = Location.parse("file://" + root.resolve("hello.txt"));
        try (StoreRegistry registry = new StoreRegistry(List.of(new LocalStoreProvider()), List.of(),
                StoreRegistry.StoreDecorator.NONE)) {
            ObjectStore store = registry.store(location);
            assertThat(store.stat(location.bucket(), location.path()).size()).isEqualTo(2);
        }
    }

    @Test
    void anUnknownRemoteIsAnInvalidArgumentListingTheKnownOnes() {
        StoreRegistry registry = new StoreRegistry(List.of(new LocalStoreProvider()),
                List.of(RemoteConfig.local("disk", root), RemoteConfig.local("backup", root)),
                StoreRegistry.StoreDecorator.NONE);

        StorageException e = catchThrowableOfType(StorageException.class, () -> registry.store("prod"));

        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("unknown remote 'prod'").contains("[backup, disk]")
                .contains("barge.remotes.prod");
    }

    @Test
    void aRemoteOfAnUnknownTypeIsAnInvalidArgument() {
        StoreRegistry registry = new StoreRegistry(List.of(new LocalStoreProvider()),
                List.of(RemoteConfig.defaults("weird", "ftp")), StoreRegistry.StoreDecorator.NONE);

        StorageException e = catchThrowableOfType(StorageException.class, () -> registry.store("weird"));

        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("remote 'weird' has type 'ftp'").contains("[local]");
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        Credentials credentials = new Credentials("AKIDEXAMPLE", Secret.of("wJalrXUtnFEMI/K7MDENG"), Secret.of("token123"));
        RemoteConfig config = new RemoteConfig("prod", "s3", "https://s3.example.com", "eu-west-1", credentials, true,
                null, null, 0, null, null);
        assertThat(config.toString()).contains("AKIDEXAMPLE").doesNotContain("wJalrXUtnFEMI").doesNotContain("token123");
    }
}
