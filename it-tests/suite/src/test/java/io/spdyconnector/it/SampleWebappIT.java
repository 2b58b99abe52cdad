package io.spdyconnector.it;

import io.spdyconnector.it.client.Channel;
import io.spdyconnector.it.client.ChannelUnderTest;
import io.spdyconnector.it.client.MultipartRanges;
import io.spdyconnector.it.client.PatternBytes;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.it.client.TestResponse;
import io.spdyconnector.it.target.RunningTargets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample WAR over SPDY answers exactly as it does over HTTP/1.1 on the same target, for every
 * feature it exercises (servlets, async, filter, error pages, the default servlet with ranges and
 * conditional requests, sessions), on every target, transport and client.
 */
@ExtendWith(RunningTargets.class)
@Timeout(120)
class SampleWebappIT {
    static final long PATTERN_FILE = 16L << 20;
    private static final Pattern HOST_LINE = Pattern.compile("\n  \"host\": \\[\"([^\"]*)\"],?");
    private static final Pattern NO_LENGTH_LINE = Pattern.compile("\n  \"content-length\": \\[\"0\"],?");
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s*at [\\w$./<>]+\\(.*\\)\\s*$\\n?");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void helloIsAnsweredAsOverHttp11(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse hello = c.sameAsHttp11(TestRequest.get("/sample/hello"));
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.bodyText()).isEqualTo("hello");
            assertThat(hello.header("x-filtered")).isEqualTo("true");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void requestHeadersReachTheServletAsOverHttp11(Channel channel) throws Exception {
        TestRequest request = TestRequest.get("/sample/echo-headers").header("accept", "application/json")
                .header("x-single", "one value").header("x-repeated", "first").header("x-repeated", "second")
                .header("cookie", "flavour=oat").header("accept-language", "en-GB, fr;q=0.5");
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse echoed = c.sameAsHttp11(request, SampleWebappIT::withoutTransportHeaders);
            Matcher host = HOST_LINE.matcher(echoed.bodyText());
            assertThat(host.find()).as("host in %s", echoed.bodyText()).isTrue();
            assertThat(host.group(1)).isEqualTo(channel.transport().origin(c.target()).getRawAuthority());
            assertThat(echoed.bodyText()).contains("\"x-repeated\": [\"first\", \"second\"]")
                    .contains("\"x-single\": [\"one value\"]").contains("\"cookie\": [\"flavour=oat\"]");
        }
    }

    /**
     * The echoed headers without those of the transport: the host is the port the request went to,
     * which is not the HTTP/1.1 port on every target, and Java 17's HTTP client sends
     * {@code content-length: 0} with every request without a body (JDK-8283544).
     */
    private static TestResponse withoutTransportHeaders(TestResponse r) {
        return withBody(r, NO_LENGTH_LINE.matcher(HOST_LINE.matcher(r.bodyText()).replaceFirst("")).replaceFirst(""));
    }

    private static TestResponse withoutStackFrames(TestResponse r) {
        return withBody(r, STACK_FRAME.matcher(r.bodyText()).replaceAll(""));
    }

    private static TestResponse withBody(TestResponse r, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new java.util.TreeMap<>(r.headers());
        headers.computeIfPresent("content-length", (k, v) -> List.of(Integer.toString(bytes.length)));
        return new TestResponse(r.status(), headers, bytes, r.protocol());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void oneMebibyteEchoesBackWithBlockingAndWithNonBlockingIo(Channel channel) throws Exception {
        byte[] body = PatternBytes.of(1 << 20);
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            for (String servlet : List.of("/sample/echo", "/sample/echo-async")) {
                TestResponse echoed = c.sameAsHttp11(TestRequest.post(servlet, body)
                        .header("content-type", "application/octet-stream"));
                assertThat(echoed.status()).isEqualTo(200);
                PatternBytes.assertPattern(servlet, echoed.body(), 0, body.length);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void servletDownloadsOfEveryLengthAsOverHttp11(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            for (int n : new int[] {0, 1, 16383, 16384, 65536, 65537, (1 << 20) + 3}) {
                TestResponse bytes = c.sameAsHttp11(TestRequest.get("/sample/bytes?n=" + n));
                assertThat(bytes.status()).isEqualTo(200);
                PatternBytes.assertPattern("bytes?n=" + n, bytes.body(), 0, n);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void staticFileFromTheDefaultServletAsOverHttp11(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse file = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin"));
            assertThat(file.status()).isEqualTo(200);
            assertThat(file.header("content-type")).isEqualTo("application/octet-stream");
            PatternBytes.assertPattern("pattern.bin", file.body(), 0, PATTERN_FILE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void rangesOfTheStaticFileAsOverHttp11(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            for (long[] range : new long[][] {{0, 0}, {1000, 1999}, {PATTERN_FILE - 500, PATTERN_FILE - 1},
                    {7_000_003, 8_048_579}}) {
                TestResponse part = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin")
                        .header("range", "bytes=" + range[0] + "-" + range[1]));
                assertThat(part.status()).isEqualTo(206);
                assertThat(part.header("content-range")).isEqualTo("bytes " + range[0] + "-" + range[1] + "/" + PATTERN_FILE);
                PatternBytes.assertPattern("range " + range[0] + "-" + range[1], part.body(), range[0],
                        range[1] - range[0] + 1);
            }
            TestResponse suffix = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin").header("range", "bytes=-300"));
            PatternBytes.assertPattern("last 300 bytes", suffix.body(), PATTERN_FILE - 300, 300);
            TestResponse beyond = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin")
                    .header("range", "bytes=" + PATTERN_FILE + "-"));
            assertThat(beyond.status()).isEqualTo(416);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void multipleRangesComeAsMultipartAsOverHttp11(Channel channel) throws Exception {
        long[][] ranges = {{0, 9}, {100_000, 100_999}, {PATTERN_FILE - 16, PATTERN_FILE - 1}};
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse r = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin")
                    .header("range", "bytes=0-9,100000-100999," + (PATTERN_FILE - 16) + "-"));
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.header("content-type")).startsWith("multipart/byteranges");
            List<MultipartRanges.Part> parts = MultipartRanges.parse(r);
            assertThat(parts).hasSize(ranges.length);
            for (int i = 0; i < ranges.length; i++) {
                MultipartRanges.Part p = parts.get(i);
                assertThat(new long[] {p.first(), p.last()}).containsExactly(ranges[i]);
                PatternBytes.assertPattern("part " + i, p.bytes(), p.first(), p.last() - p.first() + 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void headAnswersTheHeadersOfGetWithoutABody(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            for (String path : List.of("/sample/static/pattern.bin", "/sample/hello", "/sample/bytes?n=70000")) {
                TestResponse head = c.sameAsHttp11(TestRequest.head(path));
                assertThat(head.status()).as(path).isEqualTo(200);
                assertThat(head.body()).as(path).isEmpty();
            }
            assertThat(c.overSpdy(TestRequest.head("/sample/static/pattern.bin")).header("content-length"))
                    .isEqualTo(Long.toString(PATTERN_FILE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void conditionalRequestsAreAnsweredNotModified(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse head = c.sameAsHttp11(TestRequest.head("/sample/static/pattern.bin"));
            String lastModified = head.header("last-modified");
            assertThat(lastModified).isNotNull();
            TestResponse unchanged = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin")
                    .header("if-modified-since", lastModified));
            assertThat(unchanged.status()).isEqualTo(304);
            assertThat(unchanged.body()).isEmpty();
            // Tomcat's default servlet sends an ETag, Jetty's does not unless told to.
            String etag = head.header("etag");
            if (etag != null) {
                TestResponse sameTag = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin")
                        .header("if-none-match", etag));
                assertThat(sameTag.status()).isEqualTo(304);
            }
            TestResponse changed = c.sameAsHttp11(TestRequest.get("/sample/static/pattern.bin")
                    .header("if-none-match", "\"another\"").header("range", "bytes=0-99"));
            assertThat(changed.status()).isEqualTo(206);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void theSessionCookieCarriesTheHttpSession(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestRequest first = TestRequest.get("/sample/session");
            TestResponse overSpdy = c.overSpdy(first);
            TestResponse overHttp11 = c.overHttp11(first);
            io.spdyconnector.it.client.ResponseComparison.assertSameResponse(first, overSpdy, overHttp11);
            String spdyCookie = sessionCookie(overSpdy);
            String http11Cookie = sessionCookie(overHttp11);
            assertThat(overSpdy.bodyText()).isEqualTo("1");
            for (int visit = 2; visit <= 3; visit++) {
                TestRequest again = TestRequest.get("/sample/session");
                TestResponse spdy = c.overSpdy(again.header("cookie", spdyCookie));
                io.spdyconnector.it.client.ResponseComparison.assertSameResponse(again, spdy,
                        c.overHttp11(again.header("cookie", http11Cookie)));
                assertThat(spdy.bodyText()).isEqualTo(Integer.toString(visit));
                assertThat(spdy.header("set-cookie")).as("a known session gets no new cookie").isNull();
            }
        }
    }

    private static String sessionCookie(TestResponse r) {
        String setCookie = r.header("set-cookie");
        assertThat(setCookie).as("set-cookie of %s", r).startsWith("JSESSIONID=");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void filterAndErrorPagesApplyAsOverHttp11(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse missing = c.sameAsHttp11(TestRequest.get("/sample/no/such/thing"));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).contains("The sample has nothing at this address.");
            assertThat(missing.header("x-filtered")).isEqualTo("true");

            // The container's error page shows the stack of the exception, which runs through the connection's classes.
            TestResponse boom = c.sameAsHttp11(TestRequest.get("/sample/boom"), SampleWebappIT::withoutStackFrames);
            assertThat(boom.status()).isEqualTo(500);
            assertThat(boom.header("x-filtered")).isEqualTo("true");
            assertThat(boom.bodyText()).contains("boom");

            TestResponse welcome = c.sameAsHttp11(TestRequest.get("/sample/"));
            assertThat(welcome.status()).isEqualTo(200);
            assertThat(welcome.bodyText()).contains("An ordinary WAR, served over SPDY");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void asyncServletAnswersAfterItsDelay(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            long start = System.nanoTime();
            TestResponse slept = c.sameAsHttp11(TestRequest.get("/sample/sleep?ms=300"));
            assertThat(slept.bodyText()).isEqualTo("slept 300 ms\n");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(2 * 300_000_000L);
        }
    }
}
