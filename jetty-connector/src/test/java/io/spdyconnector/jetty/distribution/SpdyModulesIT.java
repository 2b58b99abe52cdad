package io.spdyconnector.jetty.distribution;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.session.SpdyVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jetty-home 12.1 as an operator runs it, in a separate process:
 * {@code --add-modules=http,spdyc,ssl,https,spdy,ee11-deploy} on a base holding the overlay, with
 * settings in {@code start.d/spdy.ini} and {@code start.d/spdyc.ini} and a WAR in webapps/.
 */
@Timeout(60)
class SpdyModulesIT {
    private static StandaloneJetty jetty;

    @RegisterExtension
    static final JettyLogOnFailure LOG = new JettyLogOnFailure(() -> jetty == null ? null : jetty.process());

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = StandaloneJetty.prepare("spdy-modules", "http", "spdyc", "ssl", "https", "spdy", "ee11-deploy");
        jetty.base().appendIni("spdy",
                "jetty.spdy.maxConcurrentStreams=7",
                "jetty.spdy.initialWindowSize=131072",
                "jetty.spdy.sessionWindowSize=2097152",
                "jetty.spdy.maxDataFrameLength=8192",
                "jetty.spdy.compressionPolicy=SAFE",
                "jetty.spdy.protocols=spdy/3.1,spdy/3,spdy/2");
        jetty.base().appendIni("spdyc", "jetty.spdyc.maxConcurrentStreams=9", "jetty.spdyc.protocols=spdy/3.1,spdy/3,spdy/2");
        jetty.start();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        try {
            String log = jetty == null ? "" : jetty.stop();
            assertThat(log).as("a graceful stop").containsPattern("Stopped \\S*Server@");
        } finally {
            if (jetty != null) {
                jetty.close();
            }
        }
    }

    @Test
    void addModulesWritesTheIniTemplates() throws Exception {
        assertThat(jetty.base().readIni("spdy")).contains("# jetty.spdy.maxConcurrentStreams=100");
        assertThat(jetty.base().readIni("spdyc")).contains("# jetty.spdyc.plainProtocol=spdy/3.1");
    }

    @Test
    void connectorsCarryTheSpdyFactories() {
        assertThat(jetty.tls().protocols()).containsExactly("ssl", "alpn", "spdy/3.1", "spdy/3", "spdy/2", "http/1.1");
        assertThat(jetty.plain().protocols()).containsExactly("[spdy/3.1]", "http/1.1");
    }

    @Test
    void plainPortServesSpdyWithSpdycSettings() throws Exception {
        FrameRecorder frames = new FrameRecorder();
        try (SpdyClient client = SpdyClient.builder().frameObserver(frames).build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.plainUrl("/hello.txt")));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.protocol()).isEqualTo("spdy/3.1");
            assertThat(r.bodyAsString()).isEqualTo(TestWebapp.HELLO);

            SpdyResponse servlet = client.send(SpdyRequest.get(jetty.plainUrl("/protocol")));
            assertThat(servlet.bodyAsString()).isEqualTo("HTTP/1.1 http false spdy/3.1");
        }
        SettingsFrame settings = frames.serverSettings();
        assertThat(settings.value(Setting.MAX_CONCURRENT_STREAMS)).as(settings.toString()).isEqualTo(9);
        assertThat(settings.value(Setting.INITIAL_WINDOW_SIZE)).as(settings.toString()).isEqualTo(65536);
        assertThat(frames.sessionWindowUpdates()).startsWith((1 << 20) - 65536);
    }

    @Test
    void plainPortServesHttp11() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create(jetty.plainUrl("/hello.txt")))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(hello.body()).isEqualTo(TestWebapp.HELLO);

        HttpResponse<String> servlet = http.send(HttpRequest.newBuilder(URI.create(jetty.plainUrl("/protocol")))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(servlet.body()).isEqualTo("HTTP/1.1 http false null");
    }

    @Test
    void tlsPortNegotiatesSpdy31WithSpdyIniSettings() throws Exception {
        FrameRecorder frames = new FrameRecorder();
        try (SpdyClient client = SpdyClient.builder().insecure().frameObserver(frames).build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.tlsUrl("/hello.txt")));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.protocol()).isEqualTo("spdy/3.1");
            assertThat(r.bodyAsString()).isEqualTo(TestWebapp.HELLO);

            SpdyResponse servlet = client.send(SpdyRequest.get(jetty.tlsUrl("/protocol")));
            assertThat(servlet.bodyAsString()).isEqualTo("HTTP/1.1 https true spdy/3.1");
        }
        SettingsFrame settings = frames.serverSettings();
        assertThat(settings.toString()).contains("MAX_CONCURRENT_STREAMS=7");
        assertThat(settings.value(Setting.INITIAL_WINDOW_SIZE)).as(settings.toString()).isEqualTo(131072);
        assertThat(frames.sessionWindowUpdates()).startsWith(2097152 - 65536);
    }

    @Test
    void tlsPortNegotiatesSpdy3WithASpdy3Client() throws Exception {
        try (SpdyClient client = SpdyClient.builder().insecure().versions(SpdyVersion.SPDY_3).build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.tlsUrl("/protocol")));
            assertThat(r.protocol()).isEqualTo("spdy/3");
            assertThat(r.bodyAsString()).endsWith("https true spdy/3");
        }
    }

    /** With spdy/2 in the protocols properties, SPDY/2 clients are served on both ports. */
    @Test
    void protocolsPropertiesTurnOnSpdy2() throws Exception {
        try (SpdyClient client = SpdyClient.builder().insecure().versions(SpdyVersion.SPDY_2)
                .plainVersion(SpdyVersion.SPDY_2).build()) {
            SpdyResponse tls = client.send(SpdyRequest.get(jetty.tlsUrl("/protocol")));
            assertThat(tls.protocol()).isEqualTo("spdy/2");
            assertThat(tls.bodyAsString()).isEqualTo("HTTP/1.1 https true spdy/2");
            SpdyResponse plain = client.send(SpdyRequest.get(jetty.plainUrl("/protocol")));
            assertThat(plain.protocol()).isEqualTo("spdy/2");
            assertThat(plain.bodyAsString()).isEqualTo("HTTP/1.1 http false spdy/2");
        }
    }

    @Test
    void largeFileArrivesWholeInDataFramesOfTheConfiguredSize() throws Exception {
        FrameRecorder frames = new FrameRecorder();
        try (SpdyClient client = SpdyClient.builder().insecure().frameObserver(frames).build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.tlsUrl("/big.bin")));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestWebapp.BIG);
        }
        List<Integer> lengths = frames.dataLengths();
        assertThat(lengths).as("DATA frame lengths").allMatch(n -> n <= 8192).contains(8192);
    }

    @Test
    void tlsPortServesHttp11ToClientsWithoutSpdy() throws Exception {
        assertThat(TlsProbe.negotiate(jetty.tls().port(), "h2", "http/1.1")).isEqualTo("http/1.1");
        String response = TlsProbe.http11Get(jetty.tls().port(), "/protocol", "http/1.1");
        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("HTTP/1.1 https true null");
    }
}
