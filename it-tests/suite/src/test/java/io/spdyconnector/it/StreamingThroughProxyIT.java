package io.spdyconnector.it;

import io.spdyconnector.it.client.SpdyTransport;
import io.spdyconnector.it.streaming.RangeOrigin;
import io.spdyconnector.it.streaming.VideoPlayer;
import io.spdyconnector.it.target.RunningTargets;
import io.spdyconnector.it.target.ServerProbe;
import io.spdyconnector.it.target.Target;
import io.spdyconnector.it.target.TargetKind;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.session.SessionConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenario the project was born for: a media server behind SPDY. The proxy WAR (Jetty's own
 * ProxyServlet on both containers, with a fixed receive buffer towards the origin) forwards to an HTTP/1.1 origin serving a large file, and video
 * players seek through it: {@link #SESSIONS} sessions at once, each opening Range requests one
 * after another at random offsets, playing a few hundred KiB at the video's bitrate, resetting the
 * stream and seeking again.
 *
 * <p>The embedded targets run the full scale, {@link #REQUESTS} seeks per session. The
 * standalone ones run {@link #STANDALONE_REQUESTS}: the same engine and adapters, so a shorter run
 * proves the distributions' wiring (their thread pools, buffers and JMX) without doubling the
 * build's time.
 *
 * <p>Checked: every byte played is the file's; flow control throttles the origin instead of the
 * server buffering for it, so the origin never writes further ahead of a player than the stream
 * window and the buffers on the way hold ({@link #IN_FLIGHT_BOUND}); afterwards no SPDY stream or
 * session is left open, and heap and threads are back to where a warm-up round left them.
 */
@ExtendWith(RunningTargets.class)
@Timeout(600)
class StreamingThroughProxyIT {
    static final int SESSIONS = Integer.getInteger("it.streaming.sessions", 50);
    static final int REQUESTS = Integer.getInteger("it.streaming.requests", 100);
    static final int STANDALONE_REQUESTS = Integer.getInteger("it.streaming.standaloneRequests", 20);
    static final int WARM_UP_REQUESTS = 3;
    /** The stream window the players give the server: the client's default, SPDY's own. */
    static final long STREAM_WINDOW = SessionConfig.defaults().initialWindowSize();
    /**
     * What the proxy itself may hold for one response beyond the window: the chunk jetty-client
     * hands to a blocked servlet write (16 KiB) and the container's buffers behind that write
     * (Tomcat's 8 KiB response buffer and the adapter's two 16 KiB chunks; less on Jetty).
     */
    static final long PROXY_BUFFERS = 64 * 1024;
    /** The receive buffer the proxy WAR's web.xml gives its connections to the origin. */
    static final long PROXY_RECEIVE_BUFFER = 64 * 1024;
    /**
     * The loopback socket from origin to proxy: the origin's send buffer and the proxy's receive
     * buffer, each doubled, as Linux does with the sizes asked for.
     */
    static final long SOCKET_BUFFERS = 2 * (RangeOrigin.SEND_BUFFER + PROXY_RECEIVE_BUFFER);
    /**
     * How far the origin may be ahead of a player. Without the window reaching the origin, a
     * player at 1 MiB/s would let the origin run megabytes ahead: each request asks for the rest of
     * a 256 MiB file, which origin and proxy could move at hundreds of MiB/s.
     */
    static final long IN_FLIGHT_BOUND = STREAM_WINDOW + PROXY_BUFFERS + SOCKET_BUFFERS;
    /** Heap a container may keep after the run beyond its warmed-up baseline (pools grown to the load). */
    static final long HEAP_SLACK = 16L << 20;
    /** Threads that pools may still hold from the run's peak (their idle timeout is 60 s). */
    static final int THREAD_SLACK = 25;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#targets")
    void videoPlayersSeekingThroughTheProxyAreThrottledAndLeaveNothingBehind(TargetKind kind) throws Exception {
        Target target = RunningTargets.get(kind);
        RangeOrigin origin = RunningTargets.origin();
        ServerProbe server = target.probe();
        URI media = SpdyTransport.PLAIN_SPDY_3_1.origin(target).resolve("/proxy" + RangeOrigin.PATH);
        int requests = kind.isStandalone() ? STANDALONE_REQUESTS : REQUESTS;
        ScheduledExecutorService playback = Executors.newScheduledThreadPool(2);
        try {
            play(target, media, kind.name() + "-warm-up", WARM_UP_REQUESTS, playback, new ConcurrentHashMap<>());
            awaitQuiet(server, origin);
            long heapBaseline = server.heapAfterGc();
            int threadBaseline = server.threads();

            Map<String, Long> received = new ConcurrentHashMap<>();
            long started = System.nanoTime();
            play(target, media, kind.name(), requests, playback, received);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            awaitQuiet(server, origin);

            assertThat(received).hasSize(SESSIONS * requests);
            long worst = -1;
            String worstId = null;
            long played = 0;
            for (Map.Entry<String, Long> e : received.entrySet()) {
                long ahead = origin.written(e.getKey()) - e.getValue();
                played += e.getValue();
                if (ahead > worst) {
                    worst = ahead;
                    worstId = e.getKey();
                }
            }
            System.out.printf("%s: %d sessions x %d seeks, %d MiB played in %d s; the origin ran at most %d KiB"
                    + " ahead of a player (%s), bound %d KiB%n", kind, SESSIONS, requests, played >> 20, seconds,
                    worst / 1024, worstId, IN_FLIGHT_BOUND / 1024);
            assertThat(worst).as("bytes the origin wrote for %s beyond what its player received", worstId)
                    .isLessThanOrEqualTo(IN_FLIGHT_BOUND);

            long heap = server.heapAfterGc();
            int threads = server.threads();
            System.out.printf("%s: heap %d MiB after, %d MiB before; %d threads after, %d before%n", kind, heap >> 20,
                    heapBaseline >> 20, threads, threadBaseline);
            assertThat(heap).as("heap after a full collection, baseline %d MiB", heapBaseline >> 20)
                    .isLessThanOrEqualTo(heapBaseline + HEAP_SLACK);
            assertThat(threads).as("live threads, baseline %d", threadBaseline)
                    .isLessThanOrEqualTo(threadBaseline + THREAD_SLACK);
        } finally {
            playback.shutdownNow();
        }
    }

    /** {@link #SESSIONS} players at once, each on its own session; the sessions are closed after. */
    private static void play(Target target, URI media, String name, int requests, ScheduledExecutorService playback,
            Map<String, Long> received) throws Exception {
        try (SpdyClient client = SpdyTransport.PLAIN_SPDY_3_1.newClient().ioThreads(2).build()) {
            List<CompletableFuture<Void>> players = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                VideoPlayer player = new VideoPlayer(client.newConnection(media).get(30, TimeUnit.SECONDS), media,
                        name + "-" + s, 31L * s + requests, playback, received);
                // The proxy's record is fetched as soon as a player fails: later seeks would push it out.
                players.add(player.play(requests).handleAsync((done, failure) -> {
                    if (failure != null) {
                        throw withTheProxysRecord(target, failure instanceof java.util.concurrent.CompletionException
                                && failure.getCause() != null ? failure.getCause() : failure);
                    }
                    return done;
                }));
            }
            // A seek plays under 0.4 s at the bitrate; 2 s each leaves room for a loaded machine.
            try {
                CompletableFuture.allOf(players.toArray(CompletableFuture[]::new))
                        .get(requests * 2L + 60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof AssertionError ? (AssertionError) cause : new AssertionError(cause);
            }
        }
    }

    /**
     * A player's failure names its request first ({@code id: what went wrong}); the proxy WAR
     * remembers why it gave up on a response, which it otherwise logs only at DEBUG.
     */
    private static AssertionError withTheProxysRecord(Target target, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int colon = message.indexOf(": ");
        if (!(failure instanceof AssertionError) || colon < 0) {
            return new AssertionError(failure);
        }
        String id = message.substring(0, colon);
        String record;
        try {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(target.plainHttp11().resolve("/proxy/.failures/" + id))
                            .timeout(java.time.Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            record = r.body();
        } catch (Exception e) {
            record = "(could not be read: " + e + ")";
        }
        AssertionError withRecord = new AssertionError(message + "\nthe proxy's record of " + id + ": " + record, failure);
        withRecord.setStackTrace(failure.getStackTrace());
        return withRecord;
    }

    /** Waits until the target has no SPDY session or stream open and the origin no response in progress. */
    private static void awaitQuiet(ServerProbe server, RangeOrigin origin) throws Exception {
        await("no SPDY stream open", () -> server.openStreams() == 0);
        await("no SPDY session open", () -> server.openSessions() == 0);
        await("no response in progress at the origin", () -> origin.responsesInProgress() == 0);
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
