package dev.barge.storage.oss;

import static java.util.Objects.requireNonNull;

import com.aliyun.oss.common.comm.SignVersion;

/**
 * The validated settings of one {@code oss} remote.
 *
 * @param remote the remote's name, for messages
 * @param endpoint the endpoint URL with its scheme
 * @param region the region (e.g. {@code cn-hangzhou}), or {@code null} when not known
 * @param signVersion V1 or V4
 * @param copyThreshold objects larger than this are copied part by part (UploadPartCopy)
 * @param uploadPartSize the first part size of puts that are split into parts
 */
record OssSettings(
        String remote, String endpoint, String region, SignVersion signVersion, long copyThreshold,
        long uploadPartSize) {

    OssSettings {
        requireNonNull(remote, "remote is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(signVersion, "signVersion is null");
    }
}
