package io.spdyconnector.protocol.interop;

import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyHttpCodec;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.spdyconnector.protocol.interop.TestClient.request;
import static io.spdyconnector.protocol.interop.TestServerApp.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our session as the client of Netty's SPDY/3.1 server stack: {@code SpdyFrameCodec},
 * {@code SpdySessionHandler} (server mode: stream rules, windows, WINDOW_UPDATE) and
 * {@code SpdyHttpCodec} in front of {@link NettyHttpServerHandler}, in an EmbeddedChannel.
 */
class NettyServerTest {
    private static final io.netty.handler.codec.spdy.SpdyVersion NETTY_3_1 = io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1;

    private final TestClient client = new TestClient();
    private final List<String> nettyRequests = new CopyOnWriteArrayList<>();
    private final List<String> inbound = new CopyOnWriteArrayList<>();
    private NettyLink link;

    private NettyLink connect(int nettyMaxConcurrentStreams) {
        return connect(nettyMaxConcurrentStreams, SessionConfig.builder());
    }

    private NettyLink connect(int nettyMaxConcurrentStreams, SessionConfig.Builder builder) {
        SessionConfig config = builder.frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
                inbound.add(frame.toString());
            }

            @Override
            public void outbound(Frame frame) {
            }
        }).build();
        link = new NettyLink(new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, config, client),
                new SpdyFrameCodec(NETTY_3_1),
                new SpdySessionHandler(NETTY_3_1, true, nettyMaxConcurrentStreams),
                new SpdyHttpCodec(NETTY_3_1, 16 << 20),
                new NettyHttpServerHandler(nettyRequests));
        return link;
    }

    @AfterEach
    void tearDown() {
        if (link != null) {
            link.close();
        }
    }

    private static String statusOf(TestClient.Exchange e) {
        return e.reply.get(":status") + " " + e.reply.get(":version");
    }

    @Test
    void getPostAndTrailersAgainstNettysHttpServer() {
        NettyLink l = connect(100);
        byte[] upload = pattern(300_000);
        TestClient.Exchange get = client.send(l.session, request("GET", "/bytes/100000"), null, 3);
        TestClient.Exchange post = client.send(l.session,
                request("POST", "/echo").add("content-type", "application/octet-stream").add("x-custom", "42"),
                upload, 0);
        TestClient.Exchange trailers = client.send(l.session, request("GET", "/trailers"), null, 7);
        l.pump();

        assertThat(get.done).isCompleted();
        assertThat(statusOf(get)).isEqualTo("200 HTTP/1.1");
        assertThat(get.body()).isEqualTo(pattern(100_000));

        assertThat(post.uploaded).isCompleted();
        assertThat(post.done).isCompleted();
        assertThat(post.reply.get("x-request-bytes")).isEqualTo("300000");
        assertThat(post.reply.get("content-type")).isEqualTo("application/octet-stream");
        assertThat(post.body()).isEqualTo(upload);

        assertThat(trailers.done).isCompleted();
        assertThat(trailers.text()).isEqualTo("body");
        assertThat(trailers.headers).hasToString("[[x-checksum: c0ffee]]");

        // What Netty's HTTP layer made of our SYN_STREAMs.
        assertThat(nettyRequests).containsExactlyInAnyOrder(
                "GET /bytes/100000 HTTP/1.1 host=example.com bytes=0",
                "POST /echo HTTP/1.1 host=example.com bytes=300000 x-custom=42",
                "GET /trailers HTTP/1.1 host=example.com bytes=0");
        assertThat(List.of(get.id, post.id, trailers.id)).containsExactly(1, 3, 5);
        // Netty opened with its SETTINGS and answered our upload with window updates as it read.
        assertThat(inbound).first().isEqualTo("SETTINGS [MAX_CONCURRENT_STREAMS=100]");
        assertThat(inbound).filteredOn(f -> f.startsWith("WINDOW_UPDATE #3 ")).isNotEmpty();
        assertThat(inbound).filteredOn(f -> f.startsWith("WINDOW_UPDATE #0 ")).isNotEmpty();
        assertThat(inbound).filteredOn(f -> f.startsWith("RST_STREAM") || f.startsWith("GOAWAY")).isEmpty();
    }

    @Test
    void pushFromNettyArrivesOnAnEvenStreamTiedToTheRequest() {
        NettyLink l = connect(100);
        TestClient.Exchange page = client.send(l.session, request("GET", "/pushed"), null, 0);
        l.pump();

        assertThat(page.done).isCompleted();
        assertThat(page.text()).isEqualTo("<link href=/style.css>");
        assertThat(client.pushes).hasSize(1);
        TestClient.Exchange push = client.pushes.get(0);
        assertThat(push.done).isCompleted();
        assertThat(push.id).isEqualTo(2);
        assertThat(client.events).containsExactly("push 2 assoc=1 [:method: GET, :path: /style.css, "
                + ":version: HTTP/1.1, :host: example.com, :scheme: https]");
        // Netty's HTTP layer puts the response status of a push in a HEADERS frame.
        assertThat(push.headers).hasSize(1);
        assertThat(push.headers.get(0).get(":status")).isEqualTo("200");
        assertThat(push.headers.get(0).get("content-type")).isEqualTo("text/css");
        assertThat(push.text()).isEqualTo(NettyHttpServerHandler.PUSHED_CSS);
        assertThat(inbound).filteredOn(f -> f.startsWith("SYN_STREAM"))
                .containsExactly("SYN_STREAM #2 assoc=1 pri=0 uni [:method: GET, :path: /style.css, "
                        + ":version: HTTP/1.1, :host: example.com, :scheme: https]");
        assertThat(inbound).filteredOn(f -> f.startsWith("RST_STREAM")).isEmpty();
    }

    @Test
    void nettysConcurrencyLimitQueuesOurStreams() {
        NettyLink l = connect(2);
        l.pump();
        assertThat(inbound).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=2]");
        List<TestClient.Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            exchanges.add(client.send(l.session, request("GET", "/bytes/" + (1000 + i)), null, 0));
        }
        // Only two SYN_STREAMs may be out at once: the others wait for a slot, none is refused.
        l.pump();
        for (int i = 0; i < 6; i++) {
            assertThat(exchanges.get(i).done).isCompleted();
            assertThat(exchanges.get(i).body()).isEqualTo(pattern(1000 + i));
        }
        assertThat(nettyRequests).hasSize(6);
        assertThat(inbound).filteredOn(f -> f.startsWith("RST_STREAM")).isEmpty();
    }

    @Test
    void streamsSentBeforeNettysLimitArrivedAreRefusedAndRetryable() {
        NettyLink l = connect(2);
        // Four uploads whose bodies are still to come, so Netty holds each stream open.
        List<TestClient.Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            exchanges.add(client.open(l.session, request("POST", "/echo"), false, 0));
        }
        // Our SYN_STREAMs leave before Netty's SETTINGS arrives: the two cross on the wire.
        l.toNetty();
        l.pump();
        assertThat(inbound).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=2]",
                "RST_STREAM #5 REFUSED_STREAM", "RST_STREAM #7 REFUSED_STREAM");
        for (TestClient.Exchange refused : exchanges.subList(2, 4)) {
            assertThatThrownBy(refused.done::join).cause()
                    .isInstanceOfSatisfying(SpdyStreamResetException.class, e -> {
                        assertThat(e.status()).isEqualTo(RstStatus.REFUSED_STREAM);
                        assertThat(e.isRetryable()).isTrue();
                    });
        }
        exchanges.get(0).stream.data(TestServerApp.ascii("one"), true, exchanges.get(0).upload);
        exchanges.get(1).stream.data(TestServerApp.ascii("two"), true, exchanges.get(1).upload);
        l.pump();
        assertThat(exchanges.get(0).done).isCompleted();
        assertThat(exchanges.get(0).text()).isEqualTo("one");
        assertThat(exchanges.get(1).text()).isEqualTo("two");
        assertThat(nettyRequests).containsExactly("POST /echo HTTP/1.1 host=example.com bytes=3",
                "POST /echo HTTP/1.1 host=example.com bytes=3");
    }

    @Test
    void requestWithoutRequiredHeadersIsAnsweredWith400() {
        NettyLink l = connect(100);
        TestClient.Exchange bad = client.send(l.session, HeaderBlock.of(":path", "/x", ":host", "example.com"), null, 0);
        l.pump();
        assertThat(bad.done).isCompleted();
        assertThat(bad.reply.get(":status")).startsWith("400");
        assertThat(inbound).contains("SYN_REPLY #1 fin " + bad.reply);
    }

    @Test
    void pingIsEchoedByNetty() {
        NettyLink l = connect(100);
        CompletableFuture<Duration> rtt = l.session.ping();
        l.pump();
        assertThat(rtt).isCompleted();
        assertThat(inbound).contains("PING id=1");
    }

    @Test
    void nettyClosingSendsGoAwayAndTheSessionStopsOpeningStreams() {
        NettyLink l = connect(100);
        TestClient.Exchange first = client.send(l.session, request("GET", "/bytes/10"), null, 0);
        l.pump();
        assertThat(first.done).isCompleted();

        l.channel.close();
        l.pump();
        assertThat(inbound).last().isEqualTo("GOAWAY last=1 OK");
        assertThat(client.events).contains("goaway 1 OK");
        assertThat(l.session.canOpenStreams()).isFalse();
        assertThatThrownBy(() -> client.send(l.session, request("GET", "/late"), null, 0))
                .isInstanceOf(IllegalStateException.class);
        // Nothing was open: the session has written its own GOAWAY and ended.
        assertThat(l.sessionClosedTransport).isTrue();
        assertThat(client.closed).isCompleted();
    }

    @Test
    void ourGoAwayEndsTheSessionOnceResponsesAreIn() {
        NettyLink l = connect(100);
        TestClient.Exchange get = client.send(l.session, request("GET", "/bytes/70000"), null, 0);
        l.session.goAway();
        l.pump();
        assertThat(get.done).isCompleted();
        assertThat(get.body()).isEqualTo(pattern(70000));
        assertThat(l.sessionClosedTransport).isTrue();
        assertThat(client.closed).isCompletedWithValue(null);
    }
    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void ourRequestHeadersUnderEveryPolicyReachNettysHttpLayer(CompressionPolicy policy) {
        NettyLink l = connect(100, SessionConfig.builder().compressionPolicy(policy));
        // Netty's answers reach the session three bytes at a time.
        l.receiveChunk = 3;
        List<String> expected = new ArrayList<>();
        List<TestClient.Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String cookie = "sid=" + Integer.toHexString(0x5eed0000 + i * 7919) + "; theme=dark";
            HeaderBlock h = request("GET", "/bytes/" + (100 + i)).add("cookie", cookie)
                    .add("authorization", "Bearer token-" + i).add("x-custom", "request-" + i);
            exchanges.add(client.send(l.session, h, null, i % 8));
            expected.add("GET /bytes/" + (100 + i) + " HTTP/1.1 host=example.com bytes=0 x-custom=request-" + i
                    + " cookie=" + cookie);
            if (i % 3 == 0) {
                // Idle between some requests: the compressing policies rebuild their deflater.
                l.pump();
            }
        }
        l.pump();
        assertThat(nettyRequests).containsExactlyElementsOf(expected);
        for (int i = 0; i < 20; i++) {
            assertThat(exchanges.get(i).body()).isEqualTo(pattern(100 + i));
        }
    }
    @Test
    void aStalledReaderHoldsNettyToOurWindow() {
        NettyLink l = connect(100);
        TestClient.Exchange slow = client.open(l.session, request("GET", "/bytes/300000"), true, 0);
        slow.holdCredit = true;
        l.pump();
        // Netty's sender stops at our 64 KiB stream window and waits.
        assertThat(slow.body()).hasSize(65536);
        assertThat(slow.done).isNotDone();

        int rounds = 0;
        while (!slow.done.isDone()) {
            int before = slow.body().length;
            slow.release();
            l.pump();
            // Each release of 64 KiB of credit lets exactly that much more through, or the rest.
            assertThat(slow.body().length - before).isEqualTo(Math.min(65536, 300000 - before));
            rounds++;
        }
        assertThat(rounds).isEqualTo(4);
        assertThat(slow.body()).isEqualTo(pattern(300000));
        assertThat(inbound).filteredOn(f -> f.startsWith("RST_STREAM") || f.startsWith("GOAWAY")).isEmpty();
    }
}
