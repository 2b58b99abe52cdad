package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.testing.RawHeaderBlocks;
import io.spdyconnector.protocol.testing.WirePeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input no correct client sends (reliability table rows 6, 10a, 15, 16, 17, 18, 20, 22, 24, 25):
 * what only hurts one stream is a RST_STREAM and the connection goes on (its compression context
 * still in sync); what breaks the session is a GOAWAY(PROTOCOL_ERROR) and a close.
 */
public abstract class BadInputScenarios extends HardeningScenarios {

    private static String[] request(WirePeer peer, String path, String... more) {
        List<String> nv = new ArrayList<>();
        peer.request("GET", path).forEach((n, v) -> {
            nv.add(n);
            nv.add(v);
        });
        nv.addAll(List.of(more));
        return nv.toArray(new String[0]);
    }

    /** Sends {@code block} on stream 1, then a plain GET on stream 3 through the same compression context. */
    private List<String> blockThenGet(RawHeaderBlocks raw, WirePeer peer, byte[] nv) throws Exception {
        peer.sendBytes(RawHeaderBlocks.synStream(1, true, raw.block(nv)));
        peer.sendBytes(RawHeaderBlocks.synStream(3, true, raw.block(RawHeaderBlocks.pairs(request(peer, "/hello")))));
        peer.await(l -> l.startsWith("SYN_REPLY #3") || l.startsWith("GOAWAY"));
        return peer.trace();
    }

    /** Row 6 (CVE-2019-9516): thousands of pairs with empty values: 431 without a servlet, zlib stays in sync. */
    @Test
    void thousandsOfEmptyHeaders() throws Exception {
        server();
        WirePeer peer = connect();
        try (RawHeaderBlocks raw = new RawHeaderBlocks(Deflater.DEFAULT_COMPRESSION)) {
            List<String> nv = new ArrayList<>(List.of(request(peer, "/hello")));
            for (int i = 0; i < 5000; i++) {
                nv.add("h" + i);
                nv.add("");
            }
            List<String> trace = blockThenGet(raw, peer, RawHeaderBlocks.pairs(nv.toArray(new String[0])));
            assertThat(trace).anyMatch(l -> l.startsWith("SYN_REPLY #1 fin [:status: 431"))
                    .anyMatch(l -> l.startsWith("SYN_REPLY #3"));
        }
        assertThat(app().invocations.get()).isEqualTo(1);
        wellBehavedClientIsServed();
    }

    /** Row 6: a zero-length name is a stream error (SPEC §2.6.10). */
    @Test
    void zeroLengthHeaderName() throws Exception {
        server();
        WirePeer peer = connect();
        try (RawHeaderBlocks raw = new RawHeaderBlocks(Deflater.DEFAULT_COMPRESSION)) {
            List<String> trace = blockThenGet(raw, peer, RawHeaderBlocks.pairs(request(peer, "/hello", "", "x")));
            assertThat(trace).contains("RST_STREAM #1 PROTOCOL_ERROR").anyMatch(l -> l.startsWith("SYN_REPLY #3"));
        }
        assertThat(app().invocations.get()).isEqualTo(1);
    }

    /** Row 16: headers over the per-stream budget (16 KiB) but within the inflate cap: 431 without a servlet, the session goes on. */
    @Test
    void headersOverTheBudgetResetOnlyTheirStream() throws Exception {
        server();
        WirePeer peer = connect();
        try (RawHeaderBlocks raw = new RawHeaderBlocks(Deflater.DEFAULT_COMPRESSION)) {
            List<String> trace = blockThenGet(raw, peer,
                    RawHeaderBlocks.pairs(request(peer, "/hello", "x-big", "a".repeat(20_000))));
            assertThat(trace).anyMatch(l -> l.startsWith("SYN_REPLY #1 fin [:status: 431"))
                    .anyMatch(l -> l.startsWith("SYN_REPLY #3"));
        }
        assertThat(app().invocations.get()).isEqualTo(1);
    }

