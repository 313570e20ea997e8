package dev.barge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.cli.BargeJar.Run;
import dev.barge.test.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up as a user meets it (issue 11): the store commands open no job database, and
 * {@code bin/barge} runs the extracted jar from the class archive the build recorded in
 * {@code target/app}, and without a word when that archive no longer fits the jar.
 */
class StartUpIT {
    private static final Path APP = Path.of("target", "app");
    private static final Path SCRIPT = Path.of("bin", "barge");
    /** The JDK running the build made the CDS archive; this test runs on it too. */
    private static final String THIS_JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private Path root;
    private Path home;
    private String listing;

    @BeforeEach
    void files() throws IOException {
        root = TempDirs.create("barge-startup-");
        home = root.resolve("home");
        Files.createDirectories(root.resolve("data/photos/2024"));
        Files.writeString(root.resolve("data/photos/2024/a.jpg"), "alpha");
        Files.writeString(root.resolve("data/photos/b.jpg"), "bravo");
        listing = "2024/" + System.lineSeparator() + "b.jpg" + System.lineSeparator();
    }

    private List<String> jobDatabaseFiles() throws IOException {
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("jobs")).toList();
        }
    }

    @Test
    void lsCatStatAndRemotesOpenNoJobDatabaseWhereMigrateDoes() throws Exception {
        String photos = "file://" + root.resolve("data/photos");
        Run ls = BargeJar.run(home, "ls", photos);
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.out()).isEqualTo(listing);
        assertThat(BargeJar.run(home, "cat", photos + "/b.jpg").out()).isEqualTo("bravo");
        assertThat(BargeJar.run(home, "stat", photos + "/b.jpg").out()).contains("Size           5 B");
        assertThat(BargeJar.run(home, "remotes").exitCode()).isZero();
        assertThat(jobDatabaseFiles()).as("job database files in barge.home").isEmpty();

        Run migrate = BargeJar.run(home, "migrate", photos, "file://" + root.resolve("copy"), "--json");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(jobDatabaseFiles()).isNotEmpty();
    }

    @Test
    void binBargeRunsFromTheClassArchiveOfTheBuild() throws Exception {
        assertThat(APP.resolve("barge.jsa")).as("the package phase's training run wrote the CDS archive")
                .isRegularFile();
        // -Xshare:on: the JVM refuses to start unless it maps the archive
        Run cds = BargeJar.runScript(SCRIPT, home, Map.of("BARGE_JAVA", THIS_JAVA, "BARGE_JAVA_OPTS", "-Xshare:on"),
                "ls", "file://" + root.resolve("data/photos"));
        assertThat(cds.exitCode()).as(cds.out() + cds.err()).isZero();
        assertThat(cds.out()).isEqualTo(listing);
        assertThat(cds.err()).isEmpty();

        if (Files.isRegularFile(APP.resolve("barge.aot.java"))) {
            // the build found a JDK 25+: bin/barge prefers it, and AOTMode=on fails unless its cache loads
            Run aot = BargeJar.runScript(SCRIPT, home, Map.of("BARGE_JAVA_OPTS", "-XX:AOTMode=on"),
                    "ls", "file://" + root.resolve("data/photos"));
            assertThat(aot.exitCode()).as(aot.out() + aot.err()).isZero();
            assertThat(aot.out()).isEqualTo(listing);
            assertThat(aot.err()).isEmpty();
            // the cache of the commands that run jobs loads too, with bin/barge's heap: its objects go
            // into the old generation at start-up, and one that does not fit stops the JVM from starting
            Run migrate = BargeJar.runScript(SCRIPT, home, Map.of("BARGE_JAVA_OPTS", "-XX:AOTMode=on"),
                    "migrate", "file://" + root.resolve("data/photos"), "file://" + root.resolve("copy"), "--json");
            assertThat(migrate.exitCode()).as(migrate.out() + migrate.err()).isZero();
        }
        if (Files.isRegularFile(APP.resolve("barge-stores.aot.java"))) {
            // ls runs from the cache of its own training: a cache loads all it holds, and migrate's
            // holds Flyway, H2 and Spring Batch's machinery, which ls never needs (a few of Batch's
            // value types, which the command line's classes name, are all it loads of Batch)
            Path loaded = root.resolve("ls-classes.log");
            Run ls = BargeJar.runScript(SCRIPT, home, Map.of("BARGE_JAVA_OPTS",
                    "-XX:AOTMode=on -Xlog:class+load:file=" + loaded), "ls", "file://" + root.resolve("data/photos"));
            assertThat(ls.exitCode()).as(ls.out() + ls.err()).isZero();
            assertThat(ls.out()).isEqualTo(listing);
            assertThat(Files.readString(loaded)).as("classes ls loaded").contains("dev.barge.cli.LsCommand")
                    .doesNotContain("org.flywaydb.", "org.h2.", "org.springframework.batch.core.repository.",
                            "org.springframework.batch.core.step.");
        }
    }

    @Test
    void binBargeGivesTheCommandsThatRunJobsASoftHeapLimitAndAWrongOneIsRefused() throws Exception {
        String photos = "file://" + root.resolve("data/photos");
        Map<String, String> show = Map.of("BARGE_JAVA_OPTS", "-XshowSettings:properties");
        Run migrate = BargeJar.runScript(SCRIPT, home, show, "migrate", photos, "file://" + root.resolve("copy"));
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.err()).contains(SoftHeapLimit.PROPERTY + " = 256m");

        Run ls = BargeJar.runScript(SCRIPT, home, show, "ls", photos);
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(ls.err()).doesNotContain(SoftHeapLimit.PROPERTY);

        Run wrong = BargeJar.runScript(SCRIPT, home, Map.of("BARGE_JAVA_OPTS", "-D" + SoftHeapLimit.PROPERTY + "=lots"),
                "migrate", photos, "file://" + root.resolve("copy"));
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("barge: -D" + SoftHeapLimit.PROPERTY + "=lots is not a size");
    }

    /** A line of {@code -XX:+PrintCompilation}: a compilation of a method at a tier (1-3 C1, 4 C2). */
    private static final Pattern COMPILED = Pattern.compile("^\\s*\\d+\\s+\\d+[\\s%sb!n]+([0-4])\\s+([\\w.$]+)::",
            Pattern.MULTILINE);
    /** A class pattern of a directive ({@code "sun/security/provider/*.*"}), without its method part. */
    private static final Pattern DIRECTIVE_CLASS = Pattern.compile("\"([\\w/$]+?)\\*?\\.\\*\"");

    /**
     * The class names (or prefixes of them) that bin/compiler-directives.json lets C2 compile, as
     * PrintCompilation names them: every class pattern of the file but the catch-all {@code "*.*"}.
     */
    private static List<String> c2Classes() throws IOException {
        Matcher m = DIRECTIVE_CLASS.matcher(Files.readString(SCRIPT.resolveSibling("compiler-directives.json")));
        List<String> classes = new ArrayList<>();
        while (m.find()) {
            classes.add(m.group(1).replace('/', '.'));
        }
        return classes;
    }

    /** The classes compiled at each tier in a run's PrintCompilation output. */
    private static Map<Integer, Set<String>> compiledByTier(String output) {
        Map<Integer, Set<String>> tiers = new TreeMap<>();
        Matcher m = COMPILED.matcher(output);
        while (m.find()) {
            tiers.computeIfAbsent(Integer.parseInt(m.group(1)), t -> new TreeSet<>()).add(m.group(2));
        }
        return tiers;
    }

    @Test
    void binBargeCompilesHashingAndCryptoWithC2AndTheRestWithC1() throws Exception {
        Path big = root.resolve("data/photos/big.bin");
        byte[] bytes = new byte[16 << 20];
        new Random(11).nextBytes(bytes);
        Files.write(big, bytes);
        String photos = "file://" + root.resolve("data/photos");
        // the local driver hashes what it writes: 262,144 blocks of MD5, time for C2 to compile it even on a
        // busy machine (the compiled method is printed when its compilation starts)
        Run cp = BargeJar.runScript(SCRIPT, home, Map.of(), "cp", photos + "/big.bin", photos + "/copy.bin");
        assertThat(cp.exitCode()).as(cp.err()).isZero();
        assertThat(cp.out()).as("nothing of the JVM's on stdout").startsWith("copied ").doesNotContain("directives");
        assertThat(cp.err()).isEmpty();
        assertThat(root.resolve("data/photos/copy.bin")).hasBinaryContent(bytes);

        Map<String, String> printCompilation = Map.of("BARGE_JAVA_OPTS", "-XX:+DisplayVMOutput -XX:+PrintCompilation");
        Run traced = BargeJar.runScript(SCRIPT, home, printCompilation, "cp", photos + "/big.bin",
                photos + "/copy2.bin");
        assertThat(traced.exitCode()).as(traced.err()).isZero();
        Map<Integer, Set<String>> tiers = compiledByTier(traced.out());
        List<String> c2Classes = c2Classes();
        assertThat(c2Classes).contains("sun.security.provider.", "dev.barge.storage.Crc64");
        assertThat(tiers.get(4)).as("classes C2 compiled").contains("sun.security.provider.MD5")
                .allSatisfy(c -> assertThat(c2Classes).anySatisfy(prefix -> assertThat(c).startsWith(prefix)));
        assertThat(tiers.get(1)).as("classes C1 compiled without profiling").contains("java.lang.String");
        assertThat(traced.out()).as("C2 refused the others").contains("made not compilable on level 4");

        // ls moves no bodies: C1 alone, the quickest start
        Run ls = BargeJar.runScript(SCRIPT, home, Map.of("BARGE_JAVA_OPTS", "-XX:+PrintCompilation"), "ls", photos);
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(compiledByTier(ls.out()).keySet()).as("tiers ls compiled at").containsOnly(0, 1);
    }

    @Test
    void aStaleArchiveIsIgnoredWithoutAWord() throws Exception {
        // a checkout whose jar was rebuilt after the training: same archives, another jar
        Path checkout = root.resolve("checkout");
        Path app = Files.createDirectories(checkout.resolve("target/app"));
        Files.createDirectories(checkout.resolve("bin"));
        Files.copy(SCRIPT, checkout.resolve("bin/barge"));
        Files.copy(APP.resolve("barge.jar"), app.resolve("barge.jar"));
        Files.createSymbolicLink(app.resolve("lib"), APP.resolve("lib").toAbsolutePath());
        try (Stream<Path> archives = Files.list(APP)) {
            for (Path file : archives.filter(p -> p.getFileName().toString().matches("barge(-stores)?\\.(jsa|aot).*"))
                    .toList()) {
                Files.copy(file, app.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertThat(app.resolve("barge.jsa")).isRegularFile();
        Path script = checkout.resolve("bin/barge");
        String photos = "file://" + root.resolve("data/photos");

        Run strict = BargeJar.runScript(script, home, Map.of("BARGE_JAVA", THIS_JAVA, "BARGE_JAVA_OPTS", "-Xshare:on"),
                "ls", photos);
        assertThat(strict.exitCode()).as("the archive is stale: -Xshare:on refuses it").isNotZero();

        Run cds = BargeJar.runScript(script, home, Map.of("BARGE_JAVA", THIS_JAVA), "ls", photos);
        assertThat(cds.exitCode()).as(cds.err()).isZero();
        assertThat(cds.out()).as("nothing but the listing on stdout").isEqualTo(listing);
        assertThat(cds.err()).isEmpty();

        if (Files.isRegularFile(app.resolve("barge.aot.java"))) {
            Run aot = BargeJar.runScript(script, home, Map.of(), "ls", photos);
            assertThat(aot.exitCode()).as(aot.err()).isZero();
            assertThat(aot.out()).isEqualTo(listing);
            assertThat(aot.err()).isEmpty();
        }
    }
}
