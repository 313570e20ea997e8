package dev.barge.storage.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.BaseSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * SigV4 with {@code UNSIGNED-PAYLOAD} over plain http too, where the auth scheme asks for it
 * ({@link AwsV4FamilyHttpSigner#PAYLOAD_SIGNING_ENABLED} false).
 *
 * <p>The SDK's signer turns payload signing back on for every http request, and then hashes each
 * body with SHA-256 (as aws-chunked, with a signature per chunk). For a request that carries a
 * Content-MD5 that buys nothing: the signature covers the headers, so a body changed on the way fails
 * the store's MD5 check either way. Requests without one stay signed as the SDK signs them, so no
 * body goes unprotected. This signer shows the SDK's signer the request as https, with
 * the Host header it will really carry, so the canonical request (which holds no scheme) is the one
 * the store verifies; then it hands the request back as http. Everything else is the SDK's signing.
 */
final class S3UnsignedPayload implements AuthScheme<AwsCredentialsIdentity> {
    private final AwsV4AuthScheme delegate = AwsV4AuthScheme.create();
    private final Signer signer = new Signer(delegate.signer());

    @Override
    public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return delegate.identityProvider(providers);
    }

    @Override
    public HttpSigner<AwsCredentialsIdentity> signer() {
        return signer;
    }

    private static final class Signer implements HttpSigner<AwsCredentialsIdentity> {
        private final AwsV4HttpSigner v4;

        Signer(AwsV4HttpSigner v4) {
            this.v4 = v4;
        }

        @Override
        public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (!unsignedOverHttp(request)) {
                return v4.sign(request);
            }
            SignedRequest signed = v4.sign(request.copy(r -> r.request(asHttps(http))));
            return signed.copy(r -> r.request(signed.request().toBuilder().protocol(http.protocol()).build()));
        }

        @Override
        public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
            SdkHttpRequest http = request.request();
            if (!unsignedOverHttp(request)) {
                return v4.signAsync(request);
            }
            return v4.signAsync(request.copy(r -> r.request(asHttps(http)))).thenApply(signed -> signed.copy(
                    r -> r.request(signed.request().toBuilder().protocol(http.protocol()).build())));
        }

        private static boolean unsignedOverHttp(BaseSignRequest<?, ? extends AwsCredentialsIdentity> request) {
            return "http".equals(request.request().protocol())
                    && Boolean.FALSE.equals(request.property(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED))
                    && request.request().firstMatchingHeader("Content-MD5").isPresent();
        }

        /** The request as https, with the Host header of the http request that will be sent. */
        private static SdkHttpRequest asHttps(SdkHttpRequest http) {
            String host = SdkHttpUtils.isUsingStandardPort(http.protocol(), http.port())
                    ? http.host() : http.host() + ":" + http.port();
            return http.toBuilder().protocol("https").putHeader("Host", host).build();
        }
    }
}