    /** Row 15 (zlib bomb, cf. CVE-2026-43970): a small block inflating to megabytes ends the session. */
    @Test
    void zlibBomb() throws Exception {
        server();
        WirePeer peer = connect();
        try (RawHeaderBlocks raw = new RawHeaderBlocks(Deflater.BEST_COMPRESSION)) {
            byte[] nv = RawHeaderBlocks.pairs(request(peer, "/hello", "x-bomb", "a".repeat(8 << 20)));
            byte[] block = raw.block(nv);
            assertThat(block.length).isLessThan(65536);
            peer.sendBytes(RawHeaderBlocks.synStream(1, true, block));
        }
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        peer.awaitClosed();
        assertThat(app().invocations.get()).isZero();
        wellBehavedClientIsServed();
    }

    /** Row 10a: a control frame announcing 16 MiB ends the session before its payload is read. */
    @Test
    void hugeControlFrame() throws Exception {
        server();
        WirePeer peer = connect();
        byte[] flood = new byte[4 << 20];
        byte[] header = {(byte) 0x80, 3, 0, 1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        System.arraycopy(header, 0, flood, 0, header.length);
        peer.sendUntilClosed(flood);
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /** Row 25: a header block that is not zlib at all corrupts the context: a session error. */
    @Test
    void headerBlockThatIsNotZlib() throws Exception {
        server();
        WirePeer peer = connect();
        peer.sendBytes(RawHeaderBlocks.synStream(1, true, "this is not a zlib stream".getBytes()));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /** Row 17: a stream window pushed past 2^31-1 resets the stream; the session window, the session. */
    @Test
    void windowOverflow() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(peer.syn(1, true, "GET", "/block"));
        await("the stream admitted", () -> app().invocations.get() == 1);
        peer.send(new WindowUpdateFrame(1, 0x7FFFFFFF));
        peer.await("RST_STREAM #1 FLOW_CONTROL_ERROR");
        peer.send(peer.syn(3, true, "GET", "/hello"));
        peer.await("SYN_REPLY #3");
        peer.send(new WindowUpdateFrame(0, 0x7FFFFFFF));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=3 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /**
     * Row 18: DATA beyond the stream window resets the stream, and every byte it had sent is
     * credited back to the session window: sixteen such streams send more than the session window
     * (1 MiB), and the session still takes requests. The budget is off, so only the credit is tested.
     */
    @Test
    void dataBeyondTheStreamWindowKeepsTheSessionWindowWhole() throws Exception {
        server(HardeningOptions.defaults().abuseProtection(false));
        WirePeer peer = connect();
        for (int id = 1; id < 32; id += 2) {
            // The servlet reads nothing: 64 KiB fill the stream window, 4 KiB more overflow it.
            peer.send(peer.syn(id, false, "POST", "/block"), new DataFrame(id, ByteBuffer.allocate(65536), false),
                    new DataFrame(id, ByteBuffer.allocate(4096), false));
            peer.await("RST_STREAM #" + id + " FLOW_CONTROL_ERROR");
        }
        peer.send(peer.syn(33, false, "POST", "/upload"), new DataFrame(33, ByteBuffer.allocate(60_000), true));
        peer.await("SYN_REPLY #33");
        assertThat(peer.trace()).noneMatch(l -> l.startsWith("GOAWAY"));
        assertThat(app().outcomes).contains("read 60000 eof");
    }

    static Stream<Arguments> badStreamIds() {
        return Stream.of(
                Arguments.of("even id", new int[] {2}, "GOAWAY last=0 PROTOCOL_ERROR"),
                Arguments.of("decreasing ids", new int[] {5, 3}, "GOAWAY last=5 PROTOCOL_ERROR"));
    }

    /** Row 20: stream ids that are even or go down are session errors (SPEC §2.3.2). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badStreamIds")
    void streamIdAbuse(String name, int[] ids, String answer) throws Exception {
        server();
        WirePeer peer = connect();
        for (int id : ids) {
            peer.send(peer.syn(id, true, "GET", "/hello"));
        }
        assertThat(peer.await("GOAWAY")).isEqualTo(answer);
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /**
     * Row 19: with {@code maxStreamsPerSession} 1000, a connection serves 1000 streams; the last is
     * followed by GOAWAY(OK) naming it, all 1000 complete, the next is ignored, and the
     * connection closes, so a long-lived client moves on long before ids run out.
     */
    @Test
    void thousandStreamsPerConnectionThenGoAway() throws Exception {
        server(HardeningOptions.defaults().maxStreamsPerSession(1000));
        WirePeer peer = connect();
        // In batches of 50, as a client keeping within MAX_CONCURRENT_STREAMS (100) does.
        for (int first = 1; first <= 2001; first += 100) {
            List<io.spdyconnector.protocol.frame.Frame> batch = new ArrayList<>();
            for (int id = first; id < first + 100 && id <= 2001; id += 2) {
                batch.add(peer.syn(id, true, "GET", "/hello"));
            }
            peer.send(batch);
            int last = Math.min(first + 98, 1999);
            peer.await(l -> l.equals("DATA #" + last + " len=5 fin"));
        }
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=1999 OK");
        peer.awaitClosed();
        List<String> trace = peer.trace();
        assertThat(trace).filteredOn(l -> l.startsWith("DATA") && l.endsWith("fin")).hasSize(1000);
        assertThat(trace).noneMatch(l -> l.contains("#2001"));
        assertThat(trace).filteredOn(l -> l.startsWith("GOAWAY")).containsExactly("GOAWAY last=1999 OK");
        assertThat(app().invocations.get()).isEqualTo(1000);
        wellBehavedClientIsServed();
    }

    /** Row 20: a second SYN_STREAM for an open stream is a stream error (SPEC §2.3.2). */
    @Test
    void duplicateStreamId() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(peer.syn(1, true, "GET", "/block"));
        await("the stream admitted", () -> app().invocations.get() == 1);
        peer.send(peer.syn(1, true, "GET", "/block"));
        peer.await("RST_STREAM #1 PROTOCOL_ERROR");
        peer.send(peer.syn(3, true, "GET", "/hello"));
        peer.await("SYN_REPLY #3");
        assertThat(app().invocations.get()).isEqualTo(2);
    }

    private static byte[] frame(int type, int flags, int... payload) {
        byte[] b = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            b[i] = (byte) payload[i];
        }
        return RawHeaderBlocks.controlFrame(type, flags, b);
    }

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                Arguments.of("RST_STREAM of 4 bytes", frame(3, 0, 0, 0, 0, 1)),
                Arguments.of("RST_STREAM status 0", frame(3, 0, 0, 0, 0, 1, 0, 0, 0, 0)),
                Arguments.of("RST_STREAM on stream 0", frame(3, 0, 0, 0, 0, 0, 0, 0, 0, 5)),
                Arguments.of("PING of 8 bytes", frame(6, 0, 0, 0, 0, 1, 0, 0, 0, 1)),
                Arguments.of("GOAWAY of 4 bytes", frame(7, 0, 0, 0, 0, 0)),
                Arguments.of("WINDOW_UPDATE of 4 bytes", frame(9, 0, 0, 0, 0, 1)),
                Arguments.of("WINDOW_UPDATE delta 0", frame(9, 0, 0, 0, 0, 1, 0, 0, 0, 0)),
                Arguments.of("SETTINGS count and length disagree", frame(4, 0, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 1)),
                Arguments.of("SYN_STREAM of 5 bytes", frame(1, 0, 0, 0, 0, 1, 0)),
                Arguments.of("HEADERS of 2 bytes", frame(8, 0, 0, 0)),
                Arguments.of("DATA on stream 0", new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0x41}),
                Arguments.of("SPDY/2 frame", new byte[] {(byte) 0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1}),
                Arguments.of("SPDY/4 frame", new byte[] {(byte) 0x80, 4, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1}));
    }

    /** Rows 22 and 24: malformed fixed-length frames and other versions end the session (GOAWAY 1). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void malformedFrameEndsTheSession(String name, byte[] frame) throws Exception {
        server();
        WirePeer peer = connect();
        // A valid frame first, so the session is under way.
        peer.sendBytes(frame(6, 0, 0, 0, 0, 1));
        peer.await("PING");
        peer.sendBytes(frame);
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }
}
