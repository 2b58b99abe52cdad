package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.SessionPair;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPDY/2 sessions: the same engine without flow control. Nothing waits for a window, no
 * WINDOW_UPDATE is ever sent, and a receiver whose application falls behind stops reading instead
 * of buffering without bound.
 */
class Spdy2SessionTest {
    private static final SessionConfig CONFIG = SessionConfig.defaults();

    private static RecordingListener answering(int bodyBytes) {
        return new RecordingListener((stream, headers) -> {
            stream.reply(ok(), ByteBuffer.allocate(bodyBytes), null, true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
    }

    private static long dataBytes(List<Frame> frames) {
        return frames.stream().filter(f -> f instanceof DataFrame).mapToLong(f -> ((DataFrame) f).data().remaining()).sum();
    }

    @Test
    void serverOpensWithSettingsThatHaveNoWindow() {
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, CONFIG, new RecordingListener());
        try (RawPeer client = new RawPeer(server).spdy2()) {
            assertThat(client.trace()).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=100]");
        }
    }

    /** With no window, a response goes out whole in one go, however large. */
    @Test
    void responseIsNotHeldAtSixtyFourKilobytes() {
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, CONFIG, answering(300_000));
        try (RawPeer client = new RawPeer(server).spdy2()) {
            client.read();
            client.send(syn(1, true, get("/big")));
            List<Frame> frames = client.read();
            assertThat(dataBytes(frames)).isEqualTo(300_000);
            assertThat(frames.get(frames.size() - 1).toString()).isEqualTo("DATA #1 len=16384 fin".replace("16384",
                    Integer.toString(300_000 % 16384)));
        }
    }

    /** A WINDOW_UPDATE on a SPDY/2 session is an unknown frame type and changes nothing. */
    @Test
    void windowUpdateTypeIsIgnoredAndInitialWindowSettingTooSmallHasNoEffect() {
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, CONFIG, answering(100_000));
        try (RawPeer client = new RawPeer(server).spdy2()) {
            client.read();
            client.send(new SettingsFrame(false, List.of(new Setting(0, Setting.INITIAL_WINDOW_SIZE, 10))));
            client.sendBytes(io.spdyconnector.protocol.testing.Hex.bytes("80 02 00 09 00 00 00 08 00 00 00 01 00 00 00 10"));
            client.send(syn(1, true, get("/")));
            assertThat(dataBytes(client.read())).isEqualTo(100_000);
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    /**
     * Upload bytes the application has not consumed pile up without a window; past the session
     * window size the session asks the transport to stop reading, and consuming resumes it.
     * No WINDOW_UPDATE and no FLOW_CONTROL_ERROR either way.
     */
    @Test
    void unconsumedUploadPausesInputUntilConsumed() {
        RecordingListener events = new RecordingListener();
        events.holdCredit = true;
        SessionConfig config = SessionConfig.builder().sessionWindowSize(100_000).build();
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, config, events);
        try (RawPeer client = new RawPeer(server).spdy2()) {
            client.read();
            client.send(syn(1, false, post("/upload")));
            client.send(new DataFrame(1, ByteBuffer.allocate(60_000), false));
            assertThat(server.wantsInput()).isTrue();
            client.send(new DataFrame(1, ByteBuffer.allocate(60_000), false));
            assertThat(server.wantsInput()).isFalse();
            assertThat(client.trace()).isEmpty();

            SpdyStream stream = events.streams.get(0);
            stream.consumed(10_000);
            assertThat(events.events).doesNotContain("input resumed");
            assertThat(server.wantsInput()).isFalse();
            stream.consumed(20_000);
            assertThat(events.events).containsOnlyOnce("input resumed");
            assertThat(server.wantsInput()).isTrue();
            stream.consumed(90_000);
            assertThat(client.trace()).as("no WINDOW_UPDATE on SPDY/2").isEmpty();
        }
    }

