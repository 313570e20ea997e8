package dev.barge.storage.oss;

import dev.barge.storage.Credentials;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import java.util.Map;

/** The whole conformance suite again, signing with V4 (the default once a region is known). */
final class OssV4ObjectStoreContractTest extends OssObjectStoreContractTest {

    @Override
    protected RemoteConfig remote(String endpoint) {
        return new RemoteConfig("oss-contract-v4", "oss", endpoint, "cn-hangzhou",
                new Credentials(ACCESS_KEY, Secret.of(SECRET), null), false, null, null, 0, null, Map.of());
    }
}
