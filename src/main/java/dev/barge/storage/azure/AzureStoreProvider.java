package dev.barge.storage.azure;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.barge.storage.Credentials;
import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StorageException;
import dev.barge.storage.StoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Opens {@code azure} remotes: Azure Blob Storage (and Azurite), with the Azure SDK for Java. A
 * Barge bucket is a container.
 *
 * <p>Credentials: {@code access-key-id} is the storage account name; {@code secret-access-key} is
 * one of the account's keys, a SAS token ({@code sv=...&sig=...}, recognised by its {@code sig=}),
 * or a whole connection string ({@code DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...}).
 * Without them the variables the Azure CLI reads are used: {@code AZURE_STORAGE_CONNECTION_STRING},
 * else {@code AZURE_STORAGE_ACCOUNT} with {@code AZURE_STORAGE_KEY} or {@code AZURE_STORAGE_SAS_TOKEN}.
 * Without any of these the remote signs in with Microsoft Entra ID: {@code DefaultAzureCredential}
 * (service principal or workload identity variables, a managed identity, {@code az login}...), whose
 * bearer tokens need an {@code https} endpoint; the account is the endpoint's (or
 * {@code AZURE_STORAGE_ACCOUNT}). A chain that finds no identity fails the first request, with
 * {@code INVALID_CREDENTIALS} saying what to set ({@link AzureErrors}).
 *
 * <p>{@code endpoint} is the blob service URL, {@code https://<account>.blob.core.windows.net} when
 * absent; a sovereign cloud's (e.g. {@code https://acct.blob.core.chinacloudapi.cn}); for Azurite
 * {@code http://127.0.0.1:10000/devstoreaccount1} (an IP or {@code localhost} endpoint without a path
 * gets the account name as its path, Azurite's form).
 *
 * <p>Options ({@code barge.remotes.<name>.options.*}):
 * <ul>
 *   <li>{@code block-size} (default 8MB): a put of unknown length is sent in blocks of this size,
 *       each held in memory while it is sent (objects up to 50,000 blocks); at most 4000MB;</li>
 *   <li>{@code rehydrate-tier} (default Hot): the tier an archived blob is rehydrated to by a restore:
 *       Hot, Cool or Cold.</li>
 * </ul>
 */
public final class AzureStoreProvider implements StoreProvider {
    public static final String TYPE = "azure";

    static final long MIB = 1L << 20;
    /** Azure's largest block (Put Block, API 2019-12-12 and later). */
    static final long MAX_BLOCK_SIZE = 4000 * MIB;
    /** The longest wait for an answer from a token endpoint of the Entra ID chain. */
    private static final Duration IDENTITY_TIMEOUT = Duration.ofMinutes(1);

    private final Function<String, String> environment;

    public AzureStoreProvider() {
        this(System::getenv);
    }

    /** For tests: reads the {@code AZURE_STORAGE_*} fallbacks from {@code environment}. */
    AzureStoreProvider(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectStore open(RemoteConfig config) {
        AzureAccess access = access(config);
        String endpoint = endpoint(config, access);
        boolean entraId = access.key() == null && access.sasToken() == null;
        if (entraId && !endpoint.toLowerCase(Locale.ROOT).startsWith("https://")) {
            throw invalid(config, "endpoint '" + endpoint + "' is plain http, and a remote without credentials signs"
                    + " in with Microsoft Entra ID, whose bearer tokens are sent only over https: use an https"
                    + " endpoint, or give credentials: access-key-id (the storage account name) and secret-access-key"
                    + " (an account key, a SAS token or a connection string)");
        }
        long blockSize = config.longOption("block-size", 8 * MIB);
        if (blockSize < MIB || blockSize > MAX_BLOCK_SIZE) {
            throw invalid(config, "option block-size=" + config.options().get("block-size")
                    + " must be between 1MB and 4000MB");
        }
        String rehydrateTier = AzureTiers.rehydrateTier(config.options().getOrDefault("rehydrate-tier", "Hot"));
        if (rehydrateTier == null) {
            throw invalid(config, "option rehydrate-tier=" + config.options().get("rehydrate-tier")
                    + " must be Hot, Cool or Cold");
        }

        // a request whose answer, or the next bytes of whose body, do not come within request-timeout
        // fails, as with the other drivers; the JDK client has no pool size to set (max-connections)
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(config.connectTimeout())
                .responseTimeout(config.requestTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                .build();
        // Barge's retry layer retries, in one place: the SDK sends every call once.
        RequestRetryOptions once = new RequestRetryOptions(RetryPolicyType.FIXED, 1,
                (Integer) null, null, null, null);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder()
                .endpoint(endpoint)
                .httpClient(http)
                .retryOptions(once);
        if (access.key() != null) {
            builder.credential(new StorageSharedKeyCredential(access.account(), access.key()));
        } else if (access.sasToken() != null) {
            builder.credential(new AzureSasCredential(access.sasToken()));
        } else {
            builder.credential(entraId(config));
        }
        BlobServiceClient service;
        try {
            service = builder.buildClient();
        } catch (IllegalArgumentException e) {
            throw invalid(config, "the endpoint or credentials are not usable: " + e.getMessage());
        }
        String account = access.account() != null ? access.account() : accountOf(endpoint);
        return new AzureObjectStore(service, new AzureSettings(config.name(), account == null ? "" : account,
                access.sasToken(), access.key() != null, blockSize, rehydrateTier, config.requestTimeout()));
    }

    /**
     * Microsoft Entra ID sign-in, for a remote with no key, SAS token or connection string: the SDK's
     * default chain, reading the process environment (and the files of {@code az login}, IntelliJ...)
     * as the SDK documents. Its token requests go through a client of their own, with the remote's
     * connect timeout and at most a minute to answer.
     */
    private static TokenCredential entraId(RemoteConfig config) {
        Duration answer = config.requestTimeout().compareTo(IDENTITY_TIMEOUT) < 0 ? config.requestTimeout()
                : IDENTITY_TIMEOUT;
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(config.connectTimeout())
                .responseTimeout(answer)
                .readTimeout(answer)
                .writeTimeout(answer)
                .build();
        try {
            return new DefaultAzureCredentialBuilder().httpClient(http).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // e.g. AZURE_TOKEN_CREDENTIALS naming no credential of the chain
            throw invalid(config, "Microsoft Entra ID sign-in (DefaultAzureCredential) cannot be set up: "
                    + e.getMessage());
        }
    }

    /**
     * The account and its key or SAS token, from the remote or the Azure CLI's variables; without
     * them, for Entra ID sign-in, neither (and the account of {@code AZURE_STORAGE_ACCOUNT}, if set).
     */
    AzureAccess access(RemoteConfig config) {
        Credentials credentials = config.credentials();
        if (credentials != null) {
            String secret = credentials.secretAccessKey().reveal().trim();
            if (isConnectionString(secret)) {
                AzureAccess access = fromConnectionString(config, secret);
                if (!access.account().equals(credentials.accessKeyId())) {
                    throw invalid(config, "access-key-id '" + credentials.accessKeyId()
                            + "' is not the connection string's AccountName '" + access.account() + "'");
                }
                return access;
            }
            return isSasToken(secret)
                    ? new AzureAccess(credentials.accessKeyId(), null, stripQuestionMark(secret), null)
                    : new AzureAccess(credentials.accessKeyId(), secret, null, null);
        }
        String connectionString = environment.apply("AZURE_STORAGE_CONNECTION_STRING");
        if (connectionString != null && !connectionString.isBlank()) {
            return fromConnectionString(config, connectionString.trim());
        }
        String account = environment.apply("AZURE_STORAGE_ACCOUNT");
        String key = environment.apply("AZURE_STORAGE_KEY");
        String sas = environment.apply("AZURE_STORAGE_SAS_TOKEN");
        if (account != null && !account.isBlank()) {
            if (key != null && !key.isBlank()) {
                return new AzureAccess(account.trim(), key.trim(), null, null);
            }
            if (sas != null && !sas.isBlank()) {
                return new AzureAccess(account.trim(), null, stripQuestionMark(sas.trim()), null);
            }
        }
        return new AzureAccess(account == null || account.isBlank() ? null : account.trim(), null, null, null);
    }

    private static boolean isConnectionString(String secret) {
        String lower = secret.toLowerCase(Locale.ROOT);
        return lower.contains(";") && (lower.contains("accountname=") || lower.contains("sharedaccesssignature=")
                || lower.contains("blobendpoint="));
    }

    private static boolean isSasToken(String secret) {
        return secret.contains("sig=") && secret.contains("&");
    }

    private static String stripQuestionMark(String sas) {
        return sas.startsWith("?") ? sas.substring(1) : sas;
    }

    private static AzureAccess fromConnectionString(RemoteConfig config, String connectionString) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : connectionString.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        String account = parts.get("accountname");
        String key = parts.get("accountkey");
        String sas = parts.get("sharedaccesssignature");
        String blobEndpoint = parts.get("blobendpoint");
        if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
            throw invalid(config, "UseDevelopmentStorage=true is not supported: give Azurite's account, key and"
                    + " endpoint (see docs/azure.md)");
        }
        if (account == null && blobEndpoint != null) {
            account = accountOf(blobEndpoint);
        }
        if (account == null || (key == null && sas == null)) {
            throw invalid(config, "the connection string needs AccountName (or BlobEndpoint) and AccountKey or"
                    + " SharedAccessSignature");
        }
        if (blobEndpoint == null) {
            String protocol = parts.getOrDefault("defaultendpointsprotocol", "https");
            String suffix = parts.getOrDefault("endpointsuffix", "core.windows.net");
            blobEndpoint = protocol + "://" + account + ".blob." + suffix;
        }
        return new AzureAccess(account, key, key == null ? stripQuestionMark(sas) : null, blobEndpoint);
    }

    private static String accountOf(String blobEndpoint) {
        try {
            URI uri = new URI(blobEndpoint);
            String host = uri.getHost();
            if (host != null && host.contains(".blob.")) {
                return host.substring(0, host.indexOf('.'));
            }
            String path = uri.getPath();
            return path != null && path.length() > 1 ? path.substring(1).split("/")[0] : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String endpoint(RemoteConfig config, AzureAccess access) {
        String given = config.endpoint() != null && !config.endpoint().isBlank() ? config.endpoint().trim()
                : access.endpoint();
        if (given == null) {
            if (access.account() == null) {
                throw invalid(config, "no credentials and no endpoint: set endpoint to the storage account's blob"
                        + " service (https://<account>.blob.core.windows.net) to sign in with Microsoft Entra ID,"
                        + " or set access-key-id to the storage account name and secret-access-key to an account key,"
                        + " a SAS token or a connection string (or the variables AZURE_STORAGE_CONNECTION_STRING, or"
                        + " AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN)");
            }
            return "https://" + access.account() + ".blob.core.windows.net";
        }
        URI uri;
        try {
            uri = new URI(given);
        } catch (URISyntaxException e) {
            throw invalid(config, "endpoint '" + given + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw invalid(config, "endpoint '" + given + "' must be an http or https URL of the blob service");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.isEmpty() || path.equals("/")) {
            String host = uri.getHost();
            boolean local = host.equals("localhost") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                    || host.startsWith("[");
            if (local) {
                if (access.account() == null) {
                    throw invalid(config, "endpoint '" + given + "' names no account: add it as the path ("
                            + given.replaceAll("/+$", "") + "/<account>), as Azurite addresses accounts");
                }
                // Azurite and other emulators address the account in the path
                return given.replaceAll("/+$", "") + "/" + access.account();
            }
        }
        return given.replaceAll("/+$", "");
    }

    private static StorageException invalid(RemoteConfig config, String detail) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("remote '" + config.name() + "': " + detail).build();
    }

    /** How a remote signs in: an account with a key or a SAS token; the endpoint a connection string gave. */
    record AzureAccess(String account, String key, String sasToken, String endpoint) {
        @Override
        public String toString() {
            return "AzureAccess[account=" + account + ", key=" + (key == null ? "none" : "******") + ", sas="
                    + (sasToken == null ? "none" : "******") + ", endpoint=" + endpoint + "]";
        }
    }
}
