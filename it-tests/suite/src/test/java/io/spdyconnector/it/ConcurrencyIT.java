package io.spdyconnector.it;

import io.spdyconnector.it.client.Channel;
import io.spdyconnector.it.client.ChannelClient;
import io.spdyconnector.it.client.ChannelUnderTest;
import io.spdyconnector.it.client.PatternBytes;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.it.client.TestResponse;
import io.spdyconnector.it.target.RunningTargets;
import io.spdyconnector.it.target.ServerProbe;
import io.spdyconnector.it.target.Target;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Many streams on one session, and many sessions at once, each answered correctly. */
@ExtendWith(RunningTargets.class)
@Timeout(180)
class ConcurrencyIT {
    static final int STREAMS = 200;
    static final int SESSIONS = 20;

    /**
     * 200 requests at once on one session. Async servlets hold them open together, as far as the
     * target's MAX_CONCURRENT_STREAMS allows (the client queues the rest); then 200 downloads and
     * uploads at once, every byte checked. Our client only: Netty's codec refuses streams over the
     * server's limit instead of queueing them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#projectClient")
    void twoHundredConcurrentStreamsOnOneSession(Channel channel) throws Exception {
        try (ChannelUnderTest c = ChannelUnderTest.open(channel)) {
            Target target = c.target();
            int limit = target.maxConcurrentStreams(channel.transport().isTls());
            List<CompletableFuture<TestResponse>> sleeping = new ArrayList<>();
            long peak;
            try (PeakOpenStreams sampler = new PeakOpenStreams(target.probe())) {
                for (int i = 0; i < STREAMS; i++) {
                    sleeping.add(c.spdy().send(TestRequest.get("/sample/sleep?ms=1500")));
                }
                for (CompletableFuture<TestResponse> f : sleeping) {
                    assertThat(f.get(60, TimeUnit.SECONDS).bodyText()).isEqualTo("slept 1500 ms\n");
                }
                peak = sampler.peak();
            }
            assertThat(peak).as("streams open at once on the server (its limit is %d)", limit)
                    .isGreaterThanOrEqualTo(Math.min(STREAMS, limit));

            List<CompletableFuture<TestResponse>> transfers = new ArrayList<>();
            byte[] upload = PatternBytes.of(40_000);
            for (int i = 0; i < STREAMS; i++) {
                transfers.add(switch (i % 3) {
                    case 0 -> c.spdy().send(TestRequest.get("/sample/bytes?n=" + (100_000 + i)));
                    case 1 -> c.spdy().send(TestRequest.post("/sample/echo-async", upload));
                    default -> c.spdy().send(TestRequest.get("/sample/static/pattern.bin")
                            .header("range", "bytes=" + (i * 1000L) + "-" + (i * 1000L + 49_999)));
                });
            }
            for (int i = 0; i < STREAMS; i++) {
                TestResponse r = transfers.get(i).get(60, TimeUnit.SECONDS);
                switch (i % 3) {
                    case 0 -> PatternBytes.assertPattern("stream " + i, r.body(), 0, 100_000 + i);
                    case 1 -> PatternBytes.assertPattern("stream " + i, r.body(), 0, upload.length);
                    default -> PatternBytes.assertPattern("stream " + i, r.body(), i * 1000L, 50_000);
                }
            }
        }
    }

    /** 20 sessions open at once, each with a mix of requests in flight together. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#all")
    void twentySessionsAtOnce(Channel channel) throws Exception {
        Target target = RunningTargets.get(channel.target());
        List<ChannelClient> sessions = new ArrayList<>();
        try {
            List<CompletableFuture<TestResponse>> responses = new ArrayList<>();
            byte[] upload = PatternBytes.of(100_000);
            for (int s = 0; s < SESSIONS; s++) {
                ChannelClient session = channel.open(target);
                sessions.add(session);
                responses.add(session.send(TestRequest.get("/sample/hello")));
                responses.add(session.send(TestRequest.get("/sample/bytes?n=300000")));
                responses.add(session.send(TestRequest.post("/sample/echo", upload)));
                responses.add(session.send(TestRequest.get("/sample/sleep?ms=200")));
            }
            for (int i = 0; i < responses.size(); i++) {
                TestResponse r = responses.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as("response %d", i).isEqualTo(200);
                switch (i % 4) {
                    case 0 -> assertThat(r.bodyText()).isEqualTo("hello");
                    case 1 -> PatternBytes.assertPattern("response " + i, r.body(), 0, 300_000);
                    case 2 -> PatternBytes.assertPattern("response " + i, r.body(), 0, upload.length);
                    default -> assertThat(r.bodyText()).isEqualTo("slept 200 ms\n");
                }
            }
            assertThat(target.probe().openSessions()).as("SPDY sessions open on the server")
                    .isGreaterThanOrEqualTo(SESSIONS);
        } finally {
            sessions.forEach(ChannelClient::close);
        }
    }

    /** The most streams the server reported open at once while it ran, sampled every 10 ms. */
    private static final class PeakOpenStreams implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;
        private volatile Exception failure;

        PeakOpenStreams(ServerProbe probe) {
            sampler = new Thread(() -> {
                while (running) {
                    try {
                        peak.accumulateAndGet(probe.openStreams(), Math::max);
                        Thread.sleep(10);
                    } catch (Exception e) {
                        failure = e;
                        return;
                    }
                }
            }, "peak-open-streams");
            sampler.setDaemon(true);
            sampler.start();
        }

        long peak() throws Exception {
            if (failure != null) {
                throw failure;
            }
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.join(5000);
        }
    }
}
