package dev.barge.storage.s3;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one S3 remote that the store itself uses (the client has the rest); see
 * {@link S3StoreProvider} for what each means.
 *
 * @param remote the remote's name, for thread names
 * @param region the region requests are signed for
 * @param regionGiven whether the region was configured (rather than defaulted)
 * @param multipartCopyThreshold copies of objects above this size use UploadPartCopy
 * @param multipartCopyPartSize the part size of those copies, before raising it to fit 10,000 parts
 * @param multipartCopyConcurrency how many parts of one copy are copied at once
 * @param multipartUploadPartSize the part size of puts of unknown length
 * @param multipartUploadConcurrency how many parts of one put of unknown length are read and sent at once
 * @param etagIsMd5 whether a plain single-part etag is the MD5 of the content
 */
record S3Options(
        String remote,
        String region,
        boolean regionGiven,
        long multipartCopyThreshold,
        long multipartCopyPartSize,
        int multipartCopyConcurrency,
        int multipartUploadPartSize,
        int multipartUploadConcurrency,
        boolean etagIsMd5) {

    S3Options {
        requireNonNull(remote, "remote is null");
        requireNonNull(region, "region is null");
    }

    /**
     * Whether CreateBucket names the region as its location constraint: AWS wants it outside
     * us-east-1 (where it must be absent); stores that call their only region "auto" or
     * "us-east-1" do not.
     */
    boolean sendsLocationConstraint() {
        return regionGiven && !region.equals(S3StoreProvider.DEFAULT_REGION) && !region.equalsIgnoreCase("auto");
    }
}
