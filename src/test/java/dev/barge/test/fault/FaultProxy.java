package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import dev.barge.test.net.HttpServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of an object store (S3Proxy, or the OSS and Kodo emulators)
 * that gives requests the {@link Fault}s its {@link #faults() rules} pick: error and throttling
 * answers in the store's own format, resets before the response and in the middle of its body,
 * bodies cut short, wrong lengths, slow bodies and added latency. The emulators take the same rules
 * themselves ({@code emulator.faults()}); the proxy is for a store that does not (S3Proxy), and for
 * faults between a client and a store left as it is. The benchmarks use its {@link Fault.Delay} as a
 * WAN.
 *
 * <p>Requests go on unchanged, {@code Host} header included, so signatures that cover it stay
 * valid: point the client at {@link #endpoint()}. Each client connection has one connection to the
 * store behind it, kept while both are open. Bodies are held whole in memory (test-sized objects).
 */
public final class FaultProxy implements AutoCloseable {
    private static final int MAX_BODY = 256 << 20;

    /** The store behind the proxy: how its errors, its "slow down" and its addresses look. */
    public enum Protocol {
        S3("application/xml", 503, "SlowDown"),
        OSS("application/xml", 503, "ServerBusy"),
        KODO("application/json", 573, "too many requests");

        private final String contentType;
        private final int throttleStatus;
        private final String throttleCode;

        Protocol(String contentType, int throttleStatus, String throttleCode) {
            this.contentType = contentType;
            this.throttleStatus = throttleStatus;
            this.throttleCode = throttleCode;
        }

        String body(Fault.Error error, String requestId) {
            String message = error.message() == null ? "injected by the fault proxy" : error.message();
            return switch (this) {
                case S3 -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + error.code() + "</Code><Message>"
                        + message + "</Message><RequestId>" + requestId + "</RequestId></Error>";
                case OSS -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + error.code() + "</Code><Message>"
                        + message + "</Message><RequestId>" + requestId + "</RequestId>"
                        + "<HostId>127.0.0.1</HostId></Error>";
                case KODO -> "{\"error\":\"" + error.code() + "\"}";
            };
        }

        Fault.Error throttle() {
            return new Fault.Error(throttleStatus, throttleCode, null);
        }

        /** The request as rules see it: S3's and OSS's path-style {@code /bucket/key} read; Kodo's not. */
        FaultRequest request(String method, String uri) {
            if (this == KODO) {
                return new FaultRequest(method, uri);
            }
            FaultRequest wire = new FaultRequest(method, uri);
            String path = wire.path();
            int slash = path.indexOf('/', 1);
            String bucket = decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
            String key = slash < 0 || slash == path.length() - 1 ? null : decode(path.substring(slash + 1));
            return new FaultRequest(method, uri, bucket.isEmpty() ? null : bucket, key);
        }

        private static String decode(String encoded) {
            return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    private final InetSocketAddress upstream;
    private final Protocol protocol;
    private final Faults faults = new Faults();
    private final AtomicLong requestIds = new AtomicLong();
    private final HttpServer server;

    private FaultProxy(InetSocketAddress upstream, Protocol protocol) {
        this.upstream = upstream;
        this.protocol = protocol;
        this.server = HttpServer.builder("fault-proxy").ioThreads(2).aggregate(MAX_BODY)
                .handler(channel -> new Frontend()).start();
    }

    /** A proxy in front of {@code endpoint} ({@code http://host:port}), a store speaking {@code protocol}. */
    public static FaultProxy inFrontOf(String endpoint, Protocol protocol) {
        URI uri = URI.create(endpoint);
        return new FaultProxy(new InetSocketAddress(uri.getHost(), uri.getPort()),
                requireNonNull(protocol, "protocol is null"));
    }

    public String endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.port();
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        server.close();
    }

    /** A client's connection: each request gets its fault, or goes to the store. */
    private final class Frontend extends SimpleChannelInboundHandler<FullHttpRequest> {
        private Channel backend;
        private Backend backendHandler;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Fault fault = faults.select(protocol.request(request.method().name(), request.uri()));
            request.retain(); // until it is forwarded or answered, maybe after a delay
            FaultWire.give(ctx.channel(), fault, new FaultWire.Answer() {
                @Override
                public Fault.Error throttle() {
                    return protocol.throttle();
                }

                @Override
                public void error(Fault.Error error) {
                    answerError(ctx, request, error);
                }

                @Override
                public void serve(Fault responseFault) {
                    forward(ctx, request, responseFault);
                }

                @Override
                public void abandoned() {
                    request.release();
                }
            });
        }

        private void answerError(ChannelHandlerContext ctx, FullHttpRequest request, Fault.Error error) {
            boolean head = request.method().equals(HttpMethod.HEAD);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            request.release();
            String id = "fault-" + requestIds.incrementAndGet();
            byte[] body = protocol.body(error, id).getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(error.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, protocol.contentType)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set("x-amz-request-id", id).set("x-oss-request-id", id).set("X-Reqid", id);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                    : ChannelFutureListener.CLOSE);
        }

        /** Sends the request to the store; its answer comes back through {@link Backend}, with the fault. */
        private void forward(ChannelHandlerContext ctx, FullHttpRequest request, Fault onResponse) {
            if (!ctx.channel().isActive()) {
                request.release();
                return;
            }
            if (backend != null && backend.isActive()) {
                send(ctx, request, onResponse);
                return;
            }
            backendHandler = new Backend(ctx);
            new Bootstrap().group(ctx.channel().eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY),
                                    backendHandler);
                        }
                    })
                    .connect(upstream).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            backend = f.channel();
                            send(ctx, request, onResponse);
                        } else {
                            request.release();
                            FaultWire.reset(ctx.channel());
                        }
                    });
        }

        private void send(ChannelHandlerContext ctx, FullHttpRequest request, Fault onResponse) {
            backendHandler.expect(onResponse, request.method().equals(HttpMethod.HEAD), HttpUtil.isKeepAlive(request));
            backend.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    FaultWire.reset(ctx.channel());
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (backend != null) {
                backend.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The store's side of one client connection: its answer goes to the client as the fault says. */
    private static final class Backend extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final ChannelHandlerContext client;
        private Fault fault;
        private boolean head;
        private boolean keepAlive;

        Backend(ChannelHandlerContext client) {
            this.client = client;
        }

        void expect(Fault fault, boolean head, boolean keepAlive) {
            this.fault = fault;
            this.head = head;
            this.keepAlive = keepAlive;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (HttpResponseStatus.CONTINUE.equals(response.status())) {
                return; // the aggregator in front answered the client's Expect already
            }
            boolean storeKeepsIt = HttpUtil.isKeepAlive(response);
            FaultWire.write(client.channel(), response.retain(), fault, head, keepAlive);
            if (!storeKeepsIt) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // a store that closes between requests is connected again at the next one
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            FaultWire.reset(client.channel());
        }
    }
}
