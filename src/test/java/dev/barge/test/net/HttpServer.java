package dev.barge.test.net;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Netty HTTP/1.1 server on 127.0.0.1: the one bootstrap under the test servers (the fault proxy,
 * the OSS and Kodo emulators), so that each of them says only what it does with a request. It owns
 * its event loops (one thread accepting, {@link Builder#ioThreads} serving, all daemons so a test
 * that forgets to close it does not hang the JVM), and gives every connection the pipeline
 * {@code HttpServerCodec} → {@code HttpObjectAggregator} (when {@link Builder#aggregate asked
 * for}) → the server's handler.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder("oss-emulator").port(0).ioThreads(2)
 *         .aggregate(maxRequestBytes, (ctx, oversized) -> ...)   // the store's own "too large"
 *         .handler(channel -> new OssHttpHandler(...))
 *         .start();
 * server.port();
 * server.close();
 * }</pre>
 *
 * <p>Keep-alive, chunked bodies and {@code Expect: 100-continue} are the codec's and the
 * aggregator's: a handler sees one whole request at a time and decides for itself whether the
 * connection stays open after its answer.
 */
public final class HttpServer implements AutoCloseable {

    /** How a server answers a request body larger than its aggregator takes. */
    @FunctionalInterface
    public interface OversizedAnswer {
        /** Answers {@code oversized} (its headers only) on {@code ctx}, usually closing the connection. */
        void answer(ChannelHandlerContext ctx, HttpMessage oversized);
    }

    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final Channel channel;

    private HttpServer(Builder b) {
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(b.name + "-accept", true),
                NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory(b.name + "-io", true),
                NioIoHandler.newFactory());
        Function<SocketChannel, ChannelHandler> handler = b.handler;
        int maxRequestBytes = b.maxRequestBytes;
        OversizedAnswer oversized = b.oversized;
        try {
            this.channel = new ServerBootstrap().group(acceptor, io).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline pipeline = ch.pipeline();
                            pipeline.addLast(new HttpServerCodec());
                            if (maxRequestBytes > 0) {
                                pipeline.addLast(oversized == null ? new HttpObjectAggregator(maxRequestBytes)
                                        : new HttpObjectAggregator(maxRequestBytes) {
                                            @Override
                                            protected void handleOversizedMessage(ChannelHandlerContext ctx,
                                                    HttpMessage message) {
                                                oversized.answer(ctx, message);
                                            }
                                        });
                            }
                            pipeline.addLast(handler.apply(ch));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", b.port)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutDownLoops();
            throw e;
        }
    }

    /** A server whose threads are named after {@code name} ("oss-emulator-io-..."). */
    public static Builder builder(String name) {
        return new Builder(requireNonNull(name, "name is null"));
    }

    /** The port it listens on: the one asked for, or the free one it took for port 0. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Stops listening, then stops the event loops; connections still open are closed with them. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        shutDownLoops();
    }

    private void shutDownLoops() {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Configures an {@link HttpServer}; only the {@link #handler} is required. */
    public static final class Builder {
        private final String name;
        private int port;
        private int ioThreads = 2;
        private int maxRequestBytes;
        private OversizedAnswer oversized;
        private Function<SocketChannel, ChannelHandler> handler;

        private Builder(String name) {
            this.name = name;
        }

        /** The port on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Threads that serve connections (each connection stays on one); default 2. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be positive: " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /** Whole requests of at most {@code maxBytes} of body to the handler; larger ones get Netty's 413. */
        public Builder aggregate(int maxBytes) {
            return aggregate(maxBytes, null);
        }

        /** Whole requests of at most {@code maxBytes} of body; larger ones are answered by {@code oversized}. */
        public Builder aggregate(int maxBytes, OversizedAnswer oversized) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
            }
            this.maxRequestBytes = maxBytes;
            this.oversized = oversized;
            return this;
        }

        /** The handler at the end of each new connection's pipeline (a new one each time, or a sharable one). */
        public Builder handler(Function<SocketChannel, ChannelHandler> handler) {
            this.handler = requireNonNull(handler, "handler is null");
            return this;
        }

        /** Binds and starts serving; the server is listening when this returns. */
        public HttpServer start() {
            if (handler == null) {
                throw new IllegalStateException("an HTTP server needs a handler");
            }
            return new HttpServer(this);
        }
    }
}
