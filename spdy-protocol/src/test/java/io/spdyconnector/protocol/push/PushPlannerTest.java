package io.spdyconnector.protocol.push;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §3.3: what a server pushes with a response, from preload links and from what it learned. */
class PushPlannerTest {
    private static final String CHROME = "Mozilla/5.0 Chrome/51";
    private static final String OLD_APP = "okhttp/2.7";
    private static final long SECOND = 1_000_000_000L;

    private static PushPlanner.Request get(String path, String referer, String ua) {
        return new PushPlanner.Request("https", "example.com", path, referer, ua, false);
    }

    private static PushPlanner.Response ok(String type, long length, String... links) {
        return new PushPlanner.Response(200, type, length, List.of(links));
    }

    @Test
    void preloadLinksOnThisOriginArePushedInOrder() {
        PushPlanner planner = new PushPlanner(PushPolicy.defaults());
        List<String> pushes = planner.onResponse(new SessionPushes(), get("/dir/page.html?x=1", null, CHROME),
                ok("text/html", -1, "</a.css>; rel=preload; as=style, </b.js>; rel=preload; nopush",
                        "<https://cdn.example.net/c.js>; rel=preload, <d.png>; rel=\"preload\"; as=image",
                        "<../up.js?v=2#top>; rel=\"preload prefetch\", </e.css>; rel=stylesheet",
                        "<https://example.com/f.woff2>; rel=preload; as=font; crossorigin"), 0);
        assertThat(pushes).containsExactly("/a.css", "/dir/d.png", "/up.js?v=2", "/f.woff2");
    }

    @Test
    void nothingIsPushedTwiceToOneSessionNorWhatItRequested() {
        PushPlanner planner = new PushPlanner(PushPolicy.defaults());
        SessionPushes session = new SessionPushes();
        planner.requested(session, get("/b.css", null, CHROME));
        PushPlanner.Response links = ok("text/html", -1, "</a.css>; rel=preload, </b.css>; rel=preload");
        assertThat(planner.onResponse(session, get("/", null, CHROME), links, 0)).containsExactly("/a.css");
        assertThat(planner.onResponse(session, get("/other", null, CHROME), links, 0)).isEmpty();
        assertThat(planner.onResponse(new SessionPushes(), get("/", null, CHROME), links, 0))
                .containsExactly("/a.css", "/b.css");
    }

    @Test
    void onlyAnOkResponsePushes() {
        PushPlanner planner = new PushPlanner(PushPolicy.defaults());
        assertThat(planner.onResponse(new SessionPushes(), get("/", null, CHROME),
                new PushPlanner.Response(304, "text/html", -1, List.of("</a.css>; rel=preload")), 0)).isEmpty();
    }

    /** Sub-resources fetched right after a page, from it, are pushed with it to the next client like this one. */
    @Test
    void learnsWhatAPageFetchesPerUserAgent() {
        PushPlanner planner = new PushPlanner(PushPolicy.defaults().withLearning(true));
        SessionPushes first = new SessionPushes();
        assertThat(planner.onResponse(first, get("/index.html", null, CHROME), ok("text/html; charset=utf-8", 900), 0))
                .isEmpty();
        planner.onResponse(first, get("/style.css", "https://example.com/index.html", CHROME), ok("text/css", 2000), SECOND / 10);
        planner.onResponse(first, get("/app.js", "https://example.com/index.html", CHROME),
                ok("application/javascript", 5000), SECOND / 5);
        planner.onResponse(first, get("/logo.png", "https://example.com/index.html", CHROME), ok("image/png", 300), SECOND / 2);

        assertThat(planner.onResponse(new SessionPushes(), get("/index.html", null, CHROME), ok("text/html", 900), 10 * SECOND))
                .containsExactly("/style.css", "/app.js", "/logo.png");
        assertThat(planner.onResponse(new SessionPushes(), get("/index.html", null, OLD_APP), ok("text/html", 900), 10 * SECOND))
                .as("another user agent").isEmpty();
    }

    @Test
    void learnsOnlyWithinTheWindowFromThisOriginAndPushableTypes() {
        PushPlanner planner = new PushPlanner(PushPolicy.defaults().withLearning(true).withLearningWindow(Duration.ofSeconds(2)));
        SessionPushes s = new SessionPushes();
        planner.onResponse(s, get("/", null, CHROME), ok("text/html", 100), 0);
        planner.onResponse(s, get("/late.css", "https://example.com/", CHROME), ok("text/css", 10), 3 * SECOND);
        planner.onResponse(s, get("/foreign.css", "https://evil.example/", CHROME), ok("text/css", 10), SECOND);
        planner.onResponse(s, get("/other.html", "https://example.com/", CHROME), ok("text/html", 10), SECOND);
        planner.onResponse(s, get("/data.json", "https://example.com/", CHROME), ok("application/json", 10), SECOND);
        planner.onResponse(s, get("/missing.css", "https://example.com/", CHROME),
                new PushPlanner.Response(404, "text/css", 10, List.of()), SECOND);
        planner.onResponse(s, get("/ok.css", "https://example.com/", CHROME), ok("text/css", 10), SECOND);
        assertThat(planner.onResponse(new SessionPushes(), get("/", null, CHROME), ok("text/html", 100), 9 * SECOND))
                .containsExactly("/ok.css");
    }

