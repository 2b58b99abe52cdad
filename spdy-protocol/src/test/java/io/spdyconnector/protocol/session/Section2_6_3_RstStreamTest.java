package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_3_RstStreamTest {

    @Test
    void peerResetStopsQueuedOutputAndFailsWriters() {
        List<Throwable> failures = new ArrayList<>();
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(200_000), true, new WriteCallback() {
                @Override
                public void succeeded() {
                }

                @Override
                public void failed(Throwable cause) {
                    failures.add(cause);
                }
            });
            return new StreamListener() { };
        });
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            assertThat(client.trace()).hasSize(5);
            client.send(new RstStreamFrame(1, RstStatus.CANCEL));
            assertThat(failures).singleElement().extracting(Throwable::getMessage).asString().contains("reset by peer: CANCEL");
            assertThat(server.statistics().remoteStreams()).isZero();
            // SPEC §2.4.2: never answer RST_STREAM with RST_STREAM.
            client.send(new io.spdyconnector.protocol.frame.WindowUpdateFrame(1, 1000));
            assertThat(client.trace()).isEmpty();
        }
    }

    @Test
    void resetForAnUnknownStreamIsIgnored() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new RstStreamFrame(7, RstStatus.CANCEL));
            assertThat(client.trace()).isEmpty();
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void framesInFlightAfterOurResetAreDroppedQuietly() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            app.streams.get(0).reset(RstStatus.CANCEL);
            assertThat(client.trace()).containsExactly("RST_STREAM #1 CANCEL");
            client.send(new DataFrame(1, ByteBuffer.allocate(100), false), new DataFrame(1, ByteBuffer.allocate(100), true));
            assertThat(client.trace()).isEmpty();
        }
    }

    @Test
    void unknownStatusCodesAreReportedNotRejected() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")), new RstStreamFrame(1, 10));
            assertThat(app.events).contains("reset 1 UNKNOWN");
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void refusedStreamIsRetryableForTheClient() {
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            client.newStream(get("/"), 0, true, events);
            server.read();
            server.send(new RstStreamFrame(1, RstStatus.REFUSED_STREAM));
            assertThat(events.events).containsExactly("reset 1 REFUSED_STREAM retryable", "closed 1");
        }
    }
}
