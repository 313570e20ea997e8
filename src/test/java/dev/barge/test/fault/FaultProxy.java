package dev.barge.test.fault;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of an object store (S3Proxy, or the OSS and Kodo emulators)
 * that gives requests the {@link Fault}s its {@link #faults() rules} pick: error and throttling
 * answers in the store's own format, resets before the response and in the middle of its body,
 * bodies cut short, wrong lengths, slow bodies and added latency. One fault API for every store
 * Barge's tests run against; the benchmarks use its {@link Fault.Delay} as a WAN.
 *
 * <p>Requests go on unchanged, {@code Host} header included, so signatures that cover it stay
 * valid: point the client at {@link #endpoint()}. Each client connection has one connection to the
 * store behind it, kept while both are open. Bodies are held whole in memory (test-sized objects).
 */
public final class FaultProxy implements AutoCloseable {
    private static final int MAX_BODY = 256 << 20;
    private static final int SLICE = 8 << 10;

    /** The store behind the proxy: how its errors and its "slow down" look. */
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

        String body(String code, String requestId) {
            return switch (this) {
                case S3 -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                        + "injected by the fault proxy</Message><RequestId>" + requestId + "</RequestId></Error>";
                case OSS -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                        + "injected by the fault proxy</Message><RequestId>" + requestId + "</RequestId>"
                        + "<HostId>127.0.0.1</HostId></Error>";
                case KODO -> "{\"error\":\"" + code + "\"}";
            };
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("fault-proxy", true), NioIoHandler.newFactory());
    private final InetSocketAddress upstream;
    private final Protocol protocol;
    private final Faults faults = new Faults();
    private final AtomicLong requestIds = new AtomicLong();
    private final Channel server;

    private FaultProxy(InetSocketAddress upstream, Protocol protocol) throws InterruptedException {
        this.upstream = upstream;
        this.protocol = protocol;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Frontend());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** A proxy in front of {@code endpoint} ({@code http://host:port}), a store speaking {@code protocol}. */
    public static FaultProxy inFrontOf(String endpoint, Protocol protocol) {
        URI uri = URI.create(endpoint);
        try {
            return new FaultProxy(new InetSocketAddress(uri.getHost(), uri.getPort()),
                    requireNonNull(protocol, "protocol is null"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the fault proxy", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A client's connection: each request gets its fault, or goes to the store. */
    private final class Frontend extends SimpleChannelInboundHandler<FullHttpRequest> {
        private Channel backend;
        private Backend backendHandler;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FaultRequest seen = new FaultRequest(request.method().name(), request.uri());
            Fault fault = faults.select(seen);
            request.retain();
            if (fault instanceof Fault.Delay delay) {
                ctx.executor().schedule(() -> forward(ctx, request, null), delay.delay().toNanos(),
                        TimeUnit.NANOSECONDS);
                return;
            }
            if (fault == null) {
                forward(ctx, request, null);
            } else if (fault instanceof Fault.Error error) {
                answerError(ctx, request, error.status(), error.code());
            } else if (fault instanceof Fault.Throttle) {
                answerError(ctx, request, protocol.throttleStatus, protocol.throttleCode);
            } else if (fault instanceof Fault.ResetBeforeResponse) {
                request.release();
                reset(ctx.channel());
            } else {
                forward(ctx, request, fault); // the fault is in how the answer comes back
            }
        }

        private void answerError(ChannelHandlerContext ctx, FullHttpRequest request, int status, String code) {
            boolean head = request.method().equals(HttpMethod.HEAD);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            request.release();
            String id = "fault-" + requestIds.incrementAndGet();
            byte[] body = protocol.body(code, id).getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, protocol.contentType)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set("x-amz-request-id", id).set("x-oss-request-id", id).set("X-Reqid", id);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                    : ChannelFutureListener.CLOSE);
        }

        /** Sends the request to the store; its answer comes back through {@link #answer}, with the fault. */
        private void forward(ChannelHandlerContext ctx, FullHttpRequest request, Fault onResponse) {
            if (!ctx.channel().isActive()) {
                request.release();
                return;
            }
            if (backend != null && backend.isActive()) {
                send(ctx, request, onResponse);
                return;
            }
            backendHandler = new Backend(this, ctx);
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
                            reset(ctx.channel());
                        }
                    });
        }

        private void send(ChannelHandlerContext ctx, FullHttpRequest request, Fault onResponse) {
            backendHandler.expect(onResponse, request.method().equals(HttpMethod.HEAD), HttpUtil.isKeepAlive(request));
            backend.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    reset(ctx.channel());
                }
            });
        }

        /** The store's answer to the request in flight, given to the client as the fault says. */
        void answer(ChannelHandlerContext ctx, FullHttpResponse response, Fault fault, boolean head,
                boolean keepAlive) {
            Channel client = ctx.channel();
            ByteBuf body = response.content();
            int length = body.readableBytes();
            boolean reusable = keepAlive && HttpUtil.isKeepAlive(response);
            if (fault == null) {
                if (!head && HttpUtil.isTransferEncodingChunked(response)) {
                    response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING)
                            .set(HttpHeaderNames.CONTENT_LENGTH, length);
                }
                client.writeAndFlush(response.retain())
                        .addListener(reusable ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
            } else if (fault instanceof Fault.ResetMidBody) {
                client.write(headersOf(response, length));
                client.writeAndFlush(new DefaultHttpContent(body.retainedSlice(0, length / 2)))
                        .addListener(f -> reset(client));
            } else if (fault instanceof Fault.TruncatedBody) {
                client.write(headersOf(response, length));
                client.writeAndFlush(new DefaultHttpContent(body.retainedSlice(0, length / 2)))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (fault instanceof Fault.WrongContentLength wrong) {
                client.write(headersOf(response, Math.max(0, length + wrong.delta())));
                client.writeAndFlush(new DefaultHttpContent(body.retain())).addListener(ChannelFutureListener.CLOSE);
            } else if (fault instanceof Fault.SlowBody slow) {
                client.writeAndFlush(headersOf(response, length));
                dribble(client, body.retain(), 0, slow.bytesPerSecond(), reusable);
            } else {
                throw new IllegalStateException("not a response fault: " + fault);
            }
        }

        /** Sends {@code body} from {@code offset} in slices, each after the time its bytes take at the rate. */
        private void dribble(Channel client, ByteBuf body, int offset, int bytesPerSecond, boolean keepAlive) {
            if (!client.isActive()) {
                body.release();
                return;
            }
            int n = Math.min(SLICE, body.readableBytes() - offset);
            if (n <= 0) {
                body.release();
                client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                        .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
                return;
            }
            client.writeAndFlush(new DefaultHttpContent(body.retainedSlice(offset, n)));
            long nanos = TimeUnit.SECONDS.toNanos(1) * n / bytesPerSecond;
            client.eventLoop().schedule(() -> dribble(client, body, offset + n, bytesPerSecond, keepAlive), nanos,
                    TimeUnit.NANOSECONDS);
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

    /** The store's side of one client connection. */
    private static final class Backend extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Frontend frontend;
        private final ChannelHandlerContext client;
        private Fault fault;
        private boolean head;
        private boolean keepAlive;

        Backend(Frontend frontend, ChannelHandlerContext client) {
            this.frontend = frontend;
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
            Fault given = head && fault != null ? null : fault; // a HEAD has no body to break
            frontend.answer(client, response, given, head, keepAlive);
            if (!HttpUtil.isKeepAlive(response)) {
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
            reset(client.channel());
        }
    }

    /** The status line and headers of {@code response}, announcing {@code length} bytes of body. */
    private static HttpResponse headersOf(FullHttpResponse response, int length) {
        HttpResponse headers = new DefaultHttpResponse(response.protocolVersion(), response.status());
        headers.headers().set(response.headers());
        headers.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        return headers;
    }

    /** Closes with a TCP reset (SO_LINGER 0), not a FIN. */
    private static void reset(Channel channel) {
        if (channel.isActive()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channel.close();
    }
}
