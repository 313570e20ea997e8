package dev.barge.storage.qiniu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.qiniu.storage.Configuration;
import com.qiniu.storage.Region;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A request that gets no answer names the host the remote sent it to, as the remote names it or as
 * the driver picked it for the region, and what to check: a refused connection alone shows only an IP
 * address and port. Nothing listens on 127.0.0.1:9 (discard); the other hosts are the Kodo emulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QiniuUnreachableHostTest {
    private static final String AK = "unreachable-ak";
    private static final String SK = "unreachable-secret-key";
    private static final String NOBODY = "127.0.0.1:9";

    private KodoEmulator kodo;

    @BeforeAll
    void start() {
        kodo = KodoEmulator.builder().credentials(AK, SK).port(0).start();
        kodo.createBucket("hosts-bucket");
    }

    @AfterAll
    void stop() {
        kodo.close();
    }

    @Test
    void anEndpointWhereNothingListensIsNamedWithTheSettingToCheck() {
        try (ObjectStore store = open("kn", "http://" + NOBODY, null, Map.of())) {
            StorageException list = failure(() -> store.list(ListRequest.of("hosts-bucket", "")));
            StorageException stat = failure(() -> store.stat("hosts-bucket", "k"));
            StorageException put = failure(() -> store.put(PutRequest.builder("hosts-bucket", "k").build(),
                    Payload.ofBytes(new byte[] {1})));
            StorageException buckets = failure(store::listBuckets);

            assertThat(list.getMessage()).contains("Kodo at " + NOBODY + " (the rsf host of remote 'kn') did not answer: ",
                    "; check endpoint (or rsf-host) of remote 'kn' and that this machine can reach it");
            assertThat(stat.getMessage()).contains("Kodo at " + NOBODY + " (the rs host of remote 'kn') did not answer",
                    "check endpoint (or rs-host) of remote 'kn'");
            assertThat(put.getMessage()).contains("Kodo at " + NOBODY + " (the up host of remote 'kn') did not answer",
                    "check endpoint (or up-host) of remote 'kn'");
            assertThat(buckets.getMessage()).contains("Kodo at " + NOBODY + " (the uc host of remote 'kn') did not answer",
                    "check endpoint (or uc-host) of remote 'kn'");
            for (StorageException e : new StorageException[] {list, stat, put, buckets}) {
                assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
                assertThat(e.host()).isEqualTo(NOBODY);
                assertThat(e.getMessage()).doesNotContain(SK);
            }
        }
    }

    @Test
    void theHostThatFailedIsNamedWhenTheOthersAnswer() {
        // no endpoint, every role on the emulator but the one under test; then a download domain
        Map<String, String> roles = new LinkedHashMap<>();
        for (String option : QiniuSettings.HOST_OPTIONS) {
            roles.put(option, "http://" + kodo.hostAndPort());
        }
        Map<String, String> ioDown = new LinkedHashMap<>(roles);
        ioDown.put("io-host", "http://" + NOBODY);
        Map<String, String> upDown = new LinkedHashMap<>(roles);
        upDown.put("up-host", "http://" + NOBODY);
        try (ObjectStore writer = open("kw", null, "z0", roles)) {
            writer.put(PutRequest.builder("hosts-bucket", "there").build(), Payload.ofBytes(new byte[] {1, 2, 3}));
        }

        StorageException get;
        try (ObjectStore store = open("kio", null, "z0", ioDown)) {
            assertThat(store.stat("hosts-bucket", "there").size()).isEqualTo(3);
            get = failure(() -> store.get("hosts-bucket", "there", null).close());
        }
        StorageException put;
        try (ObjectStore store = open("kup", null, "z0", upDown)) {
            put = failure(() -> store.put(PutRequest.builder("hosts-bucket", "new").build(), Payload.ofBytes(new byte[] {4})));
        }

        StorageException domain;
        try (ObjectStore store = open("kd", "http://" + kodo.hostAndPort(), null,
                Map.of("download-domain", "http://" + NOBODY))) {
            domain = failure(() -> store.get("hosts-bucket", "there", null).close());
        }

        assertThat(domain.getMessage()).contains("Kodo at " + NOBODY + " (the download-domain of remote 'kd') did not"
                + " answer", "check download-domain of remote 'kd' and that this machine can reach it");
        assertThat(get.getMessage()).contains("Kodo at " + NOBODY + " (the io host of remote 'kio') did not answer",
                "check endpoint (or io-host) of remote 'kio'");
        assertThat(get.host()).isEqualTo(NOBODY);
        assertThat(put.getMessage()).contains("Kodo at " + NOBODY + " (the up host of remote 'kup') did not answer",
                "check endpoint (or up-host) of remote 'kup'");
        assertThat(kodo.keys("hosts-bucket")).containsExactly("there");
    }

    @Test
    void aRegionOnlyRemoteNamesTheRegionsDefaultHostAndNoRegionTheUcHost() {
        // the hosts only: no request is sent
        QiniuSettings z1 = QiniuSettings.from(remote("kr", null, "z1", Map.of()));
        Configuration cfg = QiniuObjectStore.configuration(z1);
        QiniuHosts hosts = new QiniuHosts(z1, cfg);
        Configuration sdk = new Configuration(Region.createWithRegionId("z1"));

        QiniuHosts.Host rs = hosts.of(QiniuHosts.Role.RS, "photos");
        QiniuHosts.Host rsf = hosts.of(QiniuHosts.Role.RSF, "photos");

        assertThat(rs.host()).isEqualTo(QiniuHosts.bare(sdk.rsHost(AK, "photos"))).doesNotContain("://");
        assertThat(rsf.host()).isEqualTo(QiniuHosts.bare(sdk.rsfHost(AK, "photos"))).isNotEqualTo(rs.host());
        assertThat(rs.role()).isEqualTo("the rs host of region z1, as remote 'kr' names no endpoint");
        assertThat(rs.check()).contains("check region of remote 'kr'", "or set its endpoint");

        QiniuSettings auto = QiniuSettings.from(remote("ka", null, null, Map.of()));
        QiniuHosts.Host lookup = new QiniuHosts(auto, QiniuObjectStore.configuration(auto)).of(QiniuHosts.Role.RS, "photos");
        assertThat(lookup.host()).isEqualTo(QiniuHosts.bare(Configuration.defaultUcHost));
        assertThat(lookup.role()).contains("which region serves bucket 'photos'", "remote 'ka' sets no region");
        assertThat(lookup.check()).contains("set region (z0, z1");
    }

    private static StorageException failure(ThrowingCallable call) {
        return catchThrowableOfType(StorageException.class, call);
    }

    private static ObjectStore open(String name, String endpoint, String region, Map<String, String> options) {
        return new QiniuStoreProvider().open(remote(name, endpoint, region, options));
    }

    private static RemoteConfig remote(String name, String endpoint, String region, Map<String, String> options) {
        return new RemoteConfig(name, "qiniu", endpoint, region, new Credentials(AK, Secret.of(SK), null), false, null,
                null, 0, null, options);
    }
}
