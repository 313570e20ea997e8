package dev.barge.storage;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where objects are: a remote, a bucket and a path (a key prefix, or one key) inside it.
 *
 * <p>Two spellings are accepted:
 * <ul>
 *   <li>{@code remote:bucket/path}, a remote configured under {@code barge.remotes.<remote>}, as in rclone;</li>
 *   <li>plain URIs {@code s3://bucket/path}, {@code oss://bucket/path}, {@code qiniu://bucket/path},
 *       which use the remote of that name if one is configured and the vendor's defaults otherwise,
 *       and {@code file:///absolute/path}, the local file system, whose first path segment is the bucket.</li>
 * </ul>
 * The path is taken literally: no percent-decoding, no normalisation.
 *
 * @param remote the remote name ({@code s3}, {@code oss}, {@code qiniu}, {@code file} for URIs)
 * @param bucket the bucket, or "" when the location names only a remote
 * @param path the key or prefix inside the bucket, possibly ""
 */
public record Location(String remote, String bucket, String path) {

    /** URI schemes and the driver type each one means. */
    public static final java.util.Map<String, String> SCHEMES =
            java.util.Map.of("s3", "s3", "oss", "oss", "qiniu", "qiniu", "file", "local");

    private static final Pattern URI_FORM = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);
    private static final Pattern REMOTE_FORM = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_.-]*):(.*)", Pattern.DOTALL);
    private static final String VALID_FORMS = "use remote:bucket/prefix (a remote from barge.remotes), "
            + "s3://bucket/prefix, oss://bucket/prefix, qiniu://bucket/prefix or file:///absolute/path";

    public Location {
        requireNonNull(remote, "remote is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(path, "path is null");
    }

    /**
     * Parses a location.
     *
     * @throws StorageException {@code INVALID_ARGUMENT} naming the input and the valid forms
     */
    public static Location parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(String.valueOf(text), "it is empty");
        }
        Matcher uri = URI_FORM.matcher(text);
        if (uri.matches()) {
            String scheme = uri.group(1).toLowerCase(Locale.ROOT);
            String rest = uri.group(2);
            if (!SCHEMES.containsKey(scheme)) {
                throw invalid(text, "'" + scheme + "://' is not a scheme Barge knows");
            }
            if (scheme.equals("file")) {
                if (!rest.startsWith("/")) {
                    throw invalid(text, "a file URI names an absolute path on this machine, as in file:///data/photos");
                }
                rest = rest.substring(1);
            }
            return split(text, scheme, rest);
        }
        Matcher remote = REMOTE_FORM.matcher(text);
        if (remote.matches()) {
            if (remote.group(2).startsWith("/")) {
                throw invalid(text, "the bucket follows the colon directly, as in "
                        + remote.group(1) + ":" + remote.group(2).replaceFirst("^/+", ""));
            }
            return split(text, remote.group(1), remote.group(2));
        }
        throw invalid(text, "it is neither remote:bucket/prefix nor a URI");
    }

    private static Location split(String text, String remote, String rest) {
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty() && !path.isEmpty()) {
            throw invalid(text, "the bucket name is empty");
        }
        return new Location(remote, bucket, path);
    }

    private static StorageException invalid(String text, String why) {
        return StorageException.builder(ErrorKind.INVALID_ARGUMENT, Operation.RESOLVE)
                .detail("'" + text + "' is not a valid location: " + why + "; " + VALID_FORMS)
                .build();
    }

    /** Whether the location names a bucket. */
    public boolean hasBucket() {
        return !bucket.isEmpty();
    }

    /** The location as {@code remote:bucket/path}. */
    @Override
    public String toString() {
        return remote + ":" + bucket + (path.isEmpty() ? "" : "/" + path);
    }
}
