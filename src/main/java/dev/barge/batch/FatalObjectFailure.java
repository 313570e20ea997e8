package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.StorageException;

/**
 * A failure that no object of the job can get past (credentials refused, a bucket missing, a
 * target that refuses every write, a feature the store lacks): the step stops at once. Its
 * message is one line naming the object it happened on, the cause and what to do.
 */
public final class FatalObjectFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FatalObjectFailure(String key, StorageException cause, String advice) {
        super("stopped at " + Keys.quote(requireNonNull(key, "key is null")) + ": " + cause.getMessage()
                + (advice == null ? "" : "; " + advice), cause);
    }

    /**
     * The failure to stop a job's step with when acting on {@code key} failed with {@code e} in a way no
     * other object can get past (credentials refused, the bucket missing, a feature the store lacks);
     * {@code null} when the failure is that object's alone.
     */
    static FatalObjectFailure ifFatal(String key, StorageException e) {
        return switch (e.kind()) {
            case INVALID_CREDENTIALS -> new FatalObjectFailure(key, e, "check the remote's credentials");
            case BUCKET_NOT_FOUND -> new FatalObjectFailure(key, e, "check the bucket's name");
            case UNSUPPORTED -> new FatalObjectFailure(key, e, null);
            default -> null;
        };
    }

    /** The storage failure behind it. */
    public StorageException storageFailure() {
        return (StorageException) getCause();
    }
}
