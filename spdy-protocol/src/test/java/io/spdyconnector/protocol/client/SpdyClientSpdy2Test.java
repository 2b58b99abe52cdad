package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;
import io.spdyconnector.protocol.testing.TestSpdyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.spdyconnector.protocol.client.SpdyClientTest.echo;
import static org.assertj.core.api.Assertions.assertThat;

/** The client on SPDY/2: by prior knowledge, over ALPN, and holding a server back without windows. */
@Timeout(30)
class SpdyClientSpdy2Test {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(0, c);
        return c;
    }

    @Test
    void postOverPlainSpdy2ToAServerThatDetectsTheVersion() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plainAcceptingSpdy2(SessionConfig.defaults(), echo()));
        SpdyClient client = track(SpdyClient.builder().plainVersion(SpdyVersion.SPDY_2).build());
        byte[] body = new byte[300_000];
        SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url("/upload?x=1")).method("POST").body(body).build());
        assertThat(r.protocol()).isEqualTo("spdy/2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        assertThat(r.bodyLength()).isEqualTo("POST /upload?x=1\n".length() + body.length);
        assertThat(server.sessions.get(0).version()).isEqualTo(SpdyVersion.SPDY_2);
    }

    @Test
    void sameServerStillSpeaksSpdy31ToOtherClients() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.plainAcceptingSpdy2(SessionConfig.defaults(), echo()));
        SpdyClient client = track(SpdyClient.create());
        SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url("/")).method("POST").body(new byte[3]).build());
        assertThat(r.protocol()).isEqualTo("spdy/3.1");
    }

    @Test
    void alpnNegotiatesSpdy2WhenBothOfferIt() throws Exception {
        TestSpdyServer server = track(TestSpdyServer.tls(SessionConfig.defaults(), echo(), "spdy/2", "http/1.1"));
        SpdyClient client = track(SpdyClient.builder().insecure()
                .versions(SpdyVersion.SPDY_3_1, SpdyVersion.SPDY_3, SpdyVersion.SPDY_2).build());
        SpdyResponse r = client.send(SpdyRequest.newBuilder(server.url("/tls")).method("POST").body(new byte[1]).build());
        assertThat(r.protocol()).isEqualTo("spdy/2");
        assertThat(r.bodyLength()).isEqualTo("POST /tls\n".length() + 1);
    }

    /**
     * Without windows, a client that does not release what it received stops reading the socket
     * once a session window's worth is held: the download stalls in TCP, not in the client's
     * memory, and resumes as soon as the application releases.
     */
    @Test
    void heldDownloadStopsReadingUntilReleased() throws Exception {
        byte[] big = new byte[20_000_000];
        TestSpdyServer server = track(TestSpdyServer.plainAcceptingSpdy2(SessionConfig.defaults(), (s, h) -> {
            s.reply(HeaderBlock.of(":status", "200", ":version", "HTTP/1.1"), false, WriteCallback.NOOP);
            s.data(ByteBuffer.wrap(big), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        int window = 1 << 20;
        SpdyClient client = track(SpdyClient.builder().plainVersion(SpdyVersion.SPDY_2)
                .sessionConfig(SessionConfig.builder().sessionWindowSize(window).build()).build());
        AtomicLong received = new AtomicLong();
        List<Runnable> held = new ArrayList<>();
        CompletableFuture<SpdyResponse> f = client.sendAsync(SpdyRequest.get(server.url("/big")), new ResponseListener() {
            @Override
            public void onData(ByteBuffer data, Runnable release) {
                received.addAndGet(data.remaining());
                synchronized (held) {
                    held.add(release);
                }
            }
        });
        long seen = -1;
        while (received.get() != seen) {
            seen = received.get();
            Thread.sleep(300);
        }
        // The window, give or take a frame whose header counted before all its payload arrived, and
        // at most one read of the client's 64 KiB buffer beyond it.
        assertThat(seen).isGreaterThanOrEqualTo(window - 16384).isLessThanOrEqualTo(window + 65536);
        while (!f.isDone()) {
            List<Runnable> now;
            synchronized (held) {
                now = new ArrayList<>(held);
                held.clear();
            }
            now.forEach(Runnable::run);
            Thread.sleep(1);
        }
        assertThat(received.get()).isEqualTo(big.length);
    }
}
