package dev.barge.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves the Spring Boot auto-configurations of some packages out of a context unless a property
 * is {@code true}: what only {@code barge serve} uses stays out of the command line's contexts.
 * Subclasses name the property and the packages, and are registered in
 * {@code META-INF/spring.factories}.
 */
abstract class PropertyGatedAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {
    private final String property;
    private final List<String> packages;
    private Environment environment;

    PropertyGatedAutoConfigurations(String property, List<String> packages) {
        this.property = requireNonNull(property, "property is null");
        this.packages = List.copyOf(packages);
    }

    @Override
    public final void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public final boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean on = environment != null && environment.getProperty(property, Boolean.class, false);
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < matches.length; i++) {
            String name = autoConfigurationClasses[i];
            matches[i] = on || name == null || packages.stream().noneMatch(name::startsWith);
        }
        return matches;
    }
}
