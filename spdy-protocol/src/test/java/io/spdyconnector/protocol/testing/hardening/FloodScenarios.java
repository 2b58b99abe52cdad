package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.testing.RawHeaderBlocks;
import io.spdyconnector.protocol.testing.WirePeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames that cost the server work without moving a request forward (reliability table rows 1,
 * 2, 4, 5, 8, 9, 10b, 11, 23, 26): each flood ends with GOAWAY(PROTOCOL_ERROR) after a handful of
 * frames, whatever its length, and never reaches more servlets than the concurrency limit.
 */
public abstract class FloodScenarios extends HardeningScenarios {

    /** Row 2 (CVE-2019-9512): PINGs from a client that does not read its echoes. */
    @Test
    void pingFloodFromAClientThatDoesNotRead() throws Exception {
        server();
        WirePeer peer = closeLater(WirePeer.connectNotReading(server.port(), 4096));
        List<Frame> pings = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            pings.add(new PingFrame(2 * i + 1));
        }
        peer.sendUntilClosed(peer.bytes(pings.toArray(new Frame[0])));
        peer.startReading();
        peer.awaitClosed();
        List<String> trace = peer.trace();
        assertThat(trace).last().isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        // A fresh connection's budget pays for 10 pings; their echoes are all it ever got.
        measured("ping echoes before GOAWAY", count(trace, "PING"));
        assertThat(count(trace, "PING")).isLessThanOrEqualTo(10);
        assertThat(server.metrics().abuseTrips()).isEqualTo(1);
        wellBehavedClientIsServed();
    }

    /** Row 5 (CVE-2019-9515): SETTINGS that re-size every open stream's window, over and over. */
    @Test
    void settingsFloodWithOpenStreams() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(peer.syn(1, true, "GET", "/block"), peer.syn(3, true, "GET", "/block"));
        await("both streams admitted", () -> app().invocations.get() == 2);
        List<Frame> settings = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            settings.add(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, i % 2 == 0 ? 1 : 65535))));
        }
        peer.sendUntilClosed(peer.bytes(settings.toArray(new Frame[0])));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=3 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /** Row 5: a SETTINGS frame claiming 2^32-1 entries in 4 bytes is refused before any allocation. */
    @Test
    void settingsWithAnAbsurdEntryCount() throws Exception {
        server();
        WirePeer peer = connect();
        peer.sendBytes(RawHeaderBlocks.controlFrame(4, 0, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /** Row 4 (CVE-2019-9514): DATA on a stream never opened, each drawing a RST_STREAM. */
    @Test
    void resetFloodThroughDataOnUnopenedStreams() throws Exception {
        server();
        WirePeer peer = connect();
        byte[] one = {0, 0, 0, 101, 0, 0, 0, 1, 0x41};
        byte[] flood = new byte[one.length * 10_000];
        for (int i = 0; i < 10_000; i++) {
            System.arraycopy(one, 0, flood, i * one.length, one.length);
        }
        peer.sendUntilClosed(flood);
        peer.awaitClosed();
        List<String> trace = peer.trace();
        assertThat(trace).last().isEqualTo("GOAWAY last=0 PROTOCOL_ERROR");
        measured("resets sent for 10000 DATA frames", count(trace, "RST_STREAM"));
        assertThat(count(trace, "RST_STREAM")).isLessThanOrEqualTo(3);
        wellBehavedClientIsServed();
    }

    /** Row 8 (CVE-2019-9518): empty DATA frames without FIN on an open upload. */
    @Test
    void emptyDataFlood() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(peer.syn(1, false, "POST", "/upload"));
        List<Frame> empty = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            empty.add(new DataFrame(1, ByteBuffer.allocate(0), false));
        }
        peer.sendUntilClosed(peer.bytes(empty.toArray(new Frame[0])));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=1 PROTOCOL_ERROR");
        peer.awaitClosed();
        // The upload was cut: its servlet never saw an end of stream.
        await("the upload's outcome", () -> app().invocations.get() == 0 || !app().outcomes.isEmpty());
        assertThat(app().outcomes).noneMatch(o -> o.endsWith("eof"));
        wellBehavedClientIsServed();
    }

    /** Row 8, control case: one empty DATA frame with FIN ends an upload normally (SPEC §2.6.8). */
    @Test
    void emptyDataWithFinIsAnOrdinaryEnd() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(peer.syn(1, false, "POST", "/upload"), new DataFrame(1, ByteBuffer.wrap(new byte[] {1, 2, 3}), false),
                new DataFrame(1, ByteBuffer.allocate(0), true));
        peer.await(l -> l.startsWith("DATA #1") && l.endsWith("fin"));
        assertThat(app().outcomes).containsExactly("read 3 eof");
        assertThat(peer.trace()).noneMatch(l -> l.startsWith("GOAWAY") || l.startsWith("RST"));
    }

    /** Row 9 (CVE-2023-44487): SYN_STREAM and RST_STREAM(CANCEL), thousands of times in one write. */
    @Test
    void rapidReset() throws Exception {
        server();
        WirePeer peer = connect();
        List<Frame> cycles = new ArrayList<>();
        for (int id = 1; id < 20_000; id += 2) {
            cycles.add(peer.syn(id, true, "GET", "/slow?ms=2000"));
            cycles.add(new RstStreamFrame(id, RstStatus.CANCEL));
        }
        peer.sendUntilClosed(peer.bytes(cycles.toArray(new Frame[0])));
        assertThat(peer.await("GOAWAY")).endsWith("PROTOCOL_ERROR");
        peer.awaitClosed();
        // The budget pays for 4 or 5 cycles on a fresh connection.
        measured("rapid reset: servlet invocations for 10000 cycles", app().invocations.get());
        assertThat(app().invocations.get()).isLessThanOrEqualTo(10);
        wellBehavedClientIsServed();
    }

    /**
     * Row 9, nginx's cap: more new streams in one read than twice {@code maxConcurrentStreams}
     * (here 140 in one write against a limit of 60) end the session. The refusal cap alone would
     * not: 80 refusals stay under its 100. The peer compresses, as browsers did, so the burst fits
     * in one read of the server.
     */
    @Test
    void moreNewStreamsInOneReadThanAnyBurstEndTheSession() throws Exception {
        server(HardeningOptions.defaults().maxConcurrentStreams(60));
        WirePeer peer = closeLater(WirePeer.connectCompressing(server.port()));
        List<Frame> burst = new ArrayList<>();
        for (int id = 1; id < 280; id += 2) {
            burst.add(peer.syn(id, true, "GET", "/slow?ms=2000"));
        }
        peer.send(burst);
        // 60 admitted, 60 refused, then the 121st of the read.
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=119 PROTOCOL_ERROR");
        peer.awaitClosed();
        assertThat(app().invocations.get()).isLessThanOrEqualTo(60);
        wellBehavedClientIsServed();
    }

    /** Row 11 (CVE-2025-8671, MadeYouReset): requests the client makes the server reset, with DATA after FIN. */
    @Test
    void madeYouResetEndsTheSession() throws Exception {
        server();
        WirePeer peer = connect();
        List<Frame> cycles = new ArrayList<>();
        for (int id = 1; id < 2000; id += 2) {
            cycles.add(peer.syn(id, true, "GET", "/slow?ms=2000"));
            cycles.add(new DataFrame(id, ByteBuffer.wrap(new byte[] {1}), false));
        }
        peer.sendUntilClosed(peer.bytes(cycles.toArray(new Frame[0])));
        assertThat(peer.await("GOAWAY")).endsWith("PROTOCOL_ERROR");
        List<String> trace = peer.trace();
        assertThat(trace).contains("RST_STREAM #1 STREAM_ALREADY_CLOSED");
        measured("made you reset: servlet invocations for 1000 cycles", app().invocations.get());
        assertThat(app().invocations.get()).isLessThanOrEqualTo(10);
        wellBehavedClientIsServed();
    }

    /**
     * Row 11, the structural fix, with the budget off so only it is at work: a reset stream keeps
     * its slot while its servlet runs, so no more servlets run than the concurrency limit, and
     * the slots come back when they return.
     */
    @Test
    void madeYouResetNeverRunsMoreServletsThanTheLimit() throws Exception {
        server(HardeningOptions.defaults().maxConcurrentStreams(5).abuseProtection(false));
        WirePeer peer = connect();
        List<Frame> cycles = new ArrayList<>();
        for (int id = 1; id < 100; id += 2) {
            cycles.add(peer.syn(id, true, "GET", "/block"));
            cycles.add(new DataFrame(id, ByteBuffer.wrap(new byte[] {1}), false));
        }
        peer.send(cycles);
        peer.await("RST_STREAM #99");
        List<String> trace = peer.trace();
        assertThat(count(trace, "RST_STREAM")).isGreaterThanOrEqualTo(50);
        // The servlet of a reset stream either runs, holding its slot (Jetty), or never starts
        // when the reset came before its turn (Tomcat): never more of them than the limit.
        await("every admitted stream's servlet blocked or skipped",
                () -> server.metrics().applicationStreams() == app().running.get());
        assertThat(app().invocations.get()).isLessThanOrEqualTo(5);
        assertThat(server.metrics().openStreams()).isZero();
        app().release();
        await("the servlets returned", () -> server.metrics().applicationStreams() == 0);
        peer.send(peer.syn(101, true, "GET", "/hello"));
        peer.await("SYN_REPLY #101");
        assertThat(app().maxRunning.get()).isLessThanOrEqualTo(5);
    }

    /** Row 10b (the CONTINUATION flood's SPDY form): HEADERS frames without end on one open stream. */
    @Test
    void headersFloodOnOneStream() throws Exception {
        server();
        WirePeer peer = connect();
        List<Frame> frames = new ArrayList<>();
        frames.add(peer.syn(1, false, "POST", "/upload"));
        for (int i = 0; i < 1000; i++) {
            frames.add(new HeadersFrame(1, false, HeaderBlock.of("x-" + i, "v")));
        }
        peer.sendUntilClosed(peer.bytes(frames.toArray(new Frame[0])));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=1 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /** Row 23: unknown control frame types are skipped, a few at a time, not ten thousand. */
    @Test
    void unknownFrameFlood() throws Exception {
        server();
        WirePeer peer = connect();
        byte[] unknown = RawHeaderBlocks.controlFrame(0xFF, 0, new byte[4]);
        // A few are skipped and the session goes on.
        peer.sendBytes(unknown).sendBytes(RawHeaderBlocks.controlFrame(5, 0, new byte[0])).sendBytes(unknown);
        peer.send(peer.syn(1, true, "GET", "/hello"));
        peer.await("SYN_REPLY #1");
        byte[] flood = new byte[unknown.length * 10_000];
        for (int i = 0; i < 10_000; i++) {
            System.arraycopy(unknown, 0, flood, i * unknown.length, unknown.length);
        }
        peer.sendUntilClosed(flood);
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=1 PROTOCOL_ERROR");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /**
     * Row 1 (CVE-2019-9511, Data Dribble): a 1-byte initial window and WINDOW_UPDATEs of 1 byte
     * on a large download: the session ends after a few, and the server never held more than one
     * servlet write's worth of the response.
     */
    @Test
    void dataDribble() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 1))),
                peer.syn(1, true, "GET", "/bytes?n=10000000"));
        peer.await("SYN_REPLY #1");
        long held = 0;
        List<Frame> updates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            updates.add(new WindowUpdateFrame(1, 1));
        }
        byte[] dribble = peer.bytes(updates.toArray(new Frame[0]));
        for (int off = 0; off < dribble.length && !peer.isClosed(); off += 16) {
            peer.sendUntilClosed(java.util.Arrays.copyOfRange(dribble, off, off + 16));
            held = Math.max(held, server.metrics().queuedDataBytes() + server.metrics().bufferedOutputBytes());
            if (peer.trace().stream().anyMatch(l -> l.startsWith("GOAWAY"))) {
                break;
            }
        }
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=1 PROTOCOL_ERROR");
        measured("data dribble: DATA bytes sent before GOAWAY", peer.dataBytes(1));
        measured("data dribble: bytes held in the session", held);
        assertThat(peer.dataBytes(1)).isLessThan(100);
        assertThat(held).isLessThanOrEqualTo(128 * 1024);
        await("the servlet's write failed", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("write failed");
        wellBehavedClientIsServed();
    }

    /**
     * Row 26: a client holding every slot with slow streams and opening more: each is refused
     * before any servlet sees it, and after 100 refusals (nginx's cap) the session ends.
     */
    @Test
    void refusedStreamChurn() throws Exception {
        server(HardeningOptions.defaults().maxConcurrentStreams(10));
        WirePeer peer = connect();
        List<Frame> frames = new ArrayList<>();
        for (int id = 1; id < 20; id += 2) {
            frames.add(peer.syn(id, true, "GET", "/block"));
        }
        peer.send(frames);
        await("10 servlets blocked", () -> app().running.get() == 10);
        frames.clear();
        for (int id = 21; id < 2021; id += 2) {
            frames.add(peer.syn(id, true, "GET", "/hello"));
        }
        peer.sendUntilClosed(peer.bytes(frames.toArray(new Frame[0])));
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=19 PROTOCOL_ERROR");
        List<String> trace = peer.trace();
        measured("refused streams before GOAWAY", count(trace, "RST_STREAM"));
        assertThat(count(trace, "RST_STREAM")).isLessThanOrEqualTo(100);
        assertThat(trace).filteredOn(l -> l.startsWith("RST")).allMatch(l -> l.endsWith("REFUSED_STREAM"));
        assertThat(app().invocations.get()).isEqualTo(10);
        app().release();
        wellBehavedClientIsServed();
    }
}
