package io.spdyconnector.it.streaming;

import io.spdyconnector.it.client.PatternBytes;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.headers.HeaderBlock;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One SPDY session used the way a video player uses it: a Range request at a random offset of the
 * media file, a few hundred KiB played, then RST_STREAM CANCEL and the next seek. The player
 * consumes at the video's bitrate, far slower than the origin and the proxy can deliver: each DATA
 * frame's window credit goes back only when playback reaches its end, so the stream window, not
 * the player's memory or the server's, is what holds the origin back. Every byte is checked
 * against the file.
 */
public final class VideoPlayer {
    /** 8 Mbit/s, a 1080p stream. */
    public static final long BYTES_PER_SECOND = 1 << 20;
    static final int MIN_READ = 200 * 1024;
    static final int MAX_READ = 400 * 1024;

    private final SpdyConnection session;
    private final URI media;
    private final String name;
    private final Random random;
    private final ScheduledExecutorService playback;
    private final Map<String, Long> received;

    /**
     * @param received where each request's id is mapped to the bytes this player received for it,
     *                 up to the reset (what arrives between the decision to seek and the reset too)
     */
    public VideoPlayer(SpdyConnection session, URI media, String name, long seed, ScheduledExecutorService playback,
            Map<String, Long> received) {
        this.session = session;
        this.media = media;
        this.name = name;
        this.random = new Random(seed);
        this.playback = playback;
        this.received = received;
    }

    /** Plays {@code seeks} segments one after another; completes when the last one was reset. */
    public CompletableFuture<Void> play(int seeks) {
        CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
        for (int i = 0; i < seeks; i++) {
            String id = name + "-" + i;
            long offset = (long) (random.nextDouble() * (RangeOrigin.FILE_SIZE - MAX_READ));
            int toRead = MIN_READ + random.nextInt(MAX_READ - MIN_READ);
            all = all.thenCompose(ignored -> segment(id, offset, toRead));
        }
        return all;
    }

    private CompletableFuture<Void> segment(String id, long offset, int toRead) {
        CompletableFuture<Void> enough = new CompletableFuture<>();
        received.put(id, 0L);
        SpdyRequest request = SpdyRequest.newBuilder(media).header("range", "bytes=" + offset + "-")
                .header("x-request-id", id).header("user-agent", TestRequest.USER_AGENT).build();
        SpdyExchange exchange = session.exchange(request, new ResponseListener() {
            // Both only touched on the session's I/O thread.
            private long count;
            private long playedUntil = System.nanoTime();

            @Override
            public void onHeaders(HeaderBlock headers) {
                String range = headers.get("content-range");
                if (!String.valueOf(headers.get(":status")).startsWith("206") || range == null
                        || !range.startsWith("bytes " + offset + "-")) {
                    enough.completeExceptionally(new AssertionError(id + ": expected 206 for bytes " + offset
                            + "-, got " + headers));
                }
            }

            @Override
            public void onData(ByteBuffer data, Runnable release) {
                int n = data.remaining();
                int mismatch = PatternBytes.mismatch(data, offset + count);
                if (mismatch >= 0) {
                    enough.completeExceptionally(new AssertionError(id + ": byte at file offset "
                            + (offset + count + mismatch) + " is not the file's"));
                }
                count += n;
                received.put(id, count);
                if (count >= toRead) {
                    enough.complete(null);
                }
                long now = System.nanoTime();
                playedUntil = Math.max(playedUntil, now) + TimeUnit.SECONDS.toNanos(n) / BYTES_PER_SECOND;
                playback.schedule(release, playedUntil - now, TimeUnit.NANOSECONDS);
            }
        });
        exchange.response().whenComplete((r, failure) -> enough.completeExceptionally(
                new AssertionError(id + ": the response ended before the player had read " + toRead + " bytes: "
                        + (failure != null ? failure : r))));
        // Cancelled off the session's I/O thread, the way a player's UI thread seeks.
        return enough.whenCompleteAsync((ignored, failure) -> exchange.cancel(), playback);
    }
}
