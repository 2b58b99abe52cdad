package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Output batches grow while the socket takes each one in a single write and fall back to 64 KiB
 * once it does not: a large download goes out in few writes on a fast link, and on a slow one a
 * more urgent frame waits behind at most 64 KiB of it.
 */
class OutputBatchGrowthTest {
    private static final int DOWNLOAD = 8 << 20;
    private static final int KIB = 1024;

    /** A session sending one 8 MiB response into windows that never stop it. */
    private static SpdySession downloading(SessionConfig config) {
        SpdySession server = Sessions.server(new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(DOWNLOAD), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }), config);
        RawPeer client = new RawPeer(server);
        client.read();
        client.send(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 1 << 30))),
                new WindowUpdateFrame(0, 1 << 30));
        client.send(new SynStreamFrame(1, 0, 0, 0, true, false, get("/big")));
        return server;
    }

    /** Writes {@code n} batches, each taken in one write or not as {@code inOneWrite} says; their sizes in KiB. */
    private static List<Long> write(SpdySession server, int n, Predicate<Integer> inOneWrite) {
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            OutputBatch batch = server.pollOutput();
            sizes.add(batch.bytes() / KIB);
            server.outputWritten(batch, inOneWrite.test(i));
        }
        return sizes;
    }

    @Test
    void batchesDoubleWhileTheSocketTakesEachInOneWrite() {
        SpdySession server = downloading(SessionConfig.defaults());
        assertThat(write(server, 7, i -> true)).containsExactly(64L, 128L, 256L, 512L, 1024L, 1024L, 1024L);
    }

    @Test
    void aWriteLeftPendingBringsTheBatchBackTo64KiB() {
        SpdySession server = downloading(SessionConfig.defaults());
        assertThat(write(server, 6, i -> i != 3)).containsExactly(64L, 128L, 256L, 512L, 64L, 128L);
    }

    @Test
    void aTransportThatDoesNotSayKeepsBatchesAt64KiB() {
        SpdySession server = downloading(SessionConfig.defaults());
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            OutputBatch batch = server.pollOutput();
            sizes.add(batch.bytes() / KIB);
            server.outputWritten(batch);
        }
        assertThat(sizes).containsExactly(64L, 64L, 64L, 64L);
    }

    @Test
    void theConfiguredMaximumBoundsTheBatchFromTheStart() {
        SpdySession server = downloading(SessionConfig.builder().maxOutputBatchBytes(32 * KIB).build());
        assertThat(write(server, 3, i -> true)).containsExactly(32L, 32L, 32L);
        SpdySession larger = downloading(SessionConfig.builder().maxOutputBatchBytes(200 * KIB).build());
        assertThat(write(larger, 4, i -> true)).containsExactly(64L, 128L, 208L, 208L);
    }
}
