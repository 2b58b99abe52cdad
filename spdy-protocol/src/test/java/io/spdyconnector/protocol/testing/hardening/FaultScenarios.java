package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.ZlibResources;
import io.spdyconnector.protocol.testing.FaultProxy;
import io.spdyconnector.protocol.testing.WirePeer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of the network and of the application (reliability §D), injected with a
 * {@link FaultProxy} between the client and the container: a cut request body is never taken for
 * a complete one, a vanished client releases its servlets, threads and native zlib state, and a
 * failing servlet costs its client nothing but that stream.
 */
public abstract class FaultScenarios extends HardeningScenarios {

    private FaultProxy proxy() throws Exception {
        return closeLater(new FaultProxy(server.port()));
    }

    /** Streams the server's native zlib state and sessions back to {@code inflaters}/{@code deflaters}. */
    private void nativeStateReleased(int inflaters, int deflaters) throws InterruptedException {
        await("live inflaters back to " + inflaters, () -> ZlibResources.liveInflaters() <= inflaters);
        await("live deflaters back to " + deflaters, () -> ZlibResources.liveDeflaters() <= deflaters);
    }

    private void uploadCut(boolean reset) throws Exception {
        server();
        FaultProxy proxy = proxy();
        int inflaters = ZlibResources.liveInflaters();
        int deflaters = ZlibResources.liveDeflaters();
        WirePeer peer = closeLater(WirePeer.connect(proxy.port()));
        SynStreamFrame syn = peer.syn(1, false, "POST", "/upload");
        syn.headers().add("content-length", "1048576");
        peer.send(syn, new DataFrame(1, ByteBuffer.allocate(60_000), false));
        await("the upload started", () -> app().invocations.get() == 1);
        await("the body reached the server", () -> proxy.bytesToServer() > 60_000);
        if (reset) {
            proxy.reset();
        } else {
            proxy.cutAfter(0);
        }
        await("the upload's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("read failed after");
        peer.awaitClosed();
        sessionsCleanedUp();
        nativeStateReleased(inflaters, deflaters);
        wellBehavedClientIsServed();
    }

    /** D1a: the connection ends (FIN) in the middle of a request body. */
    @Test
    void uploadCutByAClosedConnection() throws Exception {
        uploadCut(false);
    }

    /** D1b: the connection is reset in the middle of a request body. */
    @Test
    void uploadCutByAResetConnection() throws Exception {
        uploadCut(true);
    }

    /** D1 variant: the connection ends inside a SYN_STREAM's header block. */
    @Test
    void connectionCutInsideAHeaderBlock() throws Exception {
        server();
        FaultProxy proxy = proxy();
        int inflaters = ZlibResources.liveInflaters();
        WirePeer peer = closeLater(WirePeer.connect(proxy.port()));
        byte[] syn = peer.bytes(peer.syn(1, true, "GET", "/hello"));
        proxy.cutAfter(syn.length - 5);
        peer.sendUntilClosed(syn);
        peer.awaitClosed();
        sessionsCleanedUp();
        assertThat(app().invocations.get()).isZero();
        nativeStateReleased(inflaters, ZlibResources.liveDeflaters());
        wellBehavedClientIsServed();
    }

    private void downloadVanishes(boolean blackhole) throws Exception {
        server(HardeningOptions.defaults().writeTimeout(2000).streamTimeout(2000));
        FaultProxy proxy = proxy();
        WirePeer peer = closeLater(WirePeer.connect(proxy.port()));
        peer.send(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x7FFFFFFF))),
                new WindowUpdateFrame(0, 0x7FFFFFFF - 65536), peer.syn(1, true, "GET", "/bytes?n=1000000000"));
        await("the download under way", () -> peer.dataBytes(1) > 100_000);
        if (blackhole) {
            proxy.blackhole();
        } else {
            proxy.reset();
        }
        // Meanwhile, another client is served as usual.
        wellBehavedClientIsServed();
        await("the servlet's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("write failed");
        sessionsCleanedUp();
    }

    /** D2a: the client dies (TCP reset) during a long download: the servlet's next writes fail. */
    @Test
    void clientResetDuringADownload() throws Exception {
        downloadVanishes(false);
    }

    /** D2b: the network goes silent during a long download: the write timeout releases the servlet. */
    @Test
    void networkBlackholeDuringADownload() throws Exception {
        downloadVanishes(true);
    }

    /**
     * D5: servlets that fail after committing: each stream is reset with INTERNAL_ERROR, never
     * ended with FIN, and costs its client nothing: ten on one connection leave it open.
     */
    @Test
    void servletFailingMidResponse() throws Exception {
        server();
        WirePeer peer = connect();
        for (int id = 1; id < 20; id += 2) {
            peer.send(peer.syn(id, true, "GET", "/boom"));
            peer.await("RST_STREAM #" + id);
        }
        peer.send(peer.syn(21, true, "GET", "/hello"));
        peer.await(l -> l.startsWith("DATA #21") && l.endsWith("fin"));
        List<String> trace = peer.trace();
        assertThat(trace).filteredOn(l -> l.startsWith("RST")).hasSize(10).allMatch(l -> l.endsWith("INTERNAL_ERROR"));
        assertThat(trace).filteredOn(l -> l.endsWith(" fin")).allMatch(l -> l.startsWith("DATA #21"));
        assertThat(trace).noneMatch(l -> l.startsWith("GOAWAY"));
        assertThat(server.metrics().abuseTrips()).isZero();
    }

    /** D6: the client cancels an upload whose servlet is blocked in a read: the read fails at once. */
    @Test
    void cancelWhileTheServletReads() throws Exception {
        server();
        WirePeer peer = connect();
        SynStreamFrame syn = peer.syn(1, false, "POST", "/upload");
        syn.headers().add("content-length", "100000");
        peer.send(syn, new DataFrame(1, ByteBuffer.allocate(1000), false));
        await("the upload started", () -> app().invocations.get() == 1);
        peer.send(new RstStreamFrame(1, RstStatus.CANCEL));
        await("the upload's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("read failed after 1000");
        await("the servlet returned", () -> server.metrics().applicationStreams() == 0);
        peer.send(peer.syn(3, true, "GET", "/hello"));
        peer.await("SYN_REPLY #3");
    }

    /** D6: the client cancels a download whose servlet is blocked in a write (the window is full). */
    @Test
    void cancelWhileTheServletWrites() throws Exception {
        server();
        WirePeer peer = connect();
        peer.send(peer.syn(1, true, "GET", "/bytes?n=10000000"));
        await("a window's worth sent", () -> peer.dataBytes(1) >= 65536);
        peer.send(new RstStreamFrame(1, RstStatus.CANCEL));
        await("the download's outcome", () -> !app().outcomes.isEmpty());
        assertThat(app().outcomes.get(0)).startsWith("write failed");
        await("the servlet returned", () -> server.metrics().applicationStreams() == 0);
        peer.send(peer.syn(3, true, "GET", "/hello"));
        peer.await("SYN_REPLY #3");
    }
}
