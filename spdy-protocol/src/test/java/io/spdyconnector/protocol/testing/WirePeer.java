package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A SPDY/3.1 client that is only a socket: the test writes frames (or any bytes at all) and reads
 * back the server's frames as a trace of one line per frame, as {@link RawPeer} does for an
 * in-memory session. It sends nothing by itself: no SETTINGS, no WINDOW_UPDATE, no answers to
 * PING, so each test says exactly what the peer does. Reading may start paused, with a tiny
 * receive buffer, to play a client that does not read.
 */
public final class WirePeer implements AutoCloseable {
    /** How long any wait lasts before the test fails: generous, the machine may be loaded. */
    public static final Duration WAIT = Duration.ofSeconds(Long.getLong("spdy.hardening.wait", 30));

    private final Socket socket;
    private final HeaderBlockEncoder headerEncoder;
    private final FrameEncoder encoder;
    private final String host;
    private final List<String> trace = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Integer, AtomicLong> dataBytes = new ConcurrentHashMap<>();
    private final AtomicLong bytesRead = new AtomicLong();
    private final CountDownLatch readingAllowed;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Throwable readFailure;

    private WirePeer(int port, int receiveBuffer, boolean reading, CompressionPolicy compression) throws IOException {
        headerEncoder = new HeaderBlockEncoder(compression);
        encoder = new FrameEncoder(headerEncoder);
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setTcpNoDelay(true);
        host = "127.0.0.1:" + port;
        readingAllowed = new CountDownLatch(reading ? 0 : 1);
        Thread reader = new Thread(this::readLoop, "wire-peer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects and reads everything the server sends. */
    public static WirePeer connect(int port) throws IOException {
        return new WirePeer(port, 0, true, CompressionPolicy.NONE);
    }

    /**
     * Connects and compresses header blocks over the session's context, as browsers did: a
     * repeated request then costs a few bytes, so a hundred of them fit in one read of the server.
     */
    public static WirePeer connectCompressing(int port) throws IOException {
        return new WirePeer(port, 0, true, CompressionPolicy.FAST);
    }

    /** Connects with a receive buffer of {@code receiveBuffer} bytes and reads nothing until {@link #startReading()}. */
    public static WirePeer connectNotReading(int port, int receiveBuffer) throws IOException {
        return new WirePeer(port, receiveBuffer, false, CompressionPolicy.NONE);
    }

    public void startReading() {
        readingAllowed.countDown();
    }

    /** The request headers of a GET for {@code path} on this connection's server. */
    public HeaderBlock request(String method, String path) {
        return HeaderBlock.of(":method", method, ":path", path, ":version", "HTTP/1.1", ":host", host,
                ":scheme", "http");
    }

    /** SYN_STREAM for {@code method path}; FIN when {@code fin}. */
    public SynStreamFrame syn(int id, boolean fin, String method, String path) {
        return new SynStreamFrame(id, 0, 0, 0, fin, false, request(method, path));
    }

    /** Encodes frames as this peer, with its own compression context. */
    public byte[] bytes(Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            for (ByteBuffer b : encoder.encode(f)) {
                byte[] a = new byte[b.remaining()];
                b.get(a);
                out.writeBytes(a);
            }
        }
        return out.toByteArray();
    }

    public WirePeer send(Frame... frames) throws IOException {
        return sendBytes(bytes(frames));
    }

    /** Sends frames in one write; fine while the server reads, may block once it stops. */
    public WirePeer send(List<? extends Frame> frames) throws IOException {
        return send(frames.toArray(new Frame[0]));
    }

    public WirePeer sendBytes(byte[] raw) throws IOException {
        socket.getOutputStream().write(raw);
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Sends as much of {@code raw} as the server takes: a server that closed the connection ends
     * the write, which is what a flood test expects. Returns the bytes written.
     */
    public long sendUntilClosed(byte[] raw) {
        long sent = 0;
        try {
            for (int off = 0; off < raw.length; off += 4096) {
                int n = Math.min(4096, raw.length - off);
                socket.getOutputStream().write(raw, off, n);
                sent += n;
            }
            socket.getOutputStream().flush();
        } catch (IOException closedByServer) {
            // The server ended the connection part way: the rest was never needed.
        }
        return sent;
    }

    private void readLoop() {
        HeaderBlockDecoder headerDecoder = new HeaderBlockDecoder(1000, 1 << 20);
        FrameCollector collector = new FrameCollector();
        FrameDecoder decoder = new FrameDecoder(collector, headerDecoder, 0xFFFFFF);
        try {
            readingAllowed.await();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bytesRead.addAndGet(n);
                decoder.decode(ByteBuffer.wrap(buffer, 0, n));
                for (Frame f : collector.frames) {
                    if (f instanceof DataFrame d) {
                        dataBytes.computeIfAbsent(d.streamId(), k -> new AtomicLong()).addAndGet(d.data().remaining());
                    }
                    trace.add(f.toString());
                }
                collector.frames.clear();
                collector.fragmentViews.clear();
            }
        } catch (IOException | InterruptedException e) {
            readFailure = e;
        } catch (SessionException e) {
            readFailure = e;
            trace.add("UNDECODABLE " + e.getMessage());
        } finally {
            headerDecoder.close();
            closed.countDown();
        }
    }

    /** Every frame read so far, one line each. */
    public List<String> trace() {
        return new ArrayList<>(trace);
    }

    /** DATA bytes read so far on {@code streamId}. */
    public long dataBytes(int streamId) {
        AtomicLong n = dataBytes.get(streamId);
        return n == null ? 0 : n.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    /** Waits for a frame whose line matches; returns it. */
    public String await(Predicate<String> frame) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : trace) {
                if (frame.test(line)) {
                    return line;
                }
            }
            if (closed.getCount() == 0 && trace.stream().noneMatch(frame)) {
                throw new AssertionError("connection closed without the frame; trace: " + summary());
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no such frame within " + WAIT + "; trace: " + summary());
    }

    /** Waits for a frame starting with {@code prefix}. */
    public String await(String prefix) throws InterruptedException {
        return await(l -> l.startsWith(prefix));
    }

    /** Waits until the server closed the connection (end of stream or reset). */
    public WirePeer awaitClosed() throws InterruptedException {
        if (!closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("connection still open after " + WAIT + "; trace: " + summary());
        }
        return this;
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Why reading ended: null for a clean end of stream. */
    public Throwable readFailure() {
        return readFailure;
    }

    /** The trace, with long runs of similar frames shortened, for failure messages. */
    public String summary() {
        List<String> t = trace();
        if (t.size() <= 40) {
            return t.toString();
        }
        return t.subList(0, 20) + " ... " + (t.size() - 40) + " more ... " + t.subList(t.size() - 20, t.size());
    }

    /** Aborts the connection with a TCP reset, as a client process that died. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        readingAllowed.countDown();
        socket.close();
        headerEncoder.close();
    }
}
