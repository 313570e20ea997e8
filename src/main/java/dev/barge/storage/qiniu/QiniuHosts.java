package dev.barge.storage.qiniu;

import static java.util.Objects.requireNonNull;

import com.qiniu.storage.Configuration;
import java.util.Locale;

/**
 * The host a request of a remote goes to, named in the message of a request that got no answer (a
 * refused connection only shows an IP and port): the host the remote names (its endpoint or a
 * {@code *-host} option), or the one the SDK picks for its region, with what to check. Nothing here
 * sends a request. Without a region the SDK first asks the uc host where a bucket lives: that is the
 * host named for SDK requests then.
 */
final class QiniuHosts {
    private static final String REACH = "that this machine can reach it (network, proxy, firewall)";

    /** The Kodo services a remote's requests go to, each on its own host. */
    enum Role {
        UP, RS, RSF, UC, IO;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param host {@code host[:port]}, without a scheme
     * @param role what the host is to the remote, e.g. "the rs host of remote 'k'"
     * @param check what to check, starting with a verb
     */
    record Host(String host, String role, String check) {
        Host {
            requireNonNull(host, "host is null");
            requireNonNull(role, "role is null");
            requireNonNull(check, "check is null");
        }
    }

    private final QiniuSettings settings;
    private final Configuration cfg;

    QiniuHosts(QiniuSettings settings, Configuration cfg) {
        this.settings = requireNonNull(settings, "settings is null");
        this.cfg = requireNonNull(cfg, "cfg is null");
    }

    /** Where the SDK sends a request of {@code role} for {@code bucket} ({@code null}: no bucket). */
    Host of(Role role, String bucket) {
        QiniuSettings.Hosts hosts = settings.hosts();
        if (hosts != null) {
            String host = switch (role) {
                case UP -> hosts.up();
                case RS -> hosts.rs();
                case RSF -> hosts.rsf();
                case UC -> hosts.uc();
                case IO -> hosts.io();
            };
            return configured(host, role);
        }
        if (settings.regionId() == null) {
            return new Host(bare(Configuration.defaultUcHost), "the uc host the Qiniu SDK asks which region serves "
                    + (bucket == null ? "the buckets" : "bucket '" + bucket + "'") + ", as " + remote()
                    + " sets no region", "check " + REACH + ", or set region (z0, z1, z2, na0, as0...) of " + remote()
                    + ", or its endpoint for a private deployment");
        }
        // upload hosts depend on the token: uploads name the host of their URL, this only the uc host
        Role named = role == Role.UP ? Role.UC : role;
        String b = bucket == null ? "" : bucket;
        String host;
        try {
            // a region given by id has its hosts in the SDK: no request is sent for them
            host = switch (named) {
                case RS -> cfg.rsHost(settings.accessKey(), b);
                case RSF -> cfg.rsfHost(settings.accessKey(), b);
                case IO -> cfg.ioHost(settings.accessKey(), b);
                default -> cfg.ucHost();
            };
        } catch (RuntimeException e) {
            host = null;
        }
        return ofRegion(host == null || host.isBlank() ? "(unknown)" : bare(host), named);
    }

    /** The host of an upload URL, which the SDK chose for the upload token. */
    Host upload(String host) {
        return sentTo(Role.UP, host);
    }

    /** The host of a download URL for {@code bucket}, and the setting or binding that chose it. */
    Host download(String host, String bucket) {
        if (settings.bucketDomains().containsKey(bucket)) {
            return domain(host, "download-domains");
        }
        if (settings.downloadDomain() != null) {
            return domain(host, "download-domain");
        }
        if (settings.downloadMode() == QiniuSettings.DownloadMode.DOMAIN) {
            return new Host(host, "the first download domain bound to bucket '" + bucket + "' in Kodo, as " + remote()
                    + " sets no download-domain", "check the domains bound to the bucket and " + REACH
                    + ", or set download-domain or download-domains of " + remote());
        }
        return sentTo(Role.IO, host);
    }

    private Host domain(String host, String setting) {
        return new Host(host, "the " + setting + " of " + remote(), "check " + setting + " of " + remote() + " and "
                + REACH);
    }

    private Host sentTo(Role role, String host) {
        if (settings.hosts() != null) {
            return configured(host, role);
        }
        if (settings.regionId() == null) {
            return new Host(host, "the " + role.label() + " host the uc host named for " + remote() + ", which sets"
                    + " no region", "check " + REACH + ", or set region (z0, z1, z2, na0, as0...) of " + remote());
        }
        return ofRegion(host, role);
    }

    private Host configured(String host, Role role) {
        return new Host(host, "the " + role.label() + " host of " + remote(), "check endpoint (or " + role.label()
                + "-host) of " + remote() + " and " + REACH);
    }

    private Host ofRegion(String host, Role role) {
        return new Host(host, "the " + role.label() + " host of region " + settings.regionId() + ", as " + remote()
                + " names no endpoint", "check region of " + remote() + " and " + REACH
                + ", or set its endpoint for a private deployment");
    }

    private String remote() {
        return "remote '" + settings.remote() + "'";
    }

    /** {@code host[:port]} of a host the SDK gives with a scheme. */
    static String bare(String host) {
        int sep = host.indexOf("://");
        String bare = sep >= 0 ? host.substring(sep + 3) : host;
        return bare.endsWith("/") ? bare.substring(0, bare.length() - 1) : bare;
    }
}
