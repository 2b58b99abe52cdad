package io.spdyconnector.protocol.interop;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyHttpCodec;
import io.netty.handler.codec.spdy.SpdyHttpHeaders;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.spdyconnector.protocol.interop.TestClient.request;
import static io.spdyconnector.protocol.interop.TestServerApp.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine over real TCP on the loopback interface, against Netty's NIO transport: our client
 * session (driven by {@link SocketPump}) against a Netty SPDY server, and a Netty SPDY client
 * against our server session. Every wait is a future with a timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopbackSocketTest {
    private static final io.netty.handler.codec.spdy.SpdyVersion NETTY_3_1 = io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1;
    private static final long WAIT = 30;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private SocketPump pump;

    @AfterEach
    void tearDown() throws Exception {
        if (pump != null) {
            pump.close();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    @Test
    void ourClientAgainstNettysNioServer() throws Exception {
        List<String> nettyRequests = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> nettyConnectionClosed = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> nettyConnectionClosed.complete(null));
                        ch.pipeline().addLast(new SpdyFrameCodec(NETTY_3_1), new SpdySessionHandler(NETTY_3_1, true),
                                new SpdyHttpCodec(NETTY_3_1, 16 << 20), new NettyHttpServerHandler(nettyRequests));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        try {
            java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(server.localAddress());
            TestClient client = new TestClient();
            pump = new SocketPump(socket);
            client.outputReady = pump::signal;
            SpdySession session = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), client);
            pump.start(session, "client");

            byte[] upload = pattern(1 << 20);
            List<TestClient.Exchange> all = new ArrayList<>();
            TestClient.Exchange big = client.send(session, request("GET", "/bytes/" + (4 << 20)), null, 0);
            TestClient.Exchange post = client.send(session, request("POST", "/echo"), upload, 1);
            TestClient.Exchange trailers = client.send(session, request("GET", "/trailers"), null, 2);
            TestClient.Exchange pushed = client.send(session, request("GET", "/pushed"), null, 2);
            all.addAll(List.of(big, post, trailers, pushed));
            for (int i = 0; i < 20; i++) {
                all.add(client.send(session, request("GET", "/bytes/" + (50_000 + i)), null, 4));
            }
            CompletableFuture.allOf(all.stream().map(e -> e.done).toArray(CompletableFuture[]::new))
                    .get(WAIT, TimeUnit.SECONDS);

            assertThat(big.body()).isEqualTo(pattern(4 << 20));
            assertThat(post.body()).isEqualTo(upload);
            assertThat(post.reply.get("x-request-bytes")).isEqualTo(Integer.toString(1 << 20));
            assertThat(trailers.headers).hasToString("[[x-checksum: c0ffee]]");
            assertThat(pushed.text()).isEqualTo("<link href=/style.css>");
            assertThat(client.pushes).hasSize(1);
            assertThat(client.pushes.get(0).done.get(WAIT, TimeUnit.SECONDS).text()).isEqualTo(NettyHttpServerHandler.PUSHED_CSS);
            for (int i = 0; i < 20; i++) {
                assertThat(all.get(4 + i).body()).isEqualTo(pattern(50_000 + i));
            }
            assertThat(nettyRequests).hasSize(24).contains("POST /echo HTTP/1.1 host=example.com bytes=" + (1 << 20));

            // Graceful end: GOAWAY, the last batch, our FIN; Netty then closes its connection.
            session.goAway();
            assertThat(client.closed.get(WAIT, TimeUnit.SECONDS)).isNull();
            pump.outputShutdown.get(WAIT, TimeUnit.SECONDS);
            nettyConnectionClosed.get(WAIT, TimeUnit.SECONDS);
            pump.inputEnded.get(WAIT, TimeUnit.SECONDS);
            assertThat(client.events).containsExactly("push 2 assoc=7 [:method: GET, :path: /style.css, "
                    + ":version: HTTP/1.1, :host: example.com, :scheme: https]", "session closed");
        } finally {
            server.close().sync();
        }
    }

    @Test
    void nettysNioClientAgainstOurServer() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Map<Integer, CompletableFuture<FullHttpResponse>> responses = new ConcurrentHashMap<>();
            Channel netty = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new SpdyFrameCodec(NETTY_3_1), new SpdySessionHandler(NETTY_3_1, false),
                                    new SpdyHttpCodec(NETTY_3_1, 16 << 20), new ResponseCollector(responses));
                        }
                    })
                    .connect(listener.getLocalAddress()).sync().channel();

            TestServerApp app = new TestServerApp();
            pump = new SocketPump(listener.accept());
            app.outputReady = pump::signal;
            SessionConfig config = SessionConfig.builder().compressionPolicy(CompressionPolicy.SAFE).build();
            SpdySession session = new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, config, app);
            pump.start(session, "server");

            byte[] upload = pattern(2 << 20);
            Map<Integer, String> paths = new java.util.TreeMap<>();
            paths.put(1, "/bytes/" + (8 << 20));
            paths.put(3, "/echo");
            paths.put(5, "/trailers");
            paths.put(7, "/headers/loopback");
            for (int i = 0; i < 30; i++) {
                paths.put(9 + 2 * i, "/bytes/" + (30_000 + i));
            }
            for (Map.Entry<Integer, String> p : paths.entrySet()) {
                responses.put(p.getKey(), new CompletableFuture<>());
                boolean post = p.getValue().equals("/echo");
                FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, post ? HttpMethod.POST : HttpMethod.GET,
                        p.getValue(), post ? Unpooled.wrappedBuffer(upload) : Unpooled.EMPTY_BUFFER);
                req.headers().setInt(SpdyHttpHeaders.Names.STREAM_ID, p.getKey());
                req.headers().set(HttpHeaderNames.HOST, "example.com");
                netty.write(req);
            }
            netty.flush();
            CompletableFuture.allOf(responses.values().toArray(CompletableFuture[]::new)).get(WAIT, TimeUnit.SECONDS);

            try {
                assertThat(body(responses.get(1))).isEqualTo(pattern(8 << 20));
                assertThat(body(responses.get(3))).isEqualTo(upload);
                assertThat(responses.get(3).get().headers().get("x-request-bytes")).isEqualTo(Integer.toString(2 << 20));
                // Netty's HTTP layer folds trailers into the response headers.
                assertThat(responses.get(5).get().headers().get("x-checksum")).isEqualTo("c0ffee");
                assertThat(body(responses.get(5))).isEqualTo("body".getBytes());
                FullHttpResponse headers = responses.get(7).get();
                assertThat(headers.status().code()).isEqualTo(200);
                assertThat(headers.headers().getAll("set-cookie"))
                        .containsExactly("id=a3fWa; Max-Age=2592000; Secure; HttpOnly", "theme=dark; Path=/");
                assertThat(headers.headers().get("x-long")).isEqualTo("x".repeat(3000));
                for (int i = 0; i < 30; i++) {
                    assertThat(body(responses.get(9 + 2 * i))).isEqualTo(pattern(30_000 + i));
                }
            } finally {
                responses.values().forEach(f -> f.thenAccept(FullHttpResponse::release));
            }
            assertThat(app.requests).hasSize(paths.size());
            assertThat(app.requests.get(3).get(":method")).isEqualTo("POST");

            // Netty closes: its session handler sends GOAWAY first; our session sees it, answers
            // with its own GOAWAY (it has nothing open) and ends; the socket reads end of stream.
            netty.close().sync();
            pump.inputEnded.get(WAIT, TimeUnit.SECONDS);
            app.closed.get(WAIT, TimeUnit.SECONDS);
            assertThat(app.events).contains("goaway 0 OK").last().asString().startsWith("session closed");
            assertThat(app.events).filteredOn(e -> e.startsWith("reset")).isEmpty();
            assertThat(session.state()).isEqualTo(SpdySession.State.CLOSED);
        }
    }

    private static byte[] body(CompletableFuture<FullHttpResponse> f) throws Exception {
        return ByteBufUtil.getBytes(f.get(WAIT, TimeUnit.SECONDS).content());
    }

    /** Completes each stream's future with Netty's aggregated response. */
    private static final class ResponseCollector extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Map<Integer, CompletableFuture<FullHttpResponse>> responses;

        ResponseCollector(Map<Integer, CompletableFuture<FullHttpResponse>> responses) {
            super(false);
            this.responses = responses;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            int id = msg.headers().getInt(SpdyHttpHeaders.Names.STREAM_ID);
            if (!responses.get(id).complete(msg)) {
                msg.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            responses.values().forEach(f -> f.completeExceptionally(cause));
        }
    }
}
