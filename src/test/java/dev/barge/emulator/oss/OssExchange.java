package dev.barge.emulator.oss;

import static java.util.Objects.requireNonNull;

/**
 * One request the emulator answered (or refused to answer), as kept in the journal.
 *
 * @param request the request
 * @param status the HTTP status sent, or 0 when the connection was reset without a response
 * @param errorCode the OSS error code sent, or {@code null} on success
 * @param fault a description of the injected fault that shaped the answer, or {@code null}
 */
public record OssExchange(OssRequestLine request, int status, String errorCode, String fault) {

    public OssExchange {
        requireNonNull(request, "request is null");
    }
}
