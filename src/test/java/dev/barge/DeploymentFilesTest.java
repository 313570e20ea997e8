package dev.barge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml} and the {@code Dockerfile}, as far as they can be checked with no
 * container engine: the services are there and wired to each other, secrets come from the
 * environment, the specs of {@code jobs/} are mounted where barge reads them, and the image runs
 * the jar the build makes and CI tests.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static Map<String, Object> compose() throws IOException {
        return map(new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(ROOT.resolve("docker-compose.yml"))));
    }

    @Test
    void composeRunsBargeServeOnPostgresAndMinioWithTheJobsMounted() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        assertThat(services).containsKeys("postgres", "minio", "barge");
        Map<String, Object> barge = map(services.get("barge"));
        Map<String, Object> postgres = map(services.get("postgres"));

        assertThat(map(barge.get("depends_on"))).containsKey("postgres");
        assertThat(map(map(barge.get("depends_on")).get("postgres"))).containsEntry("condition", "service_healthy");
        assertThat(postgres).containsKey("healthcheck");
        Map<String, Object> env = map(barge.get("environment"));
        Map<String, Object> pgEnv = map(postgres.get("environment"));
        assertThat(env.get("BARGE_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
        assertThat(env.get("BARGE_DB_USER")).isEqualTo(pgEnv.get("POSTGRES_USER"));
        assertThat(String.valueOf(env.get("BARGE_REMOTE_PROD_ENDPOINT"))).startsWith("http://minio:9000");
        assertThat(list(barge.get("command"))).startsWith("serve", "--bind", "0.0.0.0");

        // jobs/ mounted where barge reads its specs
        String jobsDir = String.valueOf(env.get("BARGE_JOBS_DIR"));
        assertThat(list(barge.get("volumes"))).contains("./jobs:" + jobsDir + ":ro");
        assertThat(ROOT.resolve("jobs")).isDirectory();
        // ... by Spring's reading of the environment: BARGE_JOBS_DIR is barge.jobs-dir
        assertThat(new SystemEnvironmentPropertySource("env", Map.of("BARGE_JOBS_DIR", jobsDir))
                .getProperty("barge.jobs-dir")).isEqualTo(jobsDir);

        // the bucket nightly-sync writes to is made first, with barge's own settings and volume
        Map<String, Object> backupBucket = map(services.get("backup-bucket"));
        assertThat(map(barge.get("depends_on"))).containsKey("backup-bucket");
        assertThat(map(backupBucket.get("environment"))).isEqualTo(env);
        assertThat(String.join(" ", list(backupBucket.get("entrypoint")).stream().map(String::valueOf).toList()))
                .contains("mb backup:photos");

        // the image is the Dockerfile's, built from the repository
        assertThat(barge.get("build")).isEqualTo(".");
        assertThat(ROOT.resolve("Dockerfile")).isRegularFile();
    }

    @Test
    void composeRunsWorkersOnTheSameRepositoryWithRabbitMq() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        assertThat(services).containsKeys("rabbitmq", "worker");
        Map<String, Object> worker = map(services.get("worker"));
        Map<String, Object> env = map(worker.get("environment"));
        assertThat(env).isEqualTo(map(map(services.get("barge")).get("environment")));
        assertThat(list(worker.get("command"))).startsWith("worker");
        assertThat(map(worker.get("depends_on"))).containsKeys("postgres", "rabbitmq");
        assertThat(map(map(worker.get("depends_on")).get("rabbitmq"))).containsEntry("condition", "service_healthy");
        assertThat(map(services.get("rabbitmq"))).containsKey("healthcheck");
        Map<String, Object> rabbitEnv = map(map(services.get("rabbitmq")).get("environment"));
        assertThat(String.valueOf(env.get("BARGE_BROKER_URL")))
                .startsWith("amqp://" + rabbitEnv.get("RABBITMQ_DEFAULT_USER") + ":")
                .endsWith("@rabbitmq:5672");
        assertThat(String.valueOf(env.get("BARGE_DB_URL"))).startsWith("jdbc:postgresql://postgres:5432/");
    }

    @Test
    void everySecretComesFromTheEnvironment() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Object environment = map(service.getValue()).get("environment");
            if (environment == null) {
                continue;
            }
            map(environment).forEach((name, value) -> {
                if (name.matches(".*(PASSWORD|SECRET).*")) {
                    assertThat(String.valueOf(value)).as(service.getKey() + " " + name).matches(".*\\$\\{[A-Z_]+.*}.*");
                }
            });
        }
    }

    @Test
    void theImageRunsTheJarTheBuildMakes() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).as("the pom names its jar").isTrue();
        String jar = "target/" + finalName.group(1) + ".jar";
        List<String> dockerfile = Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();

        String copy = dockerfile.stream().filter(l -> l.startsWith("COPY ")).findFirst().orElseThrow();
        String[] copied = copy.split("\\s+");
        assertThat(copied).hasSize(3);
        assertThat(copied[1]).isEqualTo(jar);
        String entryPoint = dockerfile.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        List<Object> command = list(new Yaml().load(entryPoint.substring("ENTRYPOINT ".length())));
        assertThat(command).containsExactly("java", "-jar", copied[2]);
        assertThat(dockerfile).anyMatch(l -> l.startsWith("FROM eclipse-temurin:17"));
        // the build context holds the jar: .dockerignore lets it through
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains("!" + jar);
    }
}
