package dev.barge.test.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link Fault} does on the wire, in one place for every server that gives faults (the
 * {@link FaultProxy}, the OSS and Kodo emulators): a server picks a request's fault from its
 * {@link Faults}, then hands it to {@link #give} with an {@link Answer} that says how its store words
 * an error and how it answers normally. Delays are scheduled on the connection's event loop, never
 * slept; resets are TCP resets; response faults break a whole response the server built
 * ({@link #write}).
 */
public final class FaultWire {
    private static final int SLICE = 8 << 10;

    /** One server's answer to one request, as a fault bends it. */
    public interface Answer {
        /** The store's "slow down", what {@link Fault.Throttle} becomes (OSS: 503 ServerBusy, Kodo: 573). */
        Fault.Error throttle();

        /** Answers with the store's error: its status, its code, its body format, its request id. */
        void error(Fault.Error error);

        /**
         * Answers the request as the server would, its response written through
         * {@link FaultWire#write} with {@code responseFault} ({@code null}: unchanged, written as the
         * server always does).
         */
        void serve(Fault responseFault);

        /** The connection is about to be reset without an answer: record it, let go of the request. */
        default void abandoned() {}
    }

    private FaultWire() {}

    /** Gives the request on {@code channel} its {@code fault} ({@code null}: none) through {@code answer}. */
    public static void give(Channel channel, Fault fault, Answer answer) {
        if (fault == null) {
            answer.serve(null);
        } else if (fault instanceof Fault.Delay delay) {
            if (delay.delay().isZero()) {
                give(channel, delay.then(), answer);
            } else {
                channel.eventLoop().schedule(() -> give(channel, delay.then(), answer), delay.delay().toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        } else if (fault instanceof Fault.Error error) {
            answer.error(error);
        } else if (fault instanceof Fault.Throttle) {
            answer.error(answer.throttle());
        } else if (fault instanceof Fault.ResetBeforeResponse) {
            answer.abandoned();
            reset(channel);
        } else {
            answer.serve(fault); // the fault is in how the answer goes out
        }
    }

    /**
     * Writes {@code response} (which this takes over and releases) to {@code client} as {@code fault}
     * says: whole with {@code null} (and for a HEAD, which has no body to break), else cut short, reset
     * halfway, with a wrong length or slowly. {@code keepAlive}: whether the request let the connection
     * stay open; it does only when the response lets it too.
     */
    public static void write(Channel client, FullHttpResponse response, Fault fault, boolean head,
            boolean keepAlive) {
        ByteBuf body = response.content();
        int length = body.readableBytes();
        boolean reusable = keepAlive && HttpUtil.isKeepAlive(response);
        if (fault == null || head) {
            if (!head && HttpUtil.isTransferEncodingChunked(response)) {
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING)
                        .set(HttpHeaderNames.CONTENT_LENGTH, length);
            }
            client.writeAndFlush(response)
                    .addListener(reusable ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        } else if (fault instanceof Fault.ResetMidBody) {
            client.write(headersOf(response, length));
            client.writeAndFlush(new DefaultHttpContent(body.retainedSlice(0, length / 2)))
                    .addListener(f -> reset(client));
            response.release();
        } else if (fault instanceof Fault.TruncatedBody) {
            client.write(headersOf(response, length));
            client.writeAndFlush(new DefaultHttpContent(body.retainedSlice(0, length / 2)))
                    .addListener(ChannelFutureListener.CLOSE);
            response.release();
        } else if (fault instanceof Fault.WrongContentLength wrong) {
            client.write(headersOf(response, Math.max(0, length + wrong.delta())));
            client.writeAndFlush(new DefaultHttpContent(body)).addListener(ChannelFutureListener.CLOSE);
        } else if (fault instanceof Fault.SlowBody slow) {
            client.writeAndFlush(headersOf(response, length));
            dribble(client, body, 0, slow.bytesPerSecond(), reusable);
        } else {
            response.release();
            throw new IllegalStateException("not a response fault: " + fault);
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0), not a FIN. */
    public static void reset(Channel channel) {
        if (channel.isActive()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channel.close();
    }

    /** Sends {@code body} from {@code offset} in slices, each after the time its bytes take at the rate; releases it. */
    private static void dribble(Channel client, ByteBuf body, int offset, int bytesPerSecond, boolean keepAlive) {
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

    /** The status line and headers of {@code response}, announcing {@code length} bytes of body. */
    private static HttpResponse headersOf(FullHttpResponse response, int length) {
        HttpResponse headers = new DefaultHttpResponse(response.protocolVersion(), response.status());
        headers.headers().set(response.headers());
        headers.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        return headers;
    }
}
