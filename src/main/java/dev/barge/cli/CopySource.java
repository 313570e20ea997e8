package dev.barge.cli;

import static java.util.Objects.requireNonNull;

import dev.barge.storage.ByteRange;
import dev.barge.storage.ObjectContent;
import dev.barge.storage.ObjectInfo;
import dev.barge.storage.ObjectStore;
import dev.barge.storage.layer.ObjectStoreLayer;
import java.io.InputStream;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The source store of one {@code cp}, as the transfer sees it: every byte it reads is reported to
 * the progress bar, and the source object carries the content type and user metadata the copy is to
 * get ({@code --content-type}, {@code --metadata}) in place of its own, since a transfer writes what
 * the source carries.
 */
final class CopySource extends ObjectStoreLayer {
    private final String contentType;
    private final Map<String, String> userMetadata;
    private final LongConsumer progress;

    /**
     * @param contentType the copy's content type, or {@code null} for the source's
     * @param userMetadata the copy's user metadata, or {@code null} for the source's
     */
    CopySource(ObjectStore delegate, String contentType, Map<String, String> userMetadata, LongConsumer progress) {
        super(delegate);
        this.contentType = contentType;
        this.userMetadata = userMetadata == null ? null : Map.copyOf(userMetadata);
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** The object as the copy is to be: with the content type and metadata asked for. */
    ObjectInfo relabel(ObjectInfo info) {
        if (contentType == null && userMetadata == null) {
            return info;
        }
        return new ObjectInfo(info.key(), info.size(), info.lastModified(), info.etag(), info.storageClass(),
                contentType != null ? contentType : info.contentType(),
                userMetadata != null ? userMetadata : info.userMetadata(), info.checksums(), info.restore());
    }

    @Override
    protected <T> T invoke(Call call, Supplier<T> action) {
        return action.get();
    }

    @Override
    protected InputStream download(Call call, InputStream body) {
        return new MeteredInputStream(body, null, progress);
    }

    @Override
    public ObjectInfo stat(String bucket, String key) {
        return relabel(super.stat(bucket, key));
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        ObjectContent content = super.get(bucket, key, range);
        return new ObjectContent(relabel(content.info()), content.offset(), content.length(), content.body());
    }
}
