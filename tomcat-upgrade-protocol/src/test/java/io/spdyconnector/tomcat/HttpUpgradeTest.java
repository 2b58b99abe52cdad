package io.spdyconnector.tomcat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.buffer.ByteBufUtil;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Upgrade: spdy/3.1} from HTTP/1.1 on a plain port ({@code httpUpgrade="true"}): Tomcat
 * answers 101, the connection continues in SPDY, the upgrading request is answered on stream 1
 * and the client's own streams start at 3.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpUpgradeTest {
    static TomcatSpdyServer server;

    @BeforeAll
    static void start() throws Exception {
        TestWebapp app = new TestWebapp();
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, spdy -> spdy.setHttpUpgrade(true), c -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String upgradeRequest(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.shared.getLocalPort()
                + "\r\nConnection: Upgrade\r\nUpgrade: spdy/3.1\r\nX-Via: upgrade\r\n" + extra + "\r\n";
    }

    /** Reads up to the blank line, one byte at a time so nothing after it is consumed. */
    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void engineClientTakesTheResponseOnStreamOneThenOpensStreamThree() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.shared.getLocalPort()));
            socket.getOutputStream().write(upgradeRequest("/hello?via=upgrade", "").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101 ").containsIgnoringCase("upgrade: spdy/3.1");

            UpgradedClient client = new UpgradedClient(socket);
            Response one = new Response();
            SpdyStream upgraded = client.session.openUpgradeStream(0, one);
            client.start();
            assertThat(upgraded.id()).isEqualTo(1);
            assertThat(one.done.get(30, TimeUnit.SECONDS)).startsWith("200 OK|hello HTTP/1.1 http false spdy/3.1 priority=3"
                    + " stream=1 host=127.0.0.1:" + server.shared.getLocalPort());
            assertThat(one.text()).contains("query=via=upgrade connection=null");

            Response three = new Response();
            SpdyStream next = client.session.newStream(RawStreams.request("GET",
                    server.url(TomcatSpdyServer.Transport.SHARED, "/headers")), 0, true, three);
            assertThat(three.done.get(30, TimeUnit.SECONDS)).startsWith("200 OK|");
            assertThat(next.id()).isEqualTo(3);
            assertThat(three.text()).doesNotContain("x-via");

            byte[] big = TestWebapp.pattern(500_000);
            Response four = new Response();
            SpdyStream post = client.session.newStream(RawStreams.request("POST",
                    server.url(TomcatSpdyServer.Transport.SHARED, "/echo")), 0, false, four);
            post.data(ByteBuffer.wrap(big), true, io.spdyconnector.protocol.session.WriteCallback.NOOP);
            four.done.get(30, TimeUnit.SECONDS);
            assertThat(four.body.toByteArray()).isEqualTo(big);
            client.session.goAway();
        }
    }

    @Test
    void nettySwitchesItsPipelineAfterThe101() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            CompletableFuture<String> switched = new CompletableFuture<>();
            List<SpdyFrame> frames = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> streamOneDone = new CompletableFuture<>();
            CompletableFuture<Void> streamThreeDone = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast("head", new ResponseHeadDecoder());
                            c.pipeline().addLast("collect", new SimpleChannelInboundHandler<Object>(false) {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                    if (msg instanceof String) {
                                        switched.complete((String) msg);
                                        return;
                                    }
                                    SpdyFrame f = (SpdyFrame) msg;
                                    frames.add(f);
                                    if (f instanceof SpdyDataFrame && ((SpdyDataFrame) f).isLast()) {
                                        (((SpdyDataFrame) f).streamId() == 1 ? streamOneDone : streamThreeDone)
                                                .complete(null);
                                    }
                                }
                            });
                        }
                    })
                    .connect("127.0.0.1", server.shared.getLocalPort()).sync().channel();
            ch.writeAndFlush(Unpooled.copiedBuffer(upgradeRequest("/index.txt", ""), StandardCharsets.US_ASCII)).sync();
            assertThat(switched.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 101 ").containsIgnoringCase("upgrade: spdy/3.1");

            streamOneDone.get(30, TimeUnit.SECONDS);
            DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(3, 0, (byte) 0);
            syn.setLast(true);
            syn.headers().add(":method", "GET").add(":path", "/hello").add(":version", "HTTP/1.1")
                    .add(":host", "127.0.0.1:" + server.shared.getLocalPort()).add(":scheme", "http");
            ch.writeAndFlush(syn).sync();
            streamThreeDone.get(30, TimeUnit.SECONDS);

            List<String> described = new ArrayList<>();
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            ByteArrayOutputStream three = new ByteArrayOutputStream();
            for (SpdyFrame f : frames) {
                described.add(NettySpdyClient.describe(f));
                if (f instanceof SpdyDataFrame) {
                    SpdyDataFrame d = (SpdyDataFrame) f;
                    (d.streamId() == 1 ? one : three).writeBytes(ByteBufUtil.getBytes(d.content()));
                    d.release();
                }
            }
            assertThat(described.get(0)).isEqualTo("SETTINGS");
            assertThat(described).contains("SYN_REPLY #1 200 OK", "SYN_REPLY #3 200 OK").doesNotContain("GOAWAY");
            assertThat(one.toString(StandardCharsets.US_ASCII)).isEqualTo("static text\n");
            assertThat(three.toString(StandardCharsets.US_ASCII)).startsWith("hello HTTP/1.1 http false spdy/3.1 ")
                    .contains(" stream=3 ");
            SpdySynReplyFrame reply = (SpdySynReplyFrame) frames.stream()
                    .filter(f -> f instanceof SpdySynReplyFrame && ((SpdySynReplyFrame) f).streamId() == 1).findFirst().get();
            assertThat(reply.headers().getAsString("content-length")).isEqualTo("12");
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Passes the HTTP/1.1 response head on as a String, then hands the connection to Netty's SPDY
     * codec; bytes already read behind the head go to the codec when this decoder leaves.
     */
    private static final class ResponseHeadDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int end = ByteBufUtil.indexOf(Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}), in);
            if (end < 0) {
                return;
            }
            out.add(in.readCharSequence(end - in.readerIndex() + 4, StandardCharsets.ISO_8859_1).toString());
            ctx.pipeline().addAfter("head", "spdy", new SpdyFrameCodec(io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1));
            ctx.pipeline().remove(this);
        }
    }

    @Test
    void upgradeRequestWithABodyIsServedOverHttp11() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.shared.getLocalPort())) {
            socket.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\n"
                    + "Upgrade: spdy/3.1\r\nContent-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nhello");
        }
    }

    @Test
    void unknownUpgradeTokenIsServedOverHttp11() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.shared.getLocalPort())) {
            socket.getOutputStream().write(("GET /index.txt HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\n"
                    + "Upgrade: spdy/2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 ").endsWith("static text\n");
        }
    }

    /** Collects one stream's response: "status|body". */
    private static final class Response implements StreamListener {
        final CompletableFuture<String> done = new CompletableFuture<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String status;

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void onReply(SpdyStream stream, HeaderBlock headers, boolean fin) {
            status = headers.get(":status");
            if (fin) {
                done.complete(status + "|");
            }
        }

        @Override
        public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            body.writeBytes(b);
            stream.consumed(b.length);
            if (fin) {
                done.complete(status + "|" + text());
            }
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            done.completeExceptionally(cause);
        }
    }

    /** A client session over a blocking socket: a reader thread, writes from whoever has output. */
    private static final class UpgradedClient implements SessionListener {
        final Socket socket;
        final SpdySession session;
        private final Object writeLock = new Object();

        UpgradedClient(Socket socket) {
            this.socket = socket;
            this.session = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), this);
        }

        void start() {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[16384];
                try {
                    int n;
                    while ((n = socket.getInputStream().read(buffer)) > 0) {
                        session.receive(ByteBuffer.wrap(buffer, 0, n));
                    }
                } catch (IOException e) {
                    // closed
                }
                session.inputClosed();
            }, "upgraded-client-reader");
            reader.setDaemon(true);
            reader.start();
            onOutputReady();
        }

        @Override
        public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
            return null;
        }

        @Override
        public void onOutputReady() {
            synchronized (writeLock) {
                OutputBatch batch;
                while ((batch = session.pollOutput()) != null) {
                    try {
                        for (ByteBuffer b : batch.buffers()) {
                            byte[] bytes = new byte[b.remaining()];
                            b.get(bytes);
                            socket.getOutputStream().write(bytes);
                        }
                        session.outputWritten(batch);
                    } catch (IOException e) {
                        session.outputFailed(batch, e);
                        return;
                    }
                }
            }
        }
    }
}
