package io.spdyconnector.protocol.client;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SessionStatistics;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One SPDY session over one TCP connection, plain or TLS. The client keeps one per origin
 * (SPEC §3.1); use it directly to ping, to read counters, or to open exchanges on this session
 * only. All socket work happens on the client's I/O thread.
 */
public final class SpdyConnection implements AutoCloseable {
    private final SpdyClient client;
    private final Origin origin;
    private final ClientEventLoop loop;
    private final SocketChannel channel;
    private final TlsLayer tls;
    private final CompletableFuture<SpdyConnection> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Handler handler = new Handler();
    private SelectionKey key;
    private volatile SpdySession session;
    private volatile SpdyVersion version;

    // Event loop only.
    private OutputBatch pending;
    private boolean closing;
    /** A SPDY/2 session holds more unconsumed DATA than it allows: the socket is not read. */
    private boolean readPaused;

    SpdyConnection(SpdyClient client, Origin origin, ClientEventLoop loop, SocketChannel channel, TlsLayer tls) {
        this.client = client;
        this.origin = origin;
        this.loop = loop;
        this.channel = channel;
        this.tls = tls;
    }

    /** Starts connecting; the future completes once the session is ready. Runs on the loop. */
    CompletableFuture<SpdyConnection> connect(InetSocketAddress address) {
        loop.execute(() -> {
            try {
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                key = loop.register(channel, SelectionKey.OP_CONNECT, handler);
                if (channel.connect(address)) {
                    connectedTcp();
                }
            } catch (IOException | RuntimeException e) {
                abort(e);
            }
        });
        return connected;
    }

    private void connectedTcp() throws IOException {
        if (tls == null) {
            startSession(client.plainVersion());
            return;
        }
        tls.engine.beginHandshake();
        key.interestOps(SelectionKey.OP_READ);
        handshake();
    }

