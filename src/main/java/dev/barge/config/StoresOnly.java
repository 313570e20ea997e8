package dev.barge.config;

import org.springframework.context.annotation.Import;

/**
 * The application of the commands that only reach stores ({@code ls}, {@code cat}, {@code stat},
 * {@code remotes}): {@link StorageConfiguration} and nothing else. No component scan and no
 * auto-configuration, so no DataSource, no Flyway, no job repository and no Spring Batch: such a
 * command neither waits for them nor creates a job database. Its settings come from the same
 * property sources as the full application's ({@code dev.barge.cli.SpringContextStarter} starts
 * both).
 */
@Import(StorageConfiguration.class)
public final class StoresOnly {
}
