package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

/** The counters both adapters expose through JMX: live gauges over open sessions, totals over all. */
class SessionMetricsTest {
    private final List<SpdySession> open = new CopyOnWriteArrayList<>();
    private final SessionMetrics metrics = new SessionMetrics(
            () -> open.stream().map(SpdySession::statistics).toList());

    private SpdySession newSession(RecordingListener app) {
        SpdySession s = Sessions.server(app);
        open.add(s);
        metrics.sessionOpened();
        return s;
    }

    private void closed(SpdySession s) {
        s.close(null);
        open.remove(s);
        metrics.sessionClosed(s.statistics());
    }

    @Test
    void gaugesFollowTheOpenSessionsAndTotalsOutliveThem() {
        RecordingListener app = new RecordingListener() {
            @Override
            public StreamListener onStream(SpdyStream stream, io.spdyconnector.protocol.headers.HeaderBlock headers,
                    boolean fin) {
                StreamListener l = super.onStream(stream, headers, fin);
                stream.applicationStarted();
                return l;
            }
        };
        SpdySession a = newSession(app);
        SpdySession b = newSession(app);
        try (RawPeer ca = new RawPeer(a); RawPeer cb = new RawPeer(b)) {
            ca.read();
            cb.read();
            ca.send(syn(1, true, get("/")), syn(3, true, get("/")));
            cb.send(syn(1, true, get("/")), new RstStreamFrame(1, RstStatus.CANCEL));
            assertThat(metrics.sessions()).isEqualTo(2);
            assertThat(metrics.sessionsOpened()).isEqualTo(2);
            assertThat(metrics.openStreams()).isEqualTo(2);
            // The cancelled stream is closed, but its application has not finished.
            assertThat(metrics.applicationStreams()).isEqualTo(3);
            // A session without open streams has released its native inflater.
            assertThat(metrics.liveInflaters()).isEqualTo(1);
            assertThat(metrics.resetsReceived()).containsEntry("CANCEL", 1L);
            assertThat(metrics.streamsOpened()).isEqualTo(3);

            a.goAway();
            closed(b);
            assertThat(metrics.sessions()).isEqualTo(1);
            assertThat(metrics.streamsOpened()).isEqualTo(3);
            assertThat(metrics.resetsReceivedTotal()).isEqualTo(1);
            assertThat(metrics.goAwaysSent()).containsEntry("OK", 1L);
            assertThat(metrics.applicationStreams()).isEqualTo(2);
            assertThat(metrics.queuedControlFrames()).isEqualTo(1);
            closed(a);
            assertThat(metrics.sessions()).isZero();
            assertThat(metrics.liveInflaters()).isZero();
            assertThat(metrics.goAwaysSentTotal()).isEqualTo(1);
        }
    }
}
