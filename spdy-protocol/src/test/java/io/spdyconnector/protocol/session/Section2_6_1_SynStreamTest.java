package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_1_SynStreamTest {

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void sessionOpensWithSettingsAndSessionWindow() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            assertThat(client.trace()).containsExactly(Sessions.SERVER_PREFACE_SETTINGS, Sessions.SERVER_PREFACE_WINDOW);
        }
    }

    @Test
    void requestIsAnsweredWithSynReplyAndData() {
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(text("hello"), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/hello")));
            assertThat(client.trace()).containsExactly(
                    "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]",
                    "DATA #1 len=5 fin");
            assertThat(app.events).containsExactly(
                    "stream 1 fin [:method: GET, :path: /hello, :version: HTTP/1.1, :host: example.com, :scheme: https]");
        }
    }

    @Test
    void handlerThatReturnsNullRefusesTheStream() {
        SpdySession server = Sessions.server(new RecordingListener((s, h) -> null));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 REFUSED_STREAM");
        }
    }

    @Test
    void streamIdsMustIncrease() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(5, false, get("/a")), syn(3, false, get("/b")));
            // SPEC §2.3.2: a lower id is a session error.
            assertThat(client.trace()).containsExactly("GOAWAY last=5 PROTOCOL_ERROR");
            assertThat(client.transportClosed).isTrue();
            assertThat(app.events).contains("reset 5 INTERNAL_ERROR");
        }
    }

    @Test
    void duplicateSynStreamResetsTheStream() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, get("/a")), syn(1, false, get("/a")));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 PROTOCOL_ERROR");
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void evenStreamIdFromClientIsASessionError() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(2, true, get("/")));
            assertThat(client.trace()).containsExactly("GOAWAY last=0 PROTOCOL_ERROR");
        }
    }

    @Test
    void streamsBeyondMaxConcurrentAreRefusedBeforeTheApplicationSeesThem() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxConcurrentStreams(2).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/1")), syn(3, true, get("/3")), syn(5, true, get("/5")));
            assertThat(client.trace()).containsExactly("RST_STREAM #5 REFUSED_STREAM");
            assertThat(app.streams).hasSize(2);
        }
    }

    @Test
    void dataSentOnRequestStreamReachesTheApplication() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, Sessions.post("/up")), new DataFrame(1, text("abc"), false),
                    new DataFrame(1, text("def"), true));
            assertThat(app.events).containsExactly(
                    "stream 1 [:method: POST, :path: /up, :version: HTTP/1.1, :host: example.com, :scheme: https]",
                    "data 1 abc", "data 1 def fin");
            assertThat(app.streams.get(0).state()).isEqualTo(io.spdyconnector.protocol.stream.StreamState.REMOTE_CLOSED);
            app.streams.get(0).reset(RstStatus.CANCEL);
            assertThat(client.trace()).containsExactly("RST_STREAM #1 CANCEL");
        }
    }

    /**
     * Headers over the budget are answered as an HTTP/1.1 server answers them, 431, before the
     * application sees the request; the block was inflated to its end, so the next request decodes.
     */
    @Test
    void requestOverTheHeaderBudgetIsAnswered431AndTheSessionGoesOn() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxHeaderBytes(300).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/big").add("x-big", "b".repeat(400))));
            assertThat(client.trace()).containsExactly(
                    "SYN_REPLY #1 fin [:status: 431 Request Header Fields Too Large, :version: HTTP/1.1, content-length: 0]");
            assertThat(app.streams).isEmpty();
            client.send(syn(3, true, get("/next")));
            assertThat(app.events).containsExactly(
                    "stream 3 fin [:method: GET, :path: /next, :version: HTTP/1.1, :host: example.com, :scheme: https]");
        }
    }

    @Test
    void tooManyHeadersAreAnswered431Too() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxHeaderCount(8).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            io.spdyconnector.protocol.headers.HeaderBlock many = get("/many");
            for (int i = 0; i < 8; i++) {
                many.add("x-" + i, "v");
            }
            client.send(syn(1, true, many));
            assertThat(client.trace()).containsExactly(
                    "SYN_REPLY #1 fin [:status: 431 Request Header Fields Too Large, :version: HTTP/1.1, content-length: 0]");
            assertThat(app.streams).isEmpty();
        }
    }

    /** The body of a request answered 431 is refused once the answer is out, and its DATA credited. */
    @Test
    void bodyOfARequestAnswered431IsRefusedWithCancel() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxHeaderBytes(300).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, Sessions.post("/big").add("x-big", "b".repeat(400))));
            assertThat(client.trace()).containsExactly(
                    "SYN_REPLY #1 fin [:status: 431 Request Header Fields Too Large, :version: HTTP/1.1, content-length: 0]",
                    "RST_STREAM #1 CANCEL");
            client.send(new DataFrame(1, ByteBuffer.allocate(40_000), true));
            client.send(syn(3, true, get("/next")));
            assertThat(app.streams).hasSize(1);
            assertThat(client.trace()).as("no session error; the discarded DATA is credited")
                    .noneMatch(frame -> frame.startsWith("GOAWAY"));
        }
    }
}
