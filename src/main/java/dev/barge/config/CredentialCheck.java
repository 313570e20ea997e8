package dev.barge.config;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreProvider;
import java.util.function.Function;

/**
 * Refuses to open a remote that has no credentials where its vendor has no default chain to find
 * them, before any request: Qiniu has none; OSS reads only {@code OSS_ACCESS_KEY_ID} and
 * {@code OSS_ACCESS_KEY_SECRET}. S3 keeps the AWS default chain (environment, profile, role), which
 * only a request can try. The message names the settings in the user's own form.
 */
final class CredentialCheck implements StoreProvider {
    private final StoreProvider provider;
    private final RemoteSettings settings;
    private final Function<String, String> environment;

    CredentialCheck(StoreProvider provider, RemoteSettings settings, Function<String, String> environment) {
        this.provider = requireNonNull(provider, "provider is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public String type() {
        return provider.type();
    }

    @Override
    public ObjectStore open(RemoteConfig config) {
        if (config.credentials() == null) {
            String missing = switch (config.type()) {
                case "qiniu" -> "Qiniu has no default credential chain";
                case "oss" -> blank(environment.apply("OSS_ACCESS_KEY_ID"))
                        || blank(environment.apply("OSS_ACCESS_KEY_SECRET"))
                        ? "OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (OSS's default) are not set" : null;
                default -> null;
            };
            if (missing != null) {
                throw RemoteSettings.invalid("remote '" + config.name() + "' has no credentials: none were given, and "
                        + missing + "; set " + settings.name(config.name(), "access-key-id") + " and "
                        + settings.name(config.name(), "secret-access-key"));
            }
        }
        return provider.open(config);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
