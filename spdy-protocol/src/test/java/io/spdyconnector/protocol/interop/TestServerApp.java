package io.spdyconnector.protocol.interop;

import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP application on a server-role session, answering by path:
 * <ul>
 *   <li>{@code /hello}: "hello"</li>
 *   <li>{@code /echo}: the request body back, with {@code x-request-bytes}</li>
 *   <li>{@code /bytes/N}: N bytes of {@link #pattern}</li>
 *   <li>{@code /trailers}: "body", then trailers in HEADERS with FIN</li>
 *   <li>{@code /headers}: a SYN_REPLY carrying {@link #RESPONSE_HEADERS} plus the request path, no body</li>
 *   <li>{@code /push}: pushes {@code /pushed.css} (HEADERS with :status, then DATA), then answers;
 *       {@code /push-minimal} pushes with only the headers SPEC §3.3.1 requires</li>
 *   <li>{@code /hold}: SYN_REPLY only; the test finishes the stream through {@link #streams}</li>
 * </ul>
 * Request bodies are copied out of the views the session hands over, as a real application must.
 */
class TestServerApp implements SessionListener {
    static final HeaderBlock RESPONSE_HEADERS = HeaderBlock.of(
            ":status", "200 OK", ":version", "HTTP/1.1",
            "content-type", "text/html; charset=utf-8",
            "set-cookie", "id=a3fWa; Max-Age=2592000; Secure; HttpOnly",
            "set-cookie", "theme=dark; Path=/",
            "cache-control", "private, max-age=0",
            "server", "spdy-connector",
            "x-long", "x".repeat(3000));

    static final String PUSHED_CSS = "h1 { font-weight: 300 }";

    final List<String> events = new CopyOnWriteArrayList<>();
    final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();
    final Map<Integer, HeaderBlock> requests = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final java.util.concurrent.CompletableFuture<Throwable> closed = new java.util.concurrent.CompletableFuture<>();
    volatile Runnable outputReady = () -> { };

    /** Deterministic body bytes: byte i of a body is a function of i only. */
    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + (i >>> 11));
        }
        return b;
    }

    static HeaderBlock ok() {
        return HeaderBlock.of(":status", "200", ":version", "HTTP/1.1");
    }

    @Override
    public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
        events.add("stream " + stream.id() + " pri=" + stream.priority() + " " + headers.get(":method") + " "
                + headers.get(":path") + (fin ? " fin" : ""));
        streams.put(stream.id(), stream);
        requests.put(stream.id(), headers);
        Request r = new Request(headers.get(":path"));
        if (fin) {
            r.respond(stream);
        }
        return r;
    }

    @Override
    public void onOutputReady() {
        outputReady.run();
    }

    @Override
    public void onGoAway(int lastGoodStreamId, io.spdyconnector.protocol.error.GoAwayStatus status) {
        events.add("goaway " + lastGoodStreamId + " " + status);
    }

    @Override
    public void onClosed(Throwable cause) {
        events.add("session closed" + (cause == null ? "" : ": " + cause.getMessage()));
        closed.complete(cause);
    }

    /** Write callbacks that record failures, so a test can see a write that went nowhere. */
    WriteCallback callback(String what) {
        return new WriteCallback() {
            @Override
            public void succeeded() {
            }

            @Override
            public void failed(Throwable cause) {
                failures.add(what + ": " + cause.getMessage());
            }
        };
    }

    private final class Request implements StreamListener {
        private final String path;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Request(String path) {
            this.path = path == null ? "" : path;
        }

        @Override
        public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
            int n = data.remaining();
            byte[] copy = new byte[n];
            data.get(copy);
            body.writeBytes(copy);
            events.add("data " + stream.id() + " " + n + (fin ? " fin" : ""));
            stream.consumed(n);
            if (fin) {
                respond(stream);
            }
        }

        @Override
        public void onHeaders(SpdyStream stream, HeaderBlock headers, boolean fin) {
            events.add("headers " + stream.id() + (fin ? " fin " : " ") + headers);
            if (fin) {
                respond(stream);
            }
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            events.add("reset " + stream.id() + " " + cause.status());
        }

        @Override
        public void onClosed(SpdyStream stream) {
            events.add("closed " + stream.id());
        }

        void respond(SpdyStream stream) {
            if (path.equals("/hello")) {
                stream.reply(ok(), false, callback("reply"));
                stream.data(ascii("hello"), true, callback("data"));
            } else if (path.equals("/echo")) {
                byte[] received = body.toByteArray();
                HeaderBlock h = ok().add("x-request-bytes", Integer.toString(received.length));
                stream.reply(h, false, callback("reply"));
                stream.data(ByteBuffer.wrap(received), true, callback("data"));
            } else if (path.startsWith("/bytes/")) {
                int n = Integer.parseInt(path.substring("/bytes/".length()));
                stream.reply(ok().add("content-length", Integer.toString(n)), false, callback("reply"));
                stream.data(ByteBuffer.wrap(pattern(n)), true, callback("data"));
            } else if (path.equals("/trailers")) {
                stream.reply(ok(), false, callback("reply"));
                stream.data(ascii("body"), false, callback("data"));
                stream.headers(HeaderBlock.of("x-checksum", "c0ffee", "x-trailer", "done"), true, callback("trailers"));
            } else if (path.startsWith("/headers")) {
                HeaderBlock h = new HeaderBlock();
                RESPONSE_HEADERS.forEach(h::add);
                h.add("x-request-path", path);
                stream.reply(h, true, callback("reply"));
            } else if (path.startsWith("/push")) {
                // SPEC §3.3.1: the push's SYN_STREAM goes out before the content that names it.
                HeaderBlock promise = HeaderBlock.of(":scheme", "https", ":host", "example.com", ":path", "/pushed.css");
                if (!path.equals("/push-minimal")) {
                    promise.add(":method", "GET").add(":version", "HTTP/1.1");
                }
                SpdyStream pushed = stream.push(promise, 7, new Request("push"));
                events.add("pushed " + (pushed == null ? "none" : pushed.id()));
                if (pushed != null) {
                    streams.put(pushed.id(), pushed);
                    pushed.headers(ok().add("content-type", "text/css"), false, callback("push headers"));
                    pushed.data(ascii(PUSHED_CSS), true, callback("push data"));
                }
                stream.reply(ok(), false, callback("reply"));
                stream.data(ascii("<link href=/pushed.css>"), true, callback("data"));
            } else if (path.equals("/hold")) {
                stream.reply(ok(), false, callback("reply"));
            } else {
                stream.reply(HeaderBlock.of(":status", "404", ":version", "HTTP/1.1"), true, callback("reply"));
            }
        }
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
