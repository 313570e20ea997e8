package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link ObjectStore#deleteAll}, key by key.
 *
 * @param deleted keys that are gone (including keys that were already missing)
 * @param failed keys that could not be deleted, with the reason; they may or may not still exist
 */
public record DeleteResult(List<String> deleted, Map<String, StorageException> failed) {

    public DeleteResult {
        deleted = List.copyOf(requireNonNull(deleted, "deleted is null"));
        failed = Map.copyOf(requireNonNull(failed, "failed is null"));
    }

    public boolean isComplete() {
        return failed.isEmpty();
    }

}
