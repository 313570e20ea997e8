package dev.barge.storage.azure;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What an {@link AzureObjectStore} needs besides its client.
 *
 * @param remote the remote's name, for messages
 * @param account the storage account
 * @param sasToken the SAS token the store signs in with, or {@code null} with an account key or Entra ID;
 *     a copy source URL carries it
 * @param sharedKey whether the store holds the account key, so that it can sign SAS URLs (presign); with
 *     neither a key nor a SAS token the store signs in with Microsoft Entra ID
 * @param blockSize the block size of puts of unknown length
 * @param rehydrateTier the tier a restore rehydrates to
 * @param requestTimeout how long a server-side copy may stay pending
 */
record AzureSettings(String remote, String account, String sasToken, boolean sharedKey, long blockSize,
        String rehydrateTier, Duration requestTimeout) {
    AzureSettings {
        requireNonNull(remote, "remote is null");
        requireNonNull(account, "account is null");
        requireNonNull(rehydrateTier, "rehydrateTier is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
    }

    /** Whether the store signs in with Microsoft Entra ID (DefaultAzureCredential): no key, no SAS token. */
    boolean entraId() {
        return !sharedKey && sasToken == null;
    }

    @Override
    public String toString() {
        return "AzureSettings[remote=" + remote + ", account=" + account + ", sharedKey=" + sharedKey + "]";
    }
}
