package dev.barge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs): an operator logs in, sees a finished and a running execution,
 * watches the running one's progress move, opens its failures, stops it (confirming), sees it end
 * STOPPED, and restarts it from the page to completion. Screenshots go to {@code target/}.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static ServeFixture serve;
    private static WebDriver driver;

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver (or run .ci/run)");
        }
        serve = new ServeFixture(Map.of(), null);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,1100",
                // its profile in a directory of ours, not an org.chromium.Chromium.* left in the temp directory
                "--user-data-dir=" + dev.barge.test.TempDirs.create("barge-chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (serve != null) {
                serve.close();
            }
        }
    }

    private static WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static long number(String id) {
        return Long.parseLong(driver.findElement(By.id(id)).getText().trim());
    }

    private static void screenshot(String name) throws IOException {
        Path target = Files.createDirectories(Path.of("target"));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anOperatorWatchesARunningExecutionStopsItAndRestartsItToTheEnd() throws Exception {
        long finished = serve.migrate(serve.bucket("done", 3, false));
        serve.bucket("photos", 60, true);
        CompletableFuture<ServeFixture.Run> slow = serve.slowMigration("photos");
        long running = runningExecution();

        driver.get(serve.base() + "/");
        waiting(20).until(ExpectedConditions.urlContains("/login"));
        driver.findElement(By.id("username")).sendKeys(ServeFixture.OPERATOR);
        driver.findElement(By.id("password")).sendKeys(ServeFixture.OPERATOR_PASSWORD);
        driver.findElement(By.id("log-in")).click();
        waiting(20).until(ExpectedConditions.presenceOfElementLocated(By.id("executions")));

        assertThat(driver.findElement(By.cssSelector("tr[data-id='" + finished + "']")).getAttribute("data-status"))
                .isEqualTo("COMPLETED");
        assertThat(driver.findElement(By.cssSelector("tr[data-id='" + running + "']")).getAttribute("data-status"))
                .isEqualTo("STARTED");
        screenshot("dashboard-executions.png");

        driver.findElement(By.cssSelector("tr[data-id='" + running + "'] a")).click();
        waiting(20).until(ExpectedConditions.attributeToBe(By.id("live"), "data-running", "true"));
        long before = number("objects-done");
        waiting(60).until(d -> number("objects-done") > before && number("samples") >= 5);
        assertThat(driver.findElements(By.id("restart"))).as("no restart while it runs").isEmpty();
        assertThat(driver.findElements(By.id("abandon"))).as("no abandon while it runs").isEmpty();
        assertThat(driver.findElement(By.id("progress-chart")).findElement(By.cssSelector("polyline.objects"))
                .getAttribute("points")).isNotBlank();

        assertThat(driver.findElement(By.id("failure-list")).getText()).contains("a,\"b\".bin", "INVALID_ARGUMENT");
        assertThat(driver.findElement(By.id("failures-csv")).getAttribute("href"))
                .endsWith("/executions/" + running + "/failures.csv");
        screenshot("dashboard.png");

        driver.findElement(By.id("stop")).click();
        waiting(10).until(ExpectedConditions.alertIsPresent()).accept();
        waiting(60).until(ExpectedConditions.presenceOfElementLocated(By.id("restart")));
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("STOPPED");
        assertThat(slow.get(60, TimeUnit.SECONDS).exitCode()).as("the command line's run ends stopped").isEqualTo(1);
        long stoppedAt = number("objects-done");
        assertThat(stoppedAt).isLessThan(60);

        driver.findElement(By.id("restart")).click();
        waiting(10).until(ExpectedConditions.alertIsPresent()).accept();
        waiting(60).until(ExpectedConditions.not(ExpectedConditions.urlContains("/executions/" + running)));
        waiting(90).until(ExpectedConditions.textToBe(By.id("status"), "COMPLETED"));
        assertThat(driver.getCurrentUrl()).matches(".*/executions/\\d+");
        String restarted = driver.getCurrentUrl().replaceAll(".*/executions/", "");
        assertThat(Long.parseLong(restarted)).isGreaterThan(running);
        assertThat(number("objects-done")).as("the restart did the rest").isPositive();
        try (Stream<Path> copies = Files.list(serve.bucketPath("photos-copy"))) {
            assertThat(copies.filter(p -> p.getFileName().toString().startsWith("f-")).count())
                    .as("every object is at the target").isEqualTo(60);
        }
        screenshot("dashboard-restarted.png");

        driver.get(serve.base() + "/executions/" + running);
        assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("STOPPED");
        assertThat(driver.findElement(By.id("restarted-as")).getText()).isEqualTo(restarted);
    }

    /** The slow run's execution, once it has committed a chunk. */
    private static long runningExecution() {
        long[] id = new long[1];
        ServeFixture.await("the slow run's execution", Duration.ofSeconds(60), () -> {
            String body = serve.asViewer("GET", "/api/executions?status=STARTED").body();
            Matcher m = Pattern
                    .compile("\"id\":(\\d+),\"job\":\"migrate\",\"description\":\"migrate copy disk:photos").matcher(body);
            if (m.find() && body.contains("\"objectsDone\":") && !body.contains("\"objectsDone\":0,")) {
                id[0] = Long.parseLong(m.group(1));
                return true;
            }
            return false;
        });
        return id[0];
    }
}