    /** A client revalidating a cached page has its resources cached too. */
    @Test
    void conditionalRequestsGetNoLearnedPushes() {
        PushPlanner planner = learnedPlanner(PushPolicy.defaults().withLearning(true));
        PushPlanner.Request revalidate = new PushPlanner.Request("https", "example.com", "/", null, CHROME, true);
        assertThat(planner.onResponse(new SessionPushes(), revalidate, ok("text/html", 100), 9 * SECOND)).isEmpty();
    }

    @Test
    void countAndKnownBytesAreCapped() {
        PushPlanner byCount = learnedPlanner(PushPolicy.defaults().withLearning(true).withMaxPushesPerResponse(2));
        assertThat(byCount.onResponse(new SessionPushes(), get("/", null, CHROME), ok("text/html", 1), 9 * SECOND))
                .containsExactly("/r0.css", "/r1.css");
        // Each learned resource is 1000 bytes: 2500 bytes admit two; later small ones still fit.
        PushPlanner byBytes = learnedPlanner(PushPolicy.defaults().withLearning(true).withMaxPushBytesPerResponse(2500));
        assertThat(byBytes.onResponse(new SessionPushes(), get("/", null, CHROME), ok("text/html", 1), 9 * SECOND))
                .containsExactly("/r0.css", "/r1.css", "/tiny.png");
    }

    /** SPEC §3.3.2: a cancelled push is not made again to that client, nor learned for that page any more. */
    @Test
    void cancelledPushIsForgotten() {
        PushPlanner planner = learnedPlanner(PushPolicy.defaults().withLearning(true));
        SessionPushes s = new SessionPushes();
        PushPlanner.Request page = get("/", null, CHROME);
        assertThat(planner.onResponse(s, page, ok("text/html", 1), 9 * SECOND)).contains("/r0.css");
        planner.cancelled(s, page, "/r0.css");
        assertThat(planner.onResponse(new SessionPushes(), page, ok("text/html", 1), 9 * SECOND)).doesNotContain("/r0.css")
                .contains("/r1.css");
    }

    @Test
    void learnedPagesAreBounded() {
        PushPolicy policy = new PushPolicy(true, true, true, 32, 1 << 20, Duration.ofSeconds(2), 3, 2);
        PushPlanner planner = new PushPlanner(policy);
        SessionPushes s = new SessionPushes();
        for (int page = 0; page < 10; page++) {
            planner.onResponse(s, get("/p" + page, null, CHROME), ok("text/html", 1), page * SECOND);
            for (int r = 0; r < 5; r++) {
                planner.onResponse(s, get("/p" + page + "/r" + r + ".css", "https://example.com/p" + page, CHROME),
                        ok("text/css", 1), page * SECOND + 1);
            }
        }
        assertThat(planner.learnedPages()).isEqualTo(3);
        assertThat(planner.onResponse(new SessionPushes(), get("/p9", null, CHROME), ok("text/html", 1), 20 * SECOND))
                .containsExactly("/p9/r3.css", "/p9/r4.css");
    }

    @Test
    void policyOffPushesNothing() {
        PushPlanner planner = new PushPlanner(PushPolicy.off());
        assertThat(planner.onResponse(new SessionPushes(), get("/", null, CHROME),
                ok("text/html", 1, "</a.css>; rel=preload"), 0)).isEmpty();
        assertThat(PushPolicy.off().pushesAnything()).isFalse();
    }

    /** A planner that learned /r0.css .. /r3.css (1000 bytes each) and /tiny.png (10 bytes) for "/". */
    private static PushPlanner learnedPlanner(PushPolicy policy) {
        PushPlanner planner = new PushPlanner(policy);
        SessionPushes s = new SessionPushes();
        planner.onResponse(s, get("/", null, CHROME), ok("text/html", 1), 0);
        for (int i = 0; i < 4; i++) {
            planner.onResponse(s, get("/r" + i + ".css", "https://example.com/", CHROME), ok("text/css", 1000), SECOND / 10);
        }
        planner.onResponse(s, get("/tiny.png", "https://example.com/", CHROME), ok("image/png", 10), SECOND / 10);
        return planner;
    }
}
