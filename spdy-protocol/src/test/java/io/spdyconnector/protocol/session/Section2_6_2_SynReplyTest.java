package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_2_SynReplyTest {

    private static SpdySession client(RecordingListener events) {
        return new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
    }

    @Test
    void replyThenDataCompleteTheStream() {
        RecordingListener events = new RecordingListener();
        SpdySession client = client(events);
        try (RawPeer server = new RawPeer(client)) {
            client.newStream(get("/"), 2, true, events);
            assertThat(server.trace()).containsExactly("SETTINGS [MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536]",
                    "WINDOW_UPDATE #0 +983040",
                    "SYN_STREAM #1 pri=2 fin [:method: GET, :path: /, :version: HTTP/1.1, :host: example.com, :scheme: https]");
            server.send(new SynReplyFrame(1, false, ok()),
                    new DataFrame(1, ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)), true));
            assertThat(events.events).containsExactly("reply 1 [:status: 200, :version: HTTP/1.1]", "data 1 hi fin",
                    "closed 1");
        }
    }

    @Test
    void secondReplyIsStreamInUse() {
        RecordingListener events = new RecordingListener();
        SpdySession client = client(events);
        try (RawPeer server = new RawPeer(client)) {
            client.newStream(get("/"), 0, true, events);
            server.read();
            server.send(new SynReplyFrame(1, false, ok()), new SynReplyFrame(1, false, ok()));
            assertThat(server.trace()).containsExactly("RST_STREAM #1 STREAM_IN_USE");
            assertThat(events.events).contains("reset 1 STREAM_IN_USE");
        }
    }

    @Test
    void dataBeforeTheReplyIsProtocolError() {
        RecordingListener events = new RecordingListener();
        SpdySession client = client(events);
        try (RawPeer server = new RawPeer(client)) {
            client.newStream(get("/"), 0, true, events);
            server.read();
            server.send(new DataFrame(1, ByteBuffer.allocate(3), false));
            // SPEC §2.2.2: DATA before SYN_REPLY on a stream this side created.
            assertThat(server.trace()).containsExactly("RST_STREAM #1 PROTOCOL_ERROR");
        }
    }

    @Test
    void replyForAStreamNeverOpenedIsInvalidStream() {
        RecordingListener events = new RecordingListener();
        SpdySession client = client(events);
        try (RawPeer server = new RawPeer(client)) {
            server.read();
            server.send(new SynReplyFrame(9, false, ok()));
            assertThat(server.trace()).containsExactly("RST_STREAM #9 INVALID_STREAM");
        }
    }

    @Test
    void serverCannotSendReplyTwiceOrDataBeforeReply() {
        RecordingListener app = new RecordingListener();
        SpdySession server = io.spdyconnector.protocol.testing.Sessions.server(app);
        try (RawPeer peer = new RawPeer(server)) {
            peer.read();
            peer.send(io.spdyconnector.protocol.testing.Sessions.syn(1, true, get("/")));
            SpdyStream s = app.streams.get(0);
            java.util.List<Throwable> failures = new java.util.ArrayList<>();
            WriteCallback record = new WriteCallback() {
                @Override
                public void succeeded() {
                }

                @Override
                public void failed(Throwable cause) {
                    failures.add(cause);
                }
            };
            s.data(ByteBuffer.allocate(1), false, record);
            s.reply(ok(), false, WriteCallback.NOOP);
            s.reply(ok(), false, record);
            assertThat(failures).extracting(Throwable::getMessage).containsExactly(
                    "send the SYN_REPLY before HEADERS or DATA", "a response is sent once, on a stream the peer opened or a push");
        }
    }
}
