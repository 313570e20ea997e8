package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param objects the objects of this page, in {@link KeyOrder ascending UTF-8 byte order}
 * @param commonPrefixes with a delimiter: the rolled-up prefixes of this page (each ends with
 *     the delimiter), in the same order; a prefix appears on only one page of a listing that
 *     is followed by page tokens
 * @param nextPageToken the token for the next page, or {@code null} on the last page
 */
public record ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, String nextPageToken) {

    public ListPage {
        objects = List.copyOf(requireNonNull(objects, "objects is null"));
        commonPrefixes = List.copyOf(requireNonNull(commonPrefixes, "commonPrefixes is null"));
    }

    /** Whether more entries follow this page. */
    public boolean truncated() {
        return nextPageToken != null;
    }

    /** How many entries (objects and common prefixes) this page holds. */
    public int size() {
        return objects.size() + commonPrefixes.size();
    }
}
