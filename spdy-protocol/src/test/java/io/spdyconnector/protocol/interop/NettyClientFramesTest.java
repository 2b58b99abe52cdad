package io.spdyconnector.protocol.interop;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.spdyconnector.protocol.interop.NettyFrames.syn;
import static io.spdyconnector.protocol.interop.TestServerApp.pattern;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty's SPDY/3.1 frame codec as the client, our session as the server. Netty encodes every frame
 * the test sends; Netty decodes every byte the session writes; the assertions read Netty's frames.
 */
class NettyClientFramesTest {
    private final TestServerApp app = new TestServerApp();
    private final List<String> inbound = new CopyOnWriteArrayList<>();
    private NettyLink link;

    private NettyLink connect(SessionConfig.Builder config) {
        config.frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
                inbound.add(frame.toString());
            }

            @Override
            public void outbound(Frame frame) {
            }
        });
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, config.build(), app);
        // One wire frame per Netty frame: chunks as large as our largest DATA frame.
        link = new NettyLink(server, new SpdyFrameCodec(io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1,
                65536, 16384, 6, 15, 8));
        return link;
    }

    private NettyLink connect() {
        return connect(SessionConfig.builder());
    }

    @AfterEach
    void tearDown() {
        if (link != null) {
            link.close();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void getIsAnsweredAfterThePreface() {
        NettyLink l = connect();
        l.send(syn(1, 0, true, Sessions.get("/hello")));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]",
                "DATA #1 len=5 fin");
        assertThat(text(l.body(1))).isEqualTo("hello");
        assertThat(app.requests.get(1)).isEqualTo(Sessions.get("/hello"));
        assertThat(app.events).containsExactly("stream 1 pri=0 GET /hello fin", "closed 1");
    }

    @Test
    void postBodyInSeveralDataFramesIsEchoed() {
        NettyLink l = connect();
        // Netty's bytes reach the session 7 at a time: every frame boundary falls mid-read.
        l.receiveChunk = 7;
        byte[] body = pattern(20000);
        l.send(syn(1, 2, false, Sessions.post("/echo")),
                new DefaultSpdyDataFrame(1, Unpooled.wrappedBuffer(body, 0, 12000)),
                new DefaultSpdyDataFrame(1, Unpooled.wrappedBuffer(body, 12000, 8000)),
                new DefaultSpdyDataFrame(1, Unpooled.EMPTY_BUFFER).setLast(true));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1, x-request-bytes: 20000]",
                "DATA #1 len=16384",
                "DATA #1 len=3616 fin");
        assertThat(l.body(1)).isEqualTo(body);
        // Pieces of 7 bytes: DATA reaches the application in fragments, whose sizes add up.
        int received = app.events.stream().filter(e -> e.startsWith("data 1 "))
                .mapToInt(e -> Integer.parseInt(e.split(" ")[2])).sum();
        assertThat(received).isEqualTo(20000);
        assertThat(app.events).contains("stream 1 pri=2 POST /echo", "data 1 0 fin");
    }

    @Test
    void pingsAreEchoedWithTheirIdAndOurPingIsAnswered() throws Exception {
        NettyLink l = connect();
        l.send(new DefaultSpdySettingsFrame().setValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS, 50),
                new DefaultSpdyPingFrame(1), new DefaultSpdyPingFrame(0x7FFFFFFF));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "PING id=1",
                "PING id=2147483647");

        CompletableFuture<Duration> rtt = l.session.ping();
        l.pump();
        assertThat(l.newTrace()).containsExactly("PING id=2");
        assertThat(rtt).isNotDone();
        l.send(new DefaultSpdyPingFrame(2));
        assertThat(rtt).isCompleted();
        // The echo of our own ping is not echoed back.
        assertThat(l.newTrace()).isEmpty();
        assertThat(inbound).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=50]", "PING id=1",
                "PING id=2147483647", "PING id=2");
    }

    @Test
    void nettysSettingsAndWindowUpdatesGovernOurData() {
        NettyLink l = connect();
        l.send(new DefaultSpdySettingsFrame()
                        .setValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS, 10)
                        .setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, 4096),
                syn(1, 0, true, Sessions.get("/bytes/20000")));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1, content-length: 20000]",
                "DATA #1 len=4096");

        l.send(new DefaultSpdyWindowUpdateFrame(1, 8192));
        assertThat(l.newTrace()).containsExactly("DATA #1 len=8192");
        // The session window (64 KiB, Netty never raised it) is not the limit here: the stream's is.
        l.send(new DefaultSpdyWindowUpdateFrame(1, 100000));
        assertThat(l.newTrace()).containsExactly("DATA #1 len=7712 fin");
        assertThat(l.body(1)).isEqualTo(pattern(20000));
    }

    @Test
    void sessionWindowFromNettyLimitsAllStreamsTogether() {
        NettyLink l = connect();
        // Streams may each send 64 KiB, but the session window is Netty's default 64 KiB in total.
        l.send(syn(1, 0, true, Sessions.get("/bytes/40000")), syn(3, 0, true, Sessions.get("/bytes/40000")));
        List<String> first = l.newTrace();
        assertThat(first).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1, content-length: 40000]",
                "SYN_REPLY #3 [:status: 200, :version: HTTP/1.1, content-length: 40000]",
                "DATA #1 len=16384",
                "DATA #3 len=16384",
                "DATA #1 len=16384",
                "DATA #3 len=16384");
        l.send(new DefaultSpdyWindowUpdateFrame(0, 10000));
        assertThat(l.newTrace()).containsExactly("DATA #1 len=7232 fin", "DATA #3 len=2768");
        l.send(new DefaultSpdyWindowUpdateFrame(0, 65536));
        assertThat(l.newTrace()).containsExactly("DATA #3 len=4464 fin");
        assertThat(l.body(1)).isEqualTo(pattern(40000));
        assertThat(l.body(3)).isEqualTo(pattern(40000));
    }

    @Test
    void rstStreamFromNettyCancelsTheResponseOnly() {
        NettyLink l = connect();
        l.send(syn(1, 0, true, Sessions.get("/hold")));
        assertThat(l.newTrace()).endsWith("SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]");

        l.send(new DefaultSpdyRstStreamFrame(1, SpdyStreamStatus.CANCEL));
        assertThat(app.events).containsExactly("stream 1 pri=0 GET /hold fin", "reset 1 CANCEL", "closed 1");
        app.streams.get(1).data(TestServerApp.ascii("too late"), true, app.callback("late data"));
        l.pump();
        // SPEC §2.4.2: no RST_STREAM answers a RST_STREAM, and nothing more is sent on the stream.
        assertThat(l.newTrace()).isEmpty();
        assertThat(app.failures).hasSize(1).allMatch(f -> f.startsWith("late data: stream 1 cannot send"));

        l.send(syn(3, 0, true, Sessions.get("/hello")));
        assertThat(l.newTrace()).containsExactly("SYN_REPLY #3 [:status: 200, :version: HTTP/1.1]", "DATA #3 len=5 fin");
    }

    @Test
    void ourGoAwayNamesTheLastStreamAndLetsItFinish() {
        NettyLink l = connect();
        l.send(syn(1, 0, true, Sessions.get("/hello")), syn(3, 0, true, Sessions.get("/hold")));
        l.newTrace();
        l.session.goAway();
        l.pump();
        assertThat(l.newTrace()).containsExactly("GOAWAY last=3 OK");
        assertThat(l.sessionClosedTransport).isFalse();

        // SPEC §2.6.6: after our GOAWAY a new stream is ignored, neither answered nor reset.
        l.send(syn(5, 0, true, Sessions.get("/hello")));
        assertThat(l.newTrace()).isEmpty();
        assertThat(app.requests).doesNotContainKey(5);

        app.streams.get(3).data(TestServerApp.ascii("bye"), true, app.callback("data"));
        l.pump();
        assertThat(l.newTrace()).containsExactly("DATA #3 len=3 fin");
        assertThat(l.sessionClosedTransport).isTrue();
        assertThat(app.events).endsWith("closed 3", "session closed");
    }

    @Test
    void nettysGoAwayDrainsTheSession() {
        NettyLink l = connect();
        l.send(syn(1, 0, true, Sessions.get("/hold")));
        l.newTrace();
        l.send(new DefaultSpdyGoAwayFrame(0, SpdySessionStatus.OK));
        assertThat(app.events).contains("goaway 0 OK");
        assertThat(l.newTrace()).isEmpty();

        app.streams.get(1).data(TestServerApp.ascii("last"), true, app.callback("data"));
        l.pump();
        assertThat(l.newTrace()).containsExactly("DATA #1 len=4 fin", "GOAWAY last=1 OK");
        assertThat(l.sessionClosedTransport).isTrue();
    }

    @Test
    void trailersFollowDataAsHeadersWithFin() {
        NettyLink l = connect();
        l.send(syn(1, 0, true, Sessions.get("/trailers")));
        assertThat(l.newTrace()).endsWith(
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]",
                "DATA #1 len=4",
                "HEADERS #1 fin [x-checksum: c0ffee, x-trailer: done]");
        assertThat(text(l.body(1))).isEqualTo("body");
    }

    @Test
    void requestTrailersFromNettyReachTheApplication() {
        NettyLink l = connect();
        l.send(syn(1, 0, false, Sessions.post("/echo")),
                new DefaultSpdyDataFrame(1, Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)),
                NettyFrames.withHeaders(new io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame(1),
                        HeaderBlock.of("x-sum", "294")).setLast(true));
        assertThat(app.events).containsExactly("stream 1 pri=0 POST /echo", "data 1 3",
                "headers 1 fin [x-sum: 294]", "closed 1");
        assertThat(l.newTrace()).endsWith(
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1, x-request-bytes: 3]", "DATA #1 len=3 fin");
    }

    @Test
    void higherPriorityStreamsAreAnsweredFirst() {
        NettyLink l = connect();
        l.send(syn(1, 7, true, Sessions.get("/bytes/20000")),
                syn(3, 0, true, Sessions.get("/bytes/20000")),
                syn(5, 3, true, Sessions.get("/bytes/20000")));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #3 [:status: 200, :version: HTTP/1.1, content-length: 20000]",
                "DATA #3 len=16384",
                "DATA #3 len=3616 fin",
                "SYN_REPLY #5 [:status: 200, :version: HTTP/1.1, content-length: 20000]",
                "DATA #5 len=16384",
                "DATA #5 len=3616 fin",
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1, content-length: 20000]",
                "DATA #1 len=16384",
                "DATA #1 len=3616 fin");
        assertThat(app.events).contains("stream 1 pri=7 GET /bytes/20000 fin", "stream 3 pri=0 GET /bytes/20000 fin",
                "stream 5 pri=3 GET /bytes/20000 fin");
    }
    @Test
    void smallerInitialWindowFromNettyDrivesTheStreamWindowNegative() {
        NettyLink l = connect();
        l.send(syn(1, 0, true, Sessions.get("/bytes/100000")));
        assertThat(l.newTrace()).filteredOn(t -> t.startsWith("DATA")).containsExactly(
                "DATA #1 len=16384", "DATA #1 len=16384", "DATA #1 len=16384", "DATA #1 len=16384");

        // SPEC §2.6.8: 64 KiB sent, initial window now 16 KiB: the stream window is -48 KiB.
        l.send(new DefaultSpdySettingsFrame().setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, 16384),
                new DefaultSpdyWindowUpdateFrame(0, 200000));
        assertThat(l.newTrace()).isEmpty();
        l.send(new DefaultSpdyWindowUpdateFrame(1, 49152));
        assertThat(l.newTrace()).isEmpty();
        l.send(new DefaultSpdyWindowUpdateFrame(1, 20000));
        assertThat(l.newTrace()).containsExactly("DATA #1 len=16384", "DATA #1 len=3616");
        // Back to 64 KiB: the window grows by 48 KiB and the rest of the body fits.
        l.send(new DefaultSpdySettingsFrame().setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, 65536));
        assertThat(l.newTrace()).containsExactly("DATA #1 len=14464 fin");
        assertThat(l.body(1)).isEqualTo(pattern(100000));
    }

    @Test
    void oversizedHeaderBlockIsAnswered431AndTheContextStaysInSync() {
        NettyLink l = connect(SessionConfig.builder().maxHeaderBytes(8192));
        l.send(syn(1, 0, true, Sessions.get("/hello").add("cookie", "c".repeat(10000))),
                syn(3, 0, true, Sessions.get("/hello").add("cookie", "small")));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #1 fin [:status: 431 Request Header Fields Too Large, :version: HTTP/1.1, content-length: 0]",
                "SYN_REPLY #3 [:status: 200, :version: HTTP/1.1]",
                "DATA #3 len=5 fin");
        assertThat(app.requests).containsOnlyKeys(3);
        assertThat(app.requests.get(3).get("cookie")).isEqualTo("small");
    }

    @Test
    void unknownControlFramesFromNettyAreSkipped() {
        NettyLink l = connect();
        l.channel.pipeline().replace(SpdyFrameCodec.class, "codec", new SpdyFrameCodec(
                io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1, 65536, 16384, 6, 15, 8, true, true));
        // Type 11 does not exist in SPDY/3.1: an 8-byte header and 12 bytes of payload, skipped.
        assertThat(l.channel.writeAndFlush(new io.netty.handler.codec.spdy.DefaultSpdyUnknownFrame(0x0B, (byte) 0,
                Unpooled.copiedBuffer("future frame", StandardCharsets.US_ASCII))).isSuccess()).isTrue();
        l.pump();
        assertThat(l.bytesToSession).isEqualTo(20);
        l.send(syn(1, 0, true, Sessions.get("/hello")));
        assertThat(l.newTrace()).containsExactly(
                "SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                "WINDOW_UPDATE #0 +983040",
                "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]",
                "DATA #1 len=5 fin");
    }
}
