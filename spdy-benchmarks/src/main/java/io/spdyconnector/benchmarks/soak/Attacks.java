package io.spdyconnector.benchmarks.soak;

import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.headers.SpdyDictionary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.Deflater;

/**
 * The abusive clients of the soak, one connection each, from docs/hardening.md's attack table:
 * floods end with the server's GOAWAY(PROTOCOL_ERROR), slow and vanishing clients with the server
 * closing the connection. Each returns what it saw, for the report.
 */
final class Attacks {
    /** One attack: its name, and the bytes of a connection (given the server's port). */
    record Attack(String name, boolean expectGoAwayError, int receiveBuffer, long holdMillis, boolean abort,
            IntFunction<byte[]> bytes) {
    }

    private Attacks() {
    }

    static List<Attack> all() {
        List<Attack> a = new ArrayList<>();
        a.add(new Attack("ping flood", true, 4096, 0, false, port -> frames(port, (e, out) -> {
            for (int i = 0; i < 20_000; i++) {
                e.add(new PingFrame(2 * i + 1));
            }
        })));
        a.add(new Attack("rapid reset", true, 0, 0, false, port -> frames(port, (e, out) -> {
            for (int id = 1; id < 4000; id += 2) {
                e.add(syn(port, id, true, "/small"));
                e.add(new RstStreamFrame(id, RstStatus.CANCEL));
            }
        })));
        a.add(new Attack("made you reset", true, 0, 0, false, port -> frames(port, (e, out) -> {
            for (int id = 1; id < 2000; id += 2) {
                e.add(syn(port, id, true, "/small"));
                e.add(new DataFrame(id, ByteBuffer.wrap(new byte[] {1}), false));
            }
        })));
        a.add(new Attack("settings flood", true, 0, 0, false, port -> frames(port, (e, out) -> {
            for (int i = 0; i < 2000; i++) {
                e.add(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, i % 2 == 0 ? 1 : 65535))));
            }
        })));
        a.add(new Attack("empty DATA flood", true, 0, 0, false, port -> frames(port, (e, out) -> {
            e.add(syn(port, 1, false, "/small"));
            for (int i = 0; i < 2000; i++) {
                e.add(new DataFrame(1, ByteBuffer.allocate(0), false));
            }
        })));
        a.add(new Attack("DATA on unopened streams", true, 0, 0, false, port -> frames(port, (e, out) -> {
            for (int i = 0; i < 5000; i++) {
                e.add(new DataFrame(101, ByteBuffer.wrap(new byte[] {1}), false));
            }
        })));
        a.add(new Attack("HEADERS flood", true, 0, 0, false, port -> frames(port, (e, out) -> {
            e.add(syn(port, 1, false, "/small"));
            for (int i = 0; i < 2000; i++) {
                e.add(new HeadersFrame(1, false, HeaderBlock.of("x-" + i, "v")));
            }
        })));
        a.add(new Attack("window dribble", true, 0, 0, false, port -> frames(port, (e, out) -> {
            e.add(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 1))));
            e.add(syn(port, 1, true, "/big?n=10000000"));
            for (int i = 0; i < 2000; i++) {
                e.add(new WindowUpdateFrame(1, 1));
            }
        })));
        a.add(new Attack("unknown frame flood", true, 0, 0, false, port -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) {
                out.writeBytes(control(0xFF, new byte[4]));
            }
            return out.toByteArray();
        }));
        a.add(new Attack("zlib bomb", true, 0, 0, false, Attacks::zlibBomb));
        a.add(new Attack("huge control frame", true, 0, 0, false, port -> {
            byte[] b = new byte[1 << 20];
            System.arraycopy(new byte[] {(byte) 0x80, 3, 0, 1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, 0, b, 0, 8);
            return b;
        }));
        a.add(new Attack("malformed RST_STREAM", true, 0, 0, false, port -> control(3, new byte[] {0, 0, 0, 1})));
        a.add(new Attack("slowloris", false, 0, 0, false, port -> new byte[] {(byte) 0x80, 3, 0}));
        a.add(new Attack("client that never reads", false, 4096, 0, false, port -> frames(port, (e, out) -> {
            e.add(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x7FFFFFFF))));
            e.add(new WindowUpdateFrame(0, 0x7FFFFFFF - 65536));
            for (int id = 1; id < 20; id += 2) {
                e.add(syn(port, id, true, "/big?n=1000000"));
            }
        })));
        a.add(new Attack("client that vanishes", false, 0, 2000, true, port -> frames(port, (e, out) -> {
            e.add(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x7FFFFFFF))));
            e.add(new WindowUpdateFrame(0, 0x7FFFFFFF - 65536));
            e.add(syn(port, 1, true, "/big"));
        })));
        return a;
    }

    private interface Script {
        void write(List<Frame> frames, ByteArrayOutputStream raw);
    }

    private static byte[] frames(int port, Script script) {
        List<Frame> frames = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        script.write(frames, out);
        try (HeaderBlockEncoder headers = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            FrameEncoder encoder = new FrameEncoder(headers);
            for (Frame f : frames) {
                for (ByteBuffer b : encoder.encode(f)) {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    out.writeBytes(a);
                }
            }
        }
        return out.toByteArray();
    }

    private static SynStreamFrame syn(int port, int id, boolean fin, String path) {
        return new SynStreamFrame(id, 0, 0, 0, fin, false, request(port, path));
    }

    private static HeaderBlock request(int port, String path) {
        return HeaderBlock.of(":method", "GET", ":path", path, ":version", "HTTP/1.1", ":host", "127.0.0.1:" + port,
                ":scheme", "http");
    }

    private static byte[] control(int type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putShort((short) 0x8003).putShort((short) type)
                .putInt(payload.length).put(payload).array();
    }

    /** A SYN_STREAM whose header value is 8 MB of one letter, deflated at level 9 to a few KB. */
    private static byte[] zlibBomb(int port) {
        ByteArrayOutputStream nv = new ByteArrayOutputStream();
        List<String> pairs = new ArrayList<>();
        request(port, "/small").forEach((n, v) -> {
            pairs.add(n);
            pairs.add(v);
        });
        pairs.add("x-bomb");
        pairs.add("a".repeat(8 << 20));
        nv.writeBytes(ByteBuffer.allocate(4).putInt(pairs.size() / 2).array());
        for (String s : pairs) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            nv.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            nv.writeBytes(b);
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setDictionary(SpdyDictionary.bytes());
            deflater.setInput(nv.toByteArray());
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                block.write(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
            byte[] b = block.toByteArray();
            return control(1, ByteBuffer.allocate(10 + b.length).putInt(1).putInt(0).putShort((short) 0).put(b).array());
        } finally {
            deflater.end();
        }
    }

    /** Runs one attack against {@code port}: what the server answered, in a word. */
    static String run(Attack attack, int port) {
        try (Socket socket = new Socket()) {
            if (attack.receiveBuffer() > 0) {
                socket.setReceiveBufferSize(attack.receiveBuffer());
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(60_000);
            byte[] bytes = attack.bytes().apply(port);
            try {
                socket.getOutputStream().write(bytes);
            } catch (IOException closedByServer) {
                // The server ended the connection before taking it all: expected of floods.
            }
            if (attack.abort()) {
                Thread.sleep(attack.holdMillis());
                socket.setSoLinger(true, 0);
                return "aborted";
            }
            if (attack.receiveBuffer() > 0) {
                // Not reading, for a while: the server must not buffer for it.
                Thread.sleep(3000);
            }
            return answer(socket.getInputStream());
        } catch (IOException e) {
            return "error " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Reads until the server closes; reports the GOAWAY status seen, if any. */
    private static String answer(InputStream in) {
        byte[] goAway = {(byte) 0x80, 3, 0, 7, 0, 0, 0, 8};
        byte[] window = new byte[16];
        int filled = 0;
        String seen = "closed";
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (filled == window.length) {
                    System.arraycopy(window, 1, window, 0, window.length - 1);
                    filled--;
                }
                window[filled++] = (byte) b;
                if (filled == 16 && java.util.Arrays.equals(window, 0, 8, goAway, 0, 8)) {
                    seen = "GOAWAY " + window[15];
                }
            }
            return seen;
        } catch (java.net.SocketTimeoutException e) {
            return "still open after 60 s";
        } catch (IOException e) {
            return seen.equals("closed") ? "reset" : seen;
        }
    }
}
