package io.spdyconnector.tomcat;

import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.session.FrameObserver;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stopping Tomcat gracefully (a {@code gracefulStopAwaitMillis} on the service, connectors bound
 * on start): each SPDY session says GOAWAY with the last stream it admitted, ignores streams the
 * client opens after that, lets the admitted one finish, then closes, which lets the stop finish.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulStopTest {
    private TomcatSpdyServer server;
    private final TestWebapp app = new TestWebapp();

    private void start() throws Exception {
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        app.slowRelease.countDown();
        if (server != null) {
            server.close();
        }
    }

    private CompletableFuture<Void> stopInBackground() {
        return CompletableFuture.runAsync(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void spdyClientSeesGoAwayWithItsStreamAndGetsTheWholeResponse(Transport t) throws Exception {
        start();
        URI uri = URI.create(server.url(t, "/"));
        CompletableFuture<GoAwayFrame> goAway = new CompletableFuture<>();
        try (SpdyClient client = SpdyClient.builder().insecure().frameObserver(new FrameObserver() {
            @Override
            public void inbound(Frame frame) {
                if (frame instanceof GoAwayFrame) {
                    goAway.complete((GoAwayFrame) frame);
                }
            }

            @Override
            public void outbound(Frame frame) {
            }
        }).build()) {
            // Two streams before the stop: one finished, one in the servlet.
            assertThat(client.send(SpdyRequest.get(server.url(t, "/index.txt"))).status()).isEqualTo(200);
            CompletableFuture<SpdyResponse> slow = client.sendAsync(SpdyRequest.get(server.url(t, "/slow")));
            assertThat(app.slowStarted.await(30, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopped = stopInBackground();
            GoAwayFrame g = goAway.get(30, TimeUnit.SECONDS);
            assertThat(g.lastGoodStreamId()).isEqualTo(3);
            assertThat(g.status().name()).isEqualTo("OK");
            assertThat(stopped).isNotDone();

            app.slowRelease.countDown();
            SpdyResponse r = slow.get(30, TimeUnit.SECONDS);
            assertThat(r.streamId()).isEqualTo(3);
            assertThat(r.body()).isEqualTo(TestWebapp.pattern(TestWebapp.SLOW_SIZE));
            // The session closes once its last stream is done, so the stop need not wait out its 10 s.
            stopped.get(8, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> new Socket(uri.getHost(), uri.getPort()).close()).isInstanceOf(ConnectException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nettySeesGoAwayAndAStreamOpenedAfterItIsIgnored(Transport t) throws Exception {
        start();
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            String scheme = t.secure() ? "https" : "http";
            netty.synStream(1, true, ":method", "GET", ":path", "/index.txt", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", scheme);
            assertThat(TestWebapp.utf8(netty.awaitBody(1))).isEqualTo("static text\n");
            netty.synStream(3, true, ":method", "GET", ":path", "/slow", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", scheme);
            assertThat(app.slowStarted.await(30, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopped = stopInBackground();
            SpdyGoAwayFrame g = netty.awaitGoAway();
            assertThat(g.lastGoodStreamId()).isEqualTo(3);
            assertThat(g.status().code()).isZero();

            // SPEC §2.6.6: after GOAWAY new streams are ignored; the client may retry them elsewhere.
            netty.synStream(5, true, ":method", "GET", ":path", "/index.txt", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", scheme);
            app.slowRelease.countDown();
            assertThat(netty.awaitBody(3)).isEqualTo(TestWebapp.pattern(TestWebapp.SLOW_SIZE));
            netty.closed.get(30, TimeUnit.SECONDS);
            stopped.get(30, TimeUnit.SECONDS);
            assertThat(netty.described(5)).isEmpty();
            assertThat(netty.described).filteredOn(d -> d.startsWith("GOAWAY")).containsExactly("GOAWAY last=3 OK");
            assertThat(netty.described(3)).last().asString().startsWith("DATA #3 ").endsWith(" fin");
        }
    }
}
