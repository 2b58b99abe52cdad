package io.spdyconnector.benchmarks.suite;

import io.spdyconnector.benchmarks.PeerFrames;
import io.spdyconnector.protocol.headers.HeaderBlock;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection as a minimal client keeps it: a blocking socket that sends requests as bytes and
 * reads responses only far enough to count the streams that ended. Thousands of these cost the
 * suite's JVM little more than their sockets, so the memory measured is the server's, and a
 * SPDY peer can compress with the window bits a browser used (see {@link PeerFrames}).
 *
 * <p>Not thread-safe: one thread drives a connection at a time.
 */
abstract class RawConnection implements AutoCloseable {
    /** The protocols a raw connection speaks; SPDY twice, for the peer's zlib window. */
    enum Kind {
        SPDY_BITS_11("SPDY, peer window bits 11"), SPDY_BITS_15("SPDY, peer window bits 15"), H2C("h2c"),
        HTTP1("HTTP/1.1");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    final String authority;
    int nextStreamId = 1;
    /** Streams that ended with a complete response, and those reset by the server. */
    int ended;
    int reset;

    RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1024));
        out = socket.getOutputStream();
        authority = "127.0.0.1:" + port;
    }

    static RawConnection open(Kind kind, int port) throws IOException {
        switch (kind) {
            case SPDY_BITS_11:
                return new Spdy(port, 11);
            case SPDY_BITS_15:
                return new Spdy(port, 15);
            case H2C:
                return new H2c(port);
            default:
                return new Http1(port);
        }
    }

    /** Sends {@code count} GET requests for {@code path}, each on a new stream, without reading. */
    abstract void send(String path, int count) throws IOException;

    /** Reads until {@code count} more streams have ended (or been reset). */
    void awaitEnds(int count) throws IOException {
        int target = ended + reset + count;
        while (ended + reset < target) {
            readFrame();
        }
    }

    /** One round trip that proves the connection is alive: a PING, or a request on HTTP/1.1. */
    abstract void ping() throws IOException;

    /** Reads one frame (or one HTTP/1.1 response) and counts what ended. */
    abstract void readFrame() throws IOException;

    /** A request, then its response: what every idle connection in a browser has done once. */
    void roundTrip(String path) throws IOException {
        send(path, 1);
        awaitEnds(1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing after a run.
        }
    }

    /** SPDY/3.1 by prior knowledge, header blocks compressed by a JZlib peer of the given window bits. */
    static final class Spdy extends RawConnection {
        private PeerFrames peer;
        private int pings;
        private int pingsAnswered;

        Spdy(int port, int windowBits) throws IOException {
            super(port);
            peer = new PeerFrames(windowBits);
        }

        @Override
        void send(String path, int count) throws IOException {
            HeaderBlock request = HeaderBlock.of(":method", "GET", ":path", path, ":version", "HTTP/1.1", ":host",
                    authority, ":scheme", "http", "user-agent", "spdy-suite");
            ByteBuffer frames = ByteBuffer.allocate(count * 64 + 512);
            for (int i = 0; i < count; i++) {
                byte[] syn = peer.synStream(nextStreamId, request, true);
                nextStreamId += 2;
                if (frames.remaining() < syn.length) {
                    out.write(frames.array(), 0, frames.position());
                    frames.clear();
                }
                frames.put(syn);
            }
            out.write(frames.array(), 0, frames.position());
        }

        /** No further requests: the peer's compression context is ended, as a client's idle state would be. */
        void endCompression() {
            if (peer != null) {
                peer.end();
                peer = null;
            }
        }

        @Override
        void ping() throws IOException {
            int id = 2 * pings++ + 1;
            out.write(ByteBuffer.allocate(12).putInt(0x80030006).putInt(4).putInt(id).array());
            int answered = pingsAnswered + 1;
            while (pingsAnswered < answered) {
                readFrame();
            }
        }

        @Override
        void readFrame() throws IOException {
            int first = in.readInt();
            int flagsAndLength = in.readInt();
            int flags = flagsAndLength >>> 24;
            int length = flagsAndLength & 0xffffff;
            boolean fin = (flags & 1) != 0;
            if (first < 0) {
                int type = first & 0xffff;
                if (type == 7) {
                    throw new EOFException("GOAWAY from the server");
                }
                if (type == 6) {
                    pingsAnswered++;
                } else if (type == 3) {
                    reset++;
                } else if ((type == 2 || type == 8) && fin) {
                    ended++;
                }
            } else if (fin) {
                ended++;
            }
            in.skipNBytes(length);
        }
    }

    /** The container's own HTTP/2 by prior knowledge, with literal header fields (no Huffman, no indexing). */
    static final class H2c extends RawConnection {
        private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] USER_AGENT = "spdy-suite".getBytes(StandardCharsets.US_ASCII);
        private boolean pingAnswered;

        H2c(int port) throws IOException {
            super(port);
            ByteBuffer b = ByteBuffer.allocate(PREFACE.length + 9);
            b.put(PREFACE).putInt(4).put((byte) 0).putInt(0);
            out.write(b.array());
        }

        @Override
        void send(String path, int count) throws IOException {
            byte[] p = path.getBytes(StandardCharsets.US_ASCII);
            byte[] a = authority.getBytes(StandardCharsets.US_ASCII);
            // :method GET (2), :scheme http (6), :path and :authority as literals with indexed names (4, 1),
            // and the user-agent the SPDY requests carry, a literal with an indexed name (58).
            int blockLength = 2 + 2 + p.length + 2 + a.length + 3 + USER_AGENT.length;
            ByteBuffer frames = ByteBuffer.allocate(count * (9 + blockLength));
            for (int i = 0; i < count; i++) {
                frames.putInt(blockLength << 8 | 1).put((byte) 0x05).putInt(nextStreamId);
                nextStreamId += 2;
                frames.put((byte) 0x82).put((byte) 0x86);
                frames.put((byte) 0x04).put((byte) p.length).put(p);
                frames.put((byte) 0x01).put((byte) a.length).put(a);
                frames.put((byte) 0x0f).put((byte) (58 - 15)).put((byte) USER_AGENT.length).put(USER_AGENT);
            }
            out.write(frames.array(), 0, frames.position());
        }

        @Override
        void ping() throws IOException {
            pingAnswered = false;
            out.write(ByteBuffer.allocate(17).putInt(8 << 8 | 6).put((byte) 0).putInt(0).putLong(42).array());
            while (!pingAnswered) {
                readFrame();
            }
        }

        @Override
        void readFrame() throws IOException {
            int lengthAndType = in.readInt();
            int flags = in.readUnsignedByte();
            in.readInt();
            int length = lengthAndType >>> 8;
            int type = lengthAndType & 0xff;
            in.skipNBytes(length);
            if (type == 4 && (flags & 1) == 0) {
                out.write(ByteBuffer.allocate(9).putInt(4).put((byte) 1).putInt(0).array());
            } else if (type == 6 && (flags & 1) != 0) {
                pingAnswered = true;
            } else if (type == 3) {
                reset++;
            } else if (type == 7) {
                throw new EOFException("GOAWAY from the server");
            } else if ((type == 0 || type == 1) && (flags & 1) != 0) {
                ended++;
            }
        }
    }

    /** HTTP/1.1 with keep-alive: one request at a time, responses with a Content-Length. */
    static final class Http1 extends RawConnection {
        private String lastPath = "/small";

        Http1(int port) throws IOException {
            super(port);
        }

        @Override
        void send(String path, int count) throws IOException {
            if (count != 1) {
                throw new IllegalArgumentException("HTTP/1.1 has one request in flight");
            }
            lastPath = path;
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        void ping() throws IOException {
            roundTrip(lastPath);
        }

        @Override
        void readFrame() throws IOException {
            long contentLength = 0;
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) {
                    break;
                }
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    contentLength = Long.parseLong(header.substring(15).trim());
                }
            }
            in.skipNBytes(contentLength);
            ended++;
        }
    }
}
