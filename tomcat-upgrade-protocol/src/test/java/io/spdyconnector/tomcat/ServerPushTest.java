package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyPush;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.NettySpdyClient;
import io.spdyconnector.tomcat.TomcatSpdyServer.Transport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §3.3 on Tomcat, which has no {@code PushBuilder}: pushes from {@code Link: rel=preload}
 * and from what clients fetched after a page before. Each pushed request runs through Tomcat's
 * own pipeline (here its default servlet) and arrives with the page.
 */
@Timeout(60)
class ServerPushTest {
    private TomcatSpdyServer server;

    /** Names /app.js as a preload. */
    static final class PreloadingPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.addHeader("Link", "</app.js>; rel=preload; as=script");
            resp.setContentType("text/html");
            resp.getWriter().print("<script src=/app.js></script>");
        }
    }

    private void start(Consumer<SpdyUpgradeProtocol> configure) throws Exception {
        server = new TomcatSpdyServer(ServerPushTest::install, spdy -> {
            spdy.setAcceptSpdy2(true);
            configure.accept(spdy);
        }, c -> { });
    }

    private static void install(Context ctx) {
        try {
            Path docs = Path.of(ctx.getDocBase());
            Files.writeString(docs.resolve("style.css"), "body { color: red }");
            Files.writeString(docs.resolve("app.js"), "console.log(1)");
            Files.writeString(docs.resolve("logo.png"), "png bytes");
            Files.writeString(docs.resolve("learned.html"), "<img src=logo.png><link rel=stylesheet href=style.css>");
            Files.write(docs.resolve("big.css"), new byte[1 << 20]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tomcat.addServlet(ctx, "preloading", new PreloadingPage());
        ctx.addServletMappingDecoded("/preloading", "preloading");
        Tomcat.addServlet(ctx, "default", new DefaultServlet());
        ctx.addServletMappingDecoded("/", "default");
        ctx.addMimeMapping("css", "text/css");
        ctx.addMimeMapping("js", "text/javascript");
        ctx.addMimeMapping("png", "image/png");
        ctx.addMimeMapping("html", "text/html");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void preloadLinkIsPushedOncePerSession(Transport t) throws Exception {
        start(spdy -> { });
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyResponse first = client.send(SpdyRequest.get(server.url(t, "/preloading")));
            assertThat(first.pushes()).singleElement().satisfies(p -> {
                assertThat(p.path()).isEqualTo("/app.js");
                assertThat(p.status()).isEqualTo(200);
                assertThat(p.headers().get("content-type")).startsWith("text/javascript");
                assertThat(p.bodyAsString()).isEqualTo("console.log(1)");
            });
            assertThat(client.send(SpdyRequest.get(server.url(t, "/preloading"))).pushes()).isEmpty();
        }
    }

    /** Netty's SPDY HTTP codec, an independent client, takes the push with the page it came with. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nettyClientReceivesThePushWithThePage(Transport t) throws Exception {
        start(spdy -> { });
        try (NettySpdyClient netty = new NettySpdyClient(URI.create(server.url(t, "/")))) {
            assertThat(netty.get("/preloading").status()).isEqualTo(200);
            assertThat(netty.pushes(1)).singleElement().satisfies(p -> {
                assertThat(p.streamId()).isEven();
                assertThat(p.associatedStreamId()).isEqualTo(1);
                assertThat(p.response().status()).isEqualTo(200);
                assertThat(p.response().header("content-type")).startsWith("text/javascript");
                assertThat(p.response().bodyAsString()).isEqualTo("console.log(1)");
            });
        }
    }

    @Test
    void learnedSubResourcesArePushedToTheNextClientWithTheSameUserAgent() throws Exception {
        start(spdy -> spdy.setPushLearning(true));
        String page = server.url(Transport.PLAIN, "/learned.html");
        try (SpdyClient browser = SpdyClient.builder().userAgent("Browser/1").build()) {
            assertThat(browser.send(SpdyRequest.get(page)).pushes()).isEmpty();
            for (String resource : new String[] {"/logo.png", "/style.css"}) {
                browser.send(SpdyRequest.newBuilder(server.url(Transport.PLAIN, resource)).header("referer", page).build());
            }
        }
        try (SpdyClient sameBrowser = SpdyClient.builder().userAgent("Browser/1").build();
                SpdyClient otherBrowser = SpdyClient.builder().userAgent("Other/2").build()) {
            SpdyResponse r = sameBrowser.send(SpdyRequest.get(page));
            assertThat(r.pushes()).extracting(p -> p.path() + " " + p.bodyAsString())
                    .containsExactlyInAnyOrder("/logo.png png bytes", "/style.css body { color: red }");
            assertThat(otherBrowser.send(SpdyRequest.get(page)).pushes()).isEmpty();
        }
    }

    /** SPEC §3.3.2: a cancelled push is not made to that client again, and the page stops pushing it. */
    @Test
    void cancelledPushesAreForgotten() throws Exception {
        start(spdy -> spdy.setPushLearning(true));
        String page = server.url(Transport.PLAIN, "/learned.html");
        try (SpdyClient browser = SpdyClient.builder().userAgent("Browser/1").build()) {
            browser.send(SpdyRequest.get(page));
            browser.send(SpdyRequest.newBuilder(server.url(Transport.PLAIN, "/big.css")).header("referer", page).build());
        }
        try (SpdyClient refusing = SpdyClient.builder().userAgent("Browser/1").build()) {
            SpdyResponse r = refusing.send(SpdyRequest.newBuilder(page).acceptPushes(false).build());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.pushes()).isEmpty();
        }
        Thread.sleep(200);
        try (SpdyClient next = SpdyClient.builder().userAgent("Browser/1").build()) {
            assertThat(next.send(SpdyRequest.get(page)).pushes()).extracting(SpdyPush::path).isEmpty();
        }
    }

    @Test
    void withoutPreloadNothingIsPushedAndSpdy2NeverPushes() throws Exception {
        start(spdy -> { });
        try (SpdyClient spdy2 = SpdyClient.builder().plainVersion(SpdyVersion.SPDY_2).build()) {
            SpdyResponse r = spdy2.send(SpdyRequest.get(server.url(Transport.PLAIN, "/preloading")));
            assertThat(r.protocol()).isEqualTo("spdy/2");
            assertThat(r.pushes()).isEmpty();
        }
        server.close();
        start(spdy -> spdy.setPushPreloadLinks(false));
        try (SpdyClient client = SpdyClient.create()) {
            assertThat(client.send(SpdyRequest.get(server.url(Transport.PLAIN, "/preloading"))).pushes()).isEmpty();
        }
    }
}
