package dev.barge.cli;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Spring context a command works in, once the command line is parsed: parsing,
 * {@code --help} and usage errors never open the job repository, and what the command line says
 * (a config file, a database, rate limits) is part of the context from its start.
 */
@FunctionalInterface
public interface ContextStarter {

    /** A context configured for {@code launch}; closing the session releases it. */
    Session start(Launch launch);

    /**
     * {@code barge serve}'s application for {@code launch}: a web server with the dashboard, the API,
     * the scheduler, health and metrics, started and serving; closing it stops them.
     *
     * @throws UnsupportedOperationException where this starter only starts commands' contexts
     */
    default ConfigurableApplicationContext serve(Launch launch, ServeOptions options) {
        throw new UnsupportedOperationException("this starter does not start barge serve");
    }
}
