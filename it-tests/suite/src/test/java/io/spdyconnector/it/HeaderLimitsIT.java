package io.spdyconnector.it;

import io.spdyconnector.it.client.Channel;
import io.spdyconnector.it.client.ChannelUnderTest;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.it.client.TestResponse;
import io.spdyconnector.it.target.RunningTargets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large request headers. Every target keeps the connector's default SPDY limit (maxHeaderBytes,
 * 16384 bytes counted as 8 + name + value per header) and its container's default HTTP/1.1 limit
 * (8192 bytes of request head on both), so a request fits both, only SPDY's, or neither.
 */
@ExtendWith(RunningTargets.class)
@Timeout(120)
class HeaderLimitsIT {
    static final int SPDY_LIMIT = 16384;
    static final int HTTP11_LIMIT = 8192;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void largeHeadersWithinBothLimitsReachTheServletAsOverHttp11(Channel channel) throws Exception {
        String value = "w".repeat(HTTP11_LIMIT - 1024);
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse echoed = c.sameAsHttp11(TestRequest.get("/sample/hello").header("x-large", value));
            assertThat(echoed.status()).isEqualTo(200);
            assertThat(c.overSpdy(TestRequest.get("/sample/echo-headers").header("x-large", value)).bodyText())
                    .contains("\"x-large\": [\"" + value + "\"]");
        }
    }

    /** Just under SPDY's limit, and so over HTTP/1.1's: SPDY carries it whole. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void headersJustUnderTheSpdyLimitReachTheServlet(Channel channel) throws Exception {
        String value = "n".repeat(SPDY_LIMIT - 512);
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse echoed = c.overSpdy(TestRequest.get("/sample/echo-headers").header("x-near", value));
            assertThat(echoed.status()).isEqualTo(200);
            assertThat(echoed.bodyText()).contains("\"x-near\": [\"" + value + "\"]");
        }
    }

    /**
     * Over SPDY's limit: a clear 431, from the connector before the WAR sees the request, and the
     * session takes the next request. The container refuses the same request over HTTP/1.1 too,
     * Jetty with 431 and Tomcat with 400.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void headersOverTheLimitAreAnswered431AndTheSessionGoesOn(Channel channel) throws Exception {
        TestRequest tooLarge = TestRequest.get("/sample/hello").header("x-over", "o".repeat(SPDY_LIMIT + 1024));
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            TestResponse refused = c.overSpdy(tooLarge);
            assertThat(refused.status()).isEqualTo(431);
            assertThat(refused.body()).isEmpty();
            assertThat(c.overSpdy(TestRequest.get("/sample/hello")).bodyText()).as("the next request on the session")
                    .isEqualTo("hello");
            assertThat(c.overHttp11(tooLarge).status()).as("the same request over HTTP/1.1")
                    .isEqualTo(channel.target().isJetty() ? 431 : 400);
        }
    }
}
