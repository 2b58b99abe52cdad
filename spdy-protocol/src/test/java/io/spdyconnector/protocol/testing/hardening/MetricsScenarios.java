package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.testing.WirePeer;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics an operator reads through JMX, under the same attribute names on both containers:
 * sessions, streams open and in the application, queued control frames and output, live zlib
 * contexts, resets and GOAWAYs by status, abuse-guard trips.
 */
public abstract class MetricsScenarios extends HardeningScenarios {

    private Object attribute(ObjectName name, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
    }

    private long number(ObjectName name, String attribute) throws Exception {
        return ((Number) attribute(name, attribute)).longValue();
    }

    @Test
    void operatorsSeeSessionsStreamsAndAbuseThroughJmx() throws Exception {
        server();
        ObjectName mbean = server.metricsMBean();
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        assertThat(mbeans.isRegistered(mbean)).isTrue();
        try (SpdyClient client = SpdyClient.builder().build()) {
            CompletableFuture<SpdyResponse> blocked = client.sendAsync(
                    SpdyRequest.get("http://127.0.0.1:" + server.port() + "/block"));
            await("the request in its servlet", () -> app().running.get() == 1);
            assertThat(number(mbean, "sessionCount")).isEqualTo(1);
            assertThat(number(mbean, "activeStreams")).isEqualTo(1);
            assertThat(number(mbean, "applicationStreams")).isEqualTo(1);
            assertThat(number(mbean, "liveInflaters")).isEqualTo(1);
            assertThat(number(mbean, "queuedControlFrames")).isZero();
            assertThat(number(mbean, "queuedDataBytes")).isZero();
            assertThat(number(mbean, "bufferedOutputBytes")).isGreaterThanOrEqualTo(0);

            WirePeer flood = connect();
            Frame[] pings = new Frame[100];
            for (int i = 0; i < pings.length; i++) {
                pings[i] = new PingFrame(2 * i + 1);
            }
            flood.sendUntilClosed(flood.bytes(pings));
            flood.await("GOAWAY");
            flood.awaitClosed();
            await("the flooding session gone", () -> server.metrics().sessions() == 1);
            assertThat(number(mbean, "abuseTrips")).isEqualTo(1);
            assertThat(number(mbean, "goAwaysSent")).isEqualTo(1);
            assertThat(attribute(mbean, "goAwaysSentByStatus")).isEqualTo("PROTOCOL_ERROR=1");
            assertThat(number(mbean, "sessionsOpened")).isEqualTo(2);

            app().release();
            assertThat(blocked.get(WirePeer.WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
            await("the stream done", () -> server.metrics().applicationStreams() == 0);
            assertThat(number(mbean, "streamsOpened")).isEqualTo(1);
            assertThat(number(mbean, "frameBytesWritten")).isPositive();
        }
        // A closing session's totals move from the live sum to the closed ones: wait for the move.
        await("the client's GOAWAY counted", () -> server.metrics().sessions() == 0
                && server.metrics().goAwaysReceivedTotal() == 1);
        assertThat(number(mbean, "goAwaysReceived")).isEqualTo(1);
        assertThat(attribute(mbean, "goAwaysReceivedByStatus")).isEqualTo("OK=1");
        assertThat(number(mbean, "liveInflaters")).isZero();
    }
}
