package dev.barge.storage;

import static java.util.Objects.requireNonNull;

/**
 * Static credentials of a remote. Remotes without them use the vendor's default chain (for
 * AWS: environment, profile, instance role).
 *
 * @param accessKeyId the access key id; shown in listings of remotes, as vendors' consoles do
 * @param secretAccessKey the secret key
 * @param sessionToken a temporary session (STS) token, or {@code null}
 */
public record Credentials(String accessKeyId, Secret secretAccessKey, Secret sessionToken) {
    public Credentials {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        if (accessKeyId.isBlank()) {
            throw new IllegalArgumentException("access key id is blank");
        }
    }
}
