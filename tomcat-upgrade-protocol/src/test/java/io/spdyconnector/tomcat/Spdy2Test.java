package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.Spdy2NettyClient;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPDY/2 on Tomcat: over TLS through a registration with {@code version="spdy/2"}, and on plain
 * and shared ports with {@code acceptSpdy2="true"}, where the client's first frame picks the
 * version; through the project's client and Netty 3's SPDY/2 codec.
 */
@Timeout(120)
class Spdy2Test {
    static final TestWebapp app = new TestWebapp();
    static TomcatSpdyServer server;
    static SpdyClient spdy2;

    @BeforeAll
    static void start() throws Exception {
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, spdy -> spdy.setAcceptSpdy2(true), c -> { });
        spdy2 = SpdyClient.builder().insecure().versions(SpdyVersion.SPDY_2).plainVersion(SpdyVersion.SPDY_2).build();
    }

    @AfterAll
    static void stop() throws Exception {
        spdy2.close();
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servletSeesSpdy2ThroughOurClient(Transport t) throws Exception {
        SpdyResponse r = spdy2.send(SpdyRequest.get(server.url(t, "/hello?x=1")));
        assertThat(r.protocol()).isEqualTo("spdy/2");
        assertThat(r.bodyAsString()).startsWith("hello HTTP/1.1 " + (t.secure() ? "https true" : "http false") + " spdy/2 ")
                .contains(" query=x=1 ");
        assertThat(r.header("connection")).isNull();
        assertThat(r.header("keep-alive")).isNull();
        byte[] body = TestWebapp.pattern(3 << 20);
        SpdyResponse echo = spdy2.send(SpdyRequest.newBuilder(server.url(t, "/echo")).method("POST").body(body).build());
        assertThat(echo.body()).isEqualTo(body);
        SpdyResponse async = spdy2.send(SpdyRequest.newBuilder(server.url(t, "/async-echo")).method("POST").body(body).build());
        assertThat(async.body()).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void netty3SpdyClientIsServed(Transport t) throws Exception {
        try (Spdy2NettyClient netty = new Spdy2NettyClient(URI.create(server.url(t, "/")))) {
            Spdy2NettyClient.Response hello = netty.get("/hello");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.bodyAsString()).contains(" spdy/2 ");
            byte[] body = TestWebapp.pattern(3 << 20);
            Spdy2NettyClient.Response echo = netty.send("POST", "/echo", body).get(60, TimeUnit.SECONDS);
            assertThat(echo.body()).isEqualTo(body);
            assertThat(netty.get("/missing").status()).isEqualTo(404);
            Spdy2NettyClient.Response range = netty.get("/data.bin", "range", "bytes=10-19");
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(TestWebapp.pattern(20), 10, 20));
        }
    }

    /**
     * A servlet reading 1 KiB per permit: the SPDY/2 session stops reading past its window's
     * worth, the client is held back by TCP, and everything arrives once the servlet reads on.
     */
    @Test
    void slowReaderHoldsTheClientBackWithoutLosingBytes() throws Exception {
        byte[] body = TestWebapp.pattern(4 << 20);
        CompletableFuture<SpdyResponse> upload = spdy2.sendAsync(SpdyRequest.newBuilder(server.url(Transport.PLAIN,
                "/slow-reader")).method("POST").body(body).build());
        assertThat(app.slowReaderStarted.await(30, TimeUnit.SECONDS)).isTrue();
        app.readPermits.release(100);
        Thread.sleep(300);
        assertThat(upload).isNotDone();
        app.readPermits.release(Integer.MAX_VALUE / 2);
        assertThat(upload.get(60, TimeUnit.SECONDS).bodyAsString())
                .isEqualTo(body.length + " " + TestWebapp.sha256(body));
    }

    /** The port that accepts SPDY/2 still speaks SPDY/3.1 to a client that starts with version 3. */
    @Test
    void spdy31ClientsAreUnaffected() throws Exception {
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            for (Transport t : Transport.values()) {
                SpdyResponse r = client.send(SpdyRequest.get(server.url(t, "/hello")));
                assertThat(r.protocol()).isEqualTo("spdy/3.1");
                assertThat(r.bodyAsString()).contains(" spdy/3.1 ");
            }
        }
    }
}
