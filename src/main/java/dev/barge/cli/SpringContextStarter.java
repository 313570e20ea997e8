package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.BargeApplication;
import dev.barge.config.ServeOnlyAutoConfigurations;
import dev.barge.config.StoresOnly;
import dev.barge.monitoring.MonitoringConfiguration;
import dev.barge.schedule.ScheduleConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Starts Barge's Spring Boot application for one command. Where settings come from, strongest first:
 * <ol>
 *   <li>the command line: {@code --db-url}, and {@code --tps-limit}/{@code --bwlimit} as a
 *       {@link JobRateLimits} decorator;</li>
 *   <li>{@code BARGE_REMOTE_<NAME>_<SETTING>} environment variables ({@link RemoteEnvironment});</li>
 *   <li>Spring's own sources: system properties, {@code BARGE_REMOTES_...}, {@code BARGE_DB_URL}...;</li>
 *   <li>the remotes file, {@code --config FILE} or {@code ~/.config/barge/remotes.yml} ({@link RemotesFile});</li>
 *   <li>{@code application.yml}.</li>
 * </ol>
 * The sources are the same for every command; what differs is the application started on them:
 * {@link BargeApplication} for a command that {@linkplain Launch.Needs#JOBS needs jobs}, and for one
 * that {@linkplain Launch.Needs#STORES only reaches stores} {@link StoresOnly}, which has no job
 * repository, no Flyway and no Spring Batch and so starts in a fraction of the time.
 * No banner, no web server, no log output on the console: logs go to {@code barge.home/barge.log}
 * so that the command's own output (and {@code --json}) stays clean. Spring's shutdown hook is
 * off: the command closes the context itself, after a Ctrl-C has stopped its job cleanly.
 * {@code barge serve} is the exception ({@link #serve}): a web application that logs to the console
 * too and closes on SIGINT and SIGTERM.
 */
public final class SpringContextStarter implements ContextStarter {
    private final Map<String, String> environment;
    private final Map<String, Object> defaults;

    /**
     * @param environment the process environment (for remotes and the default remotes file)
     * @param defaults extra properties below everything else (tests use it for {@code barge.home})
     */
    public SpringContextStarter(Map<String, String> environment, Map<String, Object> defaults) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.defaults = Map.copyOf(requireNonNull(defaults, "defaults is null"));
    }

    @Override
    public Session start(Launch launch) {
        Class<?> application = launch.needs() == Launch.Needs.JOBS ? BargeApplication.class : StoresOnly.class;
        Map<String, Object> quiet = new LinkedHashMap<>();
        quiet.put("logging.threshold.console", "off");
        ConfigurableApplicationContext context = run(launch, builder(launch, application, Map.of(), quiet)
                .web(WebApplicationType.NONE)
                .registerShutdownHook(false), launch.needs() == Launch.Needs.JOBS);
        return new Session(context, context::close);
    }

    /**
     * {@code barge serve}: the whole application as a servlet web application on {@code options}'
     * address and port, with the scheduler ({@value ScheduleConfiguration#ENABLED}), health and metrics
     * ({@value MonitoringConfiguration#ENABLED}) and the dashboard and API
     * ({@value ServeOnlyAutoConfigurations#ENABLED}) on. Logs go to the console too (a server's output
     * is its log). Spring's shutdown hook is on: SIGINT or SIGTERM closes the context, which stops the
     * scheduler and asks the runs this process started to stop after their chunk in flight.
     */
    @Override
    public ConfigurableApplicationContext serve(Launch launch, ServeOptions options) {
        Map<String, Object> serve = new LinkedHashMap<>();
        serve.put(ScheduleConfiguration.ENABLED, "true");
        serve.put(MonitoringConfiguration.ENABLED, "true");
        serve.put(ServeOnlyAutoConfigurations.ENABLED, "true");
        serve.put("server.port", Integer.toString(options.port()));
        serve.put("server.address", options.bind());
        // Tomcat's work directory in Barge's home, not a tomcat.* directory left in the system's temp
        serve.put("server.tomcat.basedir", "${barge.home}/tomcat");
        if (options.jobsDir() != null) {
            serve.put("barge.jobs-dir", options.jobsDir().toString());
        }
        // application.yml says no web application for everything else; the application's own arguments
        // are read before the sources the initializer adds, in time to decide the kind of context
        return run(launch, builder(launch, BargeApplication.class, serve, Map.of())
                .web(WebApplicationType.SERVLET)
                .registerShutdownHook(true), true, "--spring.main.web-application-type=servlet");
    }

    /**
     * The application on Barge's property sources.
     *
     * @param strongest properties above every other source (what the command line says)
     * @param quiet properties above the caller's defaults, below everything else
     */
    private SpringApplicationBuilder builder(Launch launch, Class<?> application, Map<String, Object> strongest,
            Map<String, Object> quiet) {
        PropertySource<?> remotesFile = remotesFile(launch.config());
        PropertySource<?> fromEnvironment = RemoteEnvironment.propertySource(environment);
        Map<String, Object> commandLine = new LinkedHashMap<>(strongest);
        commandLine.putAll(launch.properties());
        String broker = environment.get("BARGE_BROKER_URL");
        if (!commandLine.containsKey("spring.rabbitmq.addresses") && broker != null && !broker.isBlank()) {
            // --broker wins; else the variable, which Spring would not map to the property by itself
            commandLine.put("spring.rabbitmq.addresses", broker);
        }
        if (launch.dbUrl() != null) {
            commandLine.put("spring.datasource.url", launch.dbUrl());
        }
        String home = BargeHome.of(environment, System.getProperty("user.home")).toString();
        String bargeHome = environment.get("BARGE_HOME");
        if (bargeHome != null && bargeHome.isBlank()) {
            // set but empty: as if unset (Spring would otherwise read it as barge.home = "")
            commandLine.put("barge.home", home);
        }
        if (application == BargeApplication.class) {
            checkDatabaseUrl(launch);
        }
        Map<String, Object> defaultProperties = new LinkedHashMap<>(defaults);
        defaultProperties.putAll(quiet);
        defaultProperties.put("barge.default-home", home);
        defaultProperties.put("spring.main.banner-mode", "off");
        defaultProperties.put("spring.main.log-startup-info", "false");
        defaultProperties.put("logging.file.name", "${barge.home}/barge.log");
        return new SpringApplicationBuilder(application)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(defaultProperties)
                .listeners(new PrivateLogFile())
                .initializers(context -> {
                    MutablePropertySources sources = context.getEnvironment().getPropertySources();
                    sources.addFirst(new MapPropertySource("barge-command-line", commandLine));
                    sources.addAfter("barge-command-line", fromEnvironment);
                    String after = sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
                            ? StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME
                            : "barge-remote-environment";
                    sources.addAfter(after, remotesFile);
                    context.getBeanFactory().registerSingleton("jobRateLimits",
                            new JobRateLimits(launch.rateLimit(), launch.limitedRemotes()));
                });
    }

    private ConfigurableApplicationContext run(Launch launch, SpringApplicationBuilder builder, boolean jobs,
            String... args) {
        try {
            return builder.run(args);
        } catch (RuntimeException e) {
            if (jobs && isDatabaseFailure(e)) {
                throw CliError.usage("cannot open the job repository " + jobRepository(launch) + ": "
                        + Errors.rootMessage(e) + "; check that the database runs and accepts connections there");
            }
            throw e;
        }
    }

    private PropertySource<?> remotesFile(Path config) {
        if (config != null) {
            return RemotesFile.properties(config);
        }
        Path path = RemotesFile.defaultPath(environment, System.getProperty("user.home"));
        return Files.isRegularFile(path) ? RemotesFile.properties(path)
                : new MapPropertySource("barge-remotes-file", Map.of());
    }

    private static boolean isDatabaseFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t.getClass().getName().startsWith("org.flywaydb.core.internal.exception.FlywaySql")) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a job repository URL of a database Barge has no driver for, before anything is started. */
    private void checkDatabaseUrl(Launch launch) {
        String url = launch.dbUrl() != null ? launch.dbUrl() : environment.get("BARGE_DB_URL");
        if (url == null || url.isBlank() || url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:h2:")) {
            return;
        }
        throw CliError.usage("cannot open the job repository " + jobRepository(launch) + ": Barge keeps its jobs in"
                + " PostgreSQL or H2; give a URL such as jdbc:postgresql://HOST:5432/DATABASE (or leave it out for"
                + " the embedded H2 database under $BARGE_HOME)");
    }

    /** The job repository's URL as configured, and where it came from; credentials in it left out. */
    private String jobRepository(Launch launch) {
        if (launch.dbUrl() != null) {
            return withoutSecrets(launch.dbUrl()) + " (--db-url)";
        }
        String url = environment.get("BARGE_DB_URL");
        if (url != null && !url.isBlank()) {
            return withoutSecrets(url) + " (BARGE_DB_URL)";
        }
        return "(the embedded H2 database under $BARGE_HOME)";
    }

    /** A JDBC URL without its parameters and user info, which may carry a password. */
    static String withoutSecrets(String url) {
        String bare = url.replaceAll("[?;].*$", "");
        return bare.replaceAll("//[^/@]*@", "//");
    }
}
