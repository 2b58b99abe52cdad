package io.spdyconnector.tomcat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Netty's frame codec and nothing above it: the test writes frames and reads the server's frames
 * as they are, for what the HTTP layers would hide (a request without {@code :path}, the exact
 * GOAWAY, resets). Flow control is left to the server's defaults, so bodies stay small.
 */
final class NettyFrameClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final Channel channel;
    final List<SpdyFrame> frames = new CopyOnWriteArrayList<>();
    final List<String> described = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    private record Waiter(Predicate<SpdyFrame> test, CompletableFuture<SpdyFrame> result) {
    }

    NettyFrameClient(String host, int port, boolean tls) throws Exception {
        SslContext ssl = tls ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "spdy/3.1"))
                .build() : null;
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1), new Collector());
                    }
                })
                .connect(host, port).sync().channel();
        channel.closeFuture().addListener(f -> closed.complete(null));
        if (ssl != null) {
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
        }
    }

    static NettyFrameClient connect(TomcatSpdyServer server, TomcatSpdyServer.Transport t) throws Exception {
        return new NettyFrameClient(t.secure() ? "localhost" : "127.0.0.1", t.port(server), t.secure());
    }

    /** A SYN_STREAM with these headers (name, value, ...), ending the request when {@code fin}. */
    void synStream(int id, boolean fin, String... headers) {
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        syn.setLast(fin);
        for (int i = 0; i < headers.length; i += 2) {
            syn.headers().add(headers[i], headers[i + 1]);
        }
        write(syn);
    }

    void write(SpdyFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** The first frame (received so far or later) that passes {@code test}. */
    SpdyFrame await(Predicate<SpdyFrame> test) throws Exception {
        CompletableFuture<SpdyFrame> f = new CompletableFuture<>();
        waiters.add(new Waiter(test, f));
        for (SpdyFrame seen : frames) {
            if (test.test(seen)) {
                f.complete(seen);
            }
        }
        return f.get(SpdyTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    SpdySynReplyFrame awaitReply(int streamId) throws Exception {
        return (SpdySynReplyFrame) await(f -> f instanceof SpdySynReplyFrame && ((SpdySynReplyFrame) f).streamId() == streamId);
    }

    SpdyGoAwayFrame awaitGoAway() throws Exception {
        return (SpdyGoAwayFrame) await(f -> f instanceof SpdyGoAwayFrame);
    }

    /** The body of a stream, once its last DATA frame arrived. */
    byte[] awaitBody(int streamId) throws Exception {
        await(f -> f instanceof SpdyDataFrame && ((SpdyDataFrame) f).streamId() == streamId && ((SpdyDataFrame) f).isLast()
                || f instanceof SpdySynReplyFrame && ((SpdySynReplyFrame) f).streamId() == streamId
                        && ((SpdySynReplyFrame) f).isLast());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SpdyFrame f : frames) {
            if (f instanceof SpdyDataFrame && ((SpdyDataFrame) f).streamId() == streamId) {
                body.writeBytes(ByteBufUtil.getBytes(((SpdyDataFrame) f).content()));
            }
        }
        return body.toByteArray();
    }

    List<String> described(int streamId) {
        return described.stream().filter(d -> d.contains("#" + streamId + " ") || d.endsWith("#" + streamId)).toList();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        for (SpdyFrame f : frames) {
            if (f instanceof SpdyDataFrame) {
                ((SpdyDataFrame) f).release();
            }
        }
    }

    private final class Collector extends SimpleChannelInboundHandler<SpdyFrame> {
        Collector() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
            frames.add(frame);
            described.add(NettySpdyClient.describe(frame));
            for (Waiter w : waiters) {
                if (w.test().test(frame)) {
                    w.result().complete(frame);
                }
            }
        }
    }
}
