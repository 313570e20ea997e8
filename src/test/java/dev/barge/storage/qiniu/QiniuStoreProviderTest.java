package dev.barge.storage.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A qiniu remote's settings are checked when the store opens, before any request. */
class QiniuStoreProviderTest {
    private static final Credentials KEYS = new Credentials("ak", Secret.of("the-secret"), null);

    @Test
    void anEndpointServesEveryHostRoleAndRoleOptionsOverrideIt() {
        QiniuSettings settings = QiniuSettings.from(remote("http://10.0.0.5:9000", null, KEYS,
                Map.of("up-host", "up.internal:9001", "io-host", "http://io.internal")));

        assertThat(settings.hosts()).isEqualTo(new QiniuSettings.Hosts("up.internal:9001", "10.0.0.5:9000",
                "10.0.0.5:9000", "10.0.0.5:9000", "10.0.0.5:9000", "io.internal"));
        assertThat(settings.https()).isFalse();
        assertThat(settings.regionId()).isEqualTo("z0");
        assertThat(settings.downloadMode()).isEqualTo(QiniuSettings.DownloadMode.GETFILE);
        assertThat(settings.formUploadThreshold()).isEqualTo(4L * 1024 * 1024);
    }

    @Test
    void withoutAnEndpointTheRegionsHostsAreUsedAndDownloadsGoThroughDomains() {
        QiniuSettings settings = QiniuSettings.from(remote(null, "z2", KEYS, Map.of(
                "download-domain", "cdn.example.com",
                "download-domains", "photos=http://img.example.com:8080, logs=https://logs.example.com",
                "form-upload-threshold", "16MB")));

        assertThat(settings.hosts()).isNull();
        assertThat(settings.regionId()).isEqualTo("z2");
        assertThat(settings.https()).isTrue();
        assertThat(settings.downloadMode()).isEqualTo(QiniuSettings.DownloadMode.DOMAIN);
        assertThat(settings.downloadDomain()).isEqualTo("https://cdn.example.com");
        assertThat(settings.bucketDomains()).containsEntry("photos", "http://img.example.com:8080")
                .containsEntry("logs", "https://logs.example.com");
        assertThat(settings.formUploadThreshold()).isEqualTo(16L * 1024 * 1024);
        try (ObjectStore store = new QiniuStoreProvider().open(remote(null, null, KEYS, Map.of()))) {
            assertThat(store.capabilities().maxBatchDeleteSize()).isEqualTo(1000);
        }
    }

    @Test
    void wrongSettingsNameTheRemoteAndTheSetting() {
        assertInvalid(remote("http://h", null, null, Map.of()), "access-key-id");
        assertInvalid(remote("http://h", null, new Credentials("ak", Secret.of("s"), Secret.of("sts")), Map.of()),
                "session token");
        assertInvalid(remote("http://h:1/prefix", null, KEYS, Map.of()), "endpoint");
        assertInvalid(remote("ftp://h", null, KEYS, Map.of()), "endpoint");
        assertInvalid(remote(null, null, KEYS, Map.of("rs-host", "rs.internal")), "all of");
        assertInvalid(remote("https://h", null, KEYS, Map.of("io-host", "http://io")), "io-host");
        assertInvalid(remote("https://h", null, KEYS, Map.of("use-https", "false")), "use-https");
        assertInvalid(remote(null, "z0", KEYS, Map.of("download-mode", "getfile")), "getfile");
        assertInvalid(remote(null, "z0", KEYS, Map.of("download-mode", "cdn")), "download-mode");
        assertInvalid(remote(null, "z0", KEYS, Map.of("download-domains", "photos")), "download-domains");
        assertInvalid(remote(null, "z0", KEYS, Map.of("form-upload-threshold", "2GB")), "form-upload-threshold");
        assertInvalid(remote(null, "z0", KEYS, Map.of("form-upload-threshold", "lots")), "form-upload-threshold");
    }

    private static void assertInvalid(RemoteConfig config, String mentioned) {
        StorageException e = catchThrowableOfType(StorageException.class, () -> new QiniuStoreProvider().open(config));
        assertThat(e).as("opening with %s", config.options()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("remote 'kodo'").contains(mentioned).doesNotContain("the-secret");
    }

    private static RemoteConfig remote(String endpoint, String region, Credentials credentials,
            Map<String, String> options) {
        return new RemoteConfig("kodo", "qiniu", endpoint, region, credentials, false, null, null, 0, null,
                new HashMap<>(options));
    }
}
