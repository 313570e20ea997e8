package dev.barge.batch;

import dev.barge.storage.KeyOrder;
import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * A store listed a key that is not strictly greater, in {@link KeyOrder#UTF8}, than the key
 * before it. Every comparison of two listings relies on that order: a key out of place would
 * look absent on one side, and be copied or deleted for it. The step stops here, before any
 * action on either key.
 */
public final class ListingOrderException extends ItemStreamException {
    private static final long serialVersionUID = 1L;

    ListingOrderException(String remote, String bucket, String previous, String next) {
        super(remote + " listed " + Keys.quote(next) + " after " + Keys.quote(previous) + " in bucket '" + bucket
                + "', out of the ascending UTF-8 byte order that the comparison of source and target relies on;"
                + " stopped before acting on either key, nothing was deleted for it. Some S3-compatible servers"
                + " sort keys by UTF-16 units, which puts characters beyond U+FFFF (emoji) before U+E000..U+FFFF;"
                + " Barge cannot compare such a listing key by key with another store's");
    }
}
