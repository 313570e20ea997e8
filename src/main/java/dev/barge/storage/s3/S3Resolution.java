package dev.barge.storage.s3;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * Endpoint and auth-scheme resolution for a client with a configured endpoint, done once per bucket
 * and operation instead of on every request.
 *
 * <p>The SDK runs S3's endpoint rules engine on every call, and resolves the auth scheme through the
 * same rules again: URL parsing, string matching and exceptions for rules that don't match, several
 * times per request (aws-sdk-java-v2 #5846). With a fixed endpoint the answer depends only on the
 * bucket (and for auth on the operation), so the SDK's own answer is asked once and remembered:
 * requests go exactly where, and are signed exactly as, the SDK would send them. What a key or a copy
 * source could change (S3 Express, Object Lambda, access points) does not apply to a fixed endpoint.
 *
 * <p>Over plain http the V4 signer hashes every payload (SHA-256) into the signature. With
 * {@code signPayload} off the payload is sent as {@code UNSIGNED-PAYLOAD}: the driver sends a
 * Content-MD5 with every body it holds, and the signature covers that header, so the store still
 * refuses altered bytes, without a second pass over them.
 */
final class S3Resolution {
    /** More buckets than any job touches; past it, answers are no longer remembered. */
    private static final int MAX_REMEMBERED = 1024;

    private final S3EndpointProvider rules = S3EndpointProvider.defaultProvider();
    private final S3AuthSchemeProvider authRules;
    private final boolean signPayload;
    private final Map<EndpointKey, CompletableFuture<Endpoint>> endpoints = new ConcurrentHashMap<>();
    private final Map<AuthKey, List<AuthSchemeOption>> authSchemes = new ConcurrentHashMap<>();

    private record EndpointKey(String bucket, Boolean controlEndpoint) {}

    private record AuthKey(String operation, String bucket) {}

    S3Resolution(boolean signPayload) {
        this.signPayload = signPayload;
        this.authRules = S3AuthSchemeProvider.defaultProvider();
    }

    S3EndpointProvider endpointProvider() {
        return this::endpoint;
    }

    S3AuthSchemeProvider authSchemeProvider() {
        return this::authSchemes;
    }

    private CompletableFuture<Endpoint> endpoint(S3EndpointParams params) {
        requireNonNull(params, "params is null");
        EndpointKey key = new EndpointKey(params.bucket(), params.useS3ExpressControlEndpoint());
        CompletableFuture<Endpoint> known = endpoints.get(key);
        if (known != null) {
            return known;
        }
        CompletableFuture<Endpoint> resolved = rules.resolveEndpoint(
                params.toBuilder().key(null).prefix(null).copySource(null).deleteObjectKeys(null).build());
        if (resolved.isDone() && !resolved.isCompletedExceptionally() && endpoints.size() < MAX_REMEMBERED) {
            endpoints.putIfAbsent(key, resolved);
        }
        return resolved;
    }

    private List<AuthSchemeOption> authSchemes(S3AuthSchemeParams params) {
        requireNonNull(params, "params is null");
        AuthKey key = new AuthKey(params.operation(), params.bucket());
        List<AuthSchemeOption> known = authSchemes.get(key);
        if (known != null) {
            return known;
        }
        List<AuthSchemeOption> options = authRules.resolveAuthScheme(
                params.toBuilder().key(null).prefix(null).copySource(null).deleteObjectKeys(null).build());
        if (!signPayload) {
            options = options.stream().map(o -> o.toBuilder()
                    .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false).build()).toList();
        }
        options = List.copyOf(options);
        if (authSchemes.size() < MAX_REMEMBERED) {
            authSchemes.putIfAbsent(key, options);
        }
        return options;
    }
}