    private void handshake() throws IOException {
        if (!tls.handshake(channel, loop.readBuffer)) {
            key.interestOps(tls.hasPendingOutput() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return;
        }
        String alpn = tls.engine.getApplicationProtocol();
        SpdyVersion negotiated = SpdyVersion.ofProtocolName(alpn);
        if (negotiated == null) {
            throw new IOException("server at " + origin + " did not negotiate SPDY over ALPN (got "
                    + (alpn == null || alpn.isEmpty() ? "no protocol" : alpn) + ")");
        }
        startSession(negotiated);
        readable();
    }

    private void startSession(SpdyVersion v) {
        version = v;
        SessionConfig config = client.sessionConfig();
        session = new SpdySession(Role.CLIENT, v, config, new Events());
        List<Setting> persisted = client.persistedSettings(origin);
        if (!persisted.isEmpty()) {
            session.sendSettings(new SettingsFrame(false, persisted));
        }
        interest(false);
        flush();
        connected.complete(this);
    }

    private void readable() throws IOException {
        if (readPaused) {
            return;
        }
        ByteBuffer in = loop.readBuffer;
        int n;
        if (tls != null) {
            n = tls.read(channel, in, session::receive, session::wantsInput);
        } else {
            n = 0;
            while (session.wantsInput()) {
                in.clear();
                int r = channel.read(in);
                if (r <= 0) {
                    if (r < 0 && n == 0) {
                        n = -1;
                    }
                    break;
                }
                n += r;
                in.flip();
                session.receive(in);
                if (in.capacity() > r) {
                    break;
                }
            }
        }
        if (n < 0) {
            session.inputClosed();
            closeChannel(null);
            return;
        }
        if (!session.wantsInput()) {
            // SPDY/2 has no flow control: TCP holds the server back until the application catches up.
            readPaused = true;
            interest(pending != null);
        }
        flush();
    }

    /** Read interest unless reading is paused; write interest while a batch waits for the socket. */
    private void interest(boolean write) {
        if (key.isValid()) {
            key.interestOps((readPaused ? 0 : SelectionKey.OP_READ) | (write ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** The application consumed enough of a paused SPDY/2 session's input: read again. */
    private void resumeReading() {
        if (!readPaused || !channel.isOpen()) {
            return;
        }
        readPaused = false;
        interest(pending != null);
        try {
            readable();
        } catch (IOException | RuntimeException e) {
            closeChannel(e);
        }
    }

    /** Writes what the session has, as far as the socket takes it. Loop thread only. */
    private void flush() {
        if (session == null || !channel.isOpen()) {
            return;
        }
        try {
            while (true) {
                if (pending == null) {
                    pending = session.pollOutput();
                    if (pending == null) {
                        return;
                    }
                }
                if (!write(pending.buffers())) {
                    interest(true);
                    return;
                }
                OutputBatch done = pending;
                pending = null;
                boolean last = done.isLast();
                session.outputWritten(done);
                if (last) {
                    closeChannel(null);
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            OutputBatch failed = pending;
            pending = null;
            if (failed != null) {
                session.outputFailed(failed, e);
            }
            closeChannel(e);
        }
    }

    private boolean write(ByteBuffer[] buffers) throws IOException {
        if (tls != null) {
            while (true) {
                if (!tls.flush(channel)) {
                    return false;
                }
                if (tls.wrap(buffers) && !tls.hasPendingOutput()) {
                    return true;
                }
            }
        }
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            long n = channel.write(buffers);
            if (n == 0) {
                return false;
            }
            remaining -= n;
        }
        return true;
    }

    private void closeChannel(Throwable cause) {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (tls != null) {
                tls.closeOutbound();
                tls.flush(channel);
            }
            channel.close();
        } catch (IOException ignored) {
            // already closing
        }
        if (session != null) {
            session.close(cause);
        }
        client.removed(this);
        connected.completeExceptionally(cause != null ? cause : new IOException("connection closed"));
        closed.complete(null);
    }

    private void abort(Throwable cause) {
        if (cause instanceof javax.net.ssl.SSLHandshakeException && String.valueOf(cause.getMessage())
                .contains("no_application_protocol")) {
            cause = new IOException("server at " + origin + " did not negotiate SPDY over ALPN "
                    + "(it answered no_application_protocol)", cause);
        }
        connected.completeExceptionally(cause);
        closeChannel(cause);
    }

    // ------------------------------------------------------------------ API

    public Origin origin() {
        return origin;
    }

    /** The negotiated protocol (null until connected). */
    public SpdyVersion version() {
        return version;
    }

    public SpdySession session() {
        return session;
    }

    String userAgent() {
        return client.userAgent();
    }

    /** Whether new exchanges can start on this connection. */
    public boolean isOpen() {
        SpdySession s = session;
        return channel.isOpen() && (s == null || s.canOpenStreams());
    }

    /** Sends a PING; completes with the round-trip time. */
    public CompletableFuture<Duration> ping() {
        return session.ping();
    }

    public SessionStatistics statistics() {
        return session.statistics();
    }

    /** Starts an exchange on this session only (no retry elsewhere). */
    public SpdyExchange exchange(SpdyRequest request, ResponseListener listener) {
        SpdyExchange exchange = new SpdyExchange(request, listener);
        exchange.startOn(this);
        return exchange;
    }

    /** Graceful close (SPEC §2.6.6): GOAWAY, open exchanges finish, then the socket closes. */
    public CompletableFuture<Void> closeGracefully() {
        SpdySession s = session;
        if (s == null) {
            loop.execute(() -> closeChannel(null));
        } else {
            s.goAway();
        }
        return closed;
    }

    /** Closes at once: open exchanges fail. */
    @Override
    public void close() {
        loop.execute(() -> closeChannel(new IOException("connection closed by client")));
    }

    CompletableFuture<Void> closedFuture() {
        return closed;
    }

    @Override
    public String toString() {
        return "SpdyConnection[" + origin + ", " + (version == null ? "connecting" : version.protocolName()) + "]";
    }

    private final class Handler implements ClientEventLoop.Handler {
        @Override
        public void ready(SelectionKey k) throws IOException {
            if (k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                connectedTcp();
                return;
            }
            if (session == null) {
                handshake();
                return;
            }
            if (k.isWritable()) {
                interest(false);
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                readable();
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (session == null) {
                abort(cause);
            } else {
                closeChannel(cause);
            }
        }
    }

    private final class Events implements SessionListener {
        @Override
        public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
            SpdyStream associated = session.stream(stream.associatedStreamId());
            StreamListener events = associated == null ? null : associated.listener();
            if (events instanceof SpdyExchange.Events) {
                StreamListener l = ((SpdyExchange.Events) events).exchange().onPush(stream, headers);
                if (l != null) {
                    return l;
                }
            }
            // SPEC §3.3.2: a client cancels a push it does not want.
            stream.reset(io.spdyconnector.protocol.error.RstStatus.CANCEL);
            return new StreamListener() { };
        }

        @Override
        public void onInputResumed() {
            loop.execute(SpdyConnection.this::resumeReading);
        }

        @Override
        public void onOutputReady() {
            if (loop.inLoop()) {
                flush();
            } else {
                loop.execute(SpdyConnection.this::flush);
            }
        }

        @Override
        public void onGoAway(int lastGoodStreamId, GoAwayStatus status) {
            client.removed(SpdyConnection.this);
        }

        @Override
        public void onSettings(SettingsFrame settings) {
            client.persist(origin, settings);
        }

        @Override
        public void onClosed(Throwable cause) {
            client.removed(SpdyConnection.this);
            if (loop.inLoop()) {
                if (pending == null) {
                    closeChannel(cause);
                }
            } else {
                loop.execute(() -> {
                    if (pending == null) {
                        closeChannel(cause);
                    }
                });
            }
        }
    }
}
