package io.spdyconnector.benchmarks;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SessionListener;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.session.StreamListener;
import io.spdyconnector.protocol.session.WriteCallback;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The engine's share of a download: one servlet write of 32 KiB (what Jetty's and Tomcat's output
 * streams hand on for a large response) through a server session to a batch, which the transport
 * "writes" by consuming it. The peer returns credit every 4 MiB as a browser with 8 MiB windows
 * does. Run with {@code -prof gc} for the bytes allocated per write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataPathBenchmark {
    private static final int WRITE = 32 * 1024;
    private static final int STREAM_WINDOW = 8 << 20;
    private static final int CREDIT_EVERY = (4 << 20) / WRITE;

    private final ByteBuffer content = ByteBuffer.wrap(new byte[WRITE]);
    private final ByteBuffer credit = ByteBuffer.allocate(32);
    /** Stands for the servlet's callback: a real one, so the completion path is measured too. */
    private final WriteCallback written = new WriteCallback() {
        @Override
        public void succeeded() {
            completed++;
        }

        @Override
        public void failed(Throwable cause) {
            throw new IllegalStateException(cause);
        }
    };
    private long completed;
    private SpdySession session;
    private SpdyStream stream;
    private int writes;

    @Setup(Level.Trial)
    public void open() {
        session = new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, SessionConfig.defaults(), new SessionListener() {
            @Override
            public StreamListener onStream(SpdyStream s, HeaderBlock headers, boolean fin) {
                stream = s;
                return new StreamListener() { };
            }
        });
        ByteBuffer start = ByteBuffer.allocate(512);
        // SETTINGS INITIAL_WINDOW_SIZE, the session window raised to 16 MiB, then the request.
        start.putInt(0x80030004).putInt(12).putInt(1).putInt(7).putInt(STREAM_WINDOW);
        start.putInt(0x80030009).putInt(8).putInt(0).putInt((16 << 20) - 65536);
        start.put(new PeerFrames(11).synStream(1, HeaderBlock.of(":method", "GET", ":path", "/big", ":version",
                "HTTP/1.1", ":host", "localhost", ":scheme", "http"), true));
        session.receive(start.flip());
        stream.reply(HeaderBlock.of(":status", "200", ":version", "HTTP/1.1"), false, WriteCallback.NOOP);
        drain();
        credit.putInt(0x80030009).putInt(8).putInt(1).putInt(CREDIT_EVERY * WRITE);
        credit.putInt(0x80030009).putInt(8).putInt(0).putInt(CREDIT_EVERY * WRITE);
        credit.flip();
    }

    @Benchmark
    public long write() {
        content.clear();
        stream.data(content, false, written);
        long bytes = drain();
        if (content.hasRemaining()) {
            throw new IllegalStateException("the write waits for credit");
        }
        if (++writes == CREDIT_EVERY) {
            writes = 0;
            session.receive(credit.duplicate());
        }
        return bytes + completed;
    }

    /** What a transport does: takes every batch in one write. */
    private long drain() {
        long bytes = 0;
        OutputBatch batch;
        while ((batch = session.pollOutput()) != null) {
            for (ByteBuffer b : batch.buffers()) {
                bytes += b.remaining();
                b.position(b.limit());
            }
            session.outputWritten(batch, true);
        }
        return bytes;
    }
}
