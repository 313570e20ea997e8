package dev.barge.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.storage.Credentials;
import dev.barge.storage.ListRequest;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Payload;
import dev.barge.storage.PutRequest;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.Secret;
import dev.barge.storage.StoreProvider;
import dev.barge.storage.oss.OssStoreProvider;
import dev.barge.storage.qiniu.QiniuStoreProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The emulators as users run them (README "Running the emulators on their own"): {@code bin/emulator}
 * on the jar the build made, reached by a client that is not the test's JVM-internal one. A bucket
 * is made, an object written, listed and read back, then the process stops on SIGTERM.
 */
class EmulatorScriptIT {

    private record Started(Process process, String address) {}

    private static Started start(String which, Pattern ready, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "bin/emulator";
        command[1] = which;
        System.arraycopy(args, 0, command, 2, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain " + which);
                drain.setDaemon(true);
                drain.start();
                return new Started(process, m.group(1));
            }
        }
        throw new AssertionError("bin/emulator " + which + " ended before it was ready:\n" + seen);
    }

    private static void roundTrip(StoreProvider provider, String endpoint, String accessKey, String secret,
            String bucket, boolean create) throws Exception {
        try (ObjectStore store = provider.open(new RemoteConfig("emulated", provider.type(), endpoint, null,
                new Credentials(accessKey, Secret.of(secret), null), false, null, null, 0, null, Map.of()))) {
            if (create) {
                store.createBucket(bucket);
            }
            byte[] data = "written through bin/emulator".getBytes(StandardCharsets.UTF_8);
            store.put(PutRequest.builder(bucket, "dir/hello.txt").contentType("text/plain").build(),
                    Payload.ofBytes(data));
            assertThat(store.list(ListRequest.of(bucket, "dir/")).objects()).extracting(ObjectInfo::key)
                    .containsExactly("dir/hello.txt");
            try (ObjectContent content = store.get(bucket, "dir/hello.txt")) {
                assertThat(content.body().readAllBytes()).isEqualTo(data);
            }
        }
    }

    private static void stop(Started started) throws Exception {
        started.process().destroy(); // SIGTERM
        assertThat(started.process().waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    @Test
    void theOssEmulatorServesTheOssSdkFromItsOwnProcess() throws Exception {
        Started oss = start("oss", Pattern.compile("OSS emulator at (\\S+)"), "0", "script-ak", "script-sk");
        try {
            roundTrip(new OssStoreProvider(), oss.address(), "script-ak", "script-sk", "tried", true);
        } finally {
            stop(oss);
        }
    }

    @Test
    void theKodoEmulatorServesTheQiniuSdkFromItsOwnProcess() throws Exception {
        Started kodo = start("kodo", Pattern.compile("listening on (\\S+)"), "0", "script-ak", "script-sk", "bkt");
        try {
            roundTrip(new QiniuStoreProvider(), "http://" + kodo.address(), "script-ak", "script-sk", "bkt", false);
        } finally {
            stop(kodo);
        }
    }

    @Test
    void withoutABuildOrWithAWrongNameItSaysWhatToDo() throws Exception {
        Process wrong = new ProcessBuilder("bin/emulator", "s3").redirectErrorStream(true).start();
        String said = new String(wrong.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrong.waitFor()).isEqualTo(2);
        assertThat(said).contains("usage: bin/emulator oss|kodo");
    }
}
