package io.spdyconnector.protocol.interop;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application side of a client-role session: one {@link Exchange} per request, completing when
 * the response has ended (or failing when the stream was reset), and one per stream the server
 * pushed. Response bodies are copied out of the session's views as they arrive.
 */
class TestClient implements SessionListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Exchange> pushes = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    volatile Runnable outputReady = () -> { };

    static HeaderBlock request(String method, String path) {
        return HeaderBlock.of(":method", method, ":path", path, ":version", "HTTP/1.1", ":host", "example.com",
                ":scheme", "https");
    }

    /** Opens a stream; with a body, sends it in one write, FIN on the last DATA frame. */
    Exchange send(SpdySession session, HeaderBlock headers, byte[] body, int priority) {
        Exchange e = open(session, headers, body == null, priority);
        if (body != null) {
            e.stream.data(ByteBuffer.wrap(body), true, e.upload);
        }
        return e;
    }

    /** Opens a stream and leaves its request side to the caller unless {@code fin}. */
    Exchange open(SpdySession session, HeaderBlock headers, boolean fin, int priority) {
        Exchange e = new Exchange(headers);
        e.stream = session.newStream(headers, priority, fin, e);
        return e;
    }

    @Override
    public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
        events.add("push " + stream.id() + " assoc=" + stream.associatedStreamId() + (fin ? " fin " : " ") + headers);
        Exchange e = new Exchange(headers);
        pushes.add(e);
        return e;
    }

    @Override
    public void onOutputReady() {
        outputReady.run();
    }

    @Override
    public void onGoAway(int lastGoodStreamId, GoAwayStatus status) {
        events.add("goaway " + lastGoodStreamId + " " + status);
    }

    @Override
    public void onClosed(Throwable cause) {
        events.add("session closed" + (cause == null ? "" : ": " + cause));
        closed.complete(cause);
    }

    /** One stream's response as it arrives. */
    static final class Exchange implements StreamListener {
        final HeaderBlock request;
        final CompletableFuture<Exchange> done = new CompletableFuture<>();
        final CompletableFuture<Void> uploaded = new CompletableFuture<>();
        final List<HeaderBlock> headers = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile HeaderBlock reply;
        volatile SpdyStream stream;
        volatile int id;
        volatile int dataFrames;
        /** When set, received DATA is not reported consumed: the reader stalls. */
        volatile boolean holdCredit;
        private volatile int held;

        final WriteCallback upload = new WriteCallback() {
            @Override
            public void succeeded() {
                uploaded.complete(null);
            }

            @Override
            public void failed(Throwable cause) {
                uploaded.completeExceptionally(cause);
            }
        };

        Exchange(HeaderBlock request) {
            this.request = request;
        }

        @Override
        public void onReply(SpdyStream stream, HeaderBlock h, boolean fin) {
            id = stream.id();
            reply = h;
        }

        @Override
        public void onHeaders(SpdyStream stream, HeaderBlock h, boolean fin) {
            id = stream.id();
            headers.add(h);
        }

        @Override
        public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
            int n = data.remaining();
            byte[] copy = new byte[n];
            data.get(copy);
            synchronized (body) {
                body.writeBytes(copy);
            }
            dataFrames++;
            if (holdCredit) {
                held += n;
            } else {
                stream.consumed(n);
            }
        }

        /** Returns the credit held back so far, as a slow reader would once it caught up. */
        void release() {
            int n = held;
            held = 0;
            stream.consumed(n);
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            done.completeExceptionally(cause);
        }

        @Override
        public void onClosed(SpdyStream stream) {
            id = stream.id();
            done.complete(this);
        }

        byte[] body() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        String text() {
            return new String(body(), StandardCharsets.ISO_8859_1);
        }
    }
}
