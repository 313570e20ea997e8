package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

/**
 * Sends each request to the host role that serves it. All roles share one port, so the route is chosen
 * from the credential the request carries, then from the path:
 * <ul>
 * <li>{@code Authorization: UpToken} -> up (resumable v1/v2); a multipart {@code POST /} -> up (form);</li>
 * <li>{@code Authorization: Qiniu|QBox} -> rs, rsf and uc management APIs, after the signature check;</li>
 * <li>no Authorization, GET or HEAD -> io (download). So {@code GET /stat/xyz} without credentials
 * downloads the key {@code stat/xyz}, as it would on a bucket domain.</li>
 * </ul>
 */
final class KodoRouter {

    private final KodoAuth auth;
    private final ManagementApi management;
    private final ListApi lists;
    private final BucketApi buckets;
    private final UploadApi uploads;
    private final DownloadApi downloads;

    KodoRouter(KodoStore store, KodoAuth auth) {
        requireNonNull(store, "store is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.management = new ManagementApi(store);
        this.lists = new ListApi(store);
        this.buckets = new BucketApi(store);
        this.uploads = new UploadApi(store, auth);
        this.downloads = new DownloadApi(store, auth);
    }

    UploadApi uploads() {
        return uploads;
    }

    KodoResponse route(KodoRequest request) {
        String authorization = request.header("Authorization");
        String[] segments = request.segments();
        String method = request.method();
        if (authorization != null && authorization.startsWith("UpToken ")) {
            if (UploadApi.isV2Path(segments)) {
                return uploads.v2(request);
            }
            if (UploadApi.isV1Path(segments) && method.equals("POST")) {
                return uploads.v1(request);
            }
            return notFound();
        }
        if (authorization != null && (authorization.startsWith("Qiniu ") || authorization.startsWith("QBox "))) {
            auth.checkManagement(request);
            return manage(request, segments);
        }
        if (method.equals("POST") && request.rawPath().equals("/")) {
            return uploads.form(request);
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            return downloads.download(request);
        }
        if (segments.length > 0 && (ManagementApi.handles(segments[0]) || segments[0].equals("batch")
                || segments[0].equals("list") || BucketApi.handles(segments))) {
            throw KodoException.badToken();
        }
        return notFound();
    }

    private KodoResponse manage(KodoRequest request, String[] segments) {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw new KodoException(405, "method not allowed");
        }
        if (segments.length == 0) {
            return notFound();
        }
        String first = segments[0];
        if (ManagementApi.handles(first)) {
            return management.single(request);
        }
        if (first.equals("batch")) {
            return management.batch(request);
        }
        if (first.equals("list")) {
            return lists.listV1(request);
        }
        if (first.equals("v2") && segments.length > 1 && segments[1].equals("list")) {
            return lists.listV2(request);
        }
        if (BucketApi.handles(segments)) {
            return buckets.handle(request);
        }
        return notFound();
    }

    private static KodoResponse notFound() {
        return KodoResponse.error(404, "404 page not found");
    }
}
