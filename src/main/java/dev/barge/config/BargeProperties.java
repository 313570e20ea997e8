package dev.barge.config;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Barge's configuration root, {@code barge.*}.
 *
 * @param remotes named remotes, {@code barge.remotes.<name>.*}; from any Spring property source:
 *     {@code application.yml}, {@code --barge.remotes.prod.region=...}, or the environment
 *     ({@code BARGE_REMOTES_PROD_SECRETACCESSKEY=...})
 */
@ConfigurationProperties("barge")
public record BargeProperties(Map<String, RemoteProperties> remotes) {
    public BargeProperties {
        remotes = remotes != null ? Map.copyOf(remotes) : Map.of();
    }
}
