package io.spdyconnector.jetty.distribution;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who prefers SPDY to HTTP/2 lists the ALPN order in {@code start.d/alpn.ini}
 * ({@code jetty.alpn.protocols}); the connector's factory order no longer decides.
 */
@Timeout(60)
class SpdyPreferredOverH2IT {
    private static StandaloneJetty jetty;

    @RegisterExtension
    static final JettyLogOnFailure LOG = new JettyLogOnFailure(() -> jetty == null ? null : jetty.process());

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = StandaloneJetty.prepare("spdy-preferred", "alpn", "spdy", "https", "http2", "ee11-deploy");
        jetty.base().appendIni("alpn", "jetty.alpn.protocols=spdy/3.1,spdy/3,h2,http/1.1");
        jetty.start();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        try {
            if (jetty != null) {
                jetty.stop();
            }
        } finally {
            if (jetty != null) {
                jetty.close();
            }
        }
    }

    @ParameterizedTest(name = "offered {0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "h2,spdy/3.1,http/1.1; spdy/3.1",
            "h2,spdy/3,http/1.1; spdy/3",
            "h2,http/1.1; h2",
            "http/1.1; http/1.1"})
    void alpnFollowsTheConfiguredOrder(String offered, String selected) throws Exception {
        assertThat(TlsProbe.negotiate(jetty.tls().port(), offered.split(","))).isEqualTo(selected);
    }

    @Test
    void spdyServesTheWebapp() throws Exception {
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.tlsUrl("/hello.txt")));
            assertThat(r.protocol()).isEqualTo("spdy/3.1");
            assertThat(r.bodyAsString()).isEqualTo(TestWebapp.HELLO);
        }
    }
}
