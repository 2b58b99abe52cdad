package io.spdyconnector.it;

import io.spdyconnector.it.client.Outcomes;
import io.spdyconnector.it.client.PatternCheck;
import io.spdyconnector.it.client.SpdyTransport;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.it.target.RunningTargets;
import io.spdyconnector.it.target.Target;
import io.spdyconnector.it.target.TargetKind;
import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.session.FrameObserver;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container stopped the way its operator stops it while SPDY streams are in flight: each session
 * says GOAWAY with the last stream it admitted, and every admitted stream completes. Runs on a
 * fresh instance of each target, since it stops it.
 */
@ExtendWith(RunningTargets.class)
@Timeout(180)
class GracefulStopIT {
    static final int SLEEPERS = 5;
    static final int SLEEP_MS = 3000;
    static final int DOWNLOAD = 2 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#targets")
    void stopWithStreamsInFlightSaysGoAwayAndFinishesEveryAdmittedStream(TargetKind kind) throws Exception {
        Target target = RunningTargets.startAnother(kind, kind.propertyName() + "-stopped");
        List<Session> sessions = List.of(new Session(target, SpdyTransport.PLAIN_SPDY_3_1),
                new Session(target, SpdyTransport.TLS_SPDY_3));
        try {
            for (Session s : sessions) {
                s.startStreams();
            }
            for (Session s : sessions) {
                for (String id : s.sleeperIds) {
                    Outcomes.await(target, id, "running"::equals, Duration.ofSeconds(20));
                }
            }
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    target.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (Session s : sessions) {
                s.assertEveryStreamCompleted();
                GoAwayFrame goAway = s.goAway.get(10, TimeUnit.SECONDS);
                assertThat(goAway.status()).as("GOAWAY status over %s", s.transport).isEqualTo(GoAwayStatus.OK);
                assertThat(goAway.lastGoodStreamId()).as("GOAWAY last-good stream over %s", s.transport)
                        .isEqualTo(s.lastStreamId());
            }
            stopped.get(60, TimeUnit.SECONDS);
        } finally {
            sessions.forEach(Session::close);
            target.close();
        }
    }

    /** One session with sleeping requests and a download in flight, watching for the server's GOAWAY. */
    private static final class Session {
        final SpdyTransport transport;
        final CompletableFuture<GoAwayFrame> goAway = new CompletableFuture<>();
        final List<String> sleeperIds = new ArrayList<>();
        final List<SpdyExchange> exchanges = new ArrayList<>();
        final PatternCheck download = new PatternCheck(0);
        private final SpdyClient client;
        private final URI origin;

        Session(Target target, SpdyTransport transport) {
            this.transport = transport;
            this.origin = transport.origin(target);
            this.client = transport.newClient().frameObserver(new FrameObserver() {
                @Override
                public void inbound(Frame frame) {
                    if (frame instanceof GoAwayFrame) {
                        goAway.complete((GoAwayFrame) frame);
                    }
                }

                @Override
                public void outbound(Frame frame) {
                }
            }).build();
        }

        void startStreams() throws Exception {
            SpdyConnection connection = client.connect(origin).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < SLEEPERS; i++) {
                String id = UUID.randomUUID().toString();
                sleeperIds.add(id);
                exchanges.add(connection.exchange(SpdyRequest.newBuilder(origin.resolve("/sample/sleep?ms=" + SLEEP_MS))
                        .header(Outcomes.HEADER, id).header("user-agent", TestRequest.USER_AGENT).build(), null));
            }
            // Its credit comes back slowly, so the download is still running when the stop begins.
            exchanges.add(connection.exchange(SpdyRequest.get(origin.resolve("/sample/bytes?n=" + DOWNLOAD).toString()),
                    new ResponseListener() {
                        @Override
                        public void onData(ByteBuffer data, Runnable release) {
                            download.accept(data);
                            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(release);
                        }
                    }));
        }

        int lastStreamId() {
            return exchanges.stream().mapToInt(SpdyExchange::streamId).max().orElseThrow();
        }

        void assertEveryStreamCompleted() throws Exception {
            for (int i = 0; i < exchanges.size(); i++) {
                SpdyResponse r = exchanges.get(i).response().get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as("stream %d over %s", r.streamId(), transport).isEqualTo(200);
                if (i < SLEEPERS) {
                    assertThat(r.bodyAsString()).isEqualTo("slept " + SLEEP_MS + " ms\n");
                }
            }
            assertThat(download.length()).as("download over %s", transport).isEqualTo(DOWNLOAD);
            assertThat(download.firstMismatch()).isEqualTo(-1);
        }

        void close() {
            client.close();
        }
    }
}
