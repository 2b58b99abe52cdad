package io.spdyconnector.protocol.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyHttpCodec;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyHttpHeaders;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An independent SPDY/3.1 HTTP client built from Netty's SPDY codec (frame codec, session handler,
 * HTTP codec), plain with prior knowledge or TLS with ALPN {@code spdy/3.1}: what integration
 * tests use to check that the servers speak SPDY to an implementation other than our own.
 *
 * <p>Response headers are those of the SYN_REPLY as the server sent them, and trailers those of
 * the HEADERS frames after it, as {@code trailer:<name>}: Netty's HTTP codec sets
 * {@code content-length} to the length it aggregated (0 for a HEAD response) and folds trailers
 * into the headers, which would hide what the server sent.
 */
public final class NettySpdyClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final Map<Integer, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    /** The SYN_REPLY headers of each stream, until its response is complete. Event-loop thread only. */
    private final Map<Integer, Map<String, List<String>>> replyHeaders = new java.util.HashMap<>();
    /** Pushed responses, as Netty's HTTP codec assembled them, in the order they completed. */
    private final List<Push> pushes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Pushed stream → the stream it came with, from the pushed request. */
    private final Map<Integer, Integer> pushedRequests = new ConcurrentHashMap<>();
    private final AtomicInteger nextStream = new AtomicInteger(1);
    private final String authority;
    private final String scheme;

    /** A response as Netty's SPDY HTTP codec delivered it. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String bodyAsString() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A pushed resource (SPEC §3.3): its stream, the stream it came with, and its response. */
    public record Push(int streamId, int associatedStreamId, Response response) {
    }

    public NettySpdyClient(URI origin) throws Exception {
        boolean tls = origin.getScheme().equals("https");
        authority = origin.getRawAuthority();
        scheme = origin.getScheme();
        SslContext ssl = tls ? SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "spdy/3.1"))
                .build() : null;
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), origin.getHost(), origin.getPort()));
                        }
                        ch.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1),
                                new SpdySessionHandler(SpdyVersion.SPDY_3_1, false),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof SpdyHeadersFrame) {
                                            record((SpdyHeadersFrame) msg);
                                        }
                                        ctx.fireChannelRead(msg);
                                    }
                                },
                                new SpdyHttpCodec(SpdyVersion.SPDY_3_1, 64 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest pushed) {
                                        // The request a push answers, from its SYN_STREAM.
                                        pushedRequests.put(pushed.headers().getInt(SpdyHttpHeaders.Names.STREAM_ID, 0),
                                                pushed.headers().getInt(SpdyHttpHeaders.Names.ASSOCIATED_TO_STREAM_ID, 0));
                                    }
                                },
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        complete(r);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        pending.values().forEach(f -> f.completeExceptionally(
                                                new java.io.IOException("connection closed")));
                                    }
                                });
                    }
                })
                .connect(origin.getHost(), origin.getPort()).sync().channel();
    }

    /** A SYN_REPLY's headers, or a later HEADERS frame's as trailers. */
    private void record(SpdyHeadersFrame frame) {
        boolean reply = frame instanceof SpdySynReplyFrame;
        Map<String, List<String>> headers = reply ? new java.util.TreeMap<>()
                : replyHeaders.computeIfAbsent(frame.streamId(), id -> new java.util.TreeMap<>());
        frame.headers().forEach(e -> {
            String name = e.getKey().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.startsWith(":")) {
                headers.computeIfAbsent(reply ? name : "trailer:" + name, k -> new ArrayList<>()).add(e.getValue().toString());
            }
        });
        if (reply) {
            replyHeaders.put(frame.streamId(), headers);
        }
    }

    private void complete(FullHttpResponse r) {
        Integer id = r.headers().getInt(SpdyHttpHeaders.Names.STREAM_ID);
        Map<String, List<String>> sent = id == null ? null : replyHeaders.remove(id);
        if (id != null && id % 2 == 0) {
            // Netty's codec makes the pushed request of the SYN_STREAM and the response of the HEADERS.
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            r.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT),
                    k -> new ArrayList<>()).add(e.getValue()));
            pushes.add(new Push(id, pushedRequests.getOrDefault(id, 0),
                    new Response(r.status().code(), headers, ByteBufUtil.getBytes(r.content()))));
            return;
        }
        CompletableFuture<Response> f = id == null ? null : pending.remove(id);
        if (f == null) {
            return;
        }
        Map<String, List<String>> headers = new java.util.TreeMap<>();
        if (sent != null) {
            headers.putAll(sent);
        } else {
            r.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT),
                    k -> new ArrayList<>()).add(e.getValue()));
        }
        f.complete(new Response(r.status().code(), headers, ByteBufUtil.getBytes(r.content())));
    }

    /** Sends a request; {@code headers} alternate names and values. */
    public CompletableFuture<Response> send(String method, String path, byte[] body, String... headers) {
        int id = nextStream.getAndAdd(2);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        req.headers().setInt(SpdyHttpHeaders.Names.STREAM_ID, id);
        req.headers().set(HttpHeaderNames.HOST, authority);
        req.headers().set(SpdyHttpHeaders.Names.SCHEME, scheme);
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().add(headers[i], headers[i + 1]);
        }
        if (body != null) {
            req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(id, f);
        channel.writeAndFlush(req).addListener(w -> {
            if (!w.isSuccess()) {
                pending.remove(id);
                f.completeExceptionally(w.cause());
            }
        });
        return f;
    }

    public Response get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers).get(30, TimeUnit.SECONDS);
    }

    /** The pushes completed so far, waiting up to 30 s for at least {@code count} of them. */
    public List<Push> pushes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pushes.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return List.copyOf(pushes);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
