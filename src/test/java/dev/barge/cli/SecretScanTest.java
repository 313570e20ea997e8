package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.emulator.oss.OssEmulator;
import dev.barge.emulator.qiniu.KodoEmulator;
import dev.barge.storage.azure.AzuriteServer;
import dev.barge.storage.s3.S3ProxyServer;
import dev.barge.test.TestPostgres;
import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, with and without {@code --json}, succeeding and failing with wrong credentials, run
 * with remotes on S3Proxy, the OSS and Kodo emulators and Azurite whose secrets are recognisable
 * values (the servers accept exactly those), and a PostgreSQL job repository reached with a
 * recognisable password: none of the secrets may appear in stdout, stderr, the log under
 * {@code $BARGE_HOME} or any column of any table of the job repository (Spring Batch's and Barge's).
 */
final class SecretScanTest {
    private static final String S3_KEY = "scan-s3-access-key";
    private static final String S3_SECRET = "S3-SECRET-7f3a9c-do-not-print";
    private static final String S3_TOKEN = "S3-SESSION-TOKEN-3c6e0d-do-not-print";
    private static final String OSS_KEY = "scan-oss-access-key";
    private static final String OSS_SECRET = "OSS-SECRET-5b1e2d-do-not-print";
    private static final String KODO_KEY = "scan-kodo-access-key";
    private static final String KODO_SECRET = "KODO-SECRET-9c4f0a-do-not-print";
    private static final String WRONG_SECRET = "WRONG-SECRET-2d8b6e-do-not-print";
    private static final String DB_PASSWORD = "DB-PASSWORD-4e7c1f-do-not-print";
    private static final String DB_URL_PASSWORD = "DB-URL-PASSWORD-8a2d5b-do-not-print";
    /** An Azure account key is base64: a wrong one that Azurite refuses. */
    private static final String AZURE_WRONG_KEY = Base64.getEncoder()
            .encodeToString(WRONG_SECRET.getBytes(StandardCharsets.UTF_8));
    /** Azurite's account key is Microsoft's published one; it must not be printed all the same. */
    private static final Map<String, String> SECRETS = Map.of(
            "the S3 secret", S3_SECRET, "the S3 session token", S3_TOKEN, "the OSS secret", OSS_SECRET,
            "the Kodo secret", KODO_SECRET,
            "a wrong secret", WRONG_SECRET, "the database password", DB_PASSWORD,
            "the password in --db-url", DB_URL_PASSWORD, "the Azure account key", AzuriteServer.KEY,
            "a wrong Azure key", AZURE_WRONG_KEY);
    /**
     * Where the URLs of {@code barge link} are scanned: a presigned URL made with temporary credentials must
     * carry their session token (X-Amz-Security-Token) to work, so there, and only there, the token is no leak.
     */
    private static final String LINKS = "the URLs barge link printed";
    private static final Pattern EXECUTION = Pattern.compile("\"?(?:jobExecutionId\"?:|execution )(\\d+)");

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static OssEmulator oss;
    private static KodoEmulator kodo;
    private static AzuriteServer azurite;
    private static TestPostgres.Schema schema;
    private static Path config;
    private static String homeBefore;

    private final List<String> transcript = new ArrayList<>();
    private final List<String> links = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        // $BARGE_HOME of this class alone, so that its log holds only what these commands wrote: the build
        // sets BARGE_HOME for every test, and a system property is the one source above the environment
        homeBefore = System.getProperty("barge.home");
        System.setProperty("barge.home", dir.resolve("home").toString());
        s3 = S3ProxyServer.inMemoryForTests(S3_KEY, S3_SECRET);
        oss = OssEmulator.start(OSS_KEY, OSS_SECRET);
        kodo = KodoEmulator.builder().credentials(KODO_KEY, KODO_SECRET).start();
        azurite = AzuriteServer.start();
        schema = TestPostgres.freshSchema();
        Files.createDirectories(dir.resolve("disk/src/photos"));
        Files.createDirectories(dir.resolve("disk/back"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(dir.resolve("disk/src/photos/p" + i + ".jpg"), "photo " + i);
        }
        Files.write(dir.resolve("disk/src/empty"), new byte[0]);
        Files.writeString(dir.resolve("note.txt"), "a note");
        config = Files.writeString(dir.resolve("remotes.yml"), "disk:\n  type: local\n  root: " + dir.resolve("disk")
                + "\n  options:\n    sync: false\n"
                + remote("s3", "s3", s3.endpoint(), S3_KEY, S3_SECRET) + "  region: us-east-1\n  path-style: true\n"
                + "  session-token: '" + S3_TOKEN + "'\n"
                + remote("s3bad", "s3", s3.endpoint(), S3_KEY, WRONG_SECRET) + "  region: us-east-1\n  path-style: true\n"
                + remote("oss", "oss", oss.endpoint(), OSS_KEY, OSS_SECRET)
                + remote("ossbad", "oss", oss.endpoint(), OSS_KEY, WRONG_SECRET)
                + remote("kodo", "qiniu", "http://" + kodo.hostAndPort(), KODO_KEY, KODO_SECRET)
                + remote("kodobad", "qiniu", "http://" + kodo.hostAndPort(), KODO_KEY, WRONG_SECRET)
                + remote("az", "azure", azurite.endpoint(), AzuriteServer.ACCOUNT, AzuriteServer.KEY)
                + remote("azbad", "azure", azurite.endpoint(), AzuriteServer.ACCOUNT, AZURE_WRONG_KEY));
    }

