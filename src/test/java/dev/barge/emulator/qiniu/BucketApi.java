package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The uc host as the SDK 7.19 calls it: {@code POST /buckets}, {@code /mkbucketv3/<bucket>/region/<region>},
 * {@code /drop/<bucket>}, {@code /private?bucket=&private=0|1}, {@code /v2/domains?tbl=<bucket>} and
 * {@code /v2/bucketInfo?bucket=}.
 */
final class BucketApi {

    private final KodoStore store;

    BucketApi(KodoStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    static boolean handles(String[] segments) {
        if (segments.length == 0) {
            return false;
        }
        return switch (segments[0]) {
            case "buckets", "mkbucketv3", "drop", "private" -> true;
            case "v2" -> segments.length > 1 && (segments[1].equals("domains") || segments[1].equals("bucketInfo"));
            default -> false;
        };
    }

    KodoResponse handle(KodoRequest request) {
        String[] segments = request.segments();
        switch (segments[0]) {
            case "buckets" -> {
                return KodoResponse.ok(store.bucketNames());
            }
            case "mkbucketv3" -> {
                if (segments.length < 2) {
                    throw KodoException.invalidArgument("invalid argument");
                }
                String region = segments.length >= 4 && segments[2].equals("region") ? segments[3] : "z0";
                store.createBucket(Codec.percentDecode(segments[1]), Codec.percentDecode(region));
                return KodoResponse.empty();
            }
            case "drop" -> {
                if (segments.length < 2) {
                    throw KodoException.invalidArgument("invalid argument");
                }
                store.dropBucket(Codec.percentDecode(segments[1]));
                return KodoResponse.empty();
            }
            case "private" -> {
                KodoBucketState bucket = store.bucket(request.queryParam("bucket"));
                bucket.setPrivate("1".equals(request.queryParam("private")));
                return KodoResponse.empty();
            }
            default -> {
                if (segments[1].equals("domains")) {
                    String bucket = request.queryParam("tbl");
                    store.bucket(bucket);
                    return KodoResponse.ok(store.domainsOf(bucket));
                }
                KodoBucketState bucket = store.bucket(request.queryParam("bucket"));
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("region", bucket.region());
                info.put("private", bucket.isPrivate() ? 1 : 0);
                return KodoResponse.ok(info);
            }
        }
    }
}
