package dev.barge.emulator.oss;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRequest;
import dev.barge.test.fault.FaultWire;
import dev.barge.test.fault.Faults;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The Netty end of the emulator: turns an aggregated request into an {@link OssRequest},
 * gives it the fault its {@link Faults} pick (through {@link FaultWire}, as every faulting server
 * does; errors in OSS's XML), runs the operation and writes the response with the
 * headers every OSS response has ({@code x-oss-request-id}, {@code Date}, {@code Server},
 * {@code Content-Length}). Header values go out byte for byte as they came in (ISO-8859-1), so
 * non-ASCII metadata round-trips.
 */
final class OssHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(OssHttpHandler.class.getName());

    private final OssRouter router;
    private final Faults faults;
    private final Consumer<OssExchange> journal;
    private final AtomicLong sequence;
    private final String requestIdPrefix;
    private final Clock clock;

    OssHttpHandler(OssRouter router, Faults faults, Consumer<OssExchange> journal, AtomicLong sequence,
            String requestIdPrefix, Clock clock) {
        this.router = requireNonNull(router, "router is null");
        this.faults = requireNonNull(faults, "faults is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.sequence = requireNonNull(sequence, "sequence is null");
        this.requestIdPrefix = requireNonNull(requestIdPrefix, "requestIdPrefix is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest message) {
        long number = sequence.incrementAndGet();
        String requestId = requestIdPrefix + String.format("%016X", number);
        boolean keepAlive = HttpUtil.isKeepAlive(message);
        byte[] body = ByteBufUtil.getBytes(message.content());
        OssRequest request = OssRequest.parse(requestId, message.method().name(), message.uri(),
                message.headers().copy(), body);
        OssRequestLine line = new OssRequestLine(number, request.method(), request.uri(), request.bucket(),
                request.key(), request.params());
        if (!message.decoderResult().isSuccess()) {
            OssResponse response = errorResponse(new OssError(400, "InvalidRequest", "The request could not be parsed: "
                    + message.decoderResult().cause()), request);
            journal.accept(new OssExchange(line, 400, "InvalidRequest", null));
            write(ctx, request, response, false, null);
            return;
        }
        Fault fault = faults.select(new FaultRequest(request.method(), request.uri(), request.bucket(), request.key()));
        String faultText = fault == null ? null : fault.toString();
        FaultWire.give(ctx.channel(), fault, new FaultWire.Answer() {
            @Override
            public Fault.Error throttle() {
                return new Fault.Error(503, "ServerBusy", null);
            }

            @Override
            public void error(Fault.Error error) {
                String message = error.message() != null ? error.message() : usualMessage(error.code());
                OssResponse response = errorResponse(new OssError(error.status(), error.code(), message), request);
                journal.accept(new OssExchange(line, response.status(), error.code(), faultText));
                write(ctx, request, response, keepAlive, null);
            }

            @Override
            public void serve(Fault responseFault) {
                OssResponse response;
                String errorCode = null;
                try {
                    response = router.handle(request);
                } catch (OssError e) {
                    response = errorResponse(e, request);
                    errorCode = e.code();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "OSS emulator failed on " + request.method() + " "
                            + request.uri(), e);
                    response = errorResponse(new OssError(500, "InternalError",
                            "We encountered an internal error. Please try again. (" + e + ")"), request);
                    errorCode = "InternalError";
                }
                journal.accept(new OssExchange(line, response.status(), errorCode, faultText));
                write(ctx, request, response, keepAlive, responseFault);
            }

            @Override
            public void abandoned() {
                journal.accept(new OssExchange(line, 0, null, faultText));
            }
        });
    }

    /** OSS's message for an error code a fault names without one. */
    private static String usualMessage(String code) {
        return switch (code) {
            case "ServerBusy" -> "Please reduce your request rate.";
            case "InternalError" -> "We encountered an internal error. Please try again.";
            case "ServiceUnavailable" -> "Service is unavailable, please try again later.";
            case "RequestTimeout" -> "Your socket connection to the server was not read from or written to within "
                    + "the timeout period.";
            default -> "Injected fault: " + code;
        };
    }

    /** The XML error body, or for HEAD no body and the XML base64-encoded in {@code x-oss-err}. */
    static OssResponse errorResponse(OssError error, OssRequest request) {
        String host = request.header("Host") == null ? "127.0.0.1" : request.header("Host");
        OssXml xml = OssXml.document().open("Error")
                .element("Code", error.code())
                .element("Message", error.getMessage())
                .element("RequestId", request.requestId())
                .element("HostId", host);
        error.details().forEach(xml::element);
        xml.optional("EC", error.ec());
        byte[] bytes = xml.close("Error").toBytes();
        OssResponse response = OssResponse.status(error.status()).header("Content-Type", "application/xml");
        if (error.ec() != null) {
            response.header("x-oss-ec", error.ec());
        }
        error.headers().forEach(response::header);
        if (request.isHead()) {
            return response.header("x-oss-err", OssCodecs.base64(bytes)).contentLength(0);
        }
        return response.body(bytes);
    }

    /** Writes {@code response}, broken as {@code fault} says when there is one (see {@link FaultWire#write}). */
    private void write(ChannelHandlerContext ctx, OssRequest request, OssResponse response, boolean keepAlive,
            Fault fault) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        boolean noBody = request.isHead() || response.status() == 204 || response.status() == 304;
        ByteBuf content = noBody
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(response.bodyArray(), response.bodyOffset(), response.bodyLength());
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        HttpHeaders headers = out.headers();
        headers.set("Server", "AliyunOSS");
        headers.set("Date", OssCodecs.formatRfc1123(clock.instant()));
        headers.set("Connection", keepAlive ? "keep-alive" : "close");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            headers.set(header.getKey(), new AsciiString(header.getValue().getBytes(ISO_8859_1), false));
        }
        headers.set("Content-Length", String.valueOf(response.status() == 204 || response.status() == 304
                ? 0 : response.declaredContentLength()));
        headers.set("x-oss-request-id", request.requestId());
        if (fault != null) {
            FaultWire.write(ctx.channel(), out, fault, request.isHead(), keepAlive);
        } else if (keepAlive) {
            ctx.writeAndFlush(out);
        } else {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers a request whose body is larger than the aggregator accepts with OSS's
     * EntityTooLarge (instead of Netty's bare 413) and closes the connection.
     */
    void rejectOversized(ChannelHandlerContext ctx, HttpMessage message) {
        long number = sequence.incrementAndGet();
        String method = message instanceof HttpRequest request ? request.method().name() : "PUT";
        String uri = message instanceof HttpRequest request ? request.uri() : "/";
        OssRequest request = OssRequest.parse(requestIdPrefix + String.format("%016X", number), method, uri,
                message.headers().copy(), new byte[0]);
        OssRequestLine line = new OssRequestLine(number, method, uri, request.bucket(), request.key(), request.params());
        journal.accept(new OssExchange(line, 400, "EntityTooLarge", null));
        write(ctx, request, errorResponse(new OssError(400, "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size."), request), false, null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "OSS emulator connection failed", cause);
        ctx.close();
    }
}
