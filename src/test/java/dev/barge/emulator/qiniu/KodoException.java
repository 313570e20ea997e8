package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

/** A Kodo error: the HTTP status Kodo uses as it is (612, 614, 631...) and the {@code error} text. */
final class KodoException extends RuntimeException {

    private final int status;

    KodoException(int status, String error) {
        super(requireNonNull(error, "error is null"), null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    String error() {
        return getMessage();
    }

    static KodoException badToken() {
        return new KodoException(401, "bad token");
    }

    static KodoException noSuchFile() {
        return new KodoException(612, "no such file or directory");
    }

    static KodoException fileExists() {
        return new KodoException(614, "file exists");
    }

    static KodoException noSuchBucket() {
        return new KodoException(631, "no such bucket");
    }

    static KodoException invalidArgument(String what) {
        return new KodoException(400, what);
    }
}
