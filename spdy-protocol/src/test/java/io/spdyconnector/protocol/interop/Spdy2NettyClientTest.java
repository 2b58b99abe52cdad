package io.spdyconnector.protocol.interop;

import io.spdyconnector.protocol.client.SpdyClientTestSupport;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.Spdy2NettyClient;
import io.spdyconnector.protocol.testing.TestSpdyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's server role against Netty 3's SPDY/2 client, plain and over TLS with ALPN spdy/2. */
@Timeout(30)
class Spdy2NettyClientTest {
    @Test
    void plainSpdy2RequestsFromNetty3() throws Exception {
        try (TestSpdyServer server = TestSpdyServer.plainAcceptingSpdy2(SessionConfig.defaults(), SpdyClientTestSupport.echo());
                Spdy2NettyClient netty = new Spdy2NettyClient(URI.create(server.url("/")))) {
            Spdy2NettyClient.Response get = netty.get("/hello?x=1");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.header("content-type")).isEqualTo("text/plain");
            assertThat(get.bodyAsString()).isEqualTo("GET /hello?x=1\n");
            byte[] body = new byte[500_000];
            Spdy2NettyClient.Response post = netty.send("POST", "/up", body).get(30, TimeUnit.SECONDS);
            assertThat(post.body()).hasSize("POST /up\n".length() + body.length);
            assertThat(server.sessions.get(0).version()).isEqualTo(SpdyVersion.SPDY_2);
        }
    }

    @Test
    void tlsWithAlpnSpdy2() throws Exception {
        try (TestSpdyServer server = TestSpdyServer.tls(SessionConfig.defaults(), SpdyClientTestSupport.echo(),
                "spdy/3.1", "spdy/2");
                Spdy2NettyClient netty = new Spdy2NettyClient(URI.create(server.url("/")))) {
            assertThat(netty.get("/secure").bodyAsString()).isEqualTo("GET /secure\n");
            assertThat(server.sessions.get(0).version()).isEqualTo(SpdyVersion.SPDY_2);
        }
    }
}
