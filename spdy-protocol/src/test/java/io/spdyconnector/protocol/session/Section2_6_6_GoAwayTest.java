package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.SessionPair;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_6_GoAwayTest {

    @Test
    void gracefulGoAwayLetsAdmittedStreamsFinishAndIgnoresNewOnes() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/slow")), syn(3, true, get("/slow")));
            server.goAway();
            assertThat(client.trace()).containsExactly("GOAWAY last=3 OK");
            // SPEC §2.6.6: new streams after GOAWAY are ignored, but their header blocks are still
            // inflated, so the next block (stream 1's trailers) still decodes.
            client.send(syn(5, true, get("/new")));
            client.send(new io.spdyconnector.protocol.frame.HeadersFrame(1, false,
                    io.spdyconnector.protocol.headers.HeaderBlock.of("x-trailer", "t")));
            client.send(new DataFrame(1, ByteBuffer.wrap("body".getBytes(StandardCharsets.US_ASCII)), true));
            assertThat(client.trace()).isEmpty();
            assertThat(app.events).contains("headers 1 [x-trailer: t]", "data 1 body fin");
            assertThat(app.streams).hasSize(2);

            for (SpdyStream s : app.streams) {
                s.reply(ok(), true, WriteCallback.NOOP);
            }
            assertThat(client.trace()).containsExactly("SYN_REPLY #1 fin [:status: 200, :version: HTTP/1.1]",
                    "SYN_REPLY #3 fin [:status: 200, :version: HTTP/1.1]");
            assertThat(client.transportClosed).isTrue();
            assertThat(server.state()).isEqualTo(SpdySession.State.CLOSED);
            assertThat(app.events).last().isEqualTo("session closed");
        }
    }

    @Test
    void goAwayWithNoStreamsClosesAtOnce() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            server.goAway();
            assertThat(client.trace()).containsExactly("GOAWAY last=0 OK");
            assertThat(client.transportClosed).isTrue();
        }
    }

    @Test
    void receivedGoAwayFailsUnprocessedStreamsAsRetryable() {
        RecordingListener clientEvents = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), clientEvents);
        try (RawPeer server = new RawPeer(client)) {
            for (int i = 0; i < 3; i++) {
                client.newStream(get("/" + i), 0, true, clientEvents);
            }
            assertThat(server.trace()).hasSize(2 + 3);
            server.send(new GoAwayFrame(3, GoAwayStatus.OK));
            assertThat(clientEvents.events).containsExactly("reset 5 REFUSED_STREAM retryable", "closed 5", "goaway 3 OK");
            server.send(new SynReplyFrame(1, true, ok()), new SynReplyFrame(3, true, ok()));
            // SPEC §2.1: the client closes with its own GOAWAY once its streams are done.
            assertThat(server.trace()).containsExactly("GOAWAY last=0 OK");
            assertThat(server.transportClosed).isTrue();
        }
    }

    @Test
    void noNewStreamsAfterGoAway() {
        SessionPair pair = new SessionPair(new RecordingListener(), new RecordingListener());
        pair.server.goAway();
        pair.pump();
        assertThat(pair.client.canOpenStreams()).isFalse();
        assertThat(pair.client.state()).isEqualTo(SpdySession.State.CLOSED);
    }

    @Test
    void sessionErrorReportsTheLastAdmittedStream() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, get("/")), syn(3, false, get("/")));
            client.sendBytes(new byte[] {(byte) 0x80, 0x03, 0x00, 0x06, 0, 0, 0, 5, 0, 0, 0, 0, 0});
            // SPEC §2.4.1: GOAWAY with the last stream id received, then close.
            assertThat(client.trace()).containsExactly("GOAWAY last=3 PROTOCOL_ERROR");
            assertThat(client.transportClosed).isTrue();
            assertThat(server.statistics().goAwaysSent()).containsEntry("PROTOCOL_ERROR", 1L);
        }
    }

    @Test
    void inputClosedCutsOpenStreamsAndEndsWithGoAway() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            server.inputClosed();
            assertThat(app.events).contains("reset 1 CANCEL");
            assertThat(client.trace()).containsExactly("GOAWAY last=1 OK");
            assertThat(client.transportClosed).isTrue();
        }
    }
}
