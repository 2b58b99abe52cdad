package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;

/**
 * A minimal SPDY server for client tests: blocking sockets, one reader and one writer thread per
 * connection, the engine's server-role session in between. Plain, or TLS offering the given ALPN
 * protocols.
 */
public final class TestSpdyServer implements AutoCloseable {
    private final ServerSocket server;
    private final SessionConfig config;
    private final BiFunction<SpdyStream, HeaderBlock, StreamListener> handler;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    public final List<SpdySession> sessions = new CopyOnWriteArrayList<>();
    private final boolean tls;
    private boolean acceptSpdy2;

    public static TestSpdyServer plain(SessionConfig config, BiFunction<SpdyStream, HeaderBlock, StreamListener> handler)
            throws IOException {
        return new TestSpdyServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), config, handler, false);
    }

    /** A plain server whose clients' first frame picks SPDY/2 or SPDY/3.1. */
    public static TestSpdyServer plainAcceptingSpdy2(SessionConfig config,
            BiFunction<SpdyStream, HeaderBlock, StreamListener> handler) throws IOException {
        TestSpdyServer server = plain(config, handler);
        server.acceptSpdy2 = true;
        return server;
    }

    public static TestSpdyServer tls(SessionConfig config, BiFunction<SpdyStream, HeaderBlock, StreamListener> handler,
            String... alpn) throws IOException {
        SSLContext context = TestTls.serverContext();
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(alpn);
        s.setSSLParameters(p);
        return new TestSpdyServer(s, config, handler, true);
    }

    private TestSpdyServer(ServerSocket server, SessionConfig config,
            BiFunction<SpdyStream, HeaderBlock, StreamListener> handler, boolean tls) {
        this.server = server;
        this.config = config;
        this.handler = handler;
        this.tls = tls;
        Thread accept = new Thread(this::accept, "test-spdy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return (tls ? "https" : "http") + "://localhost:" + port() + path;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "test-spdy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            SpdyVersion version = SpdyVersion.SPDY_3_1;
            if (socket instanceof SSLSocket) {
                SSLSocket ssl = (SSLSocket) socket;
                ssl.startHandshake();
                version = SpdyVersion.ofProtocolName(ssl.getApplicationProtocol());
                if (version == null) {
                    socket.close();
                    return;
                }
            }
            Semaphore outputReady = new Semaphore(0);
            Semaphore inputResumed = new Semaphore(0);
            SessionListener events = new SessionListener() {
                @Override
                public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
                    return handler.apply(stream, headers);
                }

                @Override
                public void onOutputReady() {
                    outputReady.release();
                }

                @Override
                public void onInputResumed() {
                    inputResumed.release();
                }

                @Override
                public void onClosed(Throwable cause) {
                    outputReady.release();
                    inputResumed.release();
                }
            };
            SpdySession session = acceptSpdy2 ? SpdySession.plainServerAcceptingSpdy2(version, config, events)
                    : new SpdySession(Role.SERVER, version, config, events);
            sessions.add(session);
            Thread writer = new Thread(() -> write(socket, session, outputReady), "test-spdy-writer");
            writer.setDaemon(true);
            writer.start();
            outputReady.release();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            while (true) {
                while (!session.wantsInput() && session.state() != SpdySession.State.CLOSED) {
                    // SPDY/2 without flow control: stop reading until the application catches up.
                    inputResumed.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                int n = in.read(buffer);
                if (n < 0) {
                    session.inputClosed();
                    return;
                }
                session.receive(ByteBuffer.wrap(buffer, 0, n));
            }
        } catch (IOException e) {
            // connection gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(Socket socket, SpdySession session, Semaphore outputReady) {
        try {
            OutputStream out = socket.getOutputStream();
            WritableByteChannel channel = Channels.newChannel(out);
            while (true) {
                outputReady.acquire();
                OutputBatch batch;
                while ((batch = session.pollOutput()) != null) {
                    try {
                        for (ByteBuffer b : batch.buffers()) {
                            while (b.hasRemaining()) {
                                channel.write(b);
                            }
                        }
                        out.flush();
                    } catch (IOException e) {
                        session.outputFailed(batch, e);
                        socket.close();
                        return;
                    }
                    boolean last = batch.isLast();
                    session.outputWritten(batch);
                    if (last) {
                        socket.close();
                        return;
                    }
                }
                if (session.state() == SpdySession.State.CLOSED) {
                    socket.close();
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // closing
        }
    }

    /** Sends GOAWAY on every session (graceful stop). */
    public void goAway() {
        sessions.forEach(SpdySession::goAway);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
