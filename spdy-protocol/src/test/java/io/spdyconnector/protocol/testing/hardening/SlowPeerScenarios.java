package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.testing.FaultProxy;
import io.spdyconnector.protocol.testing.WirePeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that are slow on purpose (reliability table rows 7, 12, 13, 14): each is cut off by a
 * timeout, never by buffering what it will not read, and its servlets see failures, never a
 * truncated body that looks complete.
 */
public abstract class SlowPeerScenarios extends HardeningScenarios {

    /** Row 12 (slowloris): three bytes of a frame header, then silence. */
    @Test
    void frameLeftHalfSent() throws Exception {
        server(HardeningOptions.defaults().readTimeout(1000));
        WirePeer peer = connect();
        peer.sendBytes(new byte[] {(byte) 0x80, 3, 0});
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /**
     * Row 12: a connection that never sends a byte is closed after the idle timeout. Tomcat
     * starts a session only on the first byte, so there only the connector's
     * {@code connectionTimeout} closes it, without a GOAWAY; Jetty says GOAWAY(OK) first.
     */
    @Test
    void connectionThatSaysNothing() throws Exception {
        server(HardeningOptions.defaults().idleTimeout(1000));
        WirePeer peer = connect();
        peer.awaitClosed();
        assertThat(peer.trace()).allMatch(l -> l.startsWith("SETTINGS") || l.startsWith("WINDOW_UPDATE #0")
                || l.equals("GOAWAY last=0 OK"));
        wellBehavedClientIsServed();
    }

    /** Row 12: a session whose client goes quiet says GOAWAY(OK) and closes after the idle timeout. */
    @Test
    void sessionThatGoesQuiet() throws Exception {
        server(HardeningOptions.defaults().idleTimeout(1000));
        WirePeer peer = connect();
        peer.send(new PingFrame(1));
        peer.await("PING");
        assertThat(peer.await("GOAWAY")).isEqualTo("GOAWAY last=0 OK");
        peer.awaitClosed();
        wellBehavedClientIsServed();
    }

    /** Row 13 (slow POST): one byte of a declared megabyte, then nothing: the servlet's read fails. */
    @Test
    void uploadThatStalls() throws Exception {
        server(HardeningOptions.defaults().streamTimeout(1000));
        WirePeer peer = connect();
        SynStreamFrame syn = peer.syn(1, false, "POST", "/upload");
        syn.headers().add("content-length", "1048576");
        peer.send(syn, new DataFrame(1, ByteBuffer.wrap(new byte[] {1}), false));
        await("the upload's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("read failed after 1:");
        // The stream ends without a complete-looking response: a reset, or an error status.
        String end = peer.await(l -> l.startsWith("RST_STREAM #1") || l.startsWith("SYN_REPLY #1"));
        assertThat(end).doesNotContain(":status: 200");
        wellBehavedClientIsServed();
    }

    /**
     * Row 13 with a minimum request data rate: a byte every 500 ms, each in time for the stream
     * timeout and cheap enough for the abuse budget, so only the rate cuts the upload.
     */
    @Test
    void uploadThatTricklesIsCutByTheMinimumRequestDataRate() throws Exception {
        server(HardeningOptions.defaults().streamTimeout(5000).minRequestDataRate(1024, 1000));
        WirePeer peer = connect();
        SynStreamFrame syn = peer.syn(1, false, "POST", "/upload");
        syn.headers().add("content-length", "1048576");
        peer.send(syn);
        long start = System.nanoTime();
        for (int i = 0; i < 16 && app().outcomes.isEmpty(); i++) {
            peer.send(new DataFrame(1, ByteBuffer.wrap(new byte[] {1}), false));
            Thread.sleep(500);
        }
        assertThat(app().outcomes).as("the upload's outcome within 8 s").isNotEmpty();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(app().outcomes.get(0)).startsWith("read failed after ").doesNotContain("eof");
        assertThat(millis).isLessThan(4000);
        measured("ms until a 2 B/s upload failed (minimum 1 KiB/s over 1 s)", millis);
        String end = peer.await(l -> l.startsWith("RST_STREAM #1") || l.startsWith("SYN_REPLY #1"));
        assertThat(end).doesNotContain(":status: 200");
        wellBehavedClientIsServed();
    }

    /** Row 13, the other side: an upload well above the minimum request data rate is read in full. */
    @Test
    void uploadAboveTheMinimumRequestDataRateIsReadInFull() throws Exception {
        server(HardeningOptions.defaults().minRequestDataRate(1024, 1000));
        WirePeer peer = connect();
        SynStreamFrame syn = peer.syn(1, false, "POST", "/upload");
        syn.headers().add("content-length", "61440");
        peer.send(syn);
        // 4 KiB every 100 ms for 1.5 s: 40 KiB/s, within the first stream window.
        for (int i = 0; i < 15; i++) {
            peer.send(new DataFrame(1, ByteBuffer.wrap(new byte[4096]), i == 14));
            Thread.sleep(100);
        }
        await("the upload's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes).containsExactly("read 61440 eof");
        assertThat(peer.await(l -> l.startsWith("SYN_REPLY #1"))).contains(":status: 200");
    }

    /**
     * Row 7 (CVE-2019-9517, internal data buffering) and row 14: a client opens every window to
     * the maximum, asks for 20 MB and reads nothing. The server holds no more than one servlet
     * write per stream, the write timeout closes the connection, and every servlet's write fails.
     */
    @Test
    void clientThatOpensItsWindowsAndNeverReads() throws Exception {
        server(HardeningOptions.defaults().writeTimeout(2000).streamTimeout(2000));
        WirePeer peer = closeLater(WirePeer.connectNotReading(server.port(), 4096));
        List<Frame> frames = new ArrayList<>();
        frames.add(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x7FFFFFFF))));
        frames.add(new WindowUpdateFrame(0, 0x7FFFFFFF - 65536));
        for (int id = 1; id < 40; id += 2) {
            frames.add(peer.syn(id, true, "GET", "/bytes?n=1000000"));
        }
        peer.send(frames);
        long held = 0;
        long deadline = System.nanoTime() + WirePeer.WAIT.toNanos();
        while (app().outcomes.size() < 20 && System.nanoTime() < deadline) {
            held = Math.max(held, server.metrics().queuedDataBytes() + server.metrics().bufferedOutputBytes());
            Thread.sleep(5);
        }
        // A servlet may finish into the kernel's socket buffers; the rest fail when the connection goes.
        assertThat(app().outcomes).hasSize(20).allMatch(o -> o.startsWith("write failed") || o.equals("wrote 1000000"))
                .anyMatch(o -> o.startsWith("write failed"));
        // One servlet write per stream, at most, plus the batch being written.
        measured("bytes held in sessions, 20 streams", held);
        assertThat(held).isLessThanOrEqualTo(20 * 64 * 1024 + 64 * 1024);
        sessionsCleanedUp();
        wellBehavedClientIsServed();
    }

