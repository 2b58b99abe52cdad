package io.spdyconnector.benchmarks.suite;

import io.spdyconnector.benchmarks.PeerFrames;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One download through the same minimal reader for either protocol: a blocking socket read into
 * one 64 KiB direct buffer, bytes counted and dropped. On loopback the sender's write wakes a
 * sleeping reader on the sender's own CPU time, so a client that keeps up (and so sleeps between
 * segments) makes the server look slower than a busier one would; with one reader for both
 * protocols, what differs is the server. The SPDY side does what a browser's session does for a
 * download: it declares the windows of Jetty's HTTP/2 client and returns credit at half of each.
 * The h2c side does the same, for the container's own multiplexed protocol as a reference.
 */
final class RawDownload {
    private static final int READ_BUFFER = 64 * 1024;
    /** The windows of Jetty's HTTP/2 client, as the suite's SPDY client declares them. */
    private static final int STREAM_WINDOW = 8 << 20;
    private static final int SESSION_WINDOW = 16 << 20;

    private RawDownload() {
    }

    /** GET {@code path} over HTTP/1.1; the bytes of the body, which must be {@code expected} long. */
    static long http1(int port, String path, long expected) throws IOException {
        try (SocketChannel ch = open(port)) {
            write(ch, ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
            StringBuilder head = new StringBuilder();
            boolean inBody = false;
            long body = 0;
            while (body < expected) {
                in.clear();
                if (ch.read(in) < 0) {
                    throw new EOFException("HTTP/1.1 download of " + path + " ended after " + body + " bytes");
                }
                in.flip();
                while (!inBody && in.hasRemaining()) {
                    head.append((char) in.get());
                    inBody = head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4;
                }
                if (inBody && head.length() > 0) {
                    if (!head.toString().startsWith("HTTP/1.1 200")) {
                        throw new IOException("HTTP/1.1 download of " + path + ": " + head.substring(0, head.indexOf("\r\n")));
                    }
                    head.setLength(0);
                }
                body += in.remaining();
            }
            return body;
        }
    }

    /** GET {@code path} over SPDY/3.1; the bytes of the response's DATA, up to its FIN. */
    static long spdy(int port, String path) throws IOException {
        PeerFrames peer = new PeerFrames(11);
        try (SocketChannel ch = open(port); HeaderBlockDecoder replyDecoder = new HeaderBlockDecoder(100, 1 << 16)) {
            ByteBuffer start = ByteBuffer.allocate(256);
            // SETTINGS: INITIAL_WINDOW_SIZE; then the session window, as Jetty's HTTP/2 client opens it.
            start.putInt(0x80030004).putInt(12).putInt(1).putInt(7).putInt(STREAM_WINDOW);
            windowUpdate(start, 0, SESSION_WINDOW - 65536);
            start.put(peer.synStream(1, HeaderBlock.of(":method", "GET", ":path", path, ":version", "HTTP/1.1",
                    ":host", "127.0.0.1:" + port, ":scheme", "http"), true));
            write(ch, start.flip());
            ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
            ByteBuffer header = ByteBuffer.allocate(8);
            ByteBuffer control = null;
            int frameLeft = 0;
            boolean data = false;
            boolean fin = false;
            long body = 0;
            long unannouncedStream = 0;
            long unannouncedSession = 0;
            while (!fin || frameLeft > 0) {
                in.clear();
                if (ch.read(in) < 0) {
                    throw new EOFException("SPDY download of " + path + " ended after " + body + " bytes");
                }
                in.flip();
                // Nothing after the last DATA frame belongs to the download.
                while (in.hasRemaining() && !(fin && frameLeft == 0)) {
                    if (frameLeft > 0) {
                        int n = Math.min(frameLeft, in.remaining());
                        if (data) {
                            in.position(in.position() + n);
                            body += n;
                            unannouncedStream += n;
                            unannouncedSession += n;
                        } else {
                            control.put(in.slice(in.position(), n));
                            in.position(in.position() + n);
                        }
                        frameLeft -= n;
                        if (frameLeft == 0 && !data) {
                            fin |= controlFrame(header, control.flip(), replyDecoder, path);
                        }
                        continue;
                    }
                    header.put(in.get());
                    if (header.hasRemaining()) {
                        continue;
                    }
                    header.flip();
                    int first = header.getInt(0);
                    int flagsAndLength = header.getInt(4);
                    frameLeft = flagsAndLength & 0xffffff;
                    data = first >= 0;
                    boolean frameFin = (flagsAndLength >>> 24 & 1) != 0;
                    if (data) {
                        fin |= frameFin;
                    } else {
                        control = ByteBuffer.allocate(frameLeft);
                        if (frameLeft == 0) {
                            fin |= controlFrame(header, control, replyDecoder, path);
                        }
                    }
                    header.clear();
                }
                // Credit at half of each window, as Jetty's HTTP/2 client and the project's client do.
                if (unannouncedStream >= STREAM_WINDOW / 2 || unannouncedSession >= SESSION_WINDOW / 2) {
                    ByteBuffer updates = ByteBuffer.allocate(32);
                    if (unannouncedStream >= STREAM_WINDOW / 2 && !fin) {
                        windowUpdate(updates, 1, (int) unannouncedStream);
                        unannouncedStream = 0;
                    }
                    if (unannouncedSession >= SESSION_WINDOW / 2) {
                        windowUpdate(updates, 0, (int) unannouncedSession);
                        unannouncedSession = 0;
                    }
                    write(ch, updates.flip());
                }
            }
            return body;
        } finally {
            peer.end();
        }
    }

    /**
     * GET {@code path} over h2c with prior knowledge (RFC 9113 §3.3): the bytes of the response's
     * DATA, up to END_STREAM. The container's own multiplexed protocol through the same reader,
     * with the same windows and credit as {@link #spdy}. The header block is not decoded: the
     * caller's check of the body's length is what tells a wrong response.
     */
    static long h2c(int port, String path) throws IOException {
        try (SocketChannel ch = open(port)) {
            byte[] p = path.getBytes(StandardCharsets.US_ASCII);
            byte[] authority = ("127.0.0.1:" + port).getBytes(StandardCharsets.US_ASCII);
            if (p.length > 126 || authority.length > 126) {
                throw new IllegalArgumentException("h2c download: a path of at most 126 bytes, not " + path);
            }
            ByteBuffer start = ByteBuffer.allocate(128 + p.length + authority.length);
            start.put("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // SETTINGS_INITIAL_WINDOW_SIZE; then the connection window, opened as for SPDY.
            h2Frame(start, 6, 0x4, 0, 0).putShort((short) 0x4).putInt(STREAM_WINDOW);
            h2Frame(start, 4, 0x8, 0, 0).putInt(SESSION_WINDOW - 65535);
            // HEADERS, END_STREAM | END_HEADERS: HPACK static entries for :method GET and :scheme
            // http, literal values with indexed names for :path and :authority (lengths that fit HPACK's 7-bit prefix).
            h2Frame(start, 6 + p.length + authority.length, 0x1, 0x5, 1);
            start.put((byte) 0x82).put((byte) 0x86).put((byte) 0x04).put((byte) p.length).put(p)
                    .put((byte) 0x01).put((byte) authority.length).put(authority);
            write(ch, start.flip());
            ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
            ByteBuffer header = ByteBuffer.allocate(9);
            int frameLeft = 0;
            boolean data = false;
            boolean endsStream = false;
            boolean fin = false;
            long body = 0;
            long unannouncedStream = 0;
            long unannouncedSession = 0;
            while (!fin) {
                in.clear();
                if (ch.read(in) < 0) {
                    throw new EOFException("h2c download of " + path + " ended after " + body + " bytes");
                }
                in.flip();
                while (in.hasRemaining() && !fin) {
                    if (frameLeft > 0) {
                        int n = Math.min(frameLeft, in.remaining());
                        in.position(in.position() + n);
                        if (data) {
                            body += n;
                            unannouncedStream += n;
                            unannouncedSession += n;
                        }
                        frameLeft -= n;
                        fin = frameLeft == 0 && endsStream;
                        continue;
                    }
                    header.put(in.get());
                    if (header.hasRemaining()) {
                        continue;
                    }
                    frameLeft = (header.getShort(0) & 0xffff) << 8 | header.get(2) & 0xff;
                    int type = header.get(3);
                    int flags = header.get(4);
                    header.clear();
                    if (type == 0x3 || type == 0x7) {
                        throw new IOException("h2c download of " + path + ": " + (type == 0x3 ? "RST_STREAM" : "GOAWAY"));
                    }
                    if (type == 0x4 && (flags & 0x1) == 0) {
                        // RFC 9113 §6.5.3: the server's SETTINGS are acknowledged.
                        write(ch, h2Frame(ByteBuffer.allocate(9), 0, 0x4, 0x1, 0).flip());
                    }
                    data = type == 0x0;
                    endsStream = (type == 0x0 || type == 0x1) && (flags & 0x1) != 0;
                    fin = frameLeft == 0 && endsStream;
                }
                if (unannouncedStream >= STREAM_WINDOW / 2 || unannouncedSession >= SESSION_WINDOW / 2) {
                    ByteBuffer updates = ByteBuffer.allocate(26);
                    if (unannouncedStream >= STREAM_WINDOW / 2 && !fin) {
                        h2Frame(updates, 4, 0x8, 0, 1).putInt((int) unannouncedStream);
                        unannouncedStream = 0;
                    }
                    if (unannouncedSession >= SESSION_WINDOW / 2) {
                        h2Frame(updates, 4, 0x8, 0, 0).putInt((int) unannouncedSession);
                        unannouncedSession = 0;
                    }
                    write(ch, updates.flip());
                }
            }
            return body;
        }
    }

    /** An HTTP/2 frame header (RFC 9113 §4.1); the payload follows in {@code out}. */
    private static ByteBuffer h2Frame(ByteBuffer out, int length, int type, int flags, int streamId) {
        return out.put((byte) (length >>> 16)).putShort((short) length).put((byte) type).put((byte) flags)
                .putInt(streamId);
    }

    /** Checks one control frame of the download; true when it ends the stream. */
    private static boolean controlFrame(ByteBuffer header, ByteBuffer payload, HeaderBlockDecoder decoder, String path)
            throws IOException {
        int type = header.getInt(0) & 0xffff;
        boolean fin = (header.getInt(4) >>> 24 & 1) != 0;
        switch (type) {
            case 2 -> {
                // SYN_REPLY: stream id, then the compressed header block.
                payload.position(4);
                decoder.begin(1 << 16);
                try {
                    decoder.feed(payload);
                } catch (SessionException e) {
                    throw new IOException("SPDY download of " + path + ": bad SYN_REPLY block", e);
                }
                HeaderBlock reply = decoder.finish();
                String status = reply == null ? null : reply.get(":status");
                if (status == null || !status.startsWith("200")) {
                    throw new IOException("SPDY download of " + path + ": status " + status);
                }
                return fin;
            }
            case 3 -> throw new IOException("SPDY download of " + path + ": RST_STREAM " + payload.getInt(4));
            case 7 -> throw new IOException("SPDY download of " + path + ": GOAWAY");
            default -> {
                // SETTINGS, PING, WINDOW_UPDATE: nothing for a download to do.
                return false;
            }
        }
    }

    private static void windowUpdate(ByteBuffer out, int streamId, int delta) {
        out.putInt(0x80030009).putInt(8).putInt(streamId).putInt(delta);
    }

    private static SocketChannel open(int port) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        try {
            ch.socket().setTcpNoDelay(true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    private static void write(SocketChannel ch, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            ch.write(bytes);
        }
    }
}
