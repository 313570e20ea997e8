package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Selects the requests a fault applies to, by HTTP method and raw (still encoded) path, e.g.
 * {@code RequestMatcher.of("POST", "/stat/")} or {@code RequestMatcher.pathPrefix("/buckets/")}.
 */
@FunctionalInterface
public interface RequestMatcher {

    boolean matches(String method, String path);

    /** Every request. */
    static RequestMatcher any() {
        return (method, path) -> true;
    }

    /** Requests whose path starts with {@code prefix}, any method. */
    static RequestMatcher pathPrefix(String prefix) {
        requireNonNull(prefix, "prefix is null");
        return (method, path) -> path.startsWith(prefix);
    }

    /** Requests with this method (case-insensitive) and a path starting with {@code prefix}. */
    static RequestMatcher of(String method, String prefix) {
        requireNonNull(method, "method is null");
        requireNonNull(prefix, "prefix is null");
        String m = method.toUpperCase(Locale.ROOT);
        return (requestMethod, path) -> requestMethod.equalsIgnoreCase(m) && path.startsWith(prefix);
    }
}
