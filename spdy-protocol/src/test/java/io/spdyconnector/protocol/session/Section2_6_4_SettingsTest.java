package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.testing.RawPeer;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static org.assertj.core.api.Assertions.assertThat;

class Section2_6_4_SettingsTest {

    @Test
    void peerMaxConcurrentStreamsQueuesLocalStreamsUntilASlotFrees() {
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 2))));
            SpdyStream a = client.newStream(get("/a"), 0, true, events);
            SpdyStream b = client.newStream(get("/b"), 0, true, events);
            SpdyStream c = client.newStream(get("/c"), 0, true, events);
            assertThat(server.trace()).filteredOn(l -> l.startsWith("SYN_STREAM")).hasSize(2);
            assertThat(c.id()).isZero();
            assertThat(client.statistics().pendingStreams()).isEqualTo(1);
            server.send(new SynReplyFrame(1, true, ok()));
            assertThat(c.id()).isEqualTo(5);
            assertThat(server.trace()).singleElement().asString().startsWith("SYN_STREAM #5");
            assertThat(a.id()).isEqualTo(1);
            assertThat(b.id()).isEqualTo(3);
        }
    }

    /**
     * A server keeps the slot of a finished stream until its application is done too; a client that
     * sent its next request the moment a response ended would see it refused, and the same again if
     * it sent that request anew at once. A refused slot counts as held until another stream closes.
     */
    @Test
    void aStreamThePeerRefusedAtItsLimitWaitsForAnotherStreamToClose() {
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 2))));
            client.newStream(get("/a"), 0, true, events);
            client.newStream(get("/b"), 0, true, events);
            client.newStream(get("/c"), 0, true, events);
            server.read();
            server.send(new SynReplyFrame(1, true, ok()));
            assertThat(server.trace()).singleElement().asString().startsWith("SYN_STREAM #5");

            server.send(new RstStreamFrame(5, RstStatus.REFUSED_STREAM.code()));
            SpdyStream again = client.newStream(get("/c"), 0, true, events);
            assertThat(server.trace()).as("sent again at once, it would meet the same full slot").isEmpty();
            assertThat(again.id()).isZero();

            server.send(new SynReplyFrame(3, true, ok()));
            assertThat(server.trace()).singleElement().asString().startsWith("SYN_STREAM #7");
            server.send(new SynReplyFrame(7, true, ok()));
            SpdyStream d = client.newStream(get("/d"), 0, true, events);
            SpdyStream e = client.newStream(get("/e"), 0, true, events);
            assertThat(server.trace()).as("the limit is whole again").hasSize(2);
            assertThat(d.id()).isEqualTo(9);
            assertThat(e.id()).isEqualTo(11);
        }
    }

    /**
     * A refused slot is held until another stream closes, but not for longer than a second: a
     * stream that stays open (a download, a stream of events) must not keep queued requests
     * waiting for as long as it lasts.
     */
    @Test
    void aRefusedSlotIsLetGoAfterASecondWhileAnotherStreamStaysOpen() {
        AtomicLong now = new AtomicLong();
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1,
                SessionConfig.builder().nanoClock(now::get).build(), events);
        try (RawPeer server = new RawPeer(client)) {
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 2))));
            client.newStream(get("/events"), 0, true, events);
            client.newStream(get("/b"), 0, true, events);
            server.send(new SynReplyFrame(1, false, ok()), new SynReplyFrame(3, true, ok()));
            client.newStream(get("/c"), 0, true, events);
            server.read();
            server.send(new RstStreamFrame(5, RstStatus.REFUSED_STREAM.code()));
            SpdyStream again = client.newStream(get("/c"), 0, true, events);
            server.send(new DataFrame(1, ByteBuffer.wrap(new byte[] {1}), false));
            assertThat(server.trace()).as("held while the server may still be busy with it").isEmpty();

            now.addAndGet(StreamRegistry.HELD_SLOT_NANOS);
            server.send(new DataFrame(1, ByteBuffer.wrap(new byte[] {2}), false));
            assertThat(server.trace()).singleElement().asString().startsWith("SYN_STREAM #7");
            assertThat(again.id()).isEqualTo(7);
        }
    }

    @Test
    void aRefusalWithNothingElseOpenDoesNotHoldTheNextStream() {
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 1))));
            client.newStream(get("/a"), 0, true, events);
            server.read();
            server.send(new RstStreamFrame(1, RstStatus.REFUSED_STREAM.code()));
            client.newStream(get("/a"), 0, true, events);
            assertThat(server.trace()).as("no stream of ours could tell when the server moved on")
                    .singleElement().asString().startsWith("SYN_STREAM #3");
        }
    }

    @Test
    void firstValueOfARepeatedIdWins() {
        RecordingListener events = new RecordingListener();
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            // SPEC §2.6.4: a receiver seeing a repeated id keeps only the first value.
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 1),
                    new Setting(Setting.MAX_CONCURRENT_STREAMS, 100))));
            client.newStream(get("/a"), 0, true, events);
            client.newStream(get("/b"), 0, true, events);
            assertThat(server.trace()).filteredOn(l -> l.startsWith("SYN_STREAM")).hasSize(1);
        }
    }

    @Test
    void serverIgnoresPersistenceFlagsAndClearFromClients() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new SettingsFrame(true, List.of(new Setting(Setting.FLAG_PERSISTED, Setting.ROUND_TRIP_TIME, 30),
                    new Setting(Setting.FLAG_PERSIST_VALUE, Setting.DOWNLOAD_BANDWIDTH, 1000))));
            assertThat(client.trace()).isEmpty();
            assertThat(server.state()).isEqualTo(SpdySession.State.OPEN);
        }
    }

    @Test
    void initialWindowAbove2to31IsASessionError() {
        SpdySession server = Sessions.server(new RecordingListener());
        try (RawPeer client = new RawPeer(server)) {
            client.read();
            client.send(new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 0x80000000))));
            assertThat(client.trace()).containsExactly("GOAWAY last=0 PROTOCOL_ERROR");
        }
    }

    @Test
    void sessionReportsSettingsToItsListener() {
        java.util.List<SettingsFrame> seen = new java.util.ArrayList<>();
        RecordingListener events = new RecordingListener() {
            @Override
            public void onSettings(SettingsFrame settings) {
                seen.add(settings);
            }
        };
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), events);
        try (RawPeer server = new RawPeer(client)) {
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.FLAG_PERSIST_VALUE, Setting.ROUND_TRIP_TIME, 42))));
            assertThat(seen).singleElement().hasToString("SETTINGS [ROUND_TRIP_TIME=42 persist]");
        }
    }

    /**
     * SPEC §2.6.4 sets no limit before SETTINGS; a client still opens at most 100 streams until the
     * server's SETTINGS arrive, so a burst waits instead of being refused, then goes on at the
     * server's limit.
     */
    @Test
    void clientOpensAtMost100StreamsBeforeTheServersSettings() {
        SpdySession client = new SpdySession(Role.CLIENT, SpdyVersion.SPDY_3_1, SessionConfig.defaults(),
                new RecordingListener());
        try (RawPeer server = new RawPeer(client)) {
            server.read();
            for (int i = 0; i < 150; i++) {
                client.newStream(get("/" + i), 0, true, new StreamListener() { });
            }
            assertThat(server.trace()).filteredOn(l -> l.startsWith("SYN_STREAM")).hasSize(100);
            server.send(new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 200))));
            assertThat(server.trace()).as("the other 50, once SETTINGS allow 200")
                    .filteredOn(l -> l.startsWith("SYN_STREAM")).hasSize(50);
        }
    }
}
