package dev.barge.web;

import static dev.barge.web.ServeFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barge.job.FailuresCsv;
import dev.barge.web.ServeFixture.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code barge serve}'s API and pages over real HTTP, on PostgreSQL, with executions written by real
 * {@code barge migrate} runs: listing, paging, details, failures (paged and as CSV), stop, restart and
 * abandon with the roles' checks, CSRF on form posts, and not one configured secret in any answer.
 */
class ServeApiTest {
    /** The secrets configured: a remote's keys and the job repository's password. None may be served. */
    private static final String ACCESS_KEY_ID = "AKIASERVESECRET7734";
    private static final String SECRET_ACCESS_KEY = "srv-secret-Zq81xWvKs0e";
    private static final String DB_PASSWORD = "db-password-Hm42kLpQ";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ServeFixture serve;
    /** A finished migration with one failed object. */
    private static long finished;

    @BeforeAll
    static void start() throws IOException {
        System.setProperty("spring.datasource.password", DB_PASSWORD);
        try {
            serve = new ServeFixture(Map.of(
                    "barge.remotes.vault.type", "s3",
                    "barge.remotes.vault.endpoint", "http://127.0.0.1:1",
                    "barge.remotes.vault.region", "us-east-1",
                    "barge.remotes.vault.path-style", "true",
                    "barge.remotes.vault.access-key-id", ACCESS_KEY_ID,
                    "barge.remotes.vault.secret-access-key", SECRET_ACCESS_KEY,
                    "barge.remotes.vault.retry.max-attempts", "1"), """
                    name: copy-now
                    cron: "0 0 0 1 1 *"
                    job: migrate
                    parameters:
                      source: disk:scheduled
                      target: disk:scheduled-copy
                    """);
            serve.bucket("scheduled", 3, false);
            finished = serve.migrate(serve.bucket("finished", 5, true));
            for (int i = 0; i < 3; i++) {
                serve.migrate(serve.bucket("more-" + i, 2, false));
            }
        } finally {
            System.clearProperty("spring.datasource.password");
        }
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    private static JsonNode json(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        return JSON.readTree(response.body());
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("executions").forEach(e -> ids.add(e.get("id").asLong()));
        return ids;
    }

    private static JsonNode execution(long id) {
        return json(serve.asViewer("GET", "/api/executions/" + id));
    }

    private static String status(long id) {
        return execution(id).get("summary").get("status").asString();
    }

    @Test
    void executionsAreListedNewestFirstAndPagedBothWays() {
        List<Long> all = ids(json(serve.asViewer("GET", "/api/executions?size=200")));
        assertThat(all).hasSizeGreaterThanOrEqualTo(4).isSortedAccordingTo((a, b) -> Long.compare(b, a))
                .contains(finished);

        List<Long> walked = new ArrayList<>();
        List<Long> cursors = new ArrayList<>();
        JsonNode page = json(serve.asViewer("GET", "/api/executions?size=2"));
        assertThat(page.get("newer").isNull()).isTrue();
        while (true) {
            List<Long> ids = ids(page);
            assertThat(ids).hasSizeBetween(1, 2);
            walked.addAll(ids);
            if (page.get("older").isNull()) {
                break;
            }
            cursors.add(page.get("older").asLong());
            page = json(serve.asViewer("GET", "/api/executions?size=2&before=" + page.get("older").asLong()));
        }
        assertThat(walked).isEqualTo(all);
        // and back: the page before the last, from its newer cursor, is the one that led to it
        JsonNode back = json(serve.asViewer("GET", "/api/executions?size=2&after=" + page.get("newer").asLong()));
        assertThat(ids(back)).containsExactlyElementsOf(walked.subList(walked.size() - ids(page).size() - 2,
                walked.size() - ids(page).size()));
    }

    @Test
    void executionsAreFilteredByStatusJobAndDate() {
        String today = LocalDate.now().toString();
        assertThat(ids(json(serve.asViewer("GET", "/api/executions?status=COMPLETED&job=migrate&from=" + today
                + "&to=" + today + "&size=200")))).contains(finished);
        assertThat(ids(json(serve.asViewer("GET", "/api/executions?job=delete")))).isEmpty();
        assertThat(ids(json(serve.asViewer("GET", "/api/executions?status=FAILED")))).doesNotContain(finished);
        assertThat(ids(json(serve.asViewer("GET", "/api/executions?from=" + LocalDate.now().plusDays(1))))).isEmpty();
        assertThat(serve.asViewer("GET", "/api/executions?status=SLEEPING").status()).isEqualTo(400);

        String page = serve.asViewer("GET", "/?status=COMPLETED&job=migrate").body();
        assertThat(page).contains("data-id=\"" + finished + "\"").contains("migrate copy disk:finished -&gt; disk:finished-copy");
        assertThat(serve.asViewer("GET", "/?job=verify").body()).contains("No executions.");
    }

    @Test
    void anExecutionShowsItsParametersInWordsStepsTotalsAndFailures() {
        JsonNode detail = execution(finished);
        JsonNode summary = detail.get("summary");
        assertThat(summary.get("description").asString()).isEqualTo("migrate copy disk:finished -> disk:finished-copy");
        assertThat(summary.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.get("exitCode").asString()).isEqualTo("COMPLETED_WITH_SKIPS");
        assertThat(summary.get("objectsDone").asLong()).isEqualTo(5);
        assertThat(summary.get("bytesDone").asLong()).isPositive();
        assertThat(summary.get("failures").asLong()).isEqualTo(1);
        assertThat(detail.get("steps")).isNotEmpty();
        assertThat(detail.get("actions").get("stop").asBoolean()).isFalse();
        assertThat(detail.get("actions").get("restart").asBoolean()).isFalse();
        List<String> copied = new ArrayList<>();
        detail.get("totals").forEach(t -> {
            if (t.get("outcome").asString().equals("copied")) {
                copied.add(t.get("objects").asString());
            }
        });
        assertThat(copied).containsExactly("5");

        JsonNode failures = json(serve.asViewer("GET", "/api/executions/" + finished + "/failures?size=1"));
        assertThat(failures.get("total").asLong()).isEqualTo(1);
        assertThat(failures.get("next").isNull()).isTrue();
        JsonNode failure = failures.get("failures").get(0);
        assertThat(failure.get("key").asString()).isEqualTo(ServeFixture.FAILING_KEY);
        assertThat(failure.get("kind").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(failure.get("message").asString()).contains("longer than 1024");
        assertThat(json(serve.asViewer("GET", "/api/executions/" + finished + "/failures?after="
                + failure.get("id").asLong())).get("failures")).isEmpty();

        Response csv = serve.asViewer("GET", "/executions/" + finished + "/failures.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("execution-" + finished + "-failures.csv");
        assertThat(csv.body().lines().findFirst()).contains(FailuresCsv.HEADER);
        assertThat(csv.body()).contains("\"" + ServeFixture.FAILING_KEY.replace("\"", "\"\"") + "\",");

        String page = serve.asViewer("GET", "/executions/" + finished).body();
        assertThat(page).contains("migrate copy disk:finished -&gt; disk:finished-copy", "COMPLETED_WITH_SKIPS",
                "INVALID_ARGUMENT", "failures.csv").doesNotContain("id=\"stop\"", "id=\"restart\"");

        assertThat(serve.asViewer("GET", "/api/executions/987654").status()).isEqualTo(404);
        assertThat(serve.asViewer("GET", "/executions/987654").status()).isEqualTo(404);
    }

    @Test
    void anonymousCallersGet401AndViewersGet403OnActions() {
        for (String path : List.of("/api/executions", "/api/executions/" + finished, "/api/schedules",
                "/actuator/prometheus")) {
            Response anonymous = serve.get(path, null, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).as(path).startsWith("Basic");
        }
        assertThat(serve.get("/api/executions", ServeFixture.VIEWER, "wrong").status()).isEqualTo(401);
        assertThat(serve.get("/", null, null).status()).as("pages log in with a form").isEqualTo(302);
        assertThat(serve.get("/", null, null).header("Location")).endsWith("/login");
        for (String action : List.of("stop", "restart", "abandon")) {
            String path = "/api/executions/" + finished + "/" + action;
            assertThat(serve.post(path, null, null).status()).as(path).isEqualTo(401);
            assertThat(serve.asViewer("POST", path).status()).as(path).isEqualTo(403);
        }
        assertThat(serve.asViewer("POST", "/api/schedules/copy-now/run").status()).isEqualTo(403);
        assertThat(serve.asViewer("GET", "/api/executions").status()).isEqualTo(200);

        // an operator is refused what the execution's state forbids, with the command line's sentence
        Response stop = serve.asOperator("POST", "/api/executions/" + finished + "/stop");
        assertThat(stop.status()).isEqualTo(409);
        assertThat(stop.body()).contains("is not running (COMPLETED)");
        assertThat(serve.asOperator("POST", "/api/executions/" + finished + "/restart").body())
                .contains("there is nothing to restart");
        assertThat(serve.asOperator("POST", "/api/executions/" + finished + "/abandon").status()).isEqualTo(409);
        assertThat(serve.asOperator("POST", "/api/executions/987654/stop").status()).isEqualTo(404);
        assertThat(status(finished)).isEqualTo("COMPLETED");
    }

    @Test
    void anOperatorStopsARunningExecutionRestartsItToTheEndAndAbandonsAnother() throws Exception {
        serve.bucket("slow", 40, false);
        CompletableFuture<ServeFixture.Run> run = serve.slowMigration("slow");
        long running = awaitRunning("disk:slow -> disk:slow-copy");
        assertThat(execution(running).get("actions").get("stop").asBoolean()).isTrue();
        assertThat(execution(running).get("actions").get("restart").asBoolean()).isFalse();

        Response stopped = serve.asOperator("POST", "/api/executions/" + running + "/stop");
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(JSON.readTree(stopped.body()).get("message").asString())
                .isEqualTo("asked execution " + running + " to stop; it stops after the chunk in flight");
        assertThat(run.get(60, TimeUnit.SECONDS).exitCode()).as("the command line's run ends as stopped").isEqualTo(1);
        assertThat(status(running)).isEqualTo("STOPPED");
        assertThat(execution(running).get("summary").get("objectsDone").asLong()).isLessThan(40);

        Response restarted = serve.asOperator("POST", "/api/executions/" + running + "/restart");
        assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
        long next = JSON.readTree(restarted.body()).get("executionId").asLong();
        assertThat(next).isGreaterThan(running);
        await("the restart completes", Duration.ofSeconds(60), () -> status(next).equals("COMPLETED"));
        assertThat(execution(running).get("restartedAs").asLong()).isEqualTo(next);
        assertThat(serve.asOperator("POST", "/api/executions/" + running + "/restart").body())
                .contains("was already restarted as execution " + next);
        // the restart ran in barge serve and its end was published: the job's metrics have it
        await("the restart's metrics", Duration.ofSeconds(10), () -> serve.asViewer("GET", "/actuator/prometheus")
                .body().lines().anyMatch(l -> l.startsWith("barge_job_duration_seconds_count{")
                        && l.contains("job=\"migrate\"") && l.contains("status=\"COMPLETED\"")));

        serve.bucket("given-up", 40, false);
        CompletableFuture<ServeFixture.Run> other = serve.slowMigration("given-up");
        long abandoned = awaitRunning("disk:given-up -> disk:given-up-copy");
        Response refused = serve.asOperator("POST", "/api/executions/" + abandoned + "/abandon");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("is running; stop it first");
        assertThat(serve.asOperator("POST", "/api/executions/" + abandoned + "/stop").status()).isEqualTo(200);
        assertThat(other.get(60, TimeUnit.SECONDS).exitCode()).isEqualTo(1);
        Response gone = serve.asOperator("POST", "/api/executions/" + abandoned + "/abandon");
        assertThat(gone.status()).as(gone.body()).isEqualTo(200);
        assertThat(status(abandoned)).isEqualTo("ABANDONED");
        assertThat(execution(abandoned).get("actions").get("restart").asBoolean()).isFalse();
    }

    /** The execution whose description ends with {@code locations}, once it runs and has committed a chunk. */
    private static long awaitRunning(String locations) {
        long[] found = new long[1];
        await("a running execution of " + locations, Duration.ofSeconds(60), () -> {
            for (JsonNode e : json(serve.asViewer("GET", "/api/executions?status=STARTED")).get("executions")) {
                if (e.get("description").asString().endsWith(locations) && e.get("objectsDone").asLong() > 0) {
                    found[0] = e.get("id").asLong();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Test
    void scheduledJobsAreListedAndRunNowByAnOperator() {
        JsonNode schedules = json(serve.asViewer("GET", "/api/schedules"));
        assertThat(schedules).hasSize(1);
        assertThat(schedules.get(0).get("name").asString()).isEqualTo("copy-now");
        assertThat(schedules.get(0).get("cron").asString()).isEqualTo("0 0 0 1 1 *");
        assertThat(schedules.get(0).get("nextRun").isNull()).isFalse();

        Response run = serve.asOperator("POST", "/api/schedules/copy-now/run");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        long id = JSON.readTree(run.body()).get("executionId").asLong();
        await("the scheduled run completes", Duration.ofSeconds(60), () -> status(id).equals("COMPLETED"));
        await("the schedule shows its last run", Duration.ofSeconds(10), () -> {
            JsonNode s = json(serve.asViewer("GET", "/api/schedules")).get(0);
            return s.get("lastExecutionId").asLong() == id && s.get("lastExecutionStatus").asString().equals("COMPLETED");
        });
        JsonNode ticks = json(serve.asViewer("GET", "/api/schedules/copy-now/ticks"));
        assertThat(ticks).isNotEmpty();
        assertThat(ticks.get(0).get("trigger").asString()).isEqualTo("MANUAL");
        assertThat(ticks.get(0).get("outcome").asString()).isEqualTo("STARTED");
        assertThat(ticks.get(0).get("executionId").asLong()).isEqualTo(id);
        assertThat(serve.asViewer("GET", "/schedules").body()).contains("copy-now", "0 0 0 1 1 *",
                "Last ticks of <span>copy-now</span>", "MANUAL").doesNotContain("Run now");
        assertThat(serve.asOperator("GET", "/schedules").body()).contains("Run now");
        assertThat(serve.asOperator("POST", "/api/schedules/no-such/run").status()).isEqualTo(404);
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefused() {
        HttpClient browser = ServeFixture.browser();
        String login = ServeFixture.send(HttpRequest.newBuilder(URI.create(serve.base() + "/login")).GET().build(),
                browser).body();
        Response loggedIn = ServeFixture.send(form("/login", Map.of("username", ServeFixture.OPERATOR,
                "password", ServeFixture.OPERATOR_PASSWORD, "_csrf", csrf(login))), browser);
        assertThat(loggedIn.status()).isEqualTo(302);
        assertThat(loggedIn.header("Location")).doesNotContain("error");

        String page = ServeFixture.send(HttpRequest.newBuilder(URI.create(serve.base() + "/executions/" + finished))
                .GET().build(), browser).body();
        assertThat(page).contains("Execution <span>" + finished);
        String path = "/executions/" + finished + "/abandon";
        assertThat(ServeFixture.send(form(path, Map.of()), browser).status()).as("no token").isEqualTo(403);
        assertThat(ServeFixture.send(form(path, Map.of("_csrf", "forged")), browser).status()).as("a wrong token")
                .isEqualTo(403);
        Response posted = ServeFixture.send(form(path, Map.of("_csrf", csrf(page))), browser);
        assertThat(posted.status()).as("with the page's token").isEqualTo(302);
        assertThat(posted.header("Location")).endsWith("/executions/" + finished);
        String shown = ServeFixture.send(HttpRequest.newBuilder(URI.create(serve.base() + "/executions/" + finished))
                .GET().build(), browser).body();
        assertThat(shown).contains("only a stopped or failed execution can be abandoned");
        assertThat(status(finished)).isEqualTo("COMPLETED");
    }

    private static HttpRequest form(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return HttpRequest.newBuilder(URI.create(serve.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    @Test
    void theApiIsDescribedAtApiDocsForAnyone() {
        Response docs = serve.get("/api/docs", null, null);
        assertThat(docs.status()).isEqualTo(302);
        String ui = docs.header("Location");
        assertThat(serve.get(ui.startsWith("http") ? URI.create(ui).getPath() : ui, null, null).body())
                .contains("swagger-ui");
        JsonNode openApi = json(serve.get("/api/docs/openapi.json", null, null));
        assertThat(openApi.get("info").get("title").asString()).isEqualTo("barge serve");
        List<String> paths = new ArrayList<>(openApi.get("paths").propertyNames());
        assertThat(paths).contains("/api/executions", "/api/executions/{id}", "/api/executions/{id}/failures",
                "/api/executions/{id}/stop", "/api/executions/{id}/restart", "/api/executions/{id}/abandon",
                "/api/schedules", "/api/schedules/{name}/run").allMatch(p -> p.startsWith("/api/"));
    }

    @Test
    void noPageOrAnswerHoldsAConfiguredSecret() {
        List<Response> answers = new ArrayList<>();
        for (String path : List.of("/", "/?status=COMPLETED", "/executions/" + finished, "/schedules",
                "/executions/" + finished + "/failures.csv", "/api/executions", "/api/executions/" + finished,
                "/api/executions/" + finished + "/failures", "/api/schedules", "/api/docs/openapi.json",
                "/actuator/health", "/actuator/prometheus")) {
            answers.add(serve.asOperator("GET", path));
        }
        answers.add(serve.get("/actuator/health", null, null));
        answers.add(serve.get("/login", null, null));
        answers.add(serve.asOperator("POST", "/api/executions/" + finished + "/restart"));
        for (Response r : answers) {
            assertThat(r.body()).isNotBlank();
            assertThat(r.body() + r.headers()).doesNotContain(ACCESS_KEY_ID, SECRET_ACCESS_KEY, DB_PASSWORD);
        }
        assertThat(answers.get(answers.size() - 4).body()).as("prometheus").contains("barge_");
        assertThat(answers.get(answers.size() - 5).body()).as("health").contains("vault", "disk", "\"details\"");
        assertThat(answers.get(answers.size() - 3).body()).as("anonymous health: no details")
                .contains("\"status\"").doesNotContain("\"details\"");
    }
}
