package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
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

class Section2_6_7_HeadersTest {

    @Test
    void trailersFollowDataInBothDirections() {
        RecordingListener clientEvents = new RecordingListener();
        RecordingListener serverEvents = new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.wrap("body".getBytes(StandardCharsets.US_ASCII)), false, WriteCallback.NOOP);
            stream.headers(HeaderBlock.of("x-checksum", "abc"), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SessionPair pair = new SessionPair(clientEvents, serverEvents);
        SpdyStream s = pair.client.newStream(post("/"), 0, false, clientEvents);
        s.data(ByteBuffer.wrap("up".getBytes(StandardCharsets.US_ASCII)), false, WriteCallback.NOOP);
        s.headers(HeaderBlock.of("x-upload-trailer", "done"), true, WriteCallback.NOOP);
        pair.pump();
        assertThat(clientEvents.events).containsExactly("reply 1 [:status: 200, :version: HTTP/1.1]", "data 1 body",
                "headers 1 fin [x-checksum: abc]", "closed 1");
    }

    @Test
    void headersAfterThePeersFinAreStreamAlreadyClosed() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")), new HeadersFrame(1, false, HeaderBlock.of("x", "y")));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 STREAM_ALREADY_CLOSED");
        }
    }

    @Test
    void headerBytesAreCountedAcrossAllBlocksOfAStream() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxHeaderBytes(300).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            client.send(new HeadersFrame(1, false, HeaderBlock.of("x-a", "a".repeat(100))));
            assertThat(client.trace()).isEmpty();
            client.send(new HeadersFrame(1, false, HeaderBlock.of("x-b", "b".repeat(100))));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 FRAME_TOO_LARGE");
            // The context stayed in sync: the next stream decodes.
            client.send(syn(3, true, get("/next")));
            assertThat(app.streams).hasSize(2);
            client.send(new DataFrame(3, ByteBuffer.allocate(1), true));
        }
    }

    @Test
    void invalidHeaderBlockResetsOnlyThatStream() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, new HeaderBlock().addRaw("Upper", "x")));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 PROTOCOL_ERROR");
            client.send(syn(3, true, get("/")));
            assertThat(app.streams).hasSize(1);
        }
    }
}