    /** A session through a proxy that forwards the server's bytes at {@code rate}, windows wide open, asking for {@code n} bytes. */
    private WirePeer downloadThrough(FaultProxy proxy, long rate, long n) throws Exception {
        proxy.throttle(rate);
        WirePeer peer = closeLater(WirePeer.connect(proxy.port()));
        peer.send(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x7FFFFFFF))),
                new WindowUpdateFrame(0, 0x7FFFFFFF - 65536), peer.syn(1, true, "GET", "/bytes?n=" + n));
        return peer;
    }

    /**
     * Row 14 and D4 (slow read): a client that opens its windows and then takes the server's bytes
     * at a trickle keeps the write timeouts from firing, but not the minimum response data rate:
     * its connection is closed within a few windows and the servlet's write fails.
     */
    @Test
    void readerThatTricklesIsCutByTheMinimumDataRate() throws Exception {
        server(HardeningOptions.defaults().writeTimeout(120_000).streamTimeout(120_000).minResponseDataRate(16384, 1000));
        FaultProxy proxy = closeLater(new FaultProxy(server.port()));
        long start = System.nanoTime();
        downloadThrough(proxy, 512, 4_000_000);
        await("the servlet's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("write failed");
        // The server closed its side (the proxy still trickles out what it holds).
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        measured("seconds until a 512 B/s reader was cut (minimum 16 KiB/s over 1 s)", seconds);
        assertThat(seconds).isLessThan(30);
        sessionsCleanedUp();
        wellBehavedClientIsServed();
    }

    /** D4's negative control: a reader well above the minimum rate is served in full. */
    @Test
    void readerAboveTheMinimumDataRateIsServedInFull() throws Exception {
        server(HardeningOptions.defaults().minResponseDataRate(16384, 1000));
        FaultProxy proxy = closeLater(new FaultProxy(server.port()));
        WirePeer peer = downloadThrough(proxy, 256 * 1024, 600_000);
        peer.await(l -> l.startsWith("DATA #1") && l.endsWith(" fin"));
        assertThat(peer.dataBytes(1)).isEqualTo(600_000);
        assertThat(app().outcomes).containsExactly("wrote 600000");
    }
}
