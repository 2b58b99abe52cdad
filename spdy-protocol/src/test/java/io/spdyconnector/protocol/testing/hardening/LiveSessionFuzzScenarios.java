package io.spdyconnector.protocol.testing.hardening;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.testing.FrameCollector;
import io.spdyconnector.protocol.testing.RawHeaderBlocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random frame sequences against a live container session: one connection per input, to one
 * container started once per class. The input is a program of frames, so most inputs get past
 * the first frame: each op is one byte ({@code op % 11}), then its fields, zero when the input
 * runs out:
 * <pre>
 * 0 SYN_STREAM  [id][flags: bit 0 FIN, bits 1-3 path][n]   id = 2*id+1; path: /hello /slow?ms=n /bytes?n=n*100 /upload /boom
 * 1 DATA        [id][len hi][len lo][fin]                 id = 2*id+1, len up to 65535
 * 2 RST_STREAM  [id][status]        3 SETTINGS [setting id][value: 4]     4 PING [id: 4]
 * 5 GOAWAY      [last][status]      6 HEADERS  [id][fin]                 7 WINDOW_UPDATE [id (0: session)][delta: 4]
 * 8 raw bytes   [n][n bytes]        9 SYN_REPLY [id]                     10 unknown control frame [type][length]
 * </pre>
 * The client then half-closes. Invariants: the server's bytes decode as SPDY in a fresh client
 * context; a GOAWAY with an error status is the last frame; the server closes the connection;
 * afterwards no session is left open, and no servlet is still at work when the next input
 * starts. Jazzer replays the committed corpus in {@code mvn test}; {@code JAZZER_FUZZ=1} fuzzes.
 */
public abstract class LiveSessionFuzzScenarios {
    private static final String[] PATHS = {"/hello", "/slow?ms=", "/bytes?n=", "/upload", "/boom"};
    private static HardeningServer shared;

    protected abstract HardeningServer start(HardeningOptions options) throws Exception;

    @AfterAll
    static void stopShared() throws Exception {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    private HardeningServer server() throws Exception {
        if (shared == null) {
            // Short timeouts, so an input that leaves a stream hanging ends within the fuzz timeout.
            shared = start(HardeningOptions.defaults().idleTimeout(2000).readTimeout(2000).streamTimeout(2000)
                    .writeTimeout(2000));
        }
        return shared;
    }

    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "30s")
    void liveSession(byte[] program) throws Exception {
        // The connections go to the container under test on loopback, never to a fuzzed address.
        try (SilentCloseable loopback = BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127.") || host.equals("::1"))) {
            run(program);
        }
    }

    private void run(byte[] program) throws Exception {
        HardeningServer server = server();
        // A servlet of an earlier input may start after its connection closed: it must end in time.
        awaitQuiet(server);
        assertThat(server.app().running.get()).as("servlets of earlier inputs still running").isZero();
        byte[] wire = encode(program, server.port());
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            try {
                socket.getOutputStream().write(wire);
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                // The server already ended the session: what it said is read below.
            }
            InputStream in = socket.getInputStream();
            byte[] b = new byte[16384];
            int n;
            try {
                while ((n = in.read(b)) >= 0) {
                    answer.write(b, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open 30 s after the client's FIN");
            } catch (SocketException reset) {
                // Reset after the server's last bytes: what arrived is checked.
            }
        }
        checkAnswer(answer.toByteArray());
        awaitQuiet(server);
        assertThat(server.metrics().sessions()).as("sessions left open").isZero();
    }

    /** Waits (30 s at most) until no session is open and no servlet runs. */
    private static void awaitQuiet(HardeningServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((server.metrics().sessions() > 0 || server.app().running.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void checkAnswer(byte[] bytes) {
        FrameCollector frames = new FrameCollector();
        HeaderBlockDecoder headers = new HeaderBlockDecoder(1000, 1 << 20);
        try {
            new FrameDecoder(frames, headers, 0xFFFFFF).decode(ByteBuffer.wrap(bytes));
        } catch (SessionException e) {
            throw new AssertionError("the server wrote bytes that are not SPDY: " + e.getMessage(), e);
        } finally {
            headers.close();
        }
        assertThat(frames.problems).as("header blocks the server wrote").isEmpty();
        List<Frame> all = frames.frames;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) instanceof GoAwayFrame g && g.code() != 0) {
                assertThat(i).as("frames after GOAWAY(" + g.code() + "): " + all).isEqualTo(all.size() - 1);
            }
        }
    }

    /** The program's frames, encoded in one client compression context. */
    static byte[] encode(byte[] program, int port) {
        ByteBuffer p = ByteBuffer.wrap(program);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (HeaderBlockEncoder headers = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            FrameEncoder encoder = new FrameEncoder(headers);
            for (int ops = 0; p.hasRemaining() && ops < 200; ops++) {
                int op = (p.get() & 0xFF) % 11;
                Frame frame = null;
                switch (op) {
                    case 0 -> {
                        int id = 2 * u8(p) + 1;
                        int flags = u8(p);
                        int n = u8(p);
                        String path = PATHS[(flags >> 1) % PATHS.length];
                        path += path.endsWith("ms=") ? Integer.toString(n) : path.endsWith("n=") ? Integer.toString(n * 100) : "";
                        frame = new SynStreamFrame(id, 0, 0, 0, (flags & 1) != 0, false, HeaderBlock.of(":method",
                                path.equals("/upload") ? "POST" : "GET", ":path", path, ":version", "HTTP/1.1",
                                ":host", "127.0.0.1:" + port, ":scheme", "http"));
                    }
                    case 1 -> frame = new DataFrame(2 * u8(p) + 1, ByteBuffer.allocate(u8(p) << 8 | u8(p)), u8(p) % 2 == 1);
                    case 2 -> frame = new RstStreamFrame(u8(p), u8(p) % 13);
                    case 3 -> frame = new SettingsFrame(false, List.of(new Setting(u8(p) % 10, i32(p))));
                    case 4 -> frame = new PingFrame(i32(p));
                    case 5 -> frame = new GoAwayFrame(u8(p), u8(p) % 3);
                    case 6 -> frame = new HeadersFrame(2 * u8(p) + 1, u8(p) % 2 == 1, HeaderBlock.of("x-fuzz", "1"));
                    case 7 -> frame = new WindowUpdateFrame(u8(p), i32(p) & 0x7FFFFFFF);
                    case 8 -> {
                        byte[] raw = new byte[Math.min(u8(p), p.remaining())];
                        p.get(raw);
                        out.writeBytes(raw);
                    }
                    case 9 -> frame = new SynReplyFrame(2 * u8(p) + 1, false, HeaderBlock.of(":status", "200"));
                    default -> out.writeBytes(RawHeaderBlocks.controlFrame(11 + u8(p), 0, new byte[u8(p)]));
                }
                if (frame != null) {
                    try {
                        for (ByteBuffer b : encoder.encode(frame)) {
                            byte[] a = new byte[b.remaining()];
                            b.get(a);
                            out.writeBytes(a);
                        }
                    } catch (IllegalArgumentException refusedByTheEncoder) {
                        // A value our encoder will not write (e.g. RST status 0): the frame is left out.
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static int u8(ByteBuffer p) {
        return p.hasRemaining() ? p.get() & 0xFF : 0;
    }

    private static int i32(ByteBuffer p) {
        return u8(p) << 24 | u8(p) << 16 | u8(p) << 8 | u8(p);
    }
}
