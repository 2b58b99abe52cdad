package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.SessionPair;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

class Section3_3_ServerPushTest {

    private static final HeaderBlock PUSHED = HeaderBlock.of(":scheme", "https", ":host", "example.com", ":path",
            "/style.css", ":status", "200", ":version", "HTTP/1.1");

    private static RecordingListener pushingServer(AtomicReference<SpdyStream> pushed) {
        return new RecordingListener((stream, headers) -> {
            SpdyStream p = stream.push(PUSHED, 5, new StreamListener() { });
            pushed.set(p);
            if (p != null) {
                p.data(ByteBuffer.wrap("css".getBytes(StandardCharsets.US_ASCII)), true, WriteCallback.NOOP);
            }
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.wrap("page".getBytes(StandardCharsets.US_ASCII)), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
    }

    @Test
    void pushIsAnEvenUnidirectionalStreamSentBeforeTheAssociatedFin() {
        AtomicReference<SpdyStream> pushed = new AtomicReference<>();
        SpdySession server = Sessions.server(pushingServer(pushed));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).containsExactly(
                    "SYN_STREAM #2 assoc=1 pri=5 uni [:scheme: https, :host: example.com, :path: /style.css, "
                            + ":status: 200, :version: HTTP/1.1]",
                    "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]",
                    "DATA #1 len=4 fin",
                    "DATA #2 len=3 fin");
            assertThat(pushed.get().id()).isEqualTo(2);
        }
    }

