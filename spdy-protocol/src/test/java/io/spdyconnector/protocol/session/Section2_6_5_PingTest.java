package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_5_PingTest {

    @Test
    void clientPingIsEchoedUnchanged() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new PingFrame(1), new PingFrame(0x7FFFFFFF));
            assertThat(client.trace()).containsExactly("PING id=1", "PING id=2147483647");
        }
    }

    @Test
    void strayEchoOfOurParityIsIgnored() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new PingFrame(2));
            assertThat(client.trace()).isEmpty();
        }
    }

    @Test
    void pingMeasuresRoundTripTime() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        SpdySession server = Sessions.server(new RecordingListener(),
                SessionConfig.builder().nanoClock(now::get).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            CompletableFuture<Duration> first = server.ping();
            CompletableFuture<Duration> second = server.ping();
            assertThat(client.trace()).containsExactly("PING id=2", "PING id=4");
            now.addAndGet(7_000_000L);
            client.send(new PingFrame(4));
            assertThat(second).isCompletedWithValue(Duration.ofMillis(7));
            assertThat(first).isNotDone();
            server.close(null);
            assertThat(first).isCompletedExceptionally();
        }
    }
}
