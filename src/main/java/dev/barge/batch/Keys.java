package dev.barge.batch;

/** Keys as messages show them: quoted, with characters that would print as nothing or as a box escaped. */
final class Keys {
    private Keys() {}

    /** {@code 'a\uFFFD'} for a key of {@code a} and U+FFFD; printable characters as they are. */
    static String quote(String key) {
        StringBuilder s = new StringBuilder(key.length() + 2).append('\'');
        key.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean invisible = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED || c == 0xFFFD;
            if (invisible) {
                s.append(c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.append('\'').toString();
    }
}
