package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream keeps its concurrency slot until both the protocol and the application are done with
 * it (reliability table row 11, MadeYouReset): streams the server was made to reset, or the
 * client cancelled, while their servlets still run do not let the client start more work.
 */
class ApplicationSlotTest {
    /** An application that starts work on every stream and never finishes it by itself. */
    private static RecordingListener busyApplication() {
        return new RecordingListener() {
            @Override
            public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
                StreamListener l = super.onStream(stream, headers, fin);
                stream.applicationStarted();
                return l;
            }
        };
    }

    private static SessionConfig config(int maxStreams) {
        return SessionConfig.builder().maxConcurrentStreams(maxStreams).abuseLimits(AbuseLimits.off()).build();
    }

    @Test
    void streamsResetByTheServerKeepTheirSlotWhileTheApplicationWorks() {
        RecordingListener app = busyApplication();
        SpdySession server = Sessions.server(app, config(2));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            // SPEC §2.3.6: DATA after FIN makes the server reset the stream: MadeYouReset's primitive.
            client.send(syn(1, true, get("/slow")), new DataFrame(1, ByteBuffer.wrap(new byte[] {1}), false));
            client.send(syn(3, true, get("/slow")), new DataFrame(3, ByteBuffer.wrap(new byte[] {1}), false));
            client.send(syn(5, true, get("/slow")));
            assertThat(client.trace()).containsExactly("RST_STREAM #1 STREAM_ALREADY_CLOSED", "RST_STREAM #3 STREAM_ALREADY_CLOSED",
                    "RST_STREAM #5 REFUSED_STREAM");
            assertThat(app.streams).hasSize(2);
            assertThat(server.statistics().remoteStreams()).isZero();
            assertThat(server.statistics().applicationStreams()).isEqualTo(2);

            // The application finishes one: its slot is free again.
            app.streams.get(0).applicationFinished();
            client.send(syn(7, true, get("/next")));
            assertThat(client.trace()).isEmpty();
            assertThat(app.streams).hasSize(3);
            assertThat(server.statistics().applicationStreams()).isEqualTo(2);
        }
    }

    @Test
    void refusalsForSlotsTheClientCannotSeeAreNotAbuse() {
        RecordingListener app = busyApplication();
        SpdySession server = Sessions.server(app, SessionConfig.builder().maxConcurrentStreams(2).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")), new RstStreamFrame(1, RstStatus.CANCEL),
                    syn(3, true, get("/")), new RstStreamFrame(3, RstStatus.CANCEL));
            // Its own count is 0 of 2: each new stream is refused for the servlets still at work,
            // more times than the cap on a client that ignores the limit allows.
            for (int id = 5; id < 5 + 2 * 150; id += 2) {
                client.send(syn(id, true, get("/")));
            }
            assertThat(client.trace()).hasSize(150).allMatch(l -> l.endsWith("REFUSED_STREAM"));
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
            assertThat(server.statistics().abuseTrips()).isZero();
        }
    }

    @Test
    void streamsCancelledByTheClientKeepTheirSlotToo() {
        RecordingListener app = busyApplication();
        SpdySession server = Sessions.server(app, config(3));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            List<Frame> frames = new ArrayList<>();
            for (int id = 1; id <= 19; id += 2) {
                frames.add(syn(id, true, get("/")));
                frames.add(new RstStreamFrame(id, RstStatus.CANCEL));
            }
            client.send(frames.toArray(new Frame[0]));
            assertThat(app.streams).hasSize(3);
            assertThat(client.trace()).hasSize(7).allMatch(l -> l.endsWith("REFUSED_STREAM"));
        }
    }

    @Test
    void finishingBeforeTheStreamClosesFreesTheSlotWhenItCloses() {
        RecordingListener app = busyApplication();
        SpdySession server = Sessions.server(app, config(1));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            SpdyStream s = app.streams.get(0);
            s.applicationFinished();
            s.applicationStarted(); // too late: nothing
            assertThat(server.statistics().applicationStreams()).isZero();
            client.send(syn(3, true, get("/")));
            assertThat(client.trace()).contains("RST_STREAM #3 REFUSED_STREAM");
            s.reply(Sessions.ok(), true, WriteCallback.NOOP);
            client.read();
            client.send(syn(5, true, get("/")));
            assertThat(client.trace()).isEmpty();
            assertThat(app.streams).hasSize(2);
        }
    }

    @Test
    void applicationsThatNeverSayTheyStartedHoldNoSlotOnceClosed() {
        RecordingListener app = new RecordingListener();
        SpdySession server = Sessions.server(app, config(1));
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")), new RstStreamFrame(1, RstStatus.CANCEL), syn(3, true, get("/")));
            assertThat(client.trace()).isEmpty();
            assertThat(app.streams).hasSize(2);
        }
    }
}
