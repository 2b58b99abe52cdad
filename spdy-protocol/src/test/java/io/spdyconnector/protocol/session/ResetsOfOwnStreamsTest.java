package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RST_STREAM for streams this side opened answers our own requests: it is not overhead the peer
 * can pile on, and must not count against the abuse budget (found against Netty's server, which
 * refuses streams over its limit that were sent before its SETTINGS arrived, SPEC §2.6.3).
 */
class ResetsOfOwnStreamsTest {

    @Test
    void clientSurvivesRefusalsOfStreamsSentBeforeTheServersLimitArrived() {
        RecordingListener app = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), app);
        try (RawPeer server = new RawPeer(client)) {
            for (int i = 0; i < 10; i++) {
                client.newStream(Sessions.get("/" + i), 0, true, app);
            }
            assertThat(server.trace()).hasSize(12);
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 2))));
            for (int id = 5; id <= 19; id += 2) {
                server.send(new RstStreamFrame(id, RstStatus.REFUSED_STREAM));
            }
            assertThat(server.trace()).isEmpty();
            assertThat(client.state()).isEqualTo(SpdySession.State.OPEN);
            assertThat(app.events).filteredOn(e -> e.startsWith("reset")).hasSize(8)
                    .allMatch(e -> e.endsWith("REFUSED_STREAM retryable"));
        }
    }

    @Test
    void serverSurvivesTheClientCancellingItsPushes() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(Sessions.syn(1, false, Sessions.get("/page")));
            SpdyStream page = app.streams.get(0);
            page.reply(Sessions.ok(), false, WriteCallback.NOOP);
            for (int i = 0; i < 6; i++) {
                assertThat(page.push(io.spdyconnector.protocol.headers.HeaderBlock.of(":scheme", "https",
                        ":host", "example.com", ":path", "/img/" + i), 7, app)).isNotNull();
            }
            client.read();
            for (int id = 2; id <= 12; id += 2) {
                client.send(new RstStreamFrame(id, RstStatus.CANCEL));
            }
            assertThat(client.trace()).isEmpty();
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void resetsOfThePeersOwnStreamsStillCount() {
        // Rapid Reset: open and reset at once, again and again.
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int id = 1; id < 40; id += 2) {
                client.send(Sessions.syn(id, false, Sessions.get("/")), new RstStreamFrame(id, RstStatus.CANCEL));
            }
            assertThat(client.trace()).last().asString().startsWith("GOAWAY");
            assertThat(server.state()).isNotEqualTo(SpdySession.State.OPEN);
        }
    }
    @Test
    void serverSurvivesTheClientCancellingPushesItHasAlreadyFinished() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(Sessions.syn(1, false, Sessions.get("/page")));
            SpdyStream page = app.streams.get(0);
            for (int i = 0; i < 3; i++) {
                SpdyStream push = page.push(io.spdyconnector.protocol.headers.HeaderBlock.of(":scheme", "https",
                        ":host", "example.com", ":path", "/img/" + i), 7, app);
                push.headers(Sessions.ok(), false, WriteCallback.NOOP);
                push.data(java.nio.ByteBuffer.wrap(new byte[100]), true, WriteCallback.NOOP);
            }
            page.reply(Sessions.ok(), false, WriteCallback.NOOP);
            client.read();
            // A browser that has these images cached cancels the pushes; they are complete already.
            for (int id = 2; id <= 6; id += 2) {
                client.send(new RstStreamFrame(id, RstStatus.CANCEL));
            }
            assertThat(client.trace()).isEmpty();
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }
}
