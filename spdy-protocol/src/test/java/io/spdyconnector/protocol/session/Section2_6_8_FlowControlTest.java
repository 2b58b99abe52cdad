package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.SessionPair;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_8_FlowControlTest {

    private static RecordingListener answering(int bodyBytes, AtomicInteger completed) {
        return new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(bodyBytes), true, new WriteCallback() {
                @Override
                public void succeeded() {
                    completed.incrementAndGet();
                }

                @Override
                public void failed(Throwable cause) {
                }
            });
            return new StreamListener() { };
        });
    }

    private static long dataBytes(List<Frame> frames) {
        return frames.stream().filter(f -> f instanceof DataFrame).mapToLong(f -> ((DataFrame) f).data().remaining()).sum();
    }

    @Test
    void senderStopsAtTheStreamWindowUntilWindowUpdate() {
        AtomicInteger completed = new AtomicInteger();
        SpdySession server = Sessions.server(answering(200_000, completed));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, 10_000_000), syn(1, true, get("/big")));
            // SPEC §2.6.8: the initial stream window is 64 KiB.
            assertThat(dataBytes(client.read())).isEqualTo(65536);
            assertThat(completed).hasValue(0);
            client.send(new WindowUpdateFrame(1, 100_000));
            assertThat(dataBytes(client.read())).isEqualTo(100_000);
            client.send(new WindowUpdateFrame(1, 100_000));
            List<String> rest = client.read().stream().map(Frame::toString).toList();
            assertThat(rest).last().isEqualTo("DATA #1 len=1696 fin");
            assertThat(completed).hasValue(1);
        }
    }

    @Test
    void senderStopsAtTheSessionWindowAcrossStreams() {
        AtomicInteger completed = new AtomicInteger();
        SpdySession server = Sessions.server(answering(50_000, completed));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/a")), syn(3, true, get("/b")));
            // SPEC §2.6.8: the session window is 64 KiB too until a WINDOW_UPDATE on stream 0.
            assertThat(dataBytes(client.read())).isEqualTo(65536);
            client.send(new WindowUpdateFrame(0, 65536));
            assertThat(dataBytes(client.read())).isEqualTo(100_000 - 65536);
            assertThat(completed).hasValue(2);
        }
    }

    @Test
    void smallerInitialWindowMakesOpenStreamWindowsNegative() {
        AtomicInteger completed = new AtomicInteger();
        SpdySession server = Sessions.server(answering(100_000, completed));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, 10_000_000), syn(1, true, get("/")));
            assertThat(dataBytes(client.read())).isEqualTo(65536);
            // SPEC §2.6.8: 64 KiB sent, window reset to 16 KiB: the window is now -48 KiB.
            client.send(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 16384))));
            client.send(new WindowUpdateFrame(1, 49152));
            assertThat(dataBytes(client.read())).isZero();
            client.send(new WindowUpdateFrame(1, 1000));
            assertThat(dataBytes(client.read())).isEqualTo(1000);
        }
    }

    @Test
    void dataBeyondTheStreamWindowResetsTheStreamAndReturnsSessionCredit() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().initialWindowSize(1000).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/up")), new DataFrame(1, ByteBuffer.allocate(1001), false));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 FLOW_CONTROL_ERROR");
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void dataBeyondTheSessionWindowIsASessionError() {
        SpdySession server = Sessions.server(new RecordingListener(),
                SessionConfig.builder().sessionWindowSize(65536).initialWindowSize(1 << 20).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/up")), new DataFrame(1, ByteBuffer.allocate(65537), false));
            assertThat(client.trace()).containsExactly("GOAWAY last=1 PROTOCOL_ERROR");
        }
    }

    @Test
    void creditReturnsOnlyWhenTheApplicationConsumes() {
        RecordingListener app = new RecordingListener();
        app.holdCredit = true;
        SpdySession server = Sessions.server(app, SessionConfig.builder().sessionWindowSize(65536).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/up")), new DataFrame(1, ByteBuffer.allocate(40_000), false));
            assertThat(client.trace()).isEmpty();
            SpdyStream stream = app.streams.get(0);
            stream.consumed(20_000);
            assertThat(client.trace()).isEmpty();
            // Half a window consumed: both windows are topped up.
            stream.consumed(20_000);
            assertThat(client.trace()).containsExactly("WINDOW_UPDATE #0 +40000", "WINDOW_UPDATE #1 +40000");
        }
    }

    @Test
    void dataForUnknownStreamsStillCountsAgainstTheSessionWindow() {
        SpdySession server = Sessions.server(new RecordingListener(), SessionConfig.builder().sessionWindowSize(65536).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/up")), new DataFrame(1, ByteBuffer.allocate(10), true));
            client.read();
            client.send(new DataFrame(1, ByteBuffer.allocate(40_000), false));
            // SPEC §2.6.8: discarded bytes are credited back at once, so the windows never diverge.
            assertThat(client.trace()).containsExactly("WINDOW_UPDATE #0 +40010", "RST_STREAM #1 STREAM_ALREADY_CLOSED");
        }
    }

    @Test
    void streamWindowOverflowIsAStreamError() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")), new WindowUpdateFrame(1, Integer.MAX_VALUE));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 FLOW_CONTROL_ERROR");
        }
    }

    @Test
    void sessionWindowOverflowIsASessionError() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, Integer.MAX_VALUE));
            assertThat(client.trace()).containsExactly("GOAWAY last=0 PROTOCOL_ERROR");
        }
    }

    @Test
    void emptyFinMayBeSentWithAClosedWindow() {
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(65536), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(0), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new WindowUpdateFrame(0, 1 << 20), syn(1, true, get("/")));
            assertThat(client.trace()).endsWith("DATA #1 len=0 fin");
        }
    }

    @Test
    void spdy3HasNoSessionWindow() {
        AtomicInteger completed = new AtomicInteger();
        RecordingListener clientEvents = new RecordingListener();
        SessionPair pair = new SessionPair(clientEvents, answering(1_000_000, completed), SessionConfig.defaults(),
                SessionConfig.defaults(), SpdyVersion.SPDY_3);
        for (int i = 0; i < 4; i++) {
            pair.client.newStream(get("/" + i), 0, true, clientEvents);
        }
        pair.pump();
        assertThat(completed).hasValue(4);
        assertThat(pair.bytesServerToClient).isGreaterThan(4_000_000);
    }

    @Test
    void clientAndServerMoveLargeBodiesBothWays() {
        AtomicInteger completed = new AtomicInteger();
        RecordingListener clientEvents = new RecordingListener();
        SessionPair pair = new SessionPair(clientEvents, answering(3_000_000, completed));
        SpdyStream upload = pair.client.newStream(post("/"), 3, false, clientEvents);
        upload.data(ByteBuffer.allocate(2_000_000), true, WriteCallback.NOOP);
        pair.pump();
        assertThat(completed).hasValue(1);
        assertThat(pair.bytesServerToClient).isGreaterThan(3_000_000);
        assertThat(pair.bytesClientToServer).isGreaterThan(2_000_000);
        assertThat(clientEvents.events).contains("closed 1");
    }
}
