package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session admits at most {@code maxStreamsPerSession} streams over its life (reliability table
 * row 19): the last is followed by GOAWAY(OK) naming it, it completes, later streams are ignored
 * (SPEC §2.6.6), and the session closes once the admitted ones are done.
 */
class StreamsPerSessionTest {
    @Test
    void theLastAdmittedStreamIsFollowedByGoAwayAndFinishes() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxStreamsPerSession(3).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")), syn(3, true, get("/")));
            assertThat(client.trace()).isEmpty();
            client.send(syn(5, true, get("/")), syn(7, true, get("/")));
            assertThat(client.trace()).containsExactly("GOAWAY last=5 OK");
            assertThat(app.streams).hasSize(3);
            for (SpdyStream s : app.streams) {
                s.reply(Sessions.ok(), true, WriteCallback.NOOP);
            }
            assertThat(client.trace()).containsExactly("SYN_REPLY #1 fin " + Sessions.ok(),
                    "SYN_REPLY #3 fin " + Sessions.ok(), "SYN_REPLY #5 fin " + Sessions.ok());
            assertThat(client.transportClosed).isTrue();
        }
    }

    @Test
    void zeroMeansNoLimit() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxStreamsPerSession(0).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int id = 1; id < 4000; id += 2) {
                client.send(syn(id, true, get("/")));
                app.streams.get(app.streams.size() - 1).reply(Sessions.ok(), true, WriteCallback.NOOP);
                client.read();
            }
            assertThat(app.streams).hasSize(2000);
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void aThousandByDefaultAsInNginx() {
        assertThat(SessionConfig.defaults().maxStreamsPerSession()).isEqualTo(1000);
    }
}
