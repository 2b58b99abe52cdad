package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The minimum response data rate (reliability D4, row 14): a peer that takes the session's output
 * from the socket at a trickle is cut, whatever its SPDY windows say; a peer that pauses a stream
 * with its window, or simply reads slowly but above the minimum, is not.
 */
class MinimumDataRateTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();

    /** A server whose application answers every request with {@code size} bytes at once. */
    private SpdySession server(int size, SessionConfig.Builder config) {
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(Sessions.ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(size), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        return Sessions.server(app, config.nanoClock(now::get).build());
    }

    /** Lets the transport take {@code n} bytes of the batch in flight, as a socket write would. */
    private static void take(OutputBatch batch, long n) {
        for (ByteBuffer b : batch.buffers()) {
            int step = (int) Math.min(n, b.remaining());
            b.position(b.position() + step);
            n -= step;
        }
    }

    @Test
    void aReaderTricklingBelowTheMinimumIsCutAfterTheFirstWindow() {
        SpdySession server = server(60_000, SessionConfig.builder());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/video")));
            OutputBatch batch = server.pollOutput();
            for (int second = 1; second < 10; second++) {
                now.addAndGet(SECOND);
                take(batch, 1);
                assertThat(server.checkOutputRate()).as("second %d: the grace", second).isNull();
            }
            now.addAndGet(SECOND);
            take(batch, 1);
            assertThat(server.checkOutputRate())
                    .isEqualTo("the client took 10 bytes in 10000 ms, below the minimum of 1024 bytes/s");
            assertThat(server.statistics().abuseTrips()).isEqualTo(1);
        }
    }

    @Test
    void aSlowReaderAboveTheMinimumIsKept() {
        SpdySession server = server(1_000_000, SessionConfig.builder());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            // Windows wide open: only the socket holds the server back.
            client.send(new SettingsFrame(false, List.of(new Setting(0, Setting.INITIAL_WINDOW_SIZE, 1 << 24))),
                    new WindowUpdateFrame(0, 1 << 24), syn(1, true, get("/video")));
            // 2 KiB/s for a minute, across batches.
            long left = 0;
            OutputBatch batch = null;
            for (int second = 1; second <= 60; second++) {
                now.addAndGet(SECOND);
                if (batch == null) {
                    batch = server.pollOutput();
                    left = batch.bytes();
                }
                long step = Math.min(2048, left);
                take(batch, step);
                left -= step;
                if (left == 0) {
                    server.outputWritten(batch);
                    batch = null;
                }
                assertThat(server.checkOutputRate()).as("second %d", second).isNull();
            }
        }
    }

    @Test
    void aStreamPausedByItsWindowIsNotMeasured() {
        SpdySession server = server(200_000, SessionConfig.builder());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/video")));
            // The socket takes the first window at once; then the player pauses for a minute.
            assertThat(client.trace()).isNotEmpty();
            assertThat(server.pollOutput()).isNull();
            now.addAndGet(60 * SECOND);
            assertThat(server.checkOutputRate()).isNull();
            assertThat(server.statistics().abuseTrips()).isZero();
        }
    }

    @Test
    void zeroTurnsTheRuleOff() {
        SpdySession server = server(60_000, SessionConfig.builder().minResponseDataRate(0));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/video")));
            server.pollOutput();
            now.addAndGet(60 * SECOND);
            assertThat(server.checkOutputRate()).isNull();
        }
    }
}
