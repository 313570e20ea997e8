package dev.barge.emulator.qiniu;

import java.util.Comparator;

/**
 * Kodo lists keys in ascending UTF-8 byte order. For valid strings that is code point order, which
 * differs from {@link String#compareTo} (UTF-16 units) for characters above U+FFFF versus U+E000..U+FFFF.
 */
final class KeyOrder implements Comparator<String> {

    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

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
}
