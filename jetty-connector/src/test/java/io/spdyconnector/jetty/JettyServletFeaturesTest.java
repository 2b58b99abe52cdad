package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servlet features over SPDY on embedded Jetty: every case on plain SPDY, TLS with ALPN and the
 * shared detector port, each through the project's client and through Netty's SPDY codec.
 */
@Timeout(120)
class JettyServletFeaturesTest {
    @TempDir
    static Path staticDir;
    static JettySpdyServer jetty;
    static SpdyClient client;
    static final List<Target> TARGETS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettySpdyServer(TestApp.context(staticDir), f -> { });
        client = SpdyClient.builder().insecure().build();
        TARGETS.add(Target.spdyClient("plain/spdy-client", client, jetty.plainUrl("")));
        TARGETS.add(Target.spdyClient("tls/spdy-client", client, jetty.tlsUrl("")));
        TARGETS.add(Target.spdyClient("shared/spdy-client", client, jetty.sharedUrl("")));
        TARGETS.add(Target.netty("plain/netty", jetty.plainUrl("")));
        TARGETS.add(Target.netty("tls/netty", jetty.tlsUrl("")));
        TARGETS.add(Target.netty("shared/netty", jetty.sharedUrl("")));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Target t : TARGETS) {
            t.shutdown();
        }
        client.close();
        jetty.close();
    }

    static List<Target> targets() {
        String only = System.getProperty("spdy.targets");
        return only == null ? TARGETS : TARGETS.stream().filter(t -> t.toString().matches(only)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void getReportsTheSpdyVersionAndScheme(Target t) throws Exception {
        Target.Reply r = t.get("/hello");
        assertThat(r.status()).isEqualTo(200);
        boolean tls = t.toString().startsWith("tls");
        assertThat(r.text()).startsWith("hello HTTP/1.1 " + (tls ? "https true" : "http false") + " spdy/3.1 ");
        assertThat(r.header("x-filtered")).isEqualTo("true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void blockingEchoOfALargeBody(Target t) throws Exception {
        byte[] body = TestApp.pattern(2_500_000);
        Target.Reply r = t.send("POST", "/echo", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().length).isEqualTo(body.length);
        assertThat(Arrays.mismatch(r.body(), body)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void nonBlockingEchoWithReadAndWriteListeners(Target t) throws Exception {
        byte[] body = TestApp.pattern(1_500_000);
        Target.Reply r = t.send("POST", "/echo-async", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(Arrays.mismatch(r.body(), body)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void asyncServletCompletesLater(Target t) throws Exception {
        assertThat(t.get("/sleep?ms=50").text()).isEqualTo("slept 50");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void sessionCookieRoundTrip(Target t) throws Exception {
        Target.Reply first = t.get("/session");
        String cookie = first.header("set-cookie");
        assertThat(cookie).startsWith("JSESSIONID=");
        Target.Reply second = t.get("/session", "cookie", cookie.split(";")[0]);
        assertThat(first.text()).isEqualTo("1");
        assertThat(second.text()).isEqualTo("2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void securityConstraintAsksForCredentials(Target t) throws Exception {
        assertThat(t.get("/secret/hello").status()).isEqualTo(401);
        String auth = "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.US_ASCII));
        Target.Reply r = t.get("/secret/hello", "authorization", auth);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).endsWith(" user");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void defaultServletServesRanges(Target t) throws Exception {
        byte[] file = TestApp.pattern(TestApp.PATTERN_SIZE);
        Target.Reply whole = t.get("/pattern.bin");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(Arrays.mismatch(whole.body(), file)).isEqualTo(-1);
        Target.Reply range = t.get("/pattern.bin", "range", "bytes=1000-1999");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("content-range")).isEqualTo("bytes 1000-1999/" + TestApp.PATTERN_SIZE);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void errorPagesComeFromTheContainer(Target t) throws Exception {
        Target.Reply missing = t.get("/no/such/thing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEqualTo("custom 404 for /no/such/thing");
        assertThat(t.get("/boom").status()).isEqualTo(500);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void headHasHeadersButNoBody(Target t) throws Exception {
        Target.Reply r = t.send("HEAD", "/pattern.bin", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-length")).isEqualTo(Integer.toString(TestApp.PATTERN_SIZE));
        assertThat(r.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void connectionSpecificResponseHeadersAreNotSent(Target t) throws Exception {
        Target.Reply r = t.get("/headers", "x-request", "1");
        assertThat(r.header("x-custom")).isEqualTo("yes");
        assertThat(r.headers()).doesNotContainKeys("connection", "keep-alive", "transfer-encoding");
        assertThat(r.text()).contains("x-request=1").contains("host=");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void expectContinueIsHonouredByReadingTheBody(Target t) throws Exception {
        byte[] body = TestApp.pattern(100_000);
        Target.Reply r = t.send("POST", "/echo", body, "expect", "100-continue");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void responseTrailersFollowTheBody(Target t) throws Exception {
        Target.Reply r = t.send("POST", "/trailers", "abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("trailers {}");
        assertThat(r.header("trailer:x-length")).isEqualTo("3");
    }

    @org.junit.jupiter.api.Test
    void requestTrailersReachTheServlet() throws Exception {
        // Our client only: Netty's SPDY HTTP codec cannot send request trailers.
        for (String base : new String[] {jetty.plainUrl(""), jetty.tlsUrl(""), jetty.sharedUrl("")}) {
            io.spdyconnector.protocol.client.SpdyResponse r = client.send(io.spdyconnector.protocol.client.SpdyRequest
                    .newBuilder(base + "/trailers").method("POST").body("abcd")
                    .trailers(io.spdyconnector.protocol.headers.HeaderBlock.of("x-checksum", "42")).build());
            assertThat(r.bodyAsString()).isEqualTo("trailers {x-checksum=42}");
            assertThat(r.trailers().get("x-length")).isEqualTo("4");
        }
    }
}