    private static String remote(String name, String type, String endpoint, String accessKey, String secret) {
        return name + ":\n  type: " + type + "\n  endpoint: " + endpoint + "\n  access-key-id: " + accessKey
                + "\n  secret-access-key: '" + secret + "'\n  retry:\n    max-attempts: 1\n";
    }

    @AfterAll
    static void stop() throws Exception {
        if (homeBefore == null) {
            System.clearProperty("barge.home");
        } else {
            System.setProperty("barge.home", homeBefore);
        }
        for (AutoCloseable closeable : new AutoCloseable[] {schema, azurite, kodo, oss, s3}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    record Result(int exitCode, String out, String err) {}

    /** One command line, as {@code bin/barge} runs it: the remotes file, and the job repository in PostgreSQL. */
    private Result barge(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, Duration.ofHours(1),
                new ByteArrayInputStream("piped in".getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("BARGE_DB_USER", schema.user());
        defaults.put("BARGE_DB_PASSWORD", DB_PASSWORD);
        defaults.put("spring.flyway.schemas", schema.name());
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("HOME", dir.toString());
        List<String> line = new ArrayList<>(List.of("--config", config.toString(), "--db-url",
                schema.url() + "&password=" + DB_URL_PASSWORD));
        line.addAll(List.of(args));
        int code = new BargeCli(new SpringContextStarter(env, defaults), terminal).execute(line.toArray(String[]::new));
        Result result = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        if (args[0].equals("link")) {
            links.add(result.out());
            transcript.add("$ barge " + String.join(" ", args) + "\n" + result.err());
        } else {
            transcript.add("$ barge " + String.join(" ", args) + "\n" + result.out() + result.err());
        }
        return result;
    }

    private Result expect(int exitCode, String... args) {
        return expect(Map.of(), exitCode, args);
    }

    private Result expect(Map<String, String> environment, int exitCode, String... args) {
        Result result = barge(environment, args);
        assertThat(result.exitCode()).as("barge %s%n%s%s", String.join(" ", args), result.out(), result.err())
                .isEqualTo(exitCode);
        return result;
    }

    private static long executionId(Result result) {
        Matcher m = EXECUTION.matcher(result.out());
        assertThat(m.find()).as("an execution id in: %s", result.out()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void noCommandPrintsLogsOrStoresASecret() throws Exception {
        String note = dir.resolve("note.txt").toString();
        expect(ExitCode.OK, "remotes");
        for (String remote : List.of("s3", "oss", "kodo", "az")) {
            expect(ExitCode.OK, "mb", remote + ":scan");
            expect(ExitCode.OK, "cp", note, remote + ":scan/note.txt", "--metadata", "owner=scan");
            expect(ExitCode.OK, "ls", remote + ":scan");
            expect(ExitCode.OK, "ls", "-R", "--long", remote + ":");
            expect(ExitCode.OK, "stat", remote + ":scan/note.txt");
            expect(ExitCode.OK, "stat", "--json", remote + ":scan/note.txt");
            expect(ExitCode.OK, "cat", remote + ":scan/note.txt");
            expect(ExitCode.OK, "cp", remote + ":scan/note.txt", dir.resolve(remote + "-note.txt").toString());
            expect(ExitCode.OK, "cp", "-", remote + ":scan/piped.txt");
        }
        expect(ExitCode.OK, "cp", "s3:scan/note.txt", "oss:scan/from-s3.txt");
        expect(ExitCode.OK, "cp", "oss:scan/note.txt", "kodo:scan/from-oss.txt");
        expect(ExitCode.OK, "append", "oss:scan/log.txt", note);
        expect(ExitCode.OK, "link", "s3:scan/note.txt");
        expect(ExitCode.OK, "link", "--json", "oss:scan/note.txt", "--expires", "1h");
        expect(ExitCode.OK, "link", "kodo:scan/note.txt");
        expect(ExitCode.OK, "link", "--put", "az:scan/upload.txt");
        expect(ExitCode.OK, "rm", "s3:scan/piped.txt", "oss:scan/piped.txt");
        expect(ExitCode.OK, "mb", "kodo:scan-gone");
        expect(ExitCode.OK, "rb", "kodo:scan-gone");
        // the same OSS remote from environment variables
        Map<String, String> ossFromEnvironment = Map.of("BARGE_REMOTE_OSSENV_TYPE", "oss",
                "BARGE_REMOTE_OSSENV_ENDPOINT", oss.endpoint(), "BARGE_REMOTE_OSSENV_ACCESS_KEY_ID", OSS_KEY,
                "BARGE_REMOTE_OSSENV_SECRET_ACCESS_KEY", OSS_SECRET);
        expect(ossFromEnvironment, ExitCode.OK, "ls", "ossenv:scan");
        expect(ossFromEnvironment, ExitCode.OK, "remotes");

        // jobs, each store a source and a target
        Result first = expect(ExitCode.OK, "migrate", "disk:src", "s3:scan/m");
        expect(ExitCode.OK, "migrate", "s3:scan/m", "oss:scan/m", "--json");
        expect(ExitCode.OK, "migrate", "oss:scan/m", "kodo:scan/m", "--mode", "sync", "--include", "*.jpg");
        expect(ExitCode.OK, "migrate", "kodo:scan/m", "az:scan/m", "--tps-limit", "100", "--bwlimit", "10MB");
        expect(ExitCode.OK, "migrate", "az:scan/m", "disk:back", "--dry-run", "--json");
        expect(ExitCode.OK, "verify", "s3:scan/m", "oss:scan/m", "--json");
        expect(ExitCode.OK, "verify", "kodo:scan/m", "az:scan/m", "--download", "--csv",
                dir.resolve("verify.csv").toString());
        expect(ExitCode.OK, "archive", "oss:scan/m", "--storage-class", "archive");
        expect(ExitCode.OK, "restore", "oss:scan/m", "--days", "1", "--json");
        expect(ExitCode.OK, "archive", "s3:scan/m", "--storage-class", "infrequent", "--to", "kodo:scan/cold",
                "--json");
        expect(ExitCode.OK, "delete", "s3:scan/m", "--dry-run");
        Result deleted = expect(ExitCode.OK, "delete", "az:scan/m", "--yes", "--json");

        // a job that skips objects (the target refuses them) and one that fails (its listing breaks): their
        // errors go to the job repository, stack traces included
        oss.faults().add(FaultRule.builder().method("PUT").keyPrefix("refused/photos/").always()
                .fault(Fault.error(403, "AccessDenied")).build());
        Result skipped = expect(ExitCode.COMPLETED_WITH_SKIPS, "migrate", "disk:src", "oss:scan/refused");
        oss.faults().clear();
        expect(ExitCode.OK, "jobs", "failures", Long.toString(executionId(skipped)));
        expect(ExitCode.OK, "jobs", "retry-failed", Long.toString(executionId(skipped)), "--json");
        expect(ExitCode.OK, "mb", "oss:broken");
        expect(ExitCode.OK, "cp", note, "oss:broken/note.txt");
        oss.faults().add(FaultRule.builder().matching(r -> r.method().equals("GET") && "broken".equals(r.bucket())
                && (r.key() == null || r.key().isEmpty())).skip(1).always().fault(Fault.error(500, "InternalError"))
                .build());
        Result failed = expect(ExitCode.FAILED, "migrate", "oss:broken", "disk:back/broken");
        oss.faults().clear();
        expect(ExitCode.OK, "jobs", "show", Long.toString(executionId(failed)));
        expect(ExitCode.OK, "jobs", "restart", Long.toString(executionId(failed)));

        // the job commands
        long id = executionId(first);
        expect(ExitCode.OK, "jobs", "list");
        expect(ExitCode.OK, "jobs", "list", "--status", "COMPLETED");
        expect(ExitCode.OK, "jobs", "show", Long.toString(id));
        expect(ExitCode.OK, "jobs", "show", Long.toString(executionId(deleted)));
        expect(ExitCode.OK, "jobs", "failures", Long.toString(id));
        expect(ExitCode.OK, "jobs", "failures", Long.toString(id), "--csv");
        expect(ExitCode.USAGE, "jobs", "restart", Long.toString(id));
        expect(ExitCode.USAGE, "jobs", "stop", Long.toString(id));
        expect(ExitCode.USAGE, "jobs", "abandon", Long.toString(id));

        // failures: wrong secrets at every driver, on every kind of command
        for (String remote : List.of("s3bad", "ossbad", "kodobad", "azbad")) {
            expect(ExitCode.USAGE, "ls", remote + ":scan");
            expect(ExitCode.USAGE, "stat", "--json", remote + ":scan/note.txt");
            expect(ExitCode.USAGE, "cp", note, remote + ":scan/x.txt");
            expect(ExitCode.USAGE, "migrate", "disk:src", remote + ":scan/m", "--json");
            expect(ExitCode.USAGE, "migrate", remote + ":scan", "disk:back");
        }
        expect(ExitCode.USAGE, "verify", "s3bad:scan", "oss:scan");
        expect(ExitCode.USAGE, "delete", "ossbad:scan/m", "--yes");
        expect(ExitCode.USAGE, "archive", "kodobad:scan", "--storage-class", "archive", "--json");
        expect(ExitCode.USAGE, "restore", "ossbad:scan", "--days", "1");
        expect(ExitCode.OK, "link", "s3bad:scan/missing.txt"); // signed here, with the wrong secret: no request
        expect(ExitCode.FAILED, "rm", "azbad:scan/note.txt");

        Map<String, String> places = new LinkedHashMap<>();
        places.put("stdout and stderr", String.join("\n", transcript));
        places.put(LINKS, String.join("\n", links));
        try (Stream<Path> files = Files.walk(dir.resolve("home"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                places.put(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        places.put("the --csv file", Files.readString(dir.resolve("verify.csv")));
        places.putAll(tables());

        assertThat(places.keySet()).as("the log is there to be scanned").contains(dir.resolve("home/barge.log").toString());
        assertThat(places.get(dir.resolve("home/barge.log").toString())).contains("INFO");
        assertThat(places.get("table batch_job_execution_params")).as("the job parameters are read")
                .contains("kodo:scan/m");
        assertThat(hits(Map.of(config.toString(), Files.readString(config))))
                .as("the scan finds what is there: the remotes file holds every store's secret")
                .hasSize(SECRETS.size() - 2); // all but the database's
        assertThat(places.get(LINKS)).as("the S3 links work with the session token").contains("X-Amz-Security-Token="
                + S3_TOKEN);
        assertThat(hits(places)).as("secrets found").isEmpty();
    }

    /** Every row of every table of the job repository's schema, one text per table. */
    private static Map<String, String> tables() throws SQLException {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(schema.url(), schema.user(), "");
                Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet r = c.getMetaData().getTables(null, schema.name(), "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    names.add(r.getString("TABLE_NAME"));
                }
            }
            assertThat(names).as("tables in %s", schema.name()).isNotEmpty();
            for (String table : names) {
                StringBuilder text = new StringBuilder();
                try (ResultSet rows = s.executeQuery("select * from " + schema.name() + "." + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            text.append(rows.getString(i)).append('\t');
                        }
                        text.append('\n');
                    }
                }
                tables.put("table " + table, text.toString());
            }
        }
        return tables;
    }

    /** Each secret found, where, and the text around it. */
    private static List<String> hits(Map<String, String> places) {
        List<String> hits = new ArrayList<>();
        places.forEach((place, text) -> SECRETS.forEach((what, secret) -> {
            int at = text.indexOf(secret);
            if (at >= 0 && !(place.equals(LINKS) && secret.equals(S3_TOKEN))) {
                hits.add(what + " in " + place + ": ..." + text.substring(Math.max(0, at - 200), at) + "...");
            }
        }));
        return hits;
    }
}
