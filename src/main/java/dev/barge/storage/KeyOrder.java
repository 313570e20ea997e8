package dev.barge.storage;

import java.util.Comparator;

/**
 * The order of keys in every listing: ascending by the bytes of their UTF-8 encoding, which is
 * the order S3, OSS and Kodo list in. It equals Unicode code point order, and differs from
 * {@link String#compareTo}, which compares UTF-16 units and sorts characters outside the Basic
 * Multilingual Plane (emoji) before U+E000..U+FFFF.
 */
public final class KeyOrder implements Comparator<String> {

    public static final KeyOrder UTF8 = new KeyOrder();

    private KeyOrder() {}

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Whether {@code a} sorts strictly before {@code b}. */
    public static boolean before(String a, String b) {
        return UTF8.compare(a, b) < 0;
    }
}
