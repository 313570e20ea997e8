package dev.barge.cli;

/**
 * Starts the Spring context a command works in, once the command line is parsed: parsing,
 * {@code --help} and usage errors never open the job repository, and what the command line says
 * (a config file, a database, rate limits) is part of the context from its start.
 */
@FunctionalInterface
public interface ContextStarter {

    /** A context configured for {@code launch}; closing the session releases it. */
    Session start(Launch launch);
}
