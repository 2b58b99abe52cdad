package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPDY/2 on Jetty, switched on by listing {@code spdy/2} among the factory's protocols: by ALPN,
 * by prior knowledge on a plain port, and detected on a port shared with HTTP/1.1 and SPDY/3.1;
 * through the project's client and Netty 3's SPDY/2 codec.
 */
@Timeout(120)
class JettySpdy2Test {
    @TempDir
    static Path staticDir;
    static JettySpdyServer jetty;
    static SpdyClient spdy2;
    static SpdyClient spdy31;
    static final List<Target> targets = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        jetty = new JettySpdyServer(TestApp.context(staticDir), f -> { }, "spdy/3.1", "spdy/3", "spdy/2");
        spdy2 = SpdyClient.builder().insecure().versions(SpdyVersion.SPDY_2).plainVersion(SpdyVersion.SPDY_2).build();
        spdy31 = SpdyClient.builder().insecure().build();
        targets.add(Target.spdyClient("plain, our client", spdy2, jetty.plainUrl("")));
        targets.add(Target.spdyClient("TLS, our client", spdy2, jetty.tlsUrl("")));
        targets.add(Target.spdyClient("shared port, our client", spdy2, jetty.sharedUrl("")));
        targets.add(Target.spdy2Netty("plain, Netty 3", jetty.plainUrl("/")));
        targets.add(Target.spdy2Netty("TLS, Netty 3", jetty.tlsUrl("/")));
        targets.add(Target.spdy2Netty("shared port, Netty 3", jetty.sharedUrl("/")));
    }

    @AfterAll
    static void stop() throws Exception {
        targets.forEach(Target::shutdown);
        spdy2.close();
        spdy31.close();
        jetty.close();
    }

    static Stream<Target> targets() {
        return targets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void servletSeesSpdy2(Target t) throws Exception {
        Target.Reply r = t.get("/hello");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).startsWith("hello HTTP/1.1 ").contains(" spdy/2 ");
        assertThat(r.header("x-filtered")).isEqualTo("true");
    }

    /** No flow control: a 3 MB upload and its echo need no window in either direction. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void largeBodiesBothWaysWithBlockingAndAsyncServlets(Target t) throws Exception {
        byte[] body = TestApp.pattern(3 << 20);
        assertThat(t.send("POST", "/echo", body).body()).isEqualTo(body);
        assertThat(t.send("POST", "/echo-async", body).body()).isEqualTo(body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void defaultServletRangeAndErrorPages(Target t) throws Exception {
        Target.Reply range = t.get("/pattern.bin", "range", "bytes=1000-1999");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(TestApp.pattern(TestApp.PATTERN_SIZE), 1000, 2000));
        assertThat(t.get("/boom").status()).isEqualTo(500);
        assertThat(t.get("/missing").status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void connectionSpecificHeadersStayOff(Target t) throws Exception {
        Target.Reply r = t.get("/headers");
        assertThat(r.header("x-custom")).isEqualTo("yes");
        assertThat(r.header("connection")).isNull();
        assertThat(r.header("keep-alive")).isNull();
    }

    /**
     * A servlet that reads nothing for a while: the SPDY/2 session stops reading past its window's
     * worth (TCP holds the client back), and the upload completes once the servlet reads.
     */
    @Test
    void uploadToAServletThatWaitsCompletesWhenItReads() throws Exception {
        TestApp.gate = new CountDownLatch(1);
        Target t = targets.get(0);
        byte[] body = TestApp.pattern(8 << 20);
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return t.send("POST", "/gate", body);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(500);
        assertThat(pending).isNotDone();
        TestApp.gate.countDown();
        assertThat(pending.get(60, TimeUnit.SECONDS).text()).isEqualTo(Integer.toString(body.length));
    }

    /** The plain port that accepts SPDY/2 still speaks SPDY/3.1 to a client whose first frame says 3. */
    @Test
    void spdy31ClientsAreUnaffected() throws Exception {
        Target t = Target.spdyClient("plain, SPDY/3.1", spdy31, jetty.plainUrl(""));
        assertThat(t.get("/hello").text()).contains(" spdy/3.1 ");
        Target shared = Target.spdyClient("shared, SPDY/3.1", spdy31, jetty.sharedUrl(""));
        assertThat(shared.get("/hello").text()).contains(" spdy/3.1 ");
    }
}
