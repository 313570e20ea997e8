package dev.barge.storage;

import static java.util.Objects.requireNonNull;

/**
 * One page of a listing: which keys, where to start, how many.
 *
 * <p>Exactly one of {@code startAfter} and {@code pageToken} may be set. A page token is the
 * opaque {@link ListPage#nextPageToken()} of the previous page of the same listing (same prefix
 * and delimiter); start-after is a key, and needs {@link Capabilities#listStartAfter()}.
 *
 * @param bucket the bucket
 * @param prefix only keys starting with this ("" for all)
 * @param delimiter when not {@code null}, keys containing it after the prefix are rolled up into
 *     common prefixes (usually {@code "/"})
 * @param startAfter only keys sorting strictly after this one, or {@code null}
 * @param pageToken continue a listing from its previous page, or {@code null}
 * @param pageSize at most this many entries (objects plus common prefixes), 1 to 1000
 */
public record ListRequest(
        String bucket, String prefix, String delimiter, String startAfter, String pageToken, int pageSize) {

    public static final int MAX_PAGE_SIZE = 1000;

    public ListRequest {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        if (delimiter != null && delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must be null or non-empty");
        }
        if (startAfter != null && pageToken != null) {
            throw new IllegalArgumentException("give either startAfter or pageToken, not both");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ": " + pageSize);
        }
    }

    /** The first page of all keys under {@code prefix}, recursively, 1000 at a time. */
    public static ListRequest of(String bucket, String prefix) {
        return new ListRequest(bucket, prefix, null, null, null, MAX_PAGE_SIZE);
    }

    public ListRequest withDelimiter(String newDelimiter) {
        return new ListRequest(bucket, prefix, newDelimiter, startAfter, pageToken, pageSize);
    }

    public ListRequest withStartAfter(String key) {
        return new ListRequest(bucket, prefix, delimiter, key, null, pageSize);
    }

    public ListRequest withPageToken(String token) {
        return new ListRequest(bucket, prefix, delimiter, null, token, pageSize);
    }

    public ListRequest withPageSize(int size) {
        return new ListRequest(bucket, prefix, delimiter, startAfter, pageToken, size);
    }

    /** The request for the page after {@code page}; only meaningful when {@code page.truncated()}. */
    public ListRequest next(ListPage page) {
        return withPageToken(requireNonNull(page.nextPageToken(), "the page is the last one"));
    }
}
