package dev.barge.batch;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ErrorKind;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.Operation;
import dev.barge.storage.StorageException;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Decides, key by key, what a verification found, from what the two listings gave: missing on one
 * side, different, or matched by the job's {@link IdentityCheck} (through {@link ObjectComparison},
 * the rule migrate skips identical objects by). It asks the stores nothing, but for the target's
 * metadata where a multipart copy may have recorded the source's MD5 (one HEAD request, as migrate).
 *
 * <p>With {@code download}, a pair of equal size that no checksum both sides report can decide
 * (an S3 multipart etag against a Qiniu qetag, a file without a recorded MD5) is left for its
 * content to be compared ({@link PlannedCheck.Decision#COMPARE_CONTENT}); without it, such a pair
 * is decided as migrate decides it, by the times, and a changed byte goes unnoticed.
 *
 * <p>The filters apply to the source object, or to the target object when only the target has the key.
 */
public final class VerifyPlanner implements ItemProcessor<ObjectPair, PlannedCheck> {
    private final ObjectFilter filter;
    private final ObjectComparison comparison;
    private final boolean download;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final ObjectStore target;
    private final String targetBucket;
    private final String targetPrefix;

    /**
     * @param download whether pairs that checksums cannot decide are compared by their content
     */
    public VerifyPlanner(ObjectFilter filter, IdentityCheck identityCheck, boolean download, String sourceBucket,
            String sourcePrefix, ObjectStore target, String targetBucket, String targetPrefix) {
        this.filter = requireNonNull(filter, "filter is null");
        this.comparison = new ObjectComparison(requireNonNull(identityCheck, "identityCheck is null"));
        if (download && identityCheck != IdentityCheck.CHECKSUM) {
            throw new IllegalArgumentException("comparing content needs the checksum identity check, not "
                    + identityCheck);
        }
        this.download = download;
        this.sourceBucket = requireNonNull(sourceBucket, "sourceBucket is null");
        this.sourcePrefix = requireNonNull(sourcePrefix, "sourcePrefix is null");
        this.target = requireNonNull(target, "target is null");
        this.targetBucket = requireNonNull(targetBucket, "targetBucket is null");
        this.targetPrefix = requireNonNull(targetPrefix, "targetPrefix is null");
    }

    @Override
    public PlannedCheck process(ObjectPair pair) {
        ObjectInfo s = pair.source();
        ObjectInfo t = pair.target();
        if (!filter.accepts(pair.key(), s != null ? s : t)) {
            return new PlannedCheck(pair, PlannedCheck.Decision.FILTERED, null);
        }
        if (s == null) {
            return new PlannedCheck(pair, PlannedCheck.Decision.MISSING_AT_SOURCE, "missing at the source: "
                    + sourceBucket + "/" + sourcePrefix + pair.key() + " is not there");
        }
        if (t == null) {
            return new PlannedCheck(pair, PlannedCheck.Decision.MISSING_AT_TARGET, "missing at the target: "
                    + targetBucket + "/" + targetPrefix + pair.key() + " is not there");
        }
        ObjectComparison.Verdict verdict;
        try {
            verdict = comparison.compare(s, t, () -> target.stat(targetBucket, t.key()).userMetadata());
        } catch (StorageException e) {
            return new PlannedCheck(pair, PlannedCheck.Decision.FAILED, null, e);
        }
        if (download && verdict.basis() == ObjectComparison.Basis.TIME_WITHOUT_CHECKSUM) {
            ObjectInfo archived = !s.isReadable() ? s : !t.isReadable() ? t : null;
            if (archived != null) {
                return new PlannedCheck(pair, PlannedCheck.Decision.FAILED, null, StorageException
                        .builder(ErrorKind.PRECONDITION_FAILED, Operation.GET)
                        .bucket(archived == s ? sourceBucket : targetBucket).key(archived.key())
                        .detail("its content can't be compared: it is in " + archived.storageClass().displayName()
                                + " and must be restored first, and no checksum both sides report can decide")
                        .build());
            }
            return new PlannedCheck(pair, PlannedCheck.Decision.COMPARE_CONTENT, null);
        }
        return verdict.identical() ? new PlannedCheck(pair, PlannedCheck.Decision.MATCHED, null)
                : new PlannedCheck(pair, PlannedCheck.Decision.DIFFERENT, verdict.difference() + " (at the target "
                        + targetBucket + "/" + t.key() + ")");
    }
}
