package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;
import static org.assertj.core.api.Assertions.assertThat;

/** The overhead budget against the flood family (reliability table rows 1, 2, 4, 5, 8, 9, 10b, 26). */
class AbuseGuardTest {
    private final AtomicLong now = new AtomicLong();

    private SpdySession server(RecordingListener app) {
        return Sessions.server(app, SessionConfig.builder().nanoClock(now::get).build());
    }

    private SpdySession server(RecordingListener app, int maxConcurrentStreams) {
        return Sessions.server(app, SessionConfig.builder().nanoClock(now::get).maxConcurrentStreams(maxConcurrentStreams).build());
    }

    @Test
    void pingFloodEndsTheSession() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            List<Frame> pings = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                pings.add(new PingFrame(2 * i + 1));
            }
            client.send(pings.toArray(new Frame[0]));
            // Echoes still queued when the budget runs out are dropped with the session.
            assertThat(client.trace()).containsExactly("GOAWAY last=0 PROTOCOL_ERROR");
            assertThat(server.statistics().abuseTrips()).isEqualTo(1);
        }
    }

    @Test
    void pingsSpreadOverTimeAreFine() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int i = 0; i < 100; i++) {
                now.addAndGet(1_000_000_000L);
                client.send(new PingFrame(2 * i + 1));
            }
            assertThat(client.trace()).hasSize(100).allMatch(l -> l.startsWith("PING"));
        }
    }

    @Test
    void rapidResetEndsTheSessionAfterAFewCycles() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            List<Frame> frames = new ArrayList<>();
            for (int id = 1; id < 2000; id += 2) {
                frames.add(syn(id, true, get("/")));
                frames.add(new RstStreamFrame(id, RstStatus.CANCEL));
            }
            client.send(frames.toArray(new Frame[0]));
            assertThat(client.trace()).last().asString().startsWith("GOAWAY").endsWith("PROTOCOL_ERROR");
            assertThat(app.streams.size()).isLessThan(10);
        }
    }

    /**
     * A video player seeking: each stream gets its reply and some of its body, then the player
     * resets it and opens the next. That is the protocol working, not a flood.
     */
    @Test
    void resetsOfResponsesAlreadyUnderWayKeepTheSession() {
        RecordingListener app = new RecordingListener((stream, headers) -> {
            stream.reply(Sessions.ok(), false, WriteCallback.NOOP);
            stream.data(ByteBuffer.allocate(16384), false, WriteCallback.NOOP);
            return new StreamListener() { };
        });
        SpdySession server = server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int id = 1; id < 400; id += 2) {
                // A hundred seeks a second: under the wall-clock cap of 128 charged frames.
                now.addAndGet(10_000_000L);
                client.send(syn(id, true, get("/media")));
                assertThat(client.trace()).as("stream %d", id).containsExactly(
                        "SYN_REPLY #" + id + " [:status: 200, :version: HTTP/1.1]", "DATA #" + id + " len=16384");
                // The player read what came: the session window is credited, the stream reset.
                client.send(new io.spdyconnector.protocol.frame.WindowUpdateFrame(0, 16384),
                        new RstStreamFrame(id, RstStatus.CANCEL));
            }
            assertThat(client.trace()).isEmpty();
            assertThat(server.statistics().abuseTrips()).isZero();
        }
    }

    @Test
    void emptyDataFloodEndsTheSession() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            for (int i = 0; i < 3; i++) {
                client.send(new DataFrame(1, ByteBuffer.allocate(0), false));
            }
            assertThat(client.trace()).containsExactly("GOAWAY last=1 PROTOCOL_ERROR");
        }
    }

    @Test
    void settingsFloodEndsTheSession() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                frames.add(new SettingsFrame(false, List.of()));
            }
            client.send(frames.toArray(new Frame[0]));
            assertThat(client.trace()).containsExactly("GOAWAY last=0 PROTOCOL_ERROR");
        }
    }

    @Test
    void dataOnUnknownStreamsEndsTheSession() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            List<Frame> frames = new ArrayList<>();
            for (int id = 101; id < 10_000; id += 2) {
                frames.add(new DataFrame(id, ByteBuffer.allocate(1), false));
            }
            client.send(frames.toArray(new Frame[0]));
            List<String> trace = client.trace();
            assertThat(trace).last().isEqualTo("GOAWAY last=1 PROTOCOL_ERROR");
            assertThat(trace.size()).isLessThan(10);
        }
    }

    @Test
    void oneByteWindowUpdatesEndTheSession() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                frames.add(new WindowUpdateFrame(i % 2 == 0 ? 0 : 1, 1));
            }
            client.send(frames.toArray(new Frame[0]));
            assertThat(client.trace()).containsExactly("GOAWAY last=1 PROTOCOL_ERROR");
        }
    }

    @Test
    void windowUpdatesOfHalfAWindowCostNothing() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/")));
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                frames.add(new WindowUpdateFrame(i % 2 == 0 ? 0 : 1, 32768));
            }
            client.send(frames.toArray(new Frame[0]));
            assertThat(client.trace()).isEmpty();
        }
    }

    @Test
    void headersFloodOnAnOpenStreamEndsTheSession() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                frames.add(new HeadersFrame(1, false, new HeaderBlock(0)));
            }
            client.send(frames.toArray(new Frame[0]));
            assertThat(client.trace()).containsExactly("GOAWAY last=1 PROTOCOL_ERROR");
            assertThat(app.events.stream().filter(e -> e.startsWith("headers"))).hasSizeLessThan(20);
        }
    }

    @Test
    void trailersAreFree() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int id = 1; id < 400; id += 2) {
                client.send(syn(id, false, post("/")), new DataFrame(id, ByteBuffer.allocate(1024), false),
                        new HeadersFrame(id, true, HeaderBlock.of("x-checksum", "1")));
                app.streams.get(app.streams.size() - 1).reply(Sessions.ok(), true, WriteCallback.NOOP);
                client.read();
            }
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void streamsRefusedOverAndOverEndTheSession() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 10);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            // One SYN_STREAM per read, so the per-read cap does not end the session first.
            for (int id = 1; id < 2000; id += 2) {
                client.send(syn(id, true, get("/")));
            }
            List<String> trace = client.trace();
            // Refusals queued when the session failed are dropped with it.
            assertThat(trace).containsExactly("GOAWAY last=19 PROTOCOL_ERROR");
            assertThat(server.statistics().resetsSent()).containsEntry("REFUSED_STREAM", 100L);
            assertThat(app.streams).hasSize(10);
        }
    }

    @Test
    void aHundredRefusalsAreTolerated() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 10);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int id = 1; id < 220; id += 2) {
                client.send(syn(id, true, get("/")));
            }
            assertThat(client.trace()).hasSize(100).allMatch(l -> l.endsWith("REFUSED_STREAM"));
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void moreThanTwiceTheStreamLimitInOneReadEndsTheSession() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 60);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syns(1, 121));
            // The 121st SYN_STREAM of the read: 60 admitted, 60 refused, then the session ends (the
            // refusals still queued give way to the GOAWAY).
            assertThat(client.trace()).containsExactly("GOAWAY last=119 PROTOCOL_ERROR");
            assertThat(app.streams).hasSize(60);
            assertThat(server.statistics().abuseTrips()).isEqualTo(1);
        }
    }

    @Test
    void twiceTheStreamLimitInOneReadIsABurstNotAFlood() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 60);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syns(1, 120));
            assertThat(client.trace()).hasSize(60).allMatch(l -> l.endsWith("REFUSED_STREAM"));
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    /**
     * SPEC §2.6.4: a client that has not seen SETTINGS yet may open 100 streams at once, as
     * browsers did; under a lower limit the extra ones are refused, and the session goes on.
     */
    @Test
    void aBrowsersBurstBeforeSettingsIsRefusedNotEndedUnderALowLimit() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 10);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syns(1, 100));
            assertThat(client.trace()).hasSize(90).allMatch(l -> l.endsWith("REFUSED_STREAM"));
            assertThat(app.streams).hasSize(10);
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void underALowLimitTheHundredAndFirstNewStreamInOneReadEndsTheSession() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 10);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syns(1, 101));
            assertThat(client.trace()).containsExactly("GOAWAY last=19 PROTOCOL_ERROR");
            assertThat(app.streams).hasSize(10);
            assertThat(server.statistics().abuseTrips()).isEqualTo(1);
        }
    }

    /**
     * SPEC §2.6.6: a browser's burst that crossed the server's GOAWAY is ignored, and the session
     * drains: under a low limit such a burst stays under the per-read cap's floor of 100.
     */
    @Test
    void aBurstIgnoredAfterGoAwayIsNotAFlood() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app, 10);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/slow")));
            server.goAway();
            assertThat(client.trace()).containsExactly("GOAWAY last=1 OK");
            client.send(syns(3, 100));
            assertThat(client.trace()).isEmpty();
            assertThat(server.statistics().abuseTrips()).isZero();
            app.streams.get(0).reply(HeaderBlock.of(":status", "200", ":version", "HTTP/1.1"), true,
                    WriteCallback.NOOP);
            assertThat(client.trace()).containsExactly("SYN_REPLY #1 fin [:status: 200, :version: HTTP/1.1]");
            assertThat(server.state()).isEqualTo(SpdySession.State.CLOSED);
        }
    }

    /** Each ignored SYN_STREAM still has its header block inflated: more than the cap in one read ends the session. */
    @Test
    void aFloodOfSynStreamsAfterGoAwayEndsTheSession() {
        RecordingListener app = new RecordingListener();
        SpdySession server = server(app);
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, true, get("/slow")));
            server.goAway();
            assertThat(client.trace()).containsExactly("GOAWAY last=1 OK");
            client.send(syns(3, 1000));
            assertThat(client.trace()).containsExactly("GOAWAY last=1 PROTOCOL_ERROR");
            assertThat(server.statistics().abuseTrips()).isEqualTo(1);
        }
    }

    /** {@code count} SYN_STREAMs for {@code GET /}, with odd ids from {@code firstId}, for one read. */
    private static Frame[] syns(int firstId, int count) {
        Frame[] frames = new Frame[count];
        for (int i = 0; i < count; i++) {
            frames[i] = syn(firstId + 2 * i, true, get("/"));
        }
        return frames;
    }

    @Test
    void smallDataOfAnUploadThatPaysForItselfIsNotCappedPerSecond() {
        SpdySession server = Sessions.server(new RecordingListener(),
                SessionConfig.builder().nanoClock(now::get).initialWindowSize(1 << 20).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/")));
            // 200 small DATA frames within one second, each pair paid for by a full one.
            for (int i = 0; i < 100; i++) {
                client.send(new DataFrame(1, ByteBuffer.allocate(1024), false),
                        new DataFrame(1, ByteBuffer.allocate(100), false), new DataFrame(1, ByteBuffer.allocate(100), false));
            }
            assertThat(client.trace()).noneMatch(l -> l.startsWith("GOAWAY"));
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void limitsOffDisablesTheBudget() {
        SpdySession server = Sessions.server(new RecordingListener(),
                SessionConfig.builder().abuseLimits(AbuseLimits.off()).build());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            List<Frame> pings = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                pings.add(new PingFrame(2 * i + 1));
            }
            client.send(pings.toArray(new Frame[0]));
            assertThat(client.trace()).hasSize(500);
        }
    }

    /** One cycle of a Rapid Reset that pays for itself: a request, 2 KiB of body (credit), then the reset. */
    private static Frame[] paidReset(int id) {
        return new Frame[] {syn(id, false, post("/")), new DataFrame(id, ByteBuffer.allocate(1024), false),
                new DataFrame(id, ByteBuffer.allocate(1024), false), new RstStreamFrame(id, RstStatus.CANCEL)};
    }

    @Test
    void resetsBeyondTheWallClockCapEndTheSessionWhateverCreditWasEarned() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            int id = 1;
            for (int cycle = 1; cycle <= 200; cycle++, id += 2) {
                now.addAndGet(100_000_000L);
                client.send(paidReset(id));
                assertThat(client.trace()).as("cycle %d", cycle).noneMatch(l -> l.startsWith("GOAWAY"));
            }
            // The 201st reset within 30 s: the budget is still in credit, the cap is not.
            now.addAndGet(100_000_000L);
            client.send(paidReset(id));
            assertThat(client.trace()).last().asString().isEqualTo("GOAWAY last=" + id + " PROTOCOL_ERROR");
            assertThat(server.statistics().abuseTrips()).isEqualTo(1);
        }
    }

    @Test
    void resetsSpreadBeyondTheResetWindowAreFine() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            for (int id = 1; id < 800; id += 2) {
                // 150 resets per 30 s, 400 in all.
                now.addAndGet(200_000_000L);
                client.send(paidReset(id));
            }
            assertThat(client.trace()).noneMatch(l -> l.startsWith("GOAWAY"));
            assertThat(server.statistics().abuseTrips()).isZero();
        }
    }

    @Test
    void chargedFramesBeyondTheRateCapEndTheSessionWhateverCreditWasEarned() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/upload")));
            List<String> trace = new ArrayList<>();
            for (int i = 0; i < 200 && trace.stream().noneMatch(l -> l.startsWith("GOAWAY")); i++) {
                // Each PING is paid for by a full DATA frame, all within one second.
                client.send(new DataFrame(1, ByteBuffer.allocate(1024), false), new PingFrame(2 * i + 1));
                trace.addAll(client.trace());
            }
            assertThat(trace).filteredOn(l -> l.startsWith("PING")).hasSize(128);
            assertThat(trace).last().asString().isEqualTo("GOAWAY last=1 PROTOCOL_ERROR");
        }
    }

    @Test
    void chargedFramesUnderTheRateCapAreFine() {
        SpdySession server = server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(syn(1, false, post("/upload")));
            for (int i = 0; i < 300; i++) {
                // A hundred paid-for PINGs a second, for three seconds.
                now.addAndGet(10_000_000L);
                client.send(new DataFrame(1, ByteBuffer.allocate(1024), false), new PingFrame(2 * i + 1));
            }
            assertThat(client.trace()).filteredOn(l -> l.startsWith("PING")).hasSize(300);
            assertThat(server.statistics().abuseTrips()).isZero();
        }
    }
}
