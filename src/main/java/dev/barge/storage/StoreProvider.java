package dev.barge.storage;

/**
 * Opens stores of one driver type from configuration. Each driver package has one; the
 * {@link StoreRegistry} finds them by {@link #type()}.
 */
public interface StoreProvider {

    /** The type name used in {@code barge.remotes.<name>.type}, e.g. {@code s3}. */
    String type();

    /**
     * Opens a store for a remote. Validates the configuration and fails with
     * {@link ErrorKind#INVALID_ARGUMENT} naming the remote and the setting when it is wrong;
     * sends no request.
     */
    ObjectStore open(RemoteConfig config);
}
