package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ObjectStore;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Decides, key by key, what a migration does; reads only what the listings gave, but for rare HEADs. */
public final class MigrationPlanner implements ItemProcessor<ObjectPair, PlannedObject> {
    private final ObjectFilter filter;
    private final ObjectComparison comparison;
    private final boolean deleteExtraneous;
    private final ObjectStore target;
    private final String targetBucket;
    private final String targetPrefix;

    public MigrationPlanner(ObjectFilter filter, IdentityCheck identityCheck, boolean deleteExtraneous,
            ObjectStore target, String targetBucket, String targetPrefix) {
        this.filter = requireNonNull(filter, "filter is null");
        this.comparison = new ObjectComparison(requireNonNull(identityCheck, "identityCheck is null"));
        this.deleteExtraneous = deleteExtraneous;
        this.target = requireNonNull(target, "target is null");
        this.targetBucket = requireNonNull(targetBucket, "targetBucket is null");
        this.targetPrefix = requireNonNull(targetPrefix, "targetPrefix is null");
    }

    @Override
    public PlannedObject process(ObjectPair pair) {
        if (pair.source() == null) {
            return new PlannedObject(pair, deleteExtraneous
                    ? PlannedObject.Action.DELETE_EXTRANEOUS : PlannedObject.Action.KEEP_EXTRANEOUS);
        }
        if (!filter.accepts(pair.key(), pair.source())) {
            return new PlannedObject(pair, PlannedObject.Action.SKIP_FILTERED);
        }
        if (pair.target() != null && identical(pair)) {
            return new PlannedObject(pair, PlannedObject.Action.SKIP_IDENTICAL);
        }
        return new PlannedObject(pair, PlannedObject.Action.COPY);
    }

    private boolean identical(ObjectPair pair) {
        return comparison.identical(pair.source(), pair.target(),
                () -> target.stat(targetBucket, targetPrefix + pair.key()).userMetadata());
    }
}
