package io.spdyconnector.jetty.distribution;

import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One SPDY GET on a clear-text connection that first sends a PROXY protocol v1 line, as a
 * TCP load balancer would: the engine of spdy-protocol driven over a blocking socket.
 */
final class ProxiedSpdyRequest {
    private static final int TIMEOUT_MS = 10_000;

    private ProxiedSpdyRequest() {
    }

    /** Returns the response status and body, e.g. {@code "200 body"}. */
    static String get(int port, SpdyVersion version, String proxyLine, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((proxyLine + "\r\n").getBytes(StandardCharsets.US_ASCII));

            Response response = new Response();
            SpdySession session = new SpdySession(Role.CLIENT, version, SessionConfig.defaults(),
                    (SessionListener) (stream, headers, fin) -> null);
            session.newStream(HeaderBlock.of(":method", "GET", ":path", path, ":version", "HTTP/1.1",
                    ":host", "127.0.0.1:" + port, ":scheme", "http"), 0, true, response);

            byte[] input = new byte[16384];
            long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
            while (!response.done) {
                flush(session, out);
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("no complete response in " + TIMEOUT_MS + " ms");
                }
                int n = in.read(input);
                if (n < 0) {
                    throw new IOException("connection closed before the response completed: " + response.text());
                }
                session.receive(ByteBuffer.wrap(input, 0, n));
            }
            return response.text();
        }
    }

    private static void flush(SpdySession session, OutputStream out) throws IOException {
        for (OutputBatch batch; (batch = session.pollOutput()) != null; ) {
            for (ByteBuffer b : batch.buffers()) {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.write(bytes);
            }
            out.flush();
            session.outputWritten(batch);
        }
    }

    private static final class Response implements StreamListener {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String status = "";
        private boolean done;

        @Override
        public void onReply(SpdyStream stream, HeaderBlock headers, boolean fin) {
            status = headers.get(":status");
            done |= fin;
        }

        @Override
        public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            body.write(bytes, 0, bytes.length);
            stream.consumed(bytes.length);
            done |= fin;
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            status = "reset " + cause.getMessage();
            done = true;
        }

        String text() {
            return status + " " + body.toString(StandardCharsets.UTF_8);
        }
    }
}
