package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.ZlibResources;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.SessionPair;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Idle sessions hold no native zlib memory, and every close path ends what was created. */
class IdleCompressionStateTest {

    private static RecordingListener answering() {
        return new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(10), true, WriteCallback.NOOP);
            return new StreamListener() { };
        });
    }

    @Test
    void nativeStateIsReleasedWhenTheLastStreamClosesAndRebuiltForTheNext() {
        SessionConfig config = SessionConfig.builder().compressionPolicy(CompressionPolicy.FAST).build();
        RecordingListener clientEvents = new RecordingListener();
        SessionPair pair = new SessionPair(clientEvents, answering(), config, config, SpdyVersion.SPDY_3_1);
        for (int round = 0; round < 3; round++) {
            pair.client.newStream(get("/" + round), 0, true, clientEvents);
            pair.pump();
            assertThat(pair.server.statistics().inflaterLive()).isFalse();
            assertThat(pair.server.statistics().deflaterLive()).isFalse();
            assertThat(pair.client.statistics().inflaterLive()).isFalse();
        }
        assertThat(clientEvents.events).filteredOn(e -> e.startsWith("data")).hasSize(3);
    }

    @Test
    void everyCloseEndsNativeState() {
        int inflaters = ZlibResources.liveInflaters();
        int deflaters = ZlibResources.liveDeflaters();
        SessionConfig keep = SessionConfig.builder().compressionPolicy(CompressionPolicy.BEST)
                .releaseCompressionWhenIdle(false).build();
        RecordingListener clientEvents = new RecordingListener();
        SessionPair graceful = new SessionPair(clientEvents, answering(), keep, keep, SpdyVersion.SPDY_3_1);
        graceful.client.newStream(get("/"), 0, true, clientEvents);
        graceful.pump();
        assertThat(ZlibResources.liveDeflaters()).isGreaterThan(deflaters);
        graceful.server.goAway();
        graceful.pump();
        assertThat(graceful.server.state()).isEqualTo(SpdySession.State.CLOSED);
        assertThat(graceful.client.state()).isEqualTo(SpdySession.State.CLOSED);

        SessionPair aborted = new SessionPair(new RecordingListener(), answering(), keep, keep, SpdyVersion.SPDY_3_1);
        aborted.client.newStream(get("/"), 0, false, clientEvents);
        aborted.pump();
        aborted.server.close(new java.io.IOException("connection reset"));
        aborted.client.ping();
        aborted.client.outputFailed(aborted.client.pollOutput(), new java.io.IOException("broken pipe"));
        assertThat(aborted.client.state()).isEqualTo(SpdySession.State.CLOSED);
        assertThat(ZlibResources.liveInflaters()).isEqualTo(inflaters);
        assertThat(ZlibResources.liveDeflaters()).isEqualTo(deflaters);
    }
}
