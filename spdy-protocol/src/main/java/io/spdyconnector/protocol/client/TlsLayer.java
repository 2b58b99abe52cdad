package io.spdyconnector.protocol.client;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Non-blocking TLS over a socket channel with the JDK's {@link SSLEngine}: the handshake (with
 * ALPN chosen by the engine), unwrapping input into the loop's shared buffer, and wrapping output.
 * Used only on the event loop thread.
 */
final class TlsLayer {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;

    TlsLayer(SSLEngine engine) {
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet);
        netOut.flip();
    }

    /** Whether encrypted bytes wait to be written. */
    boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    /** Writes pending encrypted bytes; true when none are left. */
    boolean flush(SocketChannel channel) throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Advances the handshake as far as possible without blocking. Returns true once finished;
     * false when it waits for the network (the caller keeps read or write interest).
     */
    boolean handshake(SocketChannel channel, ByteBuffer scratch) throws IOException {
        while (true) {
            if (!flush(channel)) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    break;
                case NEED_WRAP:
                    netOut.compact();
                    SSLEngineResult w = engine.wrap(EMPTY, netOut);
                    netOut.flip();
                    if (w.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS closed during handshake");
                    }
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    scratch.clear();
                    SSLEngineResult.Status s = unwrap(scratch);
                    if (s == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS closed during handshake");
                    }
                    if (s == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = channel.read(netIn);
                        if (n < 0) {
                            throw new EOFException("connection closed during TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                    break;
                default:
                    return flush(channel);
            }
        }
    }

    private SSLEngineResult.Status unwrap(ByteBuffer app) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, app).getStatus();
        } finally {
            netIn.compact();
        }
    }

    /**
     * Reads and decrypts what the socket has, while {@code more} says so; each decrypted chunk goes
     * to {@code sink}. Returns -1 at end of stream, else the number of encrypted bytes read.
     */
    int read(SocketChannel channel, ByteBuffer app, java.util.function.Consumer<ByteBuffer> sink,
            java.util.function.BooleanSupplier more) throws IOException {
        int total = 0;
        while (true) {
            int n = channel.read(netIn);
            if (n < 0) {
                drain(app, sink);
                return total == 0 ? -1 : total;
            }
            total += n;
            SSLEngineResult.Status s = drain(app, sink);
            if (s == SSLEngineResult.Status.CLOSED) {
                return -1;
            }
            if (n == 0 || netIn.hasRemaining() || !more.getAsBoolean()) {
                return total;
            }
        }
    }

    private SSLEngineResult.Status drain(ByteBuffer app, java.util.function.Consumer<ByteBuffer> sink) throws SSLException {
        while (true) {
            app.clear();
            SSLEngineResult.Status s = unwrap(app);
            app.flip();
            if (app.hasRemaining()) {
                sink.accept(app);
            }
            if (s != SSLEngineResult.Status.OK || netIn.position() == 0) {
                return s;
            }
        }
    }

    /**
     * Encrypts as much of {@code sources} as fits into the pending output; returns true when every
     * source buffer is fully consumed.
     */
    boolean wrap(ByteBuffer[] sources) throws SSLException {
        while (true) {
            boolean remaining = false;
            for (ByteBuffer b : sources) {
                if (b.hasRemaining()) {
                    remaining = true;
                    break;
                }
            }
            if (!remaining) {
                return true;
            }
            if (netOut.hasRemaining()) {
                return false;
            }
            netOut.clear();
            SSLEngineResult r = engine.wrap(sources, netOut);
            netOut.flip();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS engine closed");
            }
        }
    }

    /** Queues the TLS close_notify. */
    void closeOutbound() {
        engine.closeOutbound();
        try {
            netOut.compact();
            engine.wrap(EMPTY, netOut);
        } catch (SSLException ignored) {
            // closing anyway
        } finally {
            netOut.flip();
        }
    }
}
