package dev.barge.config;

import java.util.List;

/**
 * Leaves Spring Boot's RabbitMQ auto-configuration out of every context but those that take part in
 * remote partitioning: {@code barge worker} and a job run with {@code --remote} set
 * {@value #ENABLED}{@code =true}. Any other command runs without a connection factory, a template
 * or an admin for a broker it never talks to. The sibling of {@link ServeOnlyAutoConfigurations},
 * registered beside it in {@code META-INF/spring.factories}.
 */
public final class RemoteOnlyAutoConfigurations extends PropertyGatedAutoConfigurations {
    /** The property the worker and {@code --remote} set; {@link RemotePartitioningConfiguration} is conditional on it too. */
    public static final String ENABLED = "barge.remote.enabled";

    /** The package of spring-boot-amqp's auto-configurations. */
    private static final List<String> PACKAGES = List.of("org.springframework.boot.amqp.");

    public RemoteOnlyAutoConfigurations() {
        super(ENABLED, PACKAGES);
    }
}
