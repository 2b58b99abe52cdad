package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyPush;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.NettySpdyClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §3.3 on Jetty: pushes from {@code PushBuilder}, from {@code Link: rel=preload}, and learned
 * from what clients fetch after a page; each pushed request runs through Jetty (here the default
 * servlet serves it), and arrives with the page at the client.
 */
@Timeout(60)
class JettyPushTest {
    @TempDir
    Path docs;
    JettySpdyServer jetty;

    /** Pushes /style.css with PushBuilder, then writes a page. */
    public static class PushingPage extends HttpServlet {
        @Override
        @SuppressWarnings("deprecation")
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            jakarta.servlet.http.PushBuilder push = req.newPushBuilder();
            resp.setHeader("x-push-builder", String.valueOf(push != null));
            if (push != null) {
                push.path("/style.css").push();
            }
            resp.setContentType("text/html");
            resp.getWriter().print("<link rel=stylesheet href=/style.css>");
        }
    }

    /** Names /app.js as a preload. */
    public static class PreloadingPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.addHeader("Link", "</app.js>; rel=preload; as=script");
            resp.setContentType("text/html");
            resp.getWriter().print("<script src=/app.js></script>");
        }
    }

    private void start(Consumer<SpdyServerConnectionFactory> configure) throws Exception {
        Files.writeString(docs.resolve("style.css"), "body { color: red }");
        Files.writeString(docs.resolve("app.js"), "console.log(1)");
        Files.writeString(docs.resolve("logo.png"), "png bytes");
        Files.writeString(docs.resolve("learned.html"), "<img src=logo.png><link rel=stylesheet href=style.css>");
        ServletContextHandler context = JettySpdyServer.context();
        context.setBaseResourceAsPath(docs);
        context.addServlet(PushingPage.class, "/pushing");
        context.addServlet(PreloadingPage.class, "/preloading");
        context.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
        jetty = new JettySpdyServer(context, configure, "spdy/3.1", "spdy/3", "spdy/2");
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void pushBuilderPushesARequestJettyServes() throws Exception {
        start(f -> { });
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            for (String url : new String[] {jetty.plainUrl("/pushing"), jetty.tlsUrl("/pushing")}) {
                SpdyResponse r = client.send(SpdyRequest.get(url));
                assertThat(r.header("x-push-builder")).isEqualTo("true");
                assertThat(r.pushes()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("/style.css");
                    assertThat(p.status()).isEqualTo(200);
                    assertThat(p.headers().get("content-type")).startsWith("text/css");
                    assertThat(p.bodyAsString()).isEqualTo("body { color: red }");
                });
            }
        }
    }

    /** Netty's SPDY HTTP codec, an independent client, takes the push with the page it came with. */
    @Test
    void nettyClientReceivesThePushWithThePage() throws Exception {
        start(f -> { });
        for (String base : new String[] {jetty.plainUrl("/"), jetty.tlsUrl("/")}) {
            try (NettySpdyClient netty = new NettySpdyClient(URI.create(base))) {
                NettySpdyClient.Response page = netty.get("/preloading");
                assertThat(page.status()).isEqualTo(200);
                assertThat(netty.pushes(1)).singleElement().satisfies(p -> {
                    assertThat(p.streamId()).isEven();
                    assertThat(p.associatedStreamId()).isEqualTo(1);
                    assertThat(p.response().status()).isEqualTo(200);
                    assertThat(p.response().header("content-type")).startsWith("text/javascript");
                    assertThat(p.response().bodyAsString()).isEqualTo("console.log(1)");
                });
            }
        }
    }

    @Test
    void preloadLinkIsPushedOncePerSession() throws Exception {
        start(f -> { });
        try (SpdyClient client = SpdyClient.create()) {
            SpdyResponse first = client.send(SpdyRequest.get(jetty.plainUrl("/preloading")));
            assertThat(first.pushes()).extracting(SpdyPush::path).containsExactly("/app.js");
            assertThat(first.pushes().get(0).bodyAsString()).isEqualTo("console.log(1)");
            SpdyResponse again = client.send(SpdyRequest.get(jetty.plainUrl("/preloading")));
            assertThat(again.pushes()).as("the client has it already").isEmpty();
        }
    }

    @Test
    void learnedSubResourcesArePushedToTheNextClientWithTheSameUserAgent() throws Exception {
        start(f -> f.setPushLearning(true));
        String page = jetty.plainUrl("/learned.html");
        try (SpdyClient browser = SpdyClient.builder().userAgent("Browser/1").build()) {
            assertThat(browser.send(SpdyRequest.get(page)).pushes()).isEmpty();
            for (String resource : new String[] {"/logo.png", "/style.css"}) {
                browser.send(SpdyRequest.newBuilder(jetty.plainUrl(resource)).header("referer", page).build());
            }
        }
        try (SpdyClient sameBrowser = SpdyClient.builder().userAgent("Browser/1").build();
                SpdyClient otherBrowser = SpdyClient.builder().userAgent("Other/2").build()) {
            SpdyResponse r = sameBrowser.send(SpdyRequest.get(page));
            // Pushed in the order they were learned; they complete in any order.
            assertThat(r.pushes()).extracting(p -> p.path() + " " + p.bodyAsString())
                    .containsExactlyInAnyOrder("/logo.png png bytes", "/style.css body { color: red }");
            assertThat(otherBrowser.send(SpdyRequest.get(page)).pushes()).isEmpty();
        }
    }

    /**
     * SPEC §3.3.2: a client that cancels pushes does not get them again, and the page stops pushing
     * them. (The resource is larger than a stream window, so the push is still open when the
     * client's RST_STREAM arrives: a push already complete cannot be cancelled.)
     */
    @Test
    void cancelledPushesAreForgotten() throws Exception {
        start(f -> f.setPushLearning(true));
        Files.write(docs.resolve("big.css"), new byte[1 << 20]);
        String page = jetty.plainUrl("/learned.html");
        try (SpdyClient browser = SpdyClient.builder().userAgent("Browser/1").build()) {
            browser.send(SpdyRequest.get(page));
            browser.send(SpdyRequest.newBuilder(jetty.plainUrl("/big.css")).header("referer", page).build());
        }
        try (SpdyClient refusing = SpdyClient.builder().userAgent("Browser/1").build()) {
            SpdyResponse r = refusing.send(SpdyRequest.newBuilder(page).acceptPushes(false).build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.pushes()).isEmpty();
        }
        Thread.sleep(200);
        try (SpdyClient next = SpdyClient.builder().userAgent("Browser/1").build()) {
            assertThat(next.send(SpdyRequest.get(page)).pushes()).isEmpty();
        }
    }

    @Test
    void withoutPushNothingIsPushedAndSpdy2NeverPushes() throws Exception {
        start(f -> {
            f.setPushServletApi(false);
            f.setPushPreloadLinks(false);
        });
        try (SpdyClient client = SpdyClient.create();
                SpdyClient spdy2 = SpdyClient.builder().plainVersion(SpdyVersion.SPDY_2).build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.plainUrl("/pushing")));
            assertThat(r.header("x-push-builder")).isEqualTo("false");
            assertThat(client.send(SpdyRequest.get(jetty.plainUrl("/preloading"))).pushes()).isEmpty();
            assertThat(spdy2.send(SpdyRequest.get(jetty.plainUrl("/pushing"))).header("x-push-builder")).isEqualTo("false");
        }
    }
}
