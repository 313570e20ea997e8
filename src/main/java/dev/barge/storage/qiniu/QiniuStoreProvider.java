package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import dev.barge.storage.RemoteConfig;
import dev.barge.storage.StoreProvider;

/**
 * Opens {@code qiniu} remotes: Qiniu Kodo, the public cloud or a private deployment.
 *
 * <h2>Where the service is</h2>
 * <ul>
 *   <li>{@code endpoint}: one URL, {@code http(s)://host[:port]} without a path, used for every host role
 *       (up, rs, rsf, api, uc, io), as private deployments and the emulator serve them. Options
 *       {@code up-host}, {@code rs-host}, {@code rsf-host}, {@code api-host}, {@code uc-host} and
 *       {@code io-host} ({@code host[:port]} or a URL of the same scheme) override single roles; without
 *       an endpoint all six must be given. {@code region} then only names the region new buckets are
 *       created in (default {@code z0}).</li>
 *   <li>Without them, the public cloud: {@code region} ({@code z0}, {@code z1}, {@code z2}, {@code na0},
 *       {@code as0}, {@code cn-east-2}...) picks the SDK's hosts for that region; without a region the SDK
 *       asks the uc service where each bucket lives. {@code use-https} (default {@code true}).</li>
 * </ul>
 *
 * <h2>Downloads</h2>
 * Kodo serves content from download domains, through signed URLs. For a bucket the driver uses, first
 * match: its entry in {@code download-domains} ({@code bucket=domain,bucket2=domain2}); {@code download-domain}
 * (one domain for every bucket, e.g. a CDN domain); then {@code download-mode}: {@code getfile} (default
 * with an endpoint) reads {@code <io host>/getfile/<access key>/<bucket>/<key>}, the form Kodo private
 * deployments serve for every bucket; {@code domain} (default for the public cloud) uses the first domain
 * bound to the bucket, asked once from the uc host. Domains are {@code host[:port]} or URLs; a bare host
 * gets the scheme of the service hosts.
 *
 * <h2>Credentials and connections</h2>
 * {@code credentials} (access key and secret key) are required: the Qiniu SDK has no default chain.
 * {@code connect-timeout}, {@code request-timeout} (as the read and write timeouts of each request, and
 * the longest a streamed body may stall) and {@code max-connections} apply to the SDK's client and the
 * driver's own. The SDK's retries are off: Barge's retry layer is the one place that retries.
 *
 * <h2>Uploads</h2>
 * {@code form-upload-threshold} (default 4MB, at most 1GB): puts of at most this many bytes are one form
 * upload, held in memory; larger ones, or of unknown length above it, are resumable uploads in 4 MiB parts.
 */
public final class QiniuStoreProvider implements StoreProvider {
    public static final String TYPE = "qiniu";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectStore open(RemoteConfig config) {
        requireNonNull(config, "config is null");
        return new QiniuObjectStore(QiniuSettings.from(config));
    }
}
