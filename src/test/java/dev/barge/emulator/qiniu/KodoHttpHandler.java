package dev.barge.emulator.qiniu;

import static java.util.Objects.requireNonNull;

import dev.barge.test.fault.Fault;
import dev.barge.test.fault.FaultRequest;
import dev.barge.test.fault.FaultWire;
import dev.barge.test.fault.Faults;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns Netty requests into {@link KodoRequest}s, gives them the faults their {@link Faults} pick
 * (through {@link FaultWire}, as every faulting server does; errors in Kodo's JSON), routes, and
 * writes the answer with an {@code X-Reqid} header (the SDK treats any response without one as failed).
 */
@ChannelHandler.Sharable
final class KodoHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = Logger.getLogger(KodoHttpHandler.class.getName());

    private final KodoRouter router;
    private final Faults faults;
    private final AtomicLong requestCounter = new AtomicLong();
    private final String reqIdPrefix;

    KodoHttpHandler(KodoRouter router, Faults faults) {
        this.router = requireNonNull(router, "router is null");
        this.faults = requireNonNull(faults, "faults is null");
        byte[] seed = new byte[3];
        new SecureRandom().nextBytes(seed);
        this.reqIdPrefix = Codec.urlSafeBase64(seed);
    }

    String nextReqId() {
        byte[] n = ByteBuffer.allocate(Long.BYTES).putLong(requestCounter.incrementAndGet()).array();
        return reqIdPrefix + Codec.urlSafeBase64(n).replace("=", "");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        String reqId = nextReqId();
        if (!msg.decoderResult().isSuccess()) {
            write(ctx, reqId, false, false, KodoResponse.error(400, "malformed request"), null);
            return;
        }
        int localPort = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
        KodoRequest request = KodoRequest.of(reqId, msg.method().name(), msg.uri(), msg.headers().copy(),
                ByteBufUtil.getBytes(msg.content()), localPort);
        Fault fault = faults.select(new FaultRequest(request.method(), request.uri()));
        if (fault != null && Boolean.getBoolean(KodoEmulator.TRACE_PROPERTY)) {
            System.err.println("KODO " + request.method() + " " + request.uri() + " -> injected " + fault);
        }
        FaultWire.give(ctx.channel(), fault, new FaultWire.Answer() {
            @Override
            public Fault.Error throttle() {
                return new Fault.Error(573, "too many requests", null);
            }

            @Override
            public void error(Fault.Error error) {
                write(ctx, reqId, keepAlive, false, KodoResponse.error(error.status(), error.code()), null);
            }

            @Override
            public void serve(Fault responseFault) {
                process(ctx, request, keepAlive, responseFault);
            }
        });
    }

    private void process(ChannelHandlerContext ctx, KodoRequest request, boolean keepAlive, Fault responseFault) {
        KodoResponse response;
        try {
            response = router.route(request);
        } catch (KodoException e) {
            response = KodoResponse.error(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "emulator failure on " + request.method() + " " + request.uri(), e);
            response = KodoResponse.error(599, "emulator failure: " + e);
        }
        if (Boolean.getBoolean(KodoEmulator.TRACE_PROPERTY)) {
            System.err.println("KODO " + request.method() + " " + request.uri() + " -> " + response.status());
        }
        write(ctx, request.reqId(), keepAlive, request.method().equals("HEAD"), response, responseFault);
    }

    /**
     * Writes {@code response}: streamed in chunks when it has them, else whole; given a {@code fault}
     * (see {@link FaultWire#write}), whole and broken as it says.
     */
    private static void write(ChannelHandlerContext ctx, String reqId, boolean keepAlive, boolean head,
            KodoResponse response, Fault fault) {
        HttpResponseStatus status = status(response.status());
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : response.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        headers.set("X-Reqid", reqId);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFutureListener after = keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE;
        if (fault != null) {
            byte[] body = response.body();
            if (response.chunks() != null && !head) {
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                response.chunks().forEach(whole::writeBytes);
                body = whole.toByteArray();
            }
            if (!head || !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) { // a HEAD announces the object's
                headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            }
            FaultWire.write(ctx.channel(), new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body), headers, new DefaultHttpHeaders()), fault, head, keepAlive);
            return;
        }
        if (response.chunks() != null && !head) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            HttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers);
            ctx.write(start);
            for (byte[] chunk : response.chunks()) {
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(after);
            return;
        }
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        }
        FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(response.body()), headers, new DefaultHttpHeaders());
        ctx.writeAndFlush(full).addListener(after);
    }

    /** Kodo puts its own codes (298, 573, 612, 614, 631...) on the status line as they are. */
    static HttpResponseStatus status(int code) {
        return switch (code) {
            case 298 -> new HttpResponseStatus(298, "Partial Success");
            case 573 -> new HttpResponseStatus(573, "Too Many Requests");
            case 579 -> new HttpResponseStatus(579, "Callback Failed");
            case 599 -> new HttpResponseStatus(599, "Server Operation Failed");
            case 612 -> new HttpResponseStatus(612, "No Such File");
            case 614 -> new HttpResponseStatus(614, "File Exists");
            case 631 -> new HttpResponseStatus(631, "No Such Bucket");
            case 640 -> new HttpResponseStatus(640, "Invalid Marker");
            case 701 -> new HttpResponseStatus(701, "Invalid Context");
            default -> HttpResponseStatus.valueOf(code);
        };
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection failure", cause);
        ctx.close();
    }
}
