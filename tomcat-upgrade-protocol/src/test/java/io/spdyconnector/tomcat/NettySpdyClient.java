package io.spdyconnector.tomcat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyHttpCodec;
import io.netty.handler.codec.spdy.SpdyHttpHeaders;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SpdyTestClient} over Netty's SPDY/3.1 stack ({@code SpdyFrameCodec}, a client
 * {@code SpdySessionHandler}, {@code SpdyHttpCodec}), with ALPN by the JDK on TLS. One connection
 * per origin; every frame it receives is recorded, and a RST_STREAM fails its request (Netty's
 * HTTP layer would drop the stream silently).
 */
final class NettySpdyClient implements SpdyTestClient {
    private static final SpdyVersion VERSION = SpdyVersion.SPDY_3_1;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final SslContext ssl;

    /** The failure of a request whose stream the server reset. */
    static final class StreamResetException extends IOException {
        private static final long serialVersionUID = 1L;
        final String status;

        StreamResetException(int streamId, String status) {
            super("stream " + streamId + " reset: " + status);
            this.status = status;
        }
    }

    NettySpdyClient() {
        try {
            ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "spdy/3.1"))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "Netty";
    }

    /** The connection to {@code url}'s origin, opened if needed. */
    Connection connection(String url) throws Exception {
        URI uri = URI.create(url);
        String key = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        Connection c = connections.get(key);
        if (c == null || !c.channel.isActive()) {
            c = new Connection(uri);
            connections.put(key, c);
        }
        return c;
    }

    @Override
    public CompletableFuture<Reply> send(Req req) {
        try {
            return connection(req.url()).send(req);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            c.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** One SPDY session to one origin. */
    final class Connection {
        final Channel channel;
        final boolean tls;
        final String authority;
        final AtomicInteger nextStreamId = new AtomicInteger(1);
        final Map<Integer, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
        /** Frames received, one line each ("GOAWAY last=3 OK", "RST_STREAM #5 INTERNAL_ERROR", ...). */
        final List<String> inbound = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final String protocol;
        /** SYN_REPLY headers as sent: Netty's HTTP layer rewrites content-length and folds in trailers. */
        private final Map<Integer, Map<String, List<String>>> replyHeaders = new ConcurrentHashMap<>();
        private final Map<Integer, Map<String, String>> trailers = new ConcurrentHashMap<>();

        Connection(URI uri) throws Exception {
            tls = uri.getScheme().equals("https");
            authority = uri.getHost() + ":" + uri.getPort();
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                            }
                            ch.pipeline().addLast(new SpdyFrameCodec(VERSION), new Observer(),
                                    new SpdySessionHandler(VERSION, false), new SpdyHttpCodec(VERSION, 64 << 20),
                                    new Collector());
                        }
                    })
                    .connect(uri.getHost(), uri.getPort()).sync().channel();
            channel.closeFuture().addListener(f -> {
                closed.complete(null);
                pending.values().forEach(p -> p.completeExceptionally(new ClosedChannelException()));
            });
            if (tls) {
                SslHandler handler = channel.pipeline().get(SslHandler.class);
                handler.handshakeFuture().sync();
                protocol = handler.applicationProtocol();
            } else {
                protocol = "spdy/3.1";
            }
        }

        CompletableFuture<Reply> send(Req req) {
            int id = nextStreamId.getAndAdd(2);
            CompletableFuture<Reply> result = new CompletableFuture<>();
            pending.put(id, result);
            URI uri = URI.create(req.url());
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            HttpMethod method = HttpMethod.valueOf(req.method());
            boolean simple = req.trailers().isEmpty() && !req.streamed();
            HttpRequest head = simple
                    ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target,
                            req.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(req.body()))
                    : new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, target);
            head.headers().setInt(SpdyHttpHeaders.Names.STREAM_ID, id);
            head.headers().set(SpdyHttpHeaders.Names.SCHEME, tls ? "https" : "http");
            head.headers().set(HttpHeaderNames.HOST, authority);
            for (String[] h : req.headers()) {
                head.headers().add(h[0], h[1]);
            }
            if (req.body() != null && !req.streamed()) {
                head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, req.body().length);
            }
            List<Object> messages = new ArrayList<>();
            messages.add(head);
            if (!simple) {
                byte[] body = req.body() == null ? new byte[0] : req.body();
                for (int off = 0; off < body.length; off += 8192) {
                    messages.add(new DefaultHttpContent(Unpooled.wrappedBuffer(body, off, Math.min(8192, body.length - off))));
                }
                DefaultLastHttpContent last = new DefaultLastHttpContent();
                req.trailers().forEach((n, v) -> last.trailingHeaders().add(n, v));
                messages.add(last);
            }
            channel.eventLoop().execute(() -> {
                for (Object m : messages) {
                    channel.write(m);
                }
                channel.flush();
            });
            return result;
        }

        /** Records inbound frames; a reset fails its request. */
        private final class Observer extends ChannelDuplexHandler {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SpdyFrame) {
                    inbound.add(describe((SpdyFrame) msg));
                }
                if (msg instanceof SpdySynReplyFrame) {
                    SpdySynReplyFrame reply = (SpdySynReplyFrame) msg;
                    Map<String, List<String>> headers = Reply.headerMap();
                    for (Map.Entry<CharSequence, CharSequence> e : reply.headers()) {
                        String name = e.getKey().toString();
                        if (!name.startsWith(":")) {
                            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue().toString());
                        }
                    }
                    replyHeaders.put(reply.streamId(), headers);
                } else if (msg instanceof SpdyHeadersFrame && !(msg instanceof SpdySynStreamFrame)) {
                    SpdyHeadersFrame h = (SpdyHeadersFrame) msg;
                    Map<String, String> t = trailers.computeIfAbsent(h.streamId(), k -> new java.util.LinkedHashMap<>());
                    for (Map.Entry<CharSequence, CharSequence> e : h.headers()) {
                        t.put(e.getKey().toString(), e.getValue().toString());
                    }
                }
                if (msg instanceof SpdyRstStreamFrame) {
                    SpdyRstStreamFrame rst = (SpdyRstStreamFrame) msg;
                    CompletableFuture<Reply> p = pending.remove(rst.streamId());
                    if (p != null) {
                        p.completeExceptionally(new StreamResetException(rst.streamId(), rst.status().toString()));
                    }
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg, promise);
            }
        }

        /** Completes each stream's request with Netty's aggregated response. */
        private final class Collector extends SimpleChannelInboundHandler<FullHttpResponse> {
            Collector() {
                super(true);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                int id = msg.headers().getInt(SpdyHttpHeaders.Names.STREAM_ID);
                Map<String, List<String>> headers = Reply.headerMap();
                for (Map.Entry<String, String> e : msg.headers()) {
                    headers.computeIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                            .add(e.getValue());
                }
                Map<String, List<String>> sent = replyHeaders.remove(id);
                Map<String, String> sentTrailers = trailers.remove(id);
                Reply reply = new Reply(msg.status().code(), msg.status().toString(), sent != null ? sent : headers,
                        ByteBufUtil.getBytes(msg.content()), sentTrailers != null ? sentTrailers : Map.of());
                CompletableFuture<Reply> p = pending.remove(id);
                if (p != null) {
                    p.complete(reply);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                pending.values().forEach(p -> p.completeExceptionally(cause));
                ctx.close();
            }
        }
    }

    static String describe(SpdyFrame f) {
        if (f instanceof SpdyGoAwayFrame) {
            SpdyGoAwayFrame g = (SpdyGoAwayFrame) f;
            return "GOAWAY last=" + g.lastGoodStreamId() + " " + g.status();
        }
        if (f instanceof SpdyRstStreamFrame) {
            SpdyRstStreamFrame r = (SpdyRstStreamFrame) f;
            return "RST_STREAM #" + r.streamId() + " " + r.status();
        }
        if (f instanceof SpdySynReplyFrame) {
            SpdySynReplyFrame r = (SpdySynReplyFrame) f;
            return "SYN_REPLY #" + r.streamId() + (r.isLast() ? " fin" : "") + " " + r.headers().get(":status");
        }
        if (f instanceof SpdySynStreamFrame) {
            return "SYN_STREAM #" + ((SpdySynStreamFrame) f).streamId();
        }
        if (f instanceof SpdyHeadersFrame) {
            SpdyHeadersFrame h = (SpdyHeadersFrame) f;
            return "HEADERS #" + h.streamId() + (h.isLast() ? " fin" : "");
        }
        if (f instanceof SpdyDataFrame) {
            SpdyDataFrame d = (SpdyDataFrame) f;
            return "DATA #" + d.streamId() + " len=" + d.content().readableBytes() + (d.isLast() ? " fin" : "");
        }
        if (f instanceof SpdyWindowUpdateFrame) {
            SpdyWindowUpdateFrame w = (SpdyWindowUpdateFrame) f;
            return "WINDOW_UPDATE #" + w.streamId() + " +" + w.deltaWindowSize();
        }
        if (f instanceof SpdySettingsFrame) {
            return "SETTINGS";
        }
        return f.getClass().getSimpleName();
    }
}