    /**
     * What counts is what was handed to the application: one 3 MB frame arriving in 64 KiB reads
     * pauses input only once a window's worth of it is held, and never if the application keeps up.
     */
    @Test
    void hugeFrameCountsAsItIsDeliveredNotAsAnnounced() {
        SessionConfig config = SessionConfig.builder().sessionWindowSize(1 << 20).build();
        RecordingListener keepingUp = new RecordingListener();
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, config, keepingUp);
        RecordingListener holding = new RecordingListener();
        holding.holdCredit = true;
        SpdySession held = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, config, holding);
        for (SpdySession s : List.of(server, held)) {
            try (RawPeer client = new RawPeer(s).spdy2()) {
                client.read();
                byte[] bytes = client.bytes(syn(1, false, post("/upload")), new DataFrame(1, ByteBuffer.allocate(3 << 20), true));
                int fed = 0;
                while (fed < bytes.length && s.wantsInput()) {
                    int n = Math.min(65536, bytes.length - fed);
                    s.receive(ByteBuffer.wrap(bytes, fed, n));
                    fed += n;
                }
                if (s == server) {
                    assertThat(fed).as("the application kept up").isEqualTo(bytes.length);
                } else {
                    assertThat(fed).as("stopped after a window's worth").isBetween(1 << 20, (1 << 20) + 2 * 65536);
                }
            }
        }
    }

    /** Data of a stream that is reset, or on no stream at all, still counts until consumed by whoever drops it. */
    @Test
    void dataOnUnknownStreamDoesNotPauseInput() {
        SessionConfig config = SessionConfig.builder().sessionWindowSize(50_000).build();
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, config, new RecordingListener());
        try (RawPeer client = new RawPeer(server).spdy2()) {
            client.read();
            client.send(syn(1, true, get("/")));
            client.read();
            for (int i = 0; i < 5; i++) {
                client.send(new DataFrame(99, ByteBuffer.allocate(20_000), false));
            }
            assertThat(server.wantsInput()).isTrue();
        }
    }

    /** SPDY/2's push used a full "url" header: this engine pushes on SPDY/3 only. */
    @Test
    void pushIsNotOffered() {
        SpdySession server = new SpdySession(Role.SERVER, SpdyVersion.SPDY_2, CONFIG, new RecordingListener((stream, h) -> {
            assertThat(stream.push(HeaderBlock.of(":scheme", "https", ":host", "example.com", ":path", "/a.css"), 0,
                    new StreamListener() { })).isNull();
            stream.reply(ok(), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        try (RawPeer client = new RawPeer(server).spdy2()) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).containsExactly("SYN_REPLY #1 fin [:status: 200, :version: HTTP/1.1]");
        }
    }

    @Test
    void plainServerBecomesSpdy2WhenTheFirstFrameSaysTwo() {
        SpdySession server = SpdySession.plainServerAcceptingSpdy2(SpdyVersion.SPDY_3_1, CONFIG, answering(5));
        try (RawPeer client = new RawPeer(server).spdy2()) {
            assertThat(client.trace()).as("nothing before the client's first frame").isEmpty();
            client.send(new SynStreamFrame(1, 0, 2, 0, true, false, get("/")));
            assertThat(server.version()).isEqualTo(SpdyVersion.SPDY_2);
            assertThat(client.trace()).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=100]",
                    "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]", "DATA #1 len=5 fin");
            assertThat(server.stream(1)).isNull();
        }
    }

    @Test
    void plainServerStaysSpdy3WhenTheFirstFrameSaysThree() {
        SpdySession server = SpdySession.plainServerAcceptingSpdy2(SpdyVersion.SPDY_3_1, CONFIG, answering(5));
        try (RawPeer client = new RawPeer(server)) {
            assertThat(client.trace()).isEmpty();
            client.send(syn(1, true, get("/")));
            assertThat(server.version()).isEqualTo(SpdyVersion.SPDY_3_1);
            assertThat(client.trace()).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                    "WINDOW_UPDATE #0 +983040", "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]", "DATA #1 len=5 fin");
        }
    }

    /** Client and server engines on SPDY/2: a megabyte each way, with no window to wait for. */
    @Test
    void clientAndServerExchangeAMegabyteEachWay() {
        RecordingListener clientEvents = new RecordingListener();
        RecordingListener serverEvents = new RecordingListener((stream, headers) -> new StreamListener() {
            private long received;

            @Override
            public void onData(SpdyStream s, ByteBuffer data, boolean fin) {
                received += data.remaining();
                s.consumed(data.remaining());
                if (fin) {
                    s.reply(ok(), ByteBuffer.allocate((int) received), null, true, WriteCallback.NOOP);
                }
            }
        });
        SessionPair pair = new SessionPair(clientEvents, serverEvents, CONFIG, CONFIG, SpdyVersion.SPDY_2);
        SpdyStream upload = pair.client.newStream(post("/echo"), 0, false, clientEvents);
        upload.data(ByteBuffer.allocate(1 << 20), true, WriteCallback.NOOP);
        pair.pump();
        long received = clientEvents.events.stream().filter(e -> e.startsWith("data 1 "))
                .mapToLong(e -> e.length() - "data 1 ".length() - (e.endsWith(" fin") ? 4 : 0)).sum();
        assertThat(received).isEqualTo(1 << 20);
        assertThat(clientEvents.events).contains("closed 1");
        assertThat(pair.client.version()).isEqualTo(SpdyVersion.SPDY_2);
    }
}
