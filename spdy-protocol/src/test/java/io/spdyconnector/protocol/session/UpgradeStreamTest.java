package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.SessionPair;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream 1 of a connection an HTTP/1.1 request upgraded: answered on SPDY, never opened on it. */
class UpgradeStreamTest {
    private static HeaderBlock reply() {
        return HeaderBlock.of(":status", "200 OK", ":version", "HTTP/1.1");
    }

    @Test
    void theUpgradeRequestIsAnsweredOnStreamOneAndTheClientGoesOnWithThree() {
        RecordingListener serverEvents = new RecordingListener((stream, headers) -> {
            stream.reply(reply(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.wrap(("for " + headers.get(":path")).getBytes(StandardCharsets.US_ASCII)), true,
                    WriteCallback.NOOP);
            return new RecordingListener();
        });
        RecordingListener clientEvents = new RecordingListener();
        SessionPair pair = new SessionPair(clientEvents, serverEvents);

        SpdyStream upgraded = pair.server.openUpgradeStream(0, new RecordingListener());
        upgraded.reply(reply(), false, WriteCallback.NOOP);
        upgraded.data(ByteBuffer.wrap("upgraded".getBytes(StandardCharsets.US_ASCII)), true, WriteCallback.NOOP);
        SpdyStream mine = pair.client.openUpgradeStream(0, clientEvents);
        assertThat(mine.id()).isEqualTo(1);
        pair.pump();
        assertThat(clientEvents.events).containsExactly("reply 1 [:status: 200 OK, :version: HTTP/1.1]",
                "data 1 upgraded fin", "closed 1");
        assertThat(pair.server.statistics().remoteStreams()).isZero();

        SpdyStream next = pair.client.newStream(HeaderBlock.of(":method", "GET", ":path", "/next", ":version", "HTTP/1.1",
                ":host", "example.com", ":scheme", "http"), 0, true, clientEvents);
        pair.pump();
        assertThat(next.id()).isEqualTo(3);
        assertThat(serverEvents.events).hasSize(1).first().asString().startsWith("stream 3 fin ");
        assertThat(clientEvents.events).contains("data 3 for /next fin");
        assertThat(pair.server.state()).isEqualTo(SpdySession.State.OPEN);
        assertThat(pair.client.state()).isEqualTo(SpdySession.State.OPEN);
    }

    @Test
    void aSecondStreamOneIsAProtocolErrorOnTheServer() {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        SessionPair pair = new SessionPair(clientEvents, serverEvents);
        pair.server.openUpgradeStream(0, new RecordingListener());
        // A client that did not take the upgrade into account opens stream 1 again.
        pair.client.newStream(HeaderBlock.of(":method", "GET", ":path", "/", ":version", "HTTP/1.1", ":host", "x",
                ":scheme", "http"), 0, true, clientEvents);
        pair.pump();
        assertThat(serverEvents.events).noneMatch(e -> e.startsWith("stream"));
        assertThat(clientEvents.events).contains("reset 1 PROTOCOL_ERROR");
    }

    @Test
    void onlyTheFirstStreamCanBeTheUpgradeStream() {
        SessionPair pair = new SessionPair(new RecordingListener(), new RecordingListener());
        pair.client.newStream(HeaderBlock.of(":method", "GET", ":path", "/", ":version", "HTTP/1.1", ":host", "x",
                ":scheme", "http"), 0, true, new RecordingListener());
        assertThatThrownBy(() -> pair.client.openUpgradeStream(0, new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
        pair.pump();
        assertThatThrownBy(() -> pair.server.openUpgradeStream(0, new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
    }
}
