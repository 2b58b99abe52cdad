package io.spdyconnector.benchmarks;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.ZlibResources;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Retained memory of an idle server session in the engine alone: N sessions each serve one request
 * from a peer compressing with window bits 11 or 15, then sit idle. Heap is measured after GC;
 * native zlib memory by counting live inflaters and deflaters (each live zlib inflater holds about
 * 7 KiB of state and a 32 KiB window) and by the change in resident set size.
 *
 * <p>Run: {@code java -cp spdy-benchmarks/target/benchmarks.jar io.spdyconnector.benchmarks.IdleSessionMemory}
 */
public final class IdleSessionMemory {
    private static final int SESSIONS = 5000;

    private IdleSessionMemory() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : SESSIONS;
        System.out.printf("%-28s %12s %12s %14s %10s%n", "peer / engine setting", "heap B/sess", "RSS B/sess",
                "live inflaters", "native est");
        for (boolean release : new boolean[] {true, false}) {
            for (int bits : new int[] {11, 15}) {
                measure(sessions, bits, release);
            }
        }
    }

    private static void measure(int n, int windowBits, boolean release) throws Exception {
        SessionConfig config = SessionConfig.builder().releaseCompressionWhenIdle(release).build();
        SpdySession[] keep = new SpdySession[n];
        settle();
        long heap0 = usedHeap();
        long rss0 = rss();
        int inflaters0 = ZlibResources.liveInflaters();
        PeerFrames peer = new PeerFrames(windowBits);
        HeaderBlock request = TypicalHeaders.spdyRequest(1);
        for (int i = 0; i < n; i++) {
            SpdySession s = new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, config, new Answering());
            drain(s);
            // Each session has its own peer context: a fresh peer per session is what the wire shows,
            // and the window size is what matters here.
            PeerFrames p = i == 0 ? peer : new PeerFrames(windowBits);
            s.receive(ByteBuffer.wrap(p.synStream(1, request, true)));
            drain(s);
            if (p != peer) {
                p.end();
            }
            keep[i] = s;
        }
        settle();
        long heap = usedHeap() - heap0;
        long rss = rss() - rss0;
        int inflaters = ZlibResources.liveInflaters() - inflaters0;
        System.out.printf("%-28s %12d %12d %14d %10d%n",
                "bits " + windowBits + (release ? ", release idle" : ", keep native"),
                heap / n, rss / n, inflaters, (long) inflaters * (7 * 1024 + 32 * 1024) / n);
        for (SpdySession s : keep) {
            s.close(null);
        }
        peer.end();
    }

    private static void drain(SpdySession s) {
        OutputBatch b;
        while ((b = s.pollOutput()) != null) {
            s.outputWritten(b);
        }
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long usedHeap() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        return m.getHeapMemoryUsage().getUsed();
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return 0;
    }

    /** Replies to each request with an empty 204, closing the stream. */
    private static final class Answering implements SessionListener {
        @Override
        public StreamListener onStream(SpdyStream stream, HeaderBlock headers, boolean fin) {
            stream.reply(HeaderBlock.of(":status", "204", ":version", "HTTP/1.1"), true, WriteCallback.NOOP);
            return new StreamListener() { };
        }
    }
}
