package dev.barge.test;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A TCP relay on 127.0.0.1 in front of an HTTP server that writes down every request passing
 * through it ("METHOD /path?query"), so that a test can count the requests a client really sent,
 * at the server's door. The bytes are relayed untouched, so request signatures that cover the
 * {@code Host} header stay valid: point the client at {@link #endpoint()}.
 */
public final class RequestJournalProxy implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final InetSocketAddress upstream;
    private final List<String> journal = new ArrayList<>();
    private final Channel server;

    private RequestJournalProxy(InetSocketAddress upstream) throws InterruptedException {
        this.upstream = upstream;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Frontend());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** A proxy in front of {@code endpoint} ({@code http://host:port}). */
    public static RequestJournalProxy inFrontOf(String endpoint) {
        URI uri = URI.create(endpoint);
        try {
            return new RequestJournalProxy(new InetSocketAddress(uri.getHost(), uri.getPort()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the proxy", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The requests seen so far, oldest first, as "METHOD /path?query". */
    public synchronized List<String> requests() {
        return List.copyOf(journal);
    }

    /** The requests seen so far that match {@code filter}. */
    public synchronized List<String> requests(Predicate<String> filter) {
        return journal.stream().filter(filter).toList();
    }

    public synchronized void clear() {
        journal.clear();
    }

    private synchronized void record(HttpRequest request) {
        journal.add(request.method().name() + " " + request.uri());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The client's side: decodes a copy of each byte it sends for the journal, relays the original. */
    private final class Frontend extends ChannelInboundHandlerAdapter {
        private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpRequestDecoder());
        private Channel backend;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Relay(client))
                    .connect(upstream).addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            backend = f.channel();
                            client.read();
                        } else {
                            client.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            decoder.writeInbound(((ByteBuf) msg).retainedDuplicate());
            for (Object decoded; (decoded = decoder.readInbound()) != null; ) {
                if (decoded instanceof HttpRequest request) {
                    record(request);
                }
                ReferenceCountUtil.release(decoded);
            }
            backend.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.channel().read();
                } else {
                    f.channel().close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            decoder.finishAndReleaseAll();
            if (backend != null) {
                backend.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The server's side: relays its bytes back to the client. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel client;

        Relay(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
