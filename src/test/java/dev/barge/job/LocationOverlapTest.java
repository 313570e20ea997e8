package dev.barge.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barge.batch.ObjectFilter;
import dev.barge.job.LocationOverlap.Overlap;
import dev.barge.job.LocationOverlap.Relation;
import dev.barge.storage.Credentials;
import dev.barge.storage.Location;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.RestoreStatus;
import dev.barge.storage.Secret;
import dev.barge.storage.StorageClass;
import dev.barge.storage.StoreRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationOverlapTest {

    @TempDir
    Path dir;

    private static RemoteConfig s3(String name, String endpoint, String region, String accessKey, String secret) {
        return new RemoteConfig(name, "s3", endpoint, region,
                accessKey == null ? null : new Credentials(accessKey, Secret.of(secret), null), true, null, null, 0,
                null, Map.of());
    }

    private static RemoteConfig remote(String name, String type, String endpoint, String region) {
        return new RemoteConfig(name, type, endpoint, region, null, false, null, null, 0, null, Map.of());
    }

    private static LocationOverlap guard(RemoteConfig... remotes) {
        return new LocationOverlap(new StoreRegistry(List.of(), List.of(remotes), StoreRegistry.StoreDecorator.NONE));
    }

    private static Overlap compare(LocationOverlap guard, String a, String b) {
        return guard.compare(Location.parse(a), Location.parse(b));
    }

    private static Relation relation(LocationOverlap guard, String a, String b) {
        return compare(guard, a, b).relation();
    }

    private final LocationOverlap minio = guard(s3("m", "http://minio.example:9000", "us-east-1", "k", "s"));

    @Test
    void theSameLocationHoweverSpelled() {
        assertThat(relation(minio, "m:b/photos", "m:b/photos")).isEqualTo(Relation.SAME);
        assertThat(relation(minio, "m:b/photos", "m:b/photos/")).isEqualTo(Relation.SAME);
        assertThat(relation(minio, "m:b", "m:b")).isEqualTo(Relation.SAME);
    }

    @Test
    void parentAndChildBothWaysWithTheInnerPrefix() {
        Overlap down = compare(minio, "m:b/photos", "m:b/photos/2024/jan");
        assertThat(down.relation()).isEqualTo(Relation.CONTAINS);
        assertThat(down.innerPrefix()).isEqualTo("2024/jan/");

        Overlap up = compare(minio, "m:b/n/a", "m:b/n");
        assertThat(up.relation()).isEqualTo(Relation.INSIDE);
        assertThat(up.innerPrefix()).isEqualTo("a/");
    }

    @Test
    void siblingsSharingAStringPrefixAreDisjoint() {
        assertThat(relation(minio, "m:b/photos", "m:b/photos2")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(minio, "m:b/photos2/x", "m:b/photos")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(minio, "m:b/a/b", "m:b/a/c")).isEqualTo(Relation.DISJOINT);
    }

    @Test
    void theWholeBucketContainsEveryPrefix() {
        Overlap whole = compare(minio, "m:b", "m:b/sub");
        assertThat(whole.relation()).isEqualTo(Relation.CONTAINS);
        assertThat(whole.innerPrefix()).isEqualTo("sub/");
        assertThat(relation(minio, "m:b/deep/er", "m:b")).isEqualTo(Relation.INSIDE);
    }

    @Test
    void differentBucketsAreDisjoint() {
        assertThat(relation(minio, "m:b/x", "m:c/x")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(minio, "m:b", "m:bb")).isEqualTo(Relation.DISJOINT);
    }

    @Test
    void twoLocalRemotesWithDifferentRootsReachingOneDirectory() throws IOException {
        Path srv = Files.createDirectories(dir.resolve("srv"));
        Files.createDirectories(srv.resolve("archive/x"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), srv.resolve("archive"));
        LocationOverlap guard = guard(RemoteConfig.local("top", srv), RemoteConfig.local("inner", srv.resolve("archive")),
                RemoteConfig.local("linked", link), RemoteConfig.local("other", Files.createDirectories(dir.resolve("o"))));

        assertThat(relation(guard, "top:archive/x", "inner:x")).isEqualTo(Relation.SAME);
        assertThat(relation(guard, "top:archive/x/y", "linked:x/y")).as("through a symbolic link").isEqualTo(Relation.SAME);
        assertThat(relation(guard, "linked:x/not/yet/there", "top:archive/x/not/yet/there"))
                .as("paths that do not exist yet").isEqualTo(Relation.SAME);
        Overlap fileUri = compare(guard, "file://" + srv.resolve("archive"), "linked:x/y");
        assertThat(fileUri.relation()).as("file:///a/b is bucket a under /").isEqualTo(Relation.CONTAINS);
        assertThat(fileUri.innerPrefix()).isEqualTo("x/y/");
        assertThat(fileUri.place()).contains(srv.toRealPath().resolve("archive").toString());
        assertThat(relation(guard, "linked:x", "top:archive")).isEqualTo(Relation.INSIDE);
        assertThat(relation(guard, "top:archive/x", "top:archive/x2")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(guard, "top:archive", "other:archive")).isEqualTo(Relation.DISJOINT);
    }

    @Test
    void twoS3RemotesWithOtherCredentialsOnOneEndpointOverlap() {
        LocationOverlap guard = guard(
                s3("alice", "http://minio.example:9000", "us-east-1", "alice", "a-secret"),
                s3("bob", "HTTP://Minio.Example:9000/", "eu-west-1", "bob", "b-secret"),
                s3("local1", "http://127.0.0.1:9000", null, "k", "s"),
                s3("local2", "http://localhost:9000", null, "k", "s"),
                s3("tls", "https://minio.example", null, "k", "s"),
                s3("tls443", "https://minio.example:443", null, "k", "s"));
        Overlap same = compare(guard, "alice:b/data", "bob:b/data");
        assertThat(same.relation()).isEqualTo(Relation.SAME);
        assertThat(same.place()).contains("bucket 'b'", "minio.example:9000");
        assertThat(relation(guard, "local1:b", "local2:b/x")).isEqualTo(Relation.CONTAINS);
        assertThat(relation(guard, "tls:b", "tls443:b")).as("the default port").isEqualTo(Relation.SAME);
    }

    @Test
    void differentEndpointsAreDifferentNamespaces() {
        LocationOverlap guard = guard(
                s3("one", "http://minio-1.example:9000", null, "k", "s"),
                s3("two", "http://minio-2.example:9000", null, "k", "s"),
                s3("port", "http://minio-1.example:9001", null, "k", "s"),
                s3("aws", null, null, null, null),
                remote("oss", "oss", "http://minio-1.example:9000", null));
        assertThat(relation(guard, "one:b/x", "two:b/x")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(guard, "one:b/x", "port:b/x")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(guard, "one:b/x", "aws:b/x")).as("AWS is not a MinIO").isEqualTo(Relation.DISJOINT);
        assertThat(relation(guard, "one:b/x", "oss:b/x")).as("another type").isEqualTo(Relation.DISJOINT);
    }

    @Test
    void theVendorsPublicCloudWithOrWithoutAnExplicitEndpointIsOneNamespace() {
        LocationOverlap guard = guard(
                s3("aws", null, null, null, null),
                s3("frankfurt", "https://s3.eu-central-1.amazonaws.com", "eu-central-1", "k", "s"),
                s3("china", null, "cn-north-1", null, null),
                s3("china2", "https://s3.cn-northwest-1.amazonaws.com.cn", null, null, null),
                remote("ossregion", "oss", null, "cn-hangzhou"),
                remote("ossendpoint", "oss", "oss-cn-shanghai.aliyuncs.com", null),
                remote("ossenv", "oss", null, null),
                remote("ossemulator", "oss", "http://127.0.0.1:8080", null),
                remote("kodo", "qiniu", null, "z0"),
                remote("kodo2", "qiniu", "https://rs.qiniuapi.com", null),
                remote("kodoprivate", "qiniu", "http://kodo.internal:9000", null));

        assertThat(relation(guard, "aws:b/x", "frankfurt:b/x")).isEqualTo(Relation.SAME);
        assertThat(relation(guard, "s3://b/x", "frankfurt:b/x/y")).as("the s3:// scheme is AWS").isEqualTo(Relation.CONTAINS);
        assertThat(relation(guard, "china:b", "china2:b")).isEqualTo(Relation.SAME);
        assertThat(relation(guard, "aws:b", "china:b")).as("two AWS partitions").isEqualTo(Relation.DISJOINT);
        assertThat(relation(guard, "ossregion:b", "ossendpoint:b")).isEqualTo(Relation.SAME);
        assertThat(relation(guard, "ossregion:b", "ossemulator:b")).isEqualTo(Relation.DISJOINT);
        assertThat(relation(guard, "ossenv:b", "ossemulator:b")).as("endpoint from the environment: any")
                .isEqualTo(Relation.SAME);
        assertThat(relation(guard, "kodo:b", "kodo2:b")).isEqualTo(Relation.SAME);
        assertThat(relation(guard, "qiniu://b", "kodo:b")).isEqualTo(Relation.SAME);
        assertThat(relation(guard, "kodo:b", "kodoprivate:b")).isEqualTo(Relation.DISJOINT);
    }

    @Test
    void refusalsNameBothLocationsAndWhatToDo() {
        assertThat(minio.refusal("m:b/d", "m:b/d", List.of())).hasValueSatisfying(m -> assertThat(m)
                .contains("source 'm:b/d' and target 'm:b/d' are the same location", "choose a target outside"));
        assertThat(minio.refusal("m:b/n/a", "m:b/n", List.of())).hasValueSatisfying(m -> assertThat(m)
                .contains("source 'm:b/n/a' is inside target 'm:b/n'", "at 'a/'", "extraneous"));
        assertThat(minio.refusal("m:b/s", "m:b/s/sub", List.of("*.tmp"))).hasValueSatisfying(m -> assertThat(m)
                .contains("target 'm:b/s/sub' is inside source 'm:b/s'", "--exclude 'sub/**'"));
        assertThat(minio.refusal("m:b/s", "m:b/s2", List.of())).isEmpty();
        assertThat(minio.refusal("m:b/s", "m:b/s/sub", List.of("sub/**"))).isEmpty();
        assertThat(minio.refusal("m:b/n/a", "m:b/n", List.of("a/**"))).as("no filter makes a source inside the target safe")
                .isPresent();

        assertThatThrownBy(() -> minio.check("m:b", "m:b/sub", List.of()))
                .isInstanceOf(IllegalArgumentException.class).isInstanceOf(LocationOverlap.Refused.class)
                .hasMessageContaining("target 'm:b/sub' is inside source 'm:b'");
        assertThatCode(() -> minio.check("m:b", "m:b/sub", List.of("/sub/**"))).doesNotThrowAnyException();
    }

    @Test
    void onlyAnExcludeThatCertainlyMatchesEveryKeyUnderThePrefixProvesIt() {
        assertThat(minio.excludesAll(List.of("sub/**"), "sub/")).isTrue();
        assertThat(minio.excludesAll(List.of("/sub/**"), "sub/")).isTrue();
        assertThat(minio.excludesAll(List.of("*.tmp", "a/b/**"), "a/b/")).isTrue();
        assertThat(minio.excludesAll(List.of("s*b/**"), "sub/")).as("a wildcard within the segment").isTrue();
        assertThat(minio.excludesAll(List.of("a/**"), "a/b/")).as("a parent of the prefix").isTrue();

        assertThat(minio.excludesAll(List.of("sub/*"), "sub/")).as("keys can be deeper").isFalse();
        assertThat(minio.excludesAll(List.of("sub/**/*"), "sub/")).isFalse();
        assertThat(minio.excludesAll(List.of("*.tmp"), "sub/")).isFalse();
        assertThat(minio.excludesAll(List.of("sub"), "sub/")).as("the last segment only").isFalse();
        assertThat(minio.excludesAll(List.of("sub2/**"), "sub/")).isFalse();
        assertThat(minio.excludesAll(List.of("**/sub/**"), "sub/")).as("** before: not proven").isFalse();
        assertThat(minio.excludesAll(List.of("sub/deeper/**"), "sub/")).as("only a part of the prefix").isFalse();
        assertThat(minio.excludesAll(List.of("sub/**"), "//sub/")).as("empty segments: not proven").isFalse();
        assertThat(minio.excludesAll(List.of(), "sub/")).isFalse();
        // an include proves nothing: only excludes are asked
        assertThat(minio.refusal("m:b", "m:b/sub", List.of())).isPresent();
    }

    @Test
    void whatTheProofAcceptsTheFilterExcludesAtEveryDepth() {
        List<Map.Entry<String, String>> proofs = List.of(Map.entry("sub/**", "sub/"), Map.entry("/sub/**", "sub/"),
                Map.entry("s?b/**", "sub/"), Map.entry("s*/**", "sub/"), Map.entry("sub/**", "sub/deep/"),
                Map.entry("s*/d*/**", "sub/deep/"));
        List<String> rests = List.of("", "a", "a.tmp", "a/", "a/b", "a/b/c.txt", ".hidden", "a b/c");
        proofs.forEach(proof -> {
            String glob = proof.getKey();
            String prefix = proof.getValue();
            assertThat(minio.excludesAll(List.of(glob), prefix)).as("%s proves %s", glob, prefix).isTrue();
            ObjectFilter filter = new ObjectFilter(List.of(), List.of(glob), null, null, null, null, Set.of());
            List<String> taken = new ArrayList<>();
            for (String rest : rests) {
                String key = prefix + rest;
                ObjectInfo object = new ObjectInfo(key, 1, Instant.EPOCH, null,
                        StorageClass.of(StorageClass.Family.STANDARD), null, Map.of(), List.of(), RestoreStatus.NONE);
                if (filter.accepts(key, object)) {
                    taken.add(key);
                }
            }
            assertThat(taken).as("keys under %s that %s lets through", prefix, glob).isEmpty();
        });
    }
}
