package dev.barge.emulator.oss;

/**
 * A satisfiable byte range of GetObject, with OSS's two behaviours for ranges that are not:
 *
 * <ul>
 *   <li>by default OSS ignores a Range it can't serve exactly (start past the end, end past the
 *       end, suffix longer than the object, several ranges, bad syntax) and returns the whole
 *       object with 200;</li>
 *   <li>with {@code x-oss-range-behavior: standard} an end past the end is cut to the object
 *       (206), a suffix longer than the object is the whole object (206), and a start past the
 *       end (or an empty object, or several ranges) is 416 {@code InvalidRange}. Bad syntax is
 *       still ignored, as HTTP says.</li>
 * </ul>
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
record OssRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    /** The range to serve, or {@code null} for the whole object with 200. */
    static OssRange parse(String header, long size, boolean standard) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!value.startsWith("bytes=")) {
            return null;
        }
        String spec = value.substring("bytes=".length()).trim();
        if (spec.contains(",")) {
            return unsatisfiable(size, standard);
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        Long start = parseNumber(spec.substring(0, dash));
        Long end = parseNumber(spec.substring(dash + 1));
        boolean startGiven = !spec.substring(0, dash).isBlank();
        boolean endGiven = !spec.substring(dash + 1).isBlank();
        if ((startGiven && start == null) || (endGiven && end == null) || (!startGiven && !endGiven)) {
            return null; // bad syntax: ignored in both modes
        }
        if (!startGiven) {
            // suffix: the last `end` bytes
            if (end == 0 || size == 0) {
                return unsatisfiable(size, standard);
            }
            if (end > size) {
                return standard ? new OssRange(0, size - 1) : null;
            }
            return new OssRange(size - end, size - 1);
        }
        if (endGiven && end < start) {
            return null;
        }
        if (start >= size) {
            return unsatisfiable(size, standard);
        }
        if (!endGiven) {
            return new OssRange(start, size - 1);
        }
        if (end >= size) {
            return standard ? new OssRange(start, size - 1) : null;
        }
        return new OssRange(start, end);
    }

    private static OssRange unsatisfiable(long size, boolean standard) {
        if (!standard) {
            return null;
        }
        throw new OssError(416, "InvalidRange", "The requested range cannot be satisfied")
                .header("Content-Range", "bytes */" + size)
                .detail("ActualObjectSize", String.valueOf(size));
    }

    private static Long parseNumber(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || !trimmed.chars().allMatch(Character::isDigit) || trimmed.length() > 18) {
            return null;
        }
        return Long.parseLong(trimmed);
    }
}
