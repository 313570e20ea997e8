package dev.barge.config;

import java.util.List;

/**
 * Leaves Actuator, health and Micrometer's Spring Boot auto-configurations out of every context
 * that does not monitor: only {@code barge serve} sets {@code barge.monitoring.enabled}, and a
 * command such as {@code barge migrate} would otherwise start some sixty configurations (and load
 * hundreds of classes) that nothing in it uses. Its stores then count into Micrometer's global
 * registry, as they always did on the command line. Registered in {@code META-INF/spring.factories}.
 */
public final class MonitoringOnlyAutoConfigurations extends PropertyGatedAutoConfigurations {
    /** The packages of the auto-configurations of spring-boot-actuator-autoconfigure, -health and -micrometer-*. */
    private static final List<String> PACKAGES = List.of("org.springframework.boot.actuate.",
            "org.springframework.boot.health.", "org.springframework.boot.micrometer.");

    public MonitoringOnlyAutoConfigurations() {
        super("barge.monitoring.enabled", PACKAGES);
    }
}
