package io.spdyconnector.jetty.distribution;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPDY next to Jetty's own HTTP/2 and PROXY protocol on jetty-home:
 * {@code --add-modules=spdy,spdyc,proxy-protocol,https,http2,http2c,ee11-deploy}. The modules'
 * [before]/[after] order, not the command line's, makes ALPN prefer h2, then spdy/3.1, spdy/3 and
 * http/1.1, and reads a PROXY line before detecting SPDY; the clear-text port serves SPDY,
 * HTTP/1.1 and h2c, with or without a PROXY line.
 */
@Timeout(60)
class SpdyWithHttp2ModulesIT {
    private static StandaloneJetty jetty;

    @RegisterExtension
    static final JettyLogOnFailure LOG = new JettyLogOnFailure(() -> jetty == null ? null : jetty.process());

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = StandaloneJetty.prepare("spdy-with-http2", "spdy", "spdyc", "proxy-protocol", "https", "http2", "http2c",
                "ee11-deploy");
        jetty.base().appendIni("spdyc", "jetty.spdyc.plainProtocol=spdy/3");
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

    @Test
    void tlsConnectorOrdersH2ThenSpdyThenHttp11() {
        assertThat(jetty.tls().protocols()).containsExactly("ssl", "alpn", "h2", "spdy/3.1", "spdy/3", "http/1.1");
    }

    @Test
    void plainConnectorReadsProxyThenDetectsSpdyBeforeHttp11AndH2c() {
        assertThat(jetty.plain().protocols()).containsExactly("[proxy]", "[spdy/3.1]", "http/1.1", "h2c");
    }

    @Test
    void spdyAfterAProxyLineSeesTheProxiedClientAddress() throws Exception {
        String response = ProxiedSpdyRequest.get(jetty.plain().port(), SpdyVersion.SPDY_3, "PROXY TCP4 192.0.2.7 127.0.0.1 40123 80",
                "/remote");
        assertThat(response).isEqualTo("200 OK 192.0.2.7:40123");
    }

    @ParameterizedTest(name = "offered {0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "h2,spdy/3.1,http/1.1; h2",
            "http/1.1,spdy/3.1,h2; h2",
            "http/1.1,spdy/3,spdy/3.1; spdy/3.1",
            "http/1.1,spdy/3; spdy/3",
            "http/1.1; http/1.1"})
    void alpnSelectsTheServersFirstProtocolTheClientOffers(String offered, String selected) throws Exception {
        assertThat(TlsProbe.negotiate(jetty.tls().port(), offered.split(","))).isEqualTo(selected);
    }

    @Test
    void clientsWithoutAlpnGetHttp11() throws Exception {
        String response = TlsProbe.http11Get(jetty.tls().port(), "/protocol");
        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("HTTP/1.1 https true null");
    }

    @Test
    void spdyClientsStillGetSpdyOverTls() throws Exception {
        try (SpdyClient client = SpdyClient.builder().insecure().build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.tlsUrl("/protocol")));
            assertThat(r.protocol()).isEqualTo("spdy/3.1");
            assertThat(r.bodyAsString()).isEqualTo("HTTP/1.1 https true spdy/3.1");
        }
    }

    @Test
    void plainPortSpeaksTheConfiguredPlainProtocol() throws Exception {
        FrameRecorder frames = new FrameRecorder();
        try (SpdyClient client = SpdyClient.builder().plainVersion(SpdyVersion.SPDY_3).frameObserver(frames).build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.plainUrl("/protocol")));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyAsString()).endsWith("http false spdy/3");
            SpdyResponse hello = client.send(SpdyRequest.get(jetty.plainUrl("/hello.txt")));
            assertThat(hello.bodyAsString()).isEqualTo(TestWebapp.HELLO);
        }
        assertThat(frames.sessionWindowUpdates()).as("SPDY/3 has no session window").isEmpty();
    }

    @Test
    void plainPortStillUpgradesHttp11ToH2c() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(jetty.plainUrl("/hello.txt")))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.body()).isEqualTo(TestWebapp.HELLO);
    }
}
