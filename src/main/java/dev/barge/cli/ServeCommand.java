package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.schedule.InvalidScheduleSpecs;
import dev.barge.web.ServeRefused;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code barge serve}: the long-running process: the dashboard and the REST API over the job
 * repository, the scheduled jobs of {@code jobs/*.yml}, health and metrics. It runs until SIGINT or
 * SIGTERM, then stops cleanly: the scheduler first, the runs it started after their chunk in flight.
 * A start it refuses (a spec that is wrong, an address beyond this machine with no users) is a
 * usage error, exit 2, naming what to put right.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the ops dashboard, the REST API (/api, described at /api/docs), the scheduled jobs"
                + " of the jobs directory, /actuator/health and /actuator/prometheus, until Ctrl-C or SIGTERM.",
                "Users: barge.serve.users.<name>.password and .role (viewer or operator), or"
                        + " BARGE_SERVE_OPERATOR_PASSWORD / BARGE_SERVE_VIEWER_PASSWORD. On 127.0.0.1 with no users"
                        + " everyone on this machine is an operator; beyond it a user is required."},
        footerHeading = "%nExamples:%n",
        footer = {"  barge serve", "  barge serve --jobs-dir /etc/barge/jobs --db-url jdbc:postgresql://db/barge",
                "  BARGE_SERVE_OPERATOR_PASSWORD=... barge serve --bind 0.0.0.0 --port 8080"})
final class ServeCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The HTTP port (default ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every"
                    + " interface, which needs a user with a password).")
    String bind;

    @Option(names = "--jobs-dir", paramLabel = "DIR",
            description = "The scheduled job specs, *.yml (default: barge.jobs-dir, $BARGE_JOBS_DIR, else ./jobs).")
    Path jobsDir;

    ServeCommand(Terminal terminal) {
        this.terminal = requireNonNull(terminal, "terminal is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw CliError.usage("--port must be 0 to 65535: " + port);
        }
        ConfigurableApplicationContext context;
        try {
            context = BargeCommand.root(spec).openServe(new ServeOptions(port, bind, jobsDir));
        } catch (CliError e) {
            throw e;
        } catch (RuntimeException e) {
            throw refusal(e);
        }
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener((ApplicationEvent event) -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        int actual = context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : port;
        terminal.out().println("barge serve: the dashboard is on http://" + host(bind) + ":" + actual
                + "/ (API: /api, described at /api/docs); Ctrl-C stops it");
        terminal.out().flush();
        if (context.isActive()) {
            closed.await();
        }
        // the event comes as closing starts; this waits for whoever is closing it to finish
        context.close();
        terminal.out().println("barge serve: stopped");
        terminal.out().flush();
        return ExitCode.OK;
    }

    /** A failed start as the one line that says what to put right. */
    static CliError refusal(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidScheduleSpecs || t instanceof ServeRefused) {
                return CliError.usage(t.getMessage());
            }
        }
        return CliError.usage("cannot start: " + Errors.rootMessage(e));
    }

    private static String host(String bind) {
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }
}
