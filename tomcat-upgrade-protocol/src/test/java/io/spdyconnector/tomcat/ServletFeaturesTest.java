package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.tomcat.SpdyTestClient.Reply;
import io.spdyconnector.tomcat.SpdyTestClient.Req;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.spdyconnector.tomcat.TestWebapp.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unchanged servlet features over SPDY on Tomcat, each through the project's client and through
 * Netty's, on the TLS (ALPN), plain and shared ports.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServletFeaturesTest {
    static TomcatSpdyServer server;
    static TestWebapp app;
    static ProjectSpdyClient project;
    static NettySpdyClient netty;

    @BeforeAll
    static void start() throws Exception {
        app = new TestWebapp();
        server = new TomcatSpdyServer(ctx -> {
            try {
                app.install(ctx);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        TestWebapp.addUsers(server.tomcat);
        project = new ProjectSpdyClient();
        netty = new NettySpdyClient();
    }

    @AfterAll
    static void stop() throws Exception {
        project.close();
        netty.close();
        server.close();
    }

    static Stream<Arguments> clients() {
        List<Arguments> all = new ArrayList<>();
        for (String client : List.of("SpdyClient", "Netty")) {
            for (Transport t : Transport.values()) {
                all.add(Arguments.of(client, t));
            }
        }
        return all.stream();
    }

    private static SpdyTestClient client(String name) {
        return name.equals("Netty") ? netty : project;
    }

    private static String url(Transport t, String path) {
        return server.url(t, path);
    }

    private static Reply send(String client, Req req) throws Exception {
        return client(client).exchange(req);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void servletSeesSpdyVersionSchemeAndAuthority(String client, Transport t) throws Exception {
        Reply r = send(client, Req.get(url(t, "/hello?x=1")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.statusLine()).isEqualTo("200 OK");
        String host = (t.secure() ? "localhost:" : "127.0.0.1:") + t.port(server);
        assertThat(r.text()).matches("hello HTTP/1\\.1 " + (t.secure() ? "https true" : "http false")
                + " spdy/3\\.1 priority=[0-7] stream=[0-9]*[13579] host=" + host + " server=" + host
                + " query=x=1 connection=null by=null");
        // SPEC §3.2.2: connection-specific headers the servlet set are not sent.
        assertThat(r.headers()).doesNotContainKeys("connection", "keep-alive");
        assertThat(r.header("content-type")).isEqualTo("text/plain;charset=ISO-8859-1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void blockingEchoOfAMultiMegabyteBody(String client, Transport t) throws Exception {
        byte[] body = pattern(3_000_000);
        Reply r = send(client, Req.post(url(t, "/echo"), body));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-request-bytes")).isEqualTo("3000000");
        assertThat(Arrays.mismatch(r.body(), body)).as("first differing byte").isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void asyncServletEchoes(String client, Transport t) throws Exception {
        byte[] body = pattern(1_000_000);
        Reply r = send(client, Req.post(url(t, "/async-echo"), body));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-async")).isEqualTo("true");
        assertThat(Arrays.mismatch(r.body(), body)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void readListenerAndWriteListenerEcho(String client, Transport t) throws Exception {
        byte[] body = pattern(2_000_000);
        Reply r = send(client, Req.post(url(t, "/nb-echo"), body));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-request-bytes")).isEqualTo("2000000");
        assertThat(Arrays.mismatch(r.body(), body)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void httpSessionCookieRoundTrip(String client, Transport t) throws Exception {
        Reply first = send(client, Req.get(url(t, "/session")));
        assertThat(first.text()).isEqualTo("visit 1 new=true");
        String cookie = first.header("set-cookie");
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly");
        if (t.secure()) {
            assertThat(cookie).contains("Secure");
        }
        Reply second = send(client, Req.get(url(t, "/session")).header("cookie", cookie.split(";")[0]));
        assertThat(second.text()).isEqualTo("visit 2 new=false");
        assertThat(second.header("set-cookie")).isNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void filterRunsAroundTheServlet(String client, Transport t) throws Exception {
        Reply r = send(client, Req.get(url(t, "/filtered/page")));
        assertThat(r.header("x-filtered")).isEqualTo("yes");
        assertThat(r.text()).endsWith("by=filter");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void basicAuthSecurityConstraint(String client, Transport t) throws Exception {
        Reply denied = send(client, Req.get(url(t, "/secure/data")));
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.statusLine()).isEqualTo("401 Unauthorized");
        assertThat(denied.header("www-authenticate")).startsWith("Basic realm=\"spdy\"");
        String credentials = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
        Reply allowed = send(client, Req.get(url(t, "/secure/data")).header("authorization", "Basic " + credentials));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.text()).isEqualTo("user=alice auth=BASIC");
        String wrong = Base64.getEncoder().encodeToString("alice:guess".getBytes(StandardCharsets.UTF_8));
        assertThat(send(client, Req.get(url(t, "/secure/data")).header("authorization", "Basic " + wrong)).status())
                .isEqualTo(401);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void defaultServletServesFilesAndRanges(String client, Transport t) throws Exception {
        Reply whole = send(client, Req.get(url(t, "/data.bin")));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("accept-ranges")).isEqualTo("bytes");
        assertThat(Arrays.mismatch(whole.body(), pattern(TestWebapp.FILE_SIZE))).isEqualTo(-1);

        Reply part = send(client, Req.get(url(t, "/data.bin")).header("range", "bytes=1000-1999"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.statusLine()).isEqualTo("206 Partial Content");
        assertThat(part.header("content-range")).isEqualTo("bytes 1000-1999/" + TestWebapp.FILE_SIZE);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(pattern(TestWebapp.FILE_SIZE), 1000, 2000));

        // Larger than the default servlet's sendfileSize (48 KiB): sent from the mapped file.
        Reply large = send(client, Req.get(url(t, "/data.bin")).header("range", "bytes=1000-99999"));
        assertThat(large.status()).isEqualTo(206);
        assertThat(large.header("content-length")).isEqualTo("99000");
        assertThat(large.body()).isEqualTo(Arrays.copyOfRange(pattern(TestWebapp.FILE_SIZE), 1000, 100000));

        Reply tail = send(client, Req.get(url(t, "/data.bin")).header("range", "bytes=-100"));
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(pattern(TestWebapp.FILE_SIZE), TestWebapp.FILE_SIZE - 100,
                TestWebapp.FILE_SIZE));

        Reply unsatisfiable = send(client, Req.get(url(t, "/data.bin")).header("range", "bytes=500000-"));
        assertThat(unsatisfiable.status()).isEqualTo(416);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void errorPagesFor404AndForAnException(String client, Transport t) throws Exception {
        Reply missing = send(client, Req.get(url(t, "/no/such/thing")));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text()).isEqualTo("custom error 404 ");
        Reply thrown = send(client, Req.get(url(t, "/throw")));
        assertThat(thrown.status()).isEqualTo(500);
        assertThat(thrown.statusLine()).isEqualTo("500 Internal Server Error");
        assertThat(thrown.text()).isEqualTo("custom error 500 broken on purpose");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void headHasTheHeadersOfGetAndNoBody(String client, Transport t) throws Exception {
        Reply file = send(client, Req.get(url(t, "/index.txt")).method("HEAD"));
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("content-length")).isEqualTo("12");
        assertThat(file.body()).isEmpty();
        Reply servlet = send(client, Req.get(url(t, "/bytes?n=5000")).method("HEAD"));
        assertThat(servlet.status()).isEqualTo(200);
        assertThat(servlet.header("content-length")).isEqualTo("5000");
        assertThat(servlet.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void trailersBothWays(String client, Transport t) throws Exception {
        // Under the stream window: Netty sends trailers ahead of DATA still waiting for window.
        byte[] body = pattern(30_000);
        Reply r = send(client, Req.post(url(t, "/trailers"), body).trailers(Map.of("x-digest", "sha-256=abc")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("bytes=30000 request-trailers={x-digest=sha-256=abc}");
        assertThat(r.trailer("x-checksum")).isEqualTo(TestWebapp.sha256(body));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void expectContinueNeedsNoInterimResponse(String client, Transport t) throws Exception {
        byte[] body = pattern(100_000);
        Reply r = send(client, Req.post(url(t, "/echo"), body).header("expect", "100-continue"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-expect")).isEqualTo("100-continue");
        assertThat(r.body()).isEqualTo(body);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void connectionSpecificResponseHeadersAreStrippedAndRepeatedOnesKept(String client, Transport t) throws Exception {
        Reply r = send(client, Req.get(url(t, "/headers")).header("x-one", "1"));
        assertThat(r.headers()).doesNotContainKeys("transfer-encoding", "upgrade", "proxy-connection", "connection");
        assertThat(r.headers("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(r.text()).contains("x-one=1\n").contains("host=" + (t.secure() ? "localhost:" : "127.0.0.1:"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void formParametersFromABodyWithoutContentLength(String client, Transport t) throws Exception {
        Reply r = send(client, Req.post(url(t, "/form"), "a=1&b=two".getBytes(StandardCharsets.US_ASCII))
                .header("content-type", "application/x-www-form-urlencoded").streaming());
        assertThat(r.text()).isEqualTo("a=1 b=two");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void bodyShorterThanContentLengthIsABadRequest(String client, Transport t) throws Exception {
        Reply r = send(client, Req.post(url(t, "/echo"), pattern(5)).header("content-length", "10").streaming());
        assertThat(r.status()).isEqualTo(400);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void responseFailedAfterCommitIsResetNotEnded(String client, Transport t) throws Exception {
        CompletableFuture<Reply> failed = client(client).send(Req.get(url(t, "/fail-after-commit")));
        assertThatThrownBy(() -> failed.get(SpdyTestClient.WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(resetStatus(e.getCause())).isEqualTo("INTERNAL_ERROR"));
        // The session goes on.
        assertThat(send(client, Req.get(url(t, "/index.txt"))).text()).isEqualTo("static text\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void unreadRequestBodyIsRefusedAfterTheResponse(String client, Transport t) throws Exception {
        CompletableFuture<Reply> r = client(client).send(Req.post(url(t, "/ignore-body"), pattern(500_000)));
        Reply reply;
        try {
            reply = r.get(SpdyTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(reply.text()).isEqualTo("ignored");
        } catch (ExecutionException e) {
            // A client may report the CANCEL of its unfinished upload instead of the response.
            assertThat(resetStatus(e.getCause())).isEqualTo("CANCEL");
        }
        assertThat(send(client, Req.get(url(t, "/index.txt"))).text()).isEqualTo("static text\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clients")
    void hundredConcurrentStreamsOnOneSession(String client, Transport t) throws Exception {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            replies.add(client(client).send(Req.get(url(t, "/bytes?n=" + (20_000 + i * 101)))));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .get(SpdyTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            assertThat(replies.get(i).get().body()).isEqualTo(pattern(20_000 + i * 101));
        }
    }

    static String resetStatus(Throwable t) {
        if (t instanceof SpdyStreamResetException) {
            RstStatus s = ((SpdyStreamResetException) t).status();
            return s.name();
        }
        if (t instanceof NettySpdyClient.StreamResetException) {
            return ((NettySpdyClient.StreamResetException) t).status;
        }
        return String.valueOf(t);
    }
}
