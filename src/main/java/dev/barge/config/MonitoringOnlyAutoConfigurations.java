package dev.barge.config;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves Actuator, health and Micrometer's Spring Boot auto-configurations out of every context
 * that does not monitor: only {@code barge serve} sets {@code barge.monitoring.enabled}, and a
 * command such as {@code barge migrate} would otherwise start some sixty configurations (and load
 * hundreds of classes) that nothing in it uses. Its stores then count into Micrometer's global
 * registry, as they always did on the command line. Registered in {@code META-INF/spring.factories}.
 */
public final class MonitoringOnlyAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {
    /** The packages of the auto-configurations of spring-boot-actuator-autoconfigure, -health and -micrometer-*. */
    private static final List<String> PACKAGES = List.of("org.springframework.boot.actuate.",
            "org.springframework.boot.health.", "org.springframework.boot.micrometer.");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean monitoring = environment != null
                && environment.getProperty("barge.monitoring.enabled", Boolean.class, false);
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < matches.length; i++) {
            String name = autoConfigurationClasses[i];
            matches[i] = monitoring || name == null || PACKAGES.stream().noneMatch(name::startsWith);
        }
        return matches;
    }
}
