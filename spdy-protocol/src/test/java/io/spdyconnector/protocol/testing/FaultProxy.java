package io.spdyconnector.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process TCP proxy between a test client and a server, for the fault-injection cases
 * (reliability §D): it forwards bytes both ways until told to misbehave. Faults apply to every
 * connection through it, present and future:
 * <ul>
 * <li>{@link #cutAfter} closes both sides once that many client bytes went to the server;</li>
 * <li>{@link #reset()} aborts every connection with a TCP RST towards the server;</li>
 * <li>{@link #halfClose()} shuts the server's input (a FIN) and keeps reading its answers;</li>
 * <li>{@link #throttle} lets the server's bytes through at a given rate;</li>
 * <li>{@link #stopReading()} stops reading from the server, whose socket buffers then fill;</li>
 * <li>{@link #blackhole()} stops forwarding in both directions, with neither FIN nor RST.</li>
 * </ul>
 * Small socket buffers on the proxy's side make a stalled reader visible to the server quickly.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private volatile long cutAfter = Long.MAX_VALUE;
    private volatile long bytesPerSecond;
    private volatile boolean stopReading;
    private volatile boolean blackhole;
    private final Thread acceptor;

    public FaultProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Bytes forwarded from clients to the server so far. */
    public long bytesToServer() {
        return toServer.get();
    }

    /** Bytes forwarded from the server to clients so far. */
    public long bytesToClient() {
        return toClient.get();
    }

    /** Closes both sides of every connection once {@code bytes} client bytes (in all) reached the server. */
    public FaultProxy cutAfter(long bytes) {
        cutAfter = bytes;
        if (toServer.get() >= bytes) {
            links.forEach(Link::cut);
        }
        return this;
    }

    /** Aborts every connection: the server sees a TCP reset, the client a closed socket. */
    public void reset() {
        links.forEach(Link::reset);
    }

    /** Sends the server a FIN on every connection, as a client that finished writing would. */
    public void halfClose() {
        links.forEach(Link::halfClose);
    }

    /** Forwards the server's bytes at about this rate (0: no limit). */
    public FaultProxy throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    /** Stops reading the server's bytes: the server's writes stall once the socket buffers are full. */
    public FaultProxy stopReading() {
        stopReading = true;
        return this;
    }

    /** Stops forwarding in both directions, silently: a network that died without telling anyone. */
    public FaultProxy blackhole() {
        blackhole = true;
        stopReading = true;
        return this;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.setReceiveBufferSize(8192);
                server.connect(target, 10_000);
                client.setSendBufferSize(8192);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::cut);
    }

    /** One proxied connection: a thread per direction. */
    private final class Link {
        private final Socket client;
        private final Socket server;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread up = new Thread(() -> pump(true), "fault-proxy-up");
            Thread down = new Thread(() -> pump(false), "fault-proxy-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(boolean upstream) {
            byte[] buffer = new byte[upstream ? 8192 : 1024];
            try {
                InputStream in = (upstream ? client : server).getInputStream();
                OutputStream out = (upstream ? server : client).getOutputStream();
                while (true) {
                    while (!upstream && stopReading && !server.isClosed()) {
                        Thread.sleep(20);
                    }
                    int max = buffer.length;
                    if (!upstream && bytesPerSecond > 0) {
                        max = (int) Math.max(1, Math.min(max, bytesPerSecond / 10));
                    }
                    int n = in.read(buffer, 0, max);
                    boolean cutNow = false;
                    if (upstream && n >= 0) {
                        // The limit may have been set while this read was waiting.
                        long left = cutAfter - toServer.get();
                        if (n >= left) {
                            n = (int) Math.max(0, left);
                            cutNow = true;
                        }
                    }
                    if (n < 0) {
                        if (upstream) {
                            server.shutdownOutput();
                        } else {
                            client.shutdownOutput();
                        }
                        return;
                    }
                    while (blackhole && !client.isClosed()) {
                        Thread.sleep(20);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    (upstream ? toServer : toClient).addAndGet(n);
                    if (cutNow) {
                        cut();
                        return;
                    }
                    if (!upstream && bytesPerSecond > 0) {
                        Thread.sleep(Math.max(1, n * 1000L / bytesPerSecond));
                    }
                }
            } catch (IOException | InterruptedException e) {
                cut();
            }
        }

        void cut() {
            closeQuietly(client);
            closeQuietly(server);
        }

        void reset() {
            try {
                server.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // Already closed.
            }
            cut();
        }

        void halfClose() {
            try {
                server.shutdownOutput();
            } catch (IOException e) {
                cut();
            }
        }

        private void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }
}
