package io.spdyconnector.tomcat;

import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.tomcat.RawStreams.Outcome;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §3.2.1 request mapping at the edges: requests a client library would never send, written
 * as raw streams through the project's client and as raw frames through Netty's codec.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestMappingTest {
    static TomcatSpdyServer server;
    static SpdyClient client;

    @BeforeAll
    static void start() throws Exception {
        TestWebapp app = new TestWebapp();
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        client = SpdyClient.builder().insecure().build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    private static Outcome raw(Transport t, HeaderBlock headers) throws Exception {
        return RawStreams.open(client, server.url(t, "/"), headers, true).get(SpdyTestClient.WAIT_SECONDS,
                TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestWithoutPathIsABadRequest(Transport t) throws Exception {
        HeaderBlock h = RawStreams.request("GET", server.url(t, "/hello"));
        h.remove(":path");
        Outcome o = raw(t, h);
        assertThat(o.reset()).isNull();
        assertThat(o.reply().get(":status")).isEqualTo("400 Bad Request");
        // The session is fine afterwards.
        assertThat(client.send(SpdyRequest.get(server.url(t, "/index.txt"))).bodyAsString()).isEqualTo("static text\n");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nettyFramesWithoutPathGetA400ReplyThenTheNextStreamWorks(Transport t) throws Exception {
        try (NettyFrameClient netty = NettyFrameClient.connect(server, t)) {
            String host = URI.create(server.url(t, "/")).getRawAuthority();
            String scheme = t.secure() ? "https" : "http";
            netty.synStream(1, true, ":method", "GET", ":version", "HTTP/1.1", ":host", host, ":scheme", scheme);
            SpdySynReplyFrame reply = netty.awaitReply(1);
            assertThat(reply.headers().getAsString(":status")).isEqualTo("400 Bad Request");
            netty.synStream(3, true, ":method", "GET", ":path", "/index.txt", ":version", "HTTP/1.1", ":host", host,
                    ":scheme", scheme);
            assertThat(TestWebapp.utf8(netty.awaitBody(3))).isEqualTo("static text\n");
            assertThat(netty.described).noneMatch(d -> d.startsWith("RST_STREAM") || d.startsWith("GOAWAY"));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void duplicatedPseudoHeaderInvalidMethodAndBadContentLengthAreBadRequests(Transport t) throws Exception {
        HeaderBlock twoMethods = RawStreams.request("GET", server.url(t, "/hello"));
        twoMethods.add(":method", "POST");
        assertThat(raw(t, twoMethods).status()).isEqualTo(400);

        HeaderBlock badMethod = RawStreams.request("G(E)T", server.url(t, "/hello"));
        assertThat(raw(t, badMethod).status()).isEqualTo(400);

        HeaderBlock badLength = RawStreams.request("GET", server.url(t, "/hello"));
        badLength.add("content-length", "12x");
        assertThat(raw(t, badLength).status()).isEqualTo(400);

        HeaderBlock twoLengths = RawStreams.request("GET", server.url(t, "/hello"));
        twoLengths.add("content-length", "0");
        twoLengths.add("content-length", "5");
        assertThat(raw(t, twoLengths).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void schemeMustMatchTheConnection(Transport t) throws Exception {
        HeaderBlock h = RawStreams.request("GET", server.url(t, "/hello"));
        h.set(":scheme", t.secure() ? "http" : "https");
        assertThat(raw(t, h).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionSpecificRequestHeadersNeverReachTheApplication(Transport t) throws Exception {
        HeaderBlock h = RawStreams.request("GET", server.url(t, "/headers"));
        h.add("connection", "keep-alive");
        h.add("keep-alive", "300");
        h.add("proxy-connection", "keep-alive");
        h.add("upgrade", "websocket");
        h.add("host", "evil.example");
        h.add("x-kept", "yes");
        h.add("cookie", "a=1");
        h.add("cookie", "b=2");
        Outcome o = raw(t, h);
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.text()).contains("x-kept=yes\n").contains("cookie=a=1; b=2\n")
                .contains("host=" + URI.create(server.url(t, "/")).getRawAuthority() + "\n")
                .doesNotContain("connection=").doesNotContain("keep-alive=").doesNotContain("upgrade=")
                .doesNotContain("evil.example");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void priorityAndStreamIdReachTheApplication(Transport t) throws Exception {
        SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url(t, "/hello")).priority(6).build());
        assertThat(r.bodyAsString()).contains(" priority=6 stream=" + r.streamId() + " ");
    }

    @Test
    void spdy3IsNegotiatedByAlpnThroughItsOwnRegistration() throws Exception {
        try (ProjectSpdyClient spdy3 = ProjectSpdyClient.spdy3()) {
            SpdyTestClient.Reply r = spdy3.exchange(SpdyTestClient.Req.get(server.url(Transport.TLS, "/hello")));
            assertThat(r.text()).startsWith("hello HTTP/1.1 https true spdy/3 ");
            SpdyResponse direct = spdy3.client.send(SpdyRequest.get(server.url(Transport.TLS, "/index.txt")));
            assertThat(direct.protocol()).isEqualTo("spdy/3");
            byte[] body = TestWebapp.pattern(1_500_000);
            SpdyTestClient.Reply echo = spdy3.exchange(SpdyTestClient.Req.post(server.url(Transport.TLS, "/echo"), body));
            assertThat(echo.body()).isEqualTo(body);
        }
    }
}