    /** SPEC §3.3.1: the response of a push is sent like any response; its headers go out as HEADERS. */
    @Test
    void replyOnAPushSendsItsResponseHeadersAsHeaders() {
        SpdySession server = Sessions.server(new RecordingListener((stream, headers) -> {
            SpdyStream p = stream.push(HeaderBlock.of(":scheme", "https", ":host", "example.com", ":path", "/a.css"), 3,
                    new StreamListener() { });
            p.reply(HeaderBlock.of(":status", "200", ":version", "HTTP/1.1", "content-type", "text/css"),
                    ByteBuffer.wrap("css".getBytes(StandardCharsets.US_ASCII)), null, true, WriteCallback.NOOP);
            stream.reply(ok(), ByteBuffer.wrap("page".getBytes(StandardCharsets.US_ASCII)), null, true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).containsExactly(
                    "SYN_STREAM #2 assoc=1 pri=3 uni [:scheme: https, :host: example.com, :path: /a.css]",
                    "SYN_REPLY #1 [:status: 200, :version: HTTP/1.1]",
                    "DATA #1 len=4 fin",
                    "HEADERS #2 [:status: 200, :version: HTTP/1.1, content-type: text/css]",
                    "DATA #2 len=3 fin");
        }
    }

    /** SPEC §3.3.1: only what a GET returns is pushed; a push whose response is not a 200 is cancelled, not sent. */
    @Test
    void pushWhoseResponseIsNot200IsCancelled() {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        SpdySession server = Sessions.server(new RecordingListener((stream, headers) -> {
            SpdyStream p = stream.push(HeaderBlock.of(":scheme", "https", ":host", "example.com", ":path", "/gone.css",
                    ":method", "GET", ":version", "HTTP/1.1"), 3, new StreamListener() { });
            p.reply(HeaderBlock.of(":status", "404", ":version", "HTTP/1.1"), true, failuresInto(failures));
            stream.reply(ok(), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).containsExactly(
                    "SYN_STREAM #2 assoc=1 pri=3 uni [:scheme: https, :host: example.com, :path: /gone.css, "
                            + ":method: GET, :version: HTTP/1.1]",
                    "RST_STREAM #2 CANCEL",
                    "SYN_REPLY #1 fin [:status: 200, :version: HTTP/1.1]");
            assertThat(failures).singleElement().asString().contains("push 2 expects 200, the response is 404");
        }
    }

    /**
     * A push whose SYN_STREAM promised {@code :status 200} (what Netty 3's SPDY client required)
     * sends the rest of its response headers in HEADERS without repeating them; a
     * response with another status cannot be sent on it and cancels the push.
     */
    @Test
    void pushThatPromisedItsStatusSendsTheOtherHeadersOrIsCancelled() {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        SpdySession server = Sessions.server(new RecordingListener((stream, headers) -> {
            HeaderBlock promise = HeaderBlock.of(":scheme", "https", ":host", "example.com", ":path", "/a.css",
                    ":status", "200", ":version", "HTTP/1.1");
            SpdyStream ok = stream.push(promise, 3, new StreamListener() { });
            ok.reply(HeaderBlock.of(":status", "200 OK", ":version", "HTTP/1.1", "content-type", "text/css"),
                    ByteBuffer.wrap("css".getBytes(StandardCharsets.US_ASCII)), null, true, WriteCallback.NOOP);
            SpdyStream missing = stream.push(promise, 3, new StreamListener() { });
            missing.reply(HeaderBlock.of(":status", "404", ":version", "HTTP/1.1"), true, failuresInto(failures));
            stream.reply(ok(), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).containsExactly(
                    "SYN_STREAM #2 assoc=1 pri=3 uni [:scheme: https, :host: example.com, :path: /a.css, :status: 200, "
                            + ":version: HTTP/1.1]",
                    "SYN_STREAM #4 assoc=1 pri=3 uni [:scheme: https, :host: example.com, :path: /a.css, :status: 200, "
                            + ":version: HTTP/1.1]",
                    "RST_STREAM #4 CANCEL",
                    "SYN_REPLY #1 fin [:status: 200, :version: HTTP/1.1]",
                    "HEADERS #2 [content-type: text/css]",
                    "DATA #2 len=3 fin");
            assertThat(failures).singleElement().extracting(Throwable::getMessage)
                    .isEqualTo("push 4 expects 200, the response is 404");
        }
    }

    @Test
    void clientReceivesPushesThroughItsSessionListener() {
        AtomicReference<SpdyStream> pushed = new AtomicReference<>();
        RecordingListener clientEvents = new RecordingListener();
        SessionPair pair = new SessionPair(clientEvents, pushingServer(pushed));
        pair.client.newStream(get("/"), 0, true, clientEvents);
        pair.pump();
        assertThat(clientEvents.events).contains(
                "stream 2 [:scheme: https, :host: example.com, :path: /style.css, :status: 200, :version: HTTP/1.1]",
                "data 2 css fin", "data 1 page fin");
        assertThat(pair.server.statistics().localStreams()).isZero();
    }

    @Test
    void clientCancelStopsThePushAtOnce() {
        AtomicReference<SpdyStream> pushed = new AtomicReference<>();
        RecordingListener clientEvents = new RecordingListener((stream, headers) -> null);
        SessionPair pair = new SessionPair(clientEvents, pushingServer(pushed));
        pair.client.newStream(get("/"), 0, true, clientEvents);
        pair.pump();
        // Returning null from onStream refuses the push.
        assertThat(pair.server.statistics().resetsReceived()).containsEntry("REFUSED_STREAM", 1L);
        assertThat(pair.server.statistics().localStreams()).isZero();
    }

    /** SPEC §2.6.4: MAX_CONCURRENT_STREAMS bounds the server's pushes; a cancelled push frees its slot at once. */
    @Test
    void pushesStopAtThePeersConcurrencyLimitAndACancelFreesTheSlot() {
        RecordingListener app = new RecordingListener((stream, headers) -> new StreamListener() { });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 2))),
                    syn(1, true, get("/")));
            SpdyStream page = app.streams.get(0);
            assertThat(page.push(PUSHED, 0, new StreamListener() { })).isNotNull();
            assertThat(page.push(PUSHED, 0, new StreamListener() { })).isNotNull();
            assertThat(page.push(PUSHED, 0, new StreamListener() { })).as("a third push over the limit of 2").isNull();
            client.send(new RstStreamFrame(2, RstStatus.CANCEL));
            assertThat(page.push(PUSHED, 0, new StreamListener() { })).as("the slot of the cancelled push").isNotNull();
            assertThat(client.trace()).containsExactly(
                    "SYN_STREAM #2 assoc=1 pri=0 uni [:scheme: https, :host: example.com, :path: /style.css, "
                            + ":status: 200, :version: HTTP/1.1]",
                    "SYN_STREAM #4 assoc=1 pri=0 uni [:scheme: https, :host: example.com, :path: /style.css, "
                            + ":status: 200, :version: HTTP/1.1]",
                    "SYN_STREAM #6 assoc=1 pri=0 uni [:scheme: https, :host: example.com, :path: /style.css, "
                            + ":status: 200, :version: HTTP/1.1]");
        }
    }

    @Test
    void pushIsRefusedOnceTheAssociatedStreamFinished() {
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(ok(), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(app.streams.get(0).push(PUSHED, 0, new StreamListener() { })).isNull();
        }
    }

    @Test
    void pushWithoutAnOpenAssociatedStreamIsReset() {
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            server.read();
            server.send(new SynStreamFrame(2, 1, 0, 0, false, true, PUSHED));
            assertThat(server.trace()).containsExactly("RST_STREAM #2 PROTOCOL_ERROR");
        }
    }

    @Test
    void clientsCannotPush() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, get("/")), new SynStreamFrame(3, 1, 0, 0, false, true, PUSHED));
            assertThat(client.trace()).containsExactly("RST_STREAM #3 PROTOCOL_ERROR");
            assertThat(RstStatus.PROTOCOL_ERROR.code()).isEqualTo(1);
        }
    }

    /** A write callback that records why the write failed. */
    private static WriteCallback failuresInto(List<Throwable> failures) {
        return new WriteCallback() {
            @Override
            public void succeeded() {
            }

            @Override
            public void failed(Throwable cause) {
                failures.add(cause);
            }
        };
    }
}
