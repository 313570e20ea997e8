package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.Checksum;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.transfer.ObjectTransfer;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Decides, key by key, what a migration does; reads only what the listings gave, but for rare HEADs. */
public final class MigrationPlanner implements ItemProcessor<ObjectPair, PlannedObject> {
    private final ObjectFilter filter;
    private final IdentityCheck identityCheck;
    private final boolean deleteExtraneous;
    private final ObjectStore target;
    private final String targetBucket;
    private final String targetPrefix;

    public MigrationPlanner(ObjectFilter filter, IdentityCheck identityCheck, boolean deleteExtraneous,
            ObjectStore target, String targetBucket, String targetPrefix) {
        this.filter = requireNonNull(filter, "filter is null");
        this.identityCheck = requireNonNull(identityCheck, "identityCheck is null");
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
        ObjectInfo source = pair.source();
        ObjectInfo target = pair.target();
        if (source.size() != target.size()) {
            return false;
        }
        return switch (identityCheck) {
            case SIZE_ONLY -> true;
            case SIZE_AND_MTIME -> notOlder(source, target);
            case CHECKSUM -> sameChecksum(pair).orElseGet(() -> notOlder(source, target));
        };
    }

    /** The checksum verdict, or empty when nothing comparable exists. */
    private Optional<Boolean> sameChecksum(ObjectPair pair) {
        for (Checksum s : pair.source().checksums()) {
            Optional<Checksum> t = pair.target().checksum(s.algorithm());
            if (t.isPresent()) {
                return Optional.of(t.get().equals(s));
            }
        }
        Optional<Checksum> sourceMd5 = pair.source().checksum(Checksum.Algorithm.MD5);
        if (sourceMd5.isEmpty()) {
            return Optional.empty();
        }
        String recorded = target.stat(targetBucket, targetPrefix + pair.key()).userMetadata()
                .get(ObjectTransfer.MD5_METADATA);
        return recorded == null ? Optional.empty() : Optional.of(Checksum.md5Hex(recorded).equals(sourceMd5.get()));
    }

    /**
     * Whether the target was written no earlier than the source was, to the second: S3 and most
     * stores report times in whole seconds, so finer differences (a local file's nanoseconds) say
     * nothing.
     */
    private static boolean notOlder(ObjectInfo source, ObjectInfo target) {
        return !target.lastModified().truncatedTo(ChronoUnit.SECONDS)
                .isBefore(source.lastModified().truncatedTo(ChronoUnit.SECONDS));
    }
}
