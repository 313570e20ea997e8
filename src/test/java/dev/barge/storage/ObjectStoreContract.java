package dev.barge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance suite every {@link ObjectStore} driver passes. A driver joins with a small
 * subclass that opens a store against a real (or emulated) server; tests of optional features
 * run exactly when {@link ObjectStore#capabilities()} claims them, and nothing else is skipped.
 * Where a server deviates from its vendor (S3Proxy refuses some keys S3 takes), the subclass
 * overrides the hook that names the deviation and says why.
 *
 * <p>Each test works in a fresh bucket; one store serves the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ObjectStoreContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    protected ObjectStore store;
    protected Capabilities caps;
    protected String bucket;

    /** Opens the store under test. Called once per test class. */
    protected abstract ObjectStore createStore() throws Exception;

    /** Releases what {@link #createStore()} started, after the store is closed. */
    protected void cleanUp() throws Exception {}

    /**
     * Ways in which the test server, not the vendor it stands for, departs from the vendor. A
     * subclass declares them in {@link #serverDeviations()}, saying why; the suite then leaves out
     * exactly the checks the server cannot pass (reporting each as skipped with the deviation), and
     * runs everything else. Each deviation's behaviour must be tested elsewhere against the vendor's
     * documented responses.
     */
    protected enum ServerDeviation {
        /** Objects are files: a key cannot continue another object's key with '/' ({@code a}, {@code a/b}). */
        NO_NESTED_KEYS,
        /** Listings come in UTF-16 order ({@code String.compareTo}), which differs from UTF-8 beyond U+FFFF. */
        UTF16_LISTING_ORDER,
        /** Copying an object onto itself ignores a new storage class, so classes cannot change in place. */
        NO_STORAGE_CLASS_CHANGE
    }

    /** The deviations of this subclass's server; none by default. */
    protected Set<ServerDeviation> serverDeviations() {
        return Set.of();
    }

    /** Whether both {@code a} and {@code a/b} can exist here: the store claims it and the server can. */
    private boolean nests() {
        return caps.keysNestUnderObjects() && !serverDeviations().contains(ServerDeviation.NO_NESTED_KEYS);
    }

    /**
     * Keys with characters that trip up URL encoding and signing. A subclass may drop keys its
     * server (not the real vendor) cannot hold, saying why.
     */
    protected List<String> awkwardKeys() {
        return List.of(
                "with space.txt",
                "plus+sign",
                "percent%20literal",
                "hash#tag",
                "question?mark",
                "amp&ersand",
                "equals=sign",
                "tilde~",
                "quote'and\"double",
                "中文/文件名.txt",
                "emoji-😀-🚀",
                "semi;colon,comma",
                "deep/nested/path/with/many/levels/file",
                longKey());
    }

    /** A 1024-byte key, in segments short enough for any file system. */
    protected static String longKey() {
        String key = String.join("/", java.util.Collections.nCopies(10, "k".repeat(100))) + "/" + "e".repeat(14);
        assertThat(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1024);
        return key;
    }

    @BeforeAll
    final void openStore() throws Exception {
        store = createStore();
        caps = store.capabilities();
    }

    @AfterAll
    final void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
        cleanUp();
    }

    @BeforeEach
    final void freshBucket() {
        bucket = "contract-" + BUCKETS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        store.createBucket(bucket);
    }

    // ---- round trips --------------------------------------------------------------------

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 6 * 1024 * 1024})
    void roundTripsObjectsOfEverySize(int size) {
        byte[] data = bytes(size, size);
        WriteResult written = put("object", data);

        assertThat(read("object")).isEqualTo(data);
        ObjectInfo info = store.stat(bucket, "object");
        assertThat(info.key()).isEqualTo("object");
        assertThat(info.size()).isEqualTo(size);
        if (caps.checksums().contains(Checksum.Algorithm.MD5)) {
            assertThat(info.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5(data)));
            assertThat(written.checksum(Checksum.Algorithm.MD5)).contains(Checksum.md5Hex(md5(data)));
        }
    }

    @Test
    void putOfUnknownLengthStoresEveryByte() {
        byte[] data = bytes(300_000, 7);
        store.put(PutRequest.builder(bucket, "unknown").build(),
                Payload.ofStream(new ByteArrayInputStream(data), Payload.UNKNOWN_LENGTH));
        assertThat(read("unknown")).isEqualTo(data);
    }

    @Test
    void putReplacesTheObject() {
        put("k", bytes(100, 1));
        byte[] second = bytes(50, 2);
        put("k", second);
        assertThat(read("k")).isEqualTo(second);
        assertThat(store.stat(bucket, "k").size()).isEqualTo(50);
    }

    @Test
    void keysWithAwkwardCharactersRoundTripAndList() {
        Set<String> keys = new LinkedHashSet<>(awkwardKeys());
        int i = 0;
        for (String key : keys) {
            put(key, ("content of " + i++).getBytes());
        }
        i = 0;
        for (String key : keys) {
            assertThat(new String(read(key))).as("content of %s", key).isEqualTo("content of " + i++);
            assertThat(store.stat(bucket, key).key()).isEqualTo(key);
        }
        assertThat(listAll(ListRequest.of(bucket, ""))).containsExactlyElementsOf(sorted(keys));
        for (String key : keys) {
            store.delete(bucket, key);
        }
        assertThat(listAll(ListRequest.of(bucket, ""))).isEmpty();
    }

    @Test
    void contentTypeAndUserMetadataRoundTrip() {
        store.put(PutRequest.builder(bucket, "doc.json").contentType("application/json")
                        .userMetadata(Map.of("Owner", "ops-team", "source-md5", "abc123")).build(),
                Payload.ofBytes("{}".getBytes()));

        ObjectInfo info = store.stat(bucket, "doc.json");
        assertThat(info.contentType()).isEqualTo("application/json");
        assertThat(info.userMetadata()).containsEntry("owner", "ops-team").containsEntry("source-md5", "abc123");
        try (ObjectContent content = store.get(bucket, "doc.json")) {
            assertThat(content.info().contentType()).isEqualTo("application/json");
            assertThat(content.info().userMetadata()).containsEntry("owner", "ops-team");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void putWithWrongExpectedChecksumFailsAndLeavesNothing() {
        assumeThat(caps.checksums()).as("store verifies MD5").contains(Checksum.Algorithm.MD5);
        byte[] data = bytes(1000, 3);
        String wrong = md5("something else".getBytes());
        assertThatThrownBy(() -> store.put(PutRequest.builder(bucket, "checked")
                        .expectedChecksums(List.of(Checksum.md5Hex(wrong))).build(), Payload.ofBytes(data)))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isIn(ErrorKind.CHECKSUM_MISMATCH));
        assertKind(() -> store.stat(bucket, "checked"), ErrorKind.NOT_FOUND);

        store.put(PutRequest.builder(bucket, "checked").expectedChecksums(List.of(Checksum.md5Hex(md5(data)))).build(),
                Payload.ofBytes(data));
        assertThat(read("checked")).isEqualTo(data);
    }

    // ---- missing things -----------------------------------------------------------------

    @Test
    void missingKeyIsNotFoundAndNamesTheKey() {
        StorageException e = assertKind(() -> store.stat(bucket, "no/such/key"), ErrorKind.NOT_FOUND);
        assertThat(e.getMessage()).contains("stat").contains(bucket).contains("no/such/key");
        assertKind(() -> store.get(bucket, "no/such/key"), ErrorKind.NOT_FOUND);
    }

    @Test
    void missingBucketIsBucketNotFound() {
        String missing = bucket + "-missing";
        StorageException e = assertKind(() -> store.stat(missing, "k"), ErrorKind.BUCKET_NOT_FOUND);
        assertThat(e.getMessage()).contains(missing);
        assertKind(() -> store.list(ListRequest.of(missing, "")), ErrorKind.BUCKET_NOT_FOUND);
        assertKind(() -> store.get(missing, "k"), ErrorKind.BUCKET_NOT_FOUND);
        assertKind(() -> store.put(PutRequest.builder(missing, "k").build(), Payload.ofBytes(new byte[1])),
                ErrorKind.BUCKET_NOT_FOUND);
    }

    @Test
    void deletingAMissingKeySucceeds() {
        store.delete(bucket, "never-existed");
        put("once", new byte[] {1});
        store.delete(bucket, "once");
        store.delete(bucket, "once");
        assertKind(() -> store.stat(bucket, "once"), ErrorKind.NOT_FOUND);
    }

    // ---- listing ------------------------------------------------------------------------

    /** Keys whose UTF-8 order differs from naive orders: '/' against '-' and '.', emoji against U+E000+. */
    private static final List<String> ORDER_KEYS = List.of(
            "a", "a-c", "a.txt", "a/b", "a/b/c", "a/d", "aa", "b\uE000", "b😀", "b~", "z");

    /**
     * {@link #ORDER_KEYS}, less the keys that continue other keys where they cannot both exist, and
     * less the key above U+FFFF's counterpart where the server orders by UTF-16.
     */
    private List<String> orderKeys() {
        return ORDER_KEYS.stream()
                .filter(k -> nests() || !(k.equals("a") || k.equals("a/b")))
                .filter(k -> !serverDeviations().contains(ServerDeviation.UTF16_LISTING_ORDER) || !k.equals("b\uE000"))
                .toList();
    }

    @Test
    void keysContinuingObjectKeysNestOrAreRefused() {
        assumeThat(serverDeviations()).as("server deviation NO_NESTED_KEYS: the store nests keys, its test server cannot")
                .doesNotContain(ServerDeviation.NO_NESTED_KEYS);
        put("a", new byte[] {1});
        put("x/y", new byte[] {2});
        if (caps.keysNestUnderObjects()) {
            put("a/b", new byte[] {3});
            put("x", new byte[] {4});
            assertThat(listAll(ListRequest.of(bucket, ""))).containsExactly("a", "a/b", "x", "x/y");
        } else {
            assertKind(() -> put("a/b", new byte[] {3}), ErrorKind.CONFLICT);
            assertKind(() -> put("x", new byte[] {4}), ErrorKind.CONFLICT);
            assertThat(listAll(ListRequest.of(bucket, ""))).containsExactly("a", "x/y");
        }
        assertThat(read("a")).containsExactly(1);
        assertThat(read("x/y")).containsExactly(2);
    }

    @Test
    void listsInUtf8ByteOrderWithSizes() {
        int i = 0;
        for (String key : orderKeys()) {
            put(key, bytes(i, i++));
        }
        ListPage page = store.list(ListRequest.of(bucket, ""));
        assertThat(page.objects()).extracting(ObjectInfo::key).containsExactlyElementsOf(sorted(orderKeys()));
        assertThat(page.truncated()).isFalse();
        assertThat(page.objects()).allSatisfy(o -> assertThat(o.size()).isEqualTo(orderKeys().indexOf(o.key())));
        if (orderKeys().contains("b\uE000")) {
            assertThat(sorted(orderKeys()).indexOf("b😀")).isGreaterThan(sorted(orderKeys()).indexOf("b\uE000"));
        }
        assertThat(sorted(orderKeys()).indexOf("a/d")).isGreaterThan(sorted(orderKeys()).indexOf("a.txt"));
    }

    @Test
    void listsWithPrefix() {
        List<String> keys = orderKeys();
        for (String key : keys) {
            put(key, new byte[0]);
        }
        assertThat(listAll(ListRequest.of(bucket, "a/")))
                .containsExactlyElementsOf(keys.stream().filter(k -> k.startsWith("a/")).toList());
        assertThat(listAll(ListRequest.of(bucket, "a")))
                .containsExactlyElementsOf(sorted(keys.stream().filter(k -> k.startsWith("a")).toList()));
        assertThat(listAll(ListRequest.of(bucket, "nothing-here"))).isEmpty();
    }

    @Test
    void listsWithDelimiterAndCommonPrefixes() {
        for (String key : List.of("top.txt", "photos/2023/a.jpg", "photos/2024/b.jpg", "photos/2024/c.jpg",
                "photos/index.html", "videos/x.mp4", "videos-old/y.mp4")) {
            put(key, new byte[] {1});
        }
        ListPage root = store.list(ListRequest.of(bucket, "").withDelimiter("/"));
        assertThat(root.objects()).extracting(ObjectInfo::key).containsExactly("top.txt");
        assertThat(root.commonPrefixes()).containsExactly("photos/", "videos-old/", "videos/");

        ListPage photos = store.list(ListRequest.of(bucket, "photos/").withDelimiter("/"));
        assertThat(photos.objects()).extracting(ObjectInfo::key).containsExactly("photos/index.html");
        assertThat(photos.commonPrefixes()).containsExactly("photos/2023/", "photos/2024/");

        ListPage partial = store.list(ListRequest.of(bucket, "photos/20").withDelimiter("/"));
        assertThat(partial.objects()).isEmpty();
        assertThat(partial.commonPrefixes()).containsExactly("photos/2023/", "photos/2024/");
    }

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1, 2, 7})
    void pagesWithTokensHaveNoGapAndNoDuplicate(int pageSize) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            keys.add(String.format("dir%d/file-%02d", i % 3, i));
        }
        if (nests()) {
            keys.add("dir1");
        }
        keys.add("dir1-sibling");
        keys.add("dir1.txt");
        for (String key : keys) {
            put(key, new byte[] {(byte) key.length()});
        }
        List<String> seen = new ArrayList<>();
        ListRequest request = ListRequest.of(bucket, "").withPageSize(pageSize);
        int pages = 0;
        while (true) {
            ListPage page = store.list(request);
            assertThat(page.size()).isLessThanOrEqualTo(pageSize);
            page.objects().forEach(o -> seen.add(o.key()));
            pages++;
            if (!page.truncated()) {
                break;
            }
            request = request.next(page);
        }
        assertThat(seen).containsExactlyElementsOf(sorted(keys));
        assertThat(pages).isGreaterThanOrEqualTo((keys.size() + pageSize - 1) / pageSize);
    }

    @Test
    void pagesOfAThousandAcrossMoreThanAThousandKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            keys.add(String.format("k%04d", i));
        }
        keys.parallelStream().forEach(key -> put(key, new byte[0]));
        ListRequest request = ListRequest.of(bucket, "").withPageSize(1000);
        ListPage first = store.list(request);
        assertThat(first.truncated()).isTrue();
        List<String> seen = new ArrayList<>(first.objects().stream().map(ObjectInfo::key).toList());
        ListPage second = store.list(request.next(first));
        second.objects().forEach(o -> seen.add(o.key()));
        assertThat(second.truncated()).isFalse();
        assertThat(seen).containsExactlyElementsOf(keys);
    }

    @Test
    void pageTokensWithDelimiterListEachCommonPrefixOnce() {
        for (String key : List.of("a/1", "a/2", "a/3", "b", "c/1", "c/2", "d", "e/1")) {
            put(key, new byte[0]);
        }
        List<String> entries = new ArrayList<>();
        ListRequest request = ListRequest.of(bucket, "").withDelimiter("/").withPageSize(1);
        while (true) {
            ListPage page = store.list(request);
            page.commonPrefixes().forEach(entries::add);
            page.objects().forEach(o -> entries.add(o.key()));
            if (!page.truncated()) {
                break;
            }
            request = request.next(page);
        }
        assertThat(entries).containsExactly("a/", "b", "c/", "d", "e/");
    }

    @Test
    void resumesFromStartAfter() {
        assumeThat(caps.listStartAfter()).as("store lists from start-after").isTrue();
        for (String key : orderKeys()) {
            put(key, new byte[0]);
        }
        List<String> all = sorted(orderKeys());
        assertThat(listAll(ListRequest.of(bucket, "").withStartAfter("a/b")))
                .containsExactlyElementsOf(all.stream().filter(k -> KeyOrder.before("a/b", k)).toList());
        // start-after need not be a key that exists
        assertThat(listAll(ListRequest.of(bucket, "").withStartAfter("a/c"))).first().isEqualTo("a/d");
        assertThat(listAll(ListRequest.of(bucket, "a/").withStartAfter("a/b/c"))).containsExactly("a/d");
        assertThat(listAll(ListRequest.of(bucket, "").withStartAfter("zz"))).isEmpty();
    }

    // ---- ranges -------------------------------------------------------------------------

    @Test
    void readsRanges() {
        byte[] data = bytes(1000, 11);
        put("ranged", data);
        assertThat(read("ranged", ByteRange.of(0, 0))).containsExactly(data[0]);
        assertThat(read("ranged", ByteRange.of(999, 999))).containsExactly(data[999]);
        assertThat(read("ranged", ByteRange.of(100, 199))).isEqualTo(slice(data, 100, 100));
        assertThat(read("ranged", ByteRange.from(990))).isEqualTo(slice(data, 990, 10));
        assertThat(read("ranged", ByteRange.suffix(10))).isEqualTo(slice(data, 990, 10));
        assertThat(read("ranged", ByteRange.of(990, 5000))).as("last byte cut to the end").isEqualTo(slice(data, 990, 10));
        assertThat(read("ranged", ByteRange.suffix(5000))).as("suffix longer than the object").isEqualTo(data);
        try (ObjectContent content = store.get(bucket, "ranged", ByteRange.of(100, 199))) {
            assertThat(content.offset()).isEqualTo(100);
            assertThat(content.length()).isEqualTo(100);
            assertThat(content.info().size()).isEqualTo(1000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rangeStartingPastTheEndIsInvalid() {
        put("short", bytes(10, 1));
        StorageException e = assertKind(() -> store.get(bucket, "short", ByteRange.of(10, 20)), ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).contains("short");
        assertKind(() -> store.get(bucket, "short", ByteRange.from(11)), ErrorKind.INVALID_ARGUMENT);
    }

    // ---- batch delete -------------------------------------------------------------------

    @Test
    void deleteAllReportsEveryKeyIncludingMissingOnes() {
        List<String> present = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            present.add("del/" + i);
            put("del/" + i, new byte[] {(byte) i});
        }
        put("keep", new byte[] {1});
        List<String> request = new ArrayList<>(present);
        request.add("del/missing-1");
        request.add("missing-2");

        DeleteResult result = store.deleteAll(bucket, request);

        assertThat(result.failed()).isEmpty();
        assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(request);
        assertThat(listAll(ListRequest.of(bucket, ""))).containsExactly("keep");
    }

    // ---- copy ---------------------------------------------------------------------------

    @Test
    void copiesWithinAndAcrossBucketsKeepingMetadata() {
        assumeThat(caps.copy()).as("store copies server-side").isTrue();
        byte[] data = bytes(5000, 21);
        store.put(PutRequest.builder(bucket, "src").contentType("text/plain").userMetadata(Map.of("color", "blue")).build(),
                Payload.ofBytes(data));
        String other = bucket + "-other";
        store.createBucket(other);

        store.copy(CopyRequest.of(bucket, "src", bucket, "dst"));
        store.copy(CopyRequest.of(bucket, "src", other, "elsewhere/dst"));

        for (String[] target : new String[][] {{bucket, "dst"}, {other, "elsewhere/dst"}}) {
            ObjectInfo info = store.stat(target[0], target[1]);
            assertThat(info.size()).isEqualTo(5000);
            assertThat(info.contentType()).isEqualTo("text/plain");
            assertThat(info.userMetadata()).containsEntry("color", "blue");
            assertThat(readFrom(target[0], target[1])).isEqualTo(data);
        }
        assertThat(read("src")).as("source untouched").isEqualTo(data);
    }

    @Test
    void copyCanReplaceMetadata() {
        assumeThat(caps.copy()).as("store copies server-side").isTrue();
        store.put(PutRequest.builder(bucket, "src").contentType("text/plain").userMetadata(Map.of("color", "blue")).build(),
                Payload.ofBytes(new byte[] {1, 2, 3}));
        store.copy(CopyRequest.of(bucket, "src", bucket, "dst").withMetadata("image/png", Map.of("shape", "round")));
        ObjectInfo info = store.stat(bucket, "dst");
        assertThat(info.contentType()).isEqualTo("image/png");
        assertThat(info.userMetadata()).containsEntry("shape", "round").doesNotContainKey("color");
    }

    @Test
    void copyOfAMissingSourceIsNotFound() {
        assumeThat(caps.copy()).as("store copies server-side").isTrue();
        assertKind(() -> store.copy(CopyRequest.of(bucket, "absent", bucket, "dst")), ErrorKind.NOT_FOUND);
    }

    @Test
    void copyOfAListedSourceKeepsMetadataAndReportsTheCopiedContent() {
        assumeThat(caps.copy()).as("store copies server-side").isTrue();
        byte[] data = bytes(3000, 7);
        store.put(PutRequest.builder(bucket, "src").contentType("text/plain").userMetadata(Map.of("color", "blue")).build(),
                Payload.ofBytes(data));
        ObjectInfo listed = store.list(ListRequest.of(bucket, "src")).objects().get(0);

        WriteResult written = store.copy(CopyRequest.of(bucket, "src", bucket, "dst").withListedSource(listed));

        ObjectInfo copy = store.stat(bucket, "dst");
        assertThat(copy.contentType()).isEqualTo("text/plain");
        assertThat(copy.userMetadata()).containsEntry("color", "blue");
        assertThat(readFrom(bucket, "dst")).isEqualTo(data);
        for (Checksum reported : written.checksums()) {
            copy.checksum(reported.algorithm()).ifPresent(stored -> assertThat(reported).isEqualTo(stored));
        }
    }

    @Test
    void copyOfAListedSourceReplacedSinceReportsWhatItCopiedNotWhatWasListed() {
        assumeThat(caps.copy()).as("store copies server-side").isTrue();
        put("src", bytes(2000, 3));
        ObjectInfo listed = store.list(ListRequest.of(bucket, "src")).objects().get(0);
        byte[] replacement = bytes(2000, 4);
        put("src", replacement);

        WriteResult written = store.copy(CopyRequest.of(bucket, "src", bucket, "dst").withListedSource(listed));

        assertThat(readFrom(bucket, "dst")).isEqualTo(replacement);
        ObjectInfo copy = store.stat(bucket, "dst");
        for (Checksum old : listed.checksums()) {
            assertThat(written.checksum(old.algorithm())).as("the copy reports %s, as the listing did, so that a "
                    + "caller sees the source changed", old.algorithm()).isPresent();
        }
        for (Checksum reported : written.checksums()) {
            copy.checksum(reported.algorithm()).ifPresent(stored -> assertThat(reported).isEqualTo(stored));
            listed.checksum(reported.algorithm()).ifPresent(old -> assertThat(reported).as("a checksum of the "
                    + "listed version would let a caller take the new bytes for the old").isNotEqualTo(old));
        }
    }

    @Test
    void copyOfAListedSourceThatVanishedIsNotFound() {
        assumeThat(caps.copy()).as("store copies server-side").isTrue();
        put("gone", new byte[] {1, 2});
        ObjectInfo listed = store.list(ListRequest.of(bucket, "gone")).objects().get(0);
        store.delete(bucket, "gone");

        assertKind(() -> store.copy(CopyRequest.of(bucket, "gone", bucket, "dst").withListedSource(listed)),
                ErrorKind.NOT_FOUND);
        assertThat(listAll(ListRequest.of(bucket, "dst"))).isEmpty();
    }

    // ---- append -------------------------------------------------------------------------

    @Test
    void appendsAtTheRightPositionAndRefusesAWrongOne() {
        assumeThat(caps.append()).as("store appends").isTrue();
        PutRequest request = PutRequest.builder(bucket, "log").contentType("text/plain").build();
        assertThat(store.append(request, 0, Payload.ofBytes("hello ".getBytes()))).isEqualTo(6);
        assertThat(store.append(request, 6, Payload.ofBytes("world".getBytes()))).isEqualTo(11);

        StorageException e = assertKind(() -> store.append(request, 3, Payload.ofBytes("x".getBytes())), ErrorKind.CONFLICT);
        assertThat(e.getMessage()).contains("append").contains(bucket).contains("log");
        assertKind(() -> store.append(request, 0, Payload.ofBytes("x".getBytes())), ErrorKind.CONFLICT);
        assertThat(new String(read("log"))).isEqualTo("hello world");
        assertThat(store.stat(bucket, "log").size()).isEqualTo(11);
    }

    @Test
    void optionalOperationsNotClaimedAreUnsupported() {
        put("k", new byte[] {1});
        if (!caps.append()) {
            assertKind(() -> store.append(PutRequest.builder(bucket, "k").build(), 1, Payload.ofBytes(new byte[1])),
                    ErrorKind.UNSUPPORTED);
        }
        if (!caps.copy()) {
            assertKind(() -> store.copy(CopyRequest.of(bucket, "k", bucket, "k2")), ErrorKind.UNSUPPORTED);
        }
        if (!caps.multipart()) {
            assertKind(() -> store.initiateMultipart(PutRequest.builder(bucket, "k").build()), ErrorKind.UNSUPPORTED);
        }
        if (!caps.restore()) {
            assertKind(() -> store.restore(bucket, "k", new RestoreRequest(1, RestoreRequest.Tier.STANDARD)),
                    ErrorKind.UNSUPPORTED);
        }
        if (!caps.presign()) {
            assertKind(() -> store.presign(new PresignRequest(PresignRequest.Method.GET, bucket, "k",
                    java.time.Duration.ofMinutes(1))), ErrorKind.UNSUPPORTED);
        }
        if (!caps.listStartAfter()) {
            assertKind(() -> store.list(ListRequest.of(bucket, "").withStartAfter("a")), ErrorKind.UNSUPPORTED);
        }
        if (!caps.setStorageClass()) {
            assertKind(() -> store.setStorageClass(bucket, "k", StorageClass.STANDARD), ErrorKind.UNSUPPORTED);
        }
        assertThat(read("k")).containsExactly(1);
    }

    // ---- multipart ----------------------------------------------------------------------

    @Test
    void multipartAssemblesPartsUploadedOutOfOrder() {
        assumeThat(caps.multipart()).as("store has multipart upload").isTrue();
        int partSize = (int) caps.multipartMinPartSize();
        byte[] data = bytes(partSize * 2 + 1234, 31);
        MultipartUpload upload = store.initiateMultipart(
                PutRequest.builder(bucket, "big/object").contentType("application/x-test")
                        .userMetadata(Map.of("origin", "multipart")).build());
        assertKind(() -> store.stat(bucket, "big/object"), ErrorKind.NOT_FOUND);

        CompletedPart p3 = store.uploadPart(upload, 3, Payload.ofBytes(data, partSize * 2, 1234));
        CompletedPart p1 = store.uploadPart(upload, 1, Payload.ofBytes(data, 0, partSize));
        CompletedPart p2 = store.uploadPart(upload, 2, Payload.ofBytes(data, partSize, partSize));
        store.completeMultipart(upload, List.of(p3, p1, p2));

        assertThat(read("big/object")).isEqualTo(data);
        ObjectInfo info = store.stat(bucket, "big/object");
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.contentType()).isEqualTo("application/x-test");
        assertThat(info.userMetadata()).containsEntry("origin", "multipart");
        assertThat(listAll(ListRequest.of(bucket, ""))).containsExactly("big/object");
    }

    @Test
    void abortedMultipartLeavesNothing() {
        assumeThat(caps.multipart()).as("store has multipart upload").isTrue();
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "aborted").build());
        CompletedPart part = store.uploadPart(upload, 1, Payload.ofBytes(bytes(1000, 1)));
        store.abortMultipart(upload);

        assertKind(() -> store.completeMultipart(upload, List.of(part)), ErrorKind.NOT_FOUND);
        assertKind(() -> store.stat(bucket, "aborted"), ErrorKind.NOT_FOUND);
        assertThat(listAll(ListRequest.of(bucket, ""))).isEmpty();
        store.abortMultipart(upload); // aborting again succeeds
    }

    @Test
    void multipartRefusesAPartBelowTheMinimumThatIsNotLast() {
        assumeThat(caps.multipart()).as("store has multipart upload").isTrue();
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "small-parts").build());
        CompletedPart small = store.uploadPart(upload, 1, Payload.ofBytes(bytes(100, 1)));
        CompletedPart last = store.uploadPart(upload, 2, Payload.ofBytes(bytes(100, 2)));

        assertKind(() -> store.completeMultipart(upload, List.of(small, last)), ErrorKind.INVALID_ARGUMENT);
        assertKind(() -> store.stat(bucket, "small-parts"), ErrorKind.NOT_FOUND);
        store.abortMultipart(upload);
    }

    @Test
    void partCopiesMixWithUploadedPartsAndCopyNoMetadataOfTheSource() {
        assumeThat(caps.multipartCopy()).as("store copies parts").isTrue();
        int partSize = (int) caps.multipartMinPartSize();
        byte[] source = bytes(partSize * 2 + 99, 41);
        store.put(PutRequest.builder(bucket, "source").contentType("application/x-source")
                .userMetadata(Map.of("from", "source")).build(), Payload.ofBytes(source));
        String etag = store.stat(bucket, "source").etag();
        byte[] tail = bytes(500, 42);
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "assembled")
                .contentType("application/x-target").build());

        CompletedPart p2 = store.uploadPartCopy(upload, 2, bucket, "source", etag,
                ByteRange.of(partSize, 2L * partSize - 1));
        CompletedPart p1 = store.uploadPartCopy(upload, 1, bucket, "source", null, ByteRange.of(0, partSize - 1));
        CompletedPart p3 = store.uploadPart(upload, 3, Payload.ofBytes(tail));
        assertThat(p1.size()).isEqualTo(partSize);
        store.completeMultipart(upload, List.of(p2, p3, p1));

        byte[] expected = new byte[2 * partSize + tail.length];
        System.arraycopy(source, 0, expected, 0, 2 * partSize);
        System.arraycopy(tail, 0, expected, 2 * partSize, tail.length);
        assertThat(read("assembled")).isEqualTo(expected);
        ObjectInfo info = store.stat(bucket, "assembled");
        assertThat(info.contentType()).isEqualTo("application/x-target");
        assertThat(info.userMetadata()).doesNotContainKey("from");
    }

    @Test
    void aPartCopyPinnedToAnotherVersionOfTheSourceFailsWithPreconditionFailed() {
        assumeThat(caps.multipartCopy()).as("store copies parts").isTrue();
        put("source", bytes(1000, 43));
        String old = store.stat(bucket, "source").etag();
        put("source", bytes(1000, 44));
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "pinned").build());

        assertKind(() -> store.uploadPartCopy(upload, 1, bucket, "source", old, ByteRange.of(0, 999)),
                ErrorKind.PRECONDITION_FAILED);
        assertKind(() -> store.uploadPartCopy(upload, 1, bucket, "missing", null, ByteRange.of(0, 999)),
                ErrorKind.NOT_FOUND);
        store.abortMultipart(upload);
        assertKind(() -> store.stat(bucket, "pinned"), ErrorKind.NOT_FOUND);
    }

    @Test
    void aPartCopyOnAStoreWithoutOneIsUnsupported() {
        assumeThat(caps.multipart() && !caps.multipartCopy()).as("store uploads but does not copy parts").isTrue();
        put("source", bytes(1000, 45));
        MultipartUpload upload = store.initiateMultipart(PutRequest.builder(bucket, "no-copy").build());
        assertKind(() -> store.uploadPartCopy(upload, 1, bucket, "source", null, ByteRange.of(0, 999)),
                ErrorKind.UNSUPPORTED);
        store.abortMultipart(upload);
    }

    // ---- storage classes ----------------------------------------------------------------

    @Test
    void storageClassIsSetOnPutAndReadBack() {
        List<StorageClass.Family> offered = caps.storageClasses().stream()
                .filter(f -> f != StorageClass.Family.STANDARD).sorted().toList();
        assumeThat(offered).as("store offers classes beyond STANDARD").isNotEmpty();
        StorageClass.Family first = offered.get(0);

        store.put(PutRequest.builder(bucket, "classy").storageClass(StorageClass.of(first)).build(),
                Payload.ofBytes(new byte[] {1, 2}));
        assertThat(store.stat(bucket, "classy").storageClass().family()).isEqualTo(first);
        assertThat(store.list(ListRequest.of(bucket, "")).objects().get(0).storageClass().family()).isEqualTo(first);
    }

    @Test
    void storageClassIsChangedInPlace() {
        List<StorageClass.Family> offered = caps.storageClasses().stream()
                .filter(f -> f != StorageClass.Family.STANDARD).sorted().toList();
        assumeThat(caps.setStorageClass() && !offered.isEmpty()).as("store changes storage classes in place").isTrue();
        assumeThat(serverDeviations()).as("server deviation NO_STORAGE_CLASS_CHANGE: the test server ignores the change")
                .doesNotContain(ServerDeviation.NO_STORAGE_CLASS_CHANGE);
        for (StorageClass.Family family : offered) {
            store.put(PutRequest.builder(bucket, "moved-" + family).contentType("text/plain")
                    .userMetadata(Map.of("kept", "yes")).build(), Payload.ofBytes(new byte[] {9}));
            store.setStorageClass(bucket, "moved-" + family, StorageClass.of(family));
            ObjectInfo info = store.stat(bucket, "moved-" + family);
            assertThat(info.storageClass().family()).isEqualTo(family);
            assertThat(info.contentType()).isEqualTo("text/plain");
            assertThat(info.userMetadata()).containsEntry("kept", "yes");
            assertThat(info.size()).isEqualTo(1);
        }
    }

    // ---- buckets ------------------------------------------------------------------------

    @Test
    void bucketsAreCreatedListedAndDeleted() {
        String created = bucket + "-b";
        store.createBucket(created);
        assertThat(store.listBuckets()).extracting(BucketInfo::name).contains(bucket, created);
        assertKind(() -> store.createBucket(created), ErrorKind.CONFLICT);

        store.deleteBucket(created);
        assertThat(store.listBuckets()).extracting(BucketInfo::name).doesNotContain(created);
        assertKind(() -> store.deleteBucket(created), ErrorKind.BUCKET_NOT_FOUND);
    }

    @Test
    void deletingANonEmptyBucketIsRefused() {
        put("still/here", new byte[] {1});
        StorageException e = assertKind(() -> store.deleteBucket(bucket), ErrorKind.CONFLICT);
        assertThat(e.getMessage()).contains(bucket);
        assertThat(read("still/here")).containsExactly(1);
    }

    // ---- helpers ------------------------------------------------------------------------

    protected WriteResult put(String key, byte[] data) {
        return store.put(PutRequest.builder(bucket, key).build(), Payload.ofBytes(data));
    }

    protected byte[] read(String key) {
        return readFrom(bucket, key);
    }

    protected byte[] readFrom(String bucketName, String key) {
        try (ObjectContent content = store.get(bucketName, key)) {
            return content.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected byte[] read(String key, ByteRange range) {
        try (ObjectContent content = store.get(bucket, key, range)) {
            byte[] bytes = content.body().readAllBytes();
            assertThat(bytes).hasSize((int) content.length());
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key of a listing, following page tokens, checking there are no duplicates. */
    protected List<String> listAll(ListRequest request) {
        List<String> keys = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        while (true) {
            ListPage page = store.list(request);
            for (ObjectInfo o : page.objects()) {
                keys.add(o.key());
                assertThat(unique.add(o.key())).as("key %s listed twice", o.key()).isTrue();
            }
            if (!page.truncated()) {
                return keys;
            }
            request = request.next(page);
        }
    }

    protected static StorageException assertKind(ThrowingCallable call, ErrorKind kind) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).as("expected a StorageException of kind %s", kind).isInstanceOf(StorageException.class);
        StorageException e = (StorageException) thrown;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }

    protected static List<String> sorted(java.util.Collection<String> keys) {
        return keys.stream().sorted(KeyOrder.UTF8).toList();
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    protected static byte[] slice(byte[] data, int offset, int length) {
        return java.util.Arrays.copyOfRange(data, offset, offset + length);
    }

    protected static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static InputStream stream(byte[] data) {
        return new ByteArrayInputStream(data);
    }
}
