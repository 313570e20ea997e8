package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns remote names and {@link Location}s into open stores: finds the configured remote (or the
 * default one a URI scheme stands for), the provider of its type, opens the store once and wraps
 * it in the layers (see {@link StoreDecorator}). Stores are shared: asking twice for one remote
 * returns the same instance. Closing the registry closes them all.
 */
public final class StoreRegistry implements AutoCloseable {

    private final Map<String, StoreProvider> providers;
    private final Map<String, RemoteConfig> remotes;
    private final StoreDecorator decorator;
    private final Map<String, ObjectStore> open = new ConcurrentHashMap<>();

    /**
     * @param providers one provider per type
     * @param remotes the configured remotes by name
     * @param decorator wraps each opened store, e.g. in retry, rate-limit and metrics layers
     */
    public StoreRegistry(Collection<StoreProvider> providers, Collection<RemoteConfig> remotes,
            StoreDecorator decorator) {
        this.providers = new LinkedHashMap<>();
        for (StoreProvider provider : providers) {
            if (this.providers.putIfAbsent(provider.type(), provider) != null) {
                throw new IllegalArgumentException("two providers of type " + provider.type());
            }
        }
        this.remotes = new LinkedHashMap<>();
        for (RemoteConfig remote : remotes) {
            this.remotes.put(remote.name(), remote);
        }
        this.decorator = requireNonNull(decorator, "decorator is null");
    }

    /** The configured remotes, in configuration order. */
    public List<RemoteConfig> remotes() {
        return List.copyOf(remotes.values());
    }

    /**
     * The configuration of a remote: a configured one, or for the URI scheme names {@code s3},
     * {@code oss}, {@code qiniu} and {@code file} when not configured, that type's defaults
     * ({@code file} is the local file system from {@code /}).
     *
     * @throws StorageException {@code INVALID_ARGUMENT} naming the remote and the known ones
     */
    public RemoteConfig remote(String name) {
        RemoteConfig configured = remotes.get(name);
        if (configured != null) {
            return configured;
        }
        String schemeType = Location.SCHEMES.get(name);
        if (schemeType != null) {
            return schemeType.equals("local")
                    ? RemoteConfig.local(name, Path.of("/"))
                    : RemoteConfig.defaults(name, schemeType);
        }
        throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("unknown remote '" + name + "': configured remotes are " + new TreeSet<>(remotes.keySet())
                        + "; define it under barge.remotes." + name + " or use a URI such as s3://bucket/prefix")
                .build();
    }

    /**
     * Whether two remotes are one store: same type, endpoint, region, path style, credentials and
     * root, whatever their names. Objects move between them by server-side copy.
     */
    public boolean sameStore(String a, String b) {
        RemoteConfig x = remote(a);
        RemoteConfig y = remote(b);
        return x.type().equals(y.type())
                && java.util.Objects.equals(x.endpoint(), y.endpoint())
                && java.util.Objects.equals(x.region(), y.region())
                && x.pathStyle() == y.pathStyle()
                && java.util.Objects.equals(x.credentials(), y.credentials())
                && java.util.Objects.equals(x.root() == null ? null : x.root().toAbsolutePath().normalize(),
                        y.root() == null ? null : y.root().toAbsolutePath().normalize());
    }

    /** The store of a remote, opened on first use. */
    public ObjectStore store(String remoteName) {
        return open.computeIfAbsent(remoteName, name -> {
            RemoteConfig config = remote(name);
            StoreProvider provider = providers.get(config.type());
            if (provider == null) {
                throw StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                        .detail("remote '" + name + "' has type '" + config.type() + "', which is not one of "
                                + new TreeSet<>(providers.keySet()))
                        .build();
            }
            return decorator.decorate(config, provider.open(config));
        });
    }

    /** The store a location points into. */
    public ObjectStore store(Location location) {
        return store(location.remote());
    }

    @Override
    public void close() {
        StorageException first = null;
        for (ObjectStore store : open.values()) {
            try {
                store.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = StorageException.builder(ErrorKind.PERMANENT, Operation.RESOLVE)
                            .detail("closing a store failed: " + e.getMessage()).cause(e).build();
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Wraps a freshly opened store, e.g. in layers configured for its remote. */
    @FunctionalInterface
    public interface StoreDecorator {
        ObjectStore decorate(RemoteConfig remote, ObjectStore store);

        /** Leaves stores as the providers open them. */
        StoreDecorator NONE = (remote, store) -> store;
    }
}
