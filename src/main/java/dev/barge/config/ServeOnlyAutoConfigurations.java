package dev.barge.config;

import java.util.List;

/**
 * Leaves the web server, Spring MVC, Spring Security, Thymeleaf and springdoc's auto-configurations
 * out of every context but {@code barge serve}'s ({@value #ENABLED}{@code =true}): a command such as
 * {@code barge migrate} runs in the same application, and must neither start a server nor load the
 * classes of a dashboard it does not show. The sibling of {@link MonitoringOnlyAutoConfigurations},
 * registered beside it in {@code META-INF/spring.factories}.
 */
public final class ServeOnlyAutoConfigurations extends PropertyGatedAutoConfigurations {
    /** The property {@code barge serve} sets; {@code dev.barge.web}'s beans are conditional on it too. */
    public static final String ENABLED = "barge.serve.enabled";

    /** The packages of the auto-configurations of the web, servlet, Tomcat, security, Thymeleaf and springdoc modules. */
    private static final List<String> PACKAGES = List.of("org.springframework.boot.webmvc.",
            "org.springframework.boot.tomcat.", "org.springframework.boot.servlet.",
            "org.springframework.boot.web.server.", "org.springframework.boot.http.converter.",
            "org.springframework.boot.security.", "org.springframework.boot.thymeleaf.", "org.springdoc.");

    public ServeOnlyAutoConfigurations() {
        super(ENABLED, PACKAGES);
    }
}
