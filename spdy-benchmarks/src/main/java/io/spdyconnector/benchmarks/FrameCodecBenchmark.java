package io.spdyconnector.benchmarks;

import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.codec.FrameListener;
import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.headers.HeaderProblem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Frame decode and encode throughput: 64 DATA frames of 16 KiB (payloads are views, never copied),
 * and 64 small control frames (PING, WINDOW_UPDATE, RST_STREAM, SETTINGS in turn). Scores are per
 * frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark {
    private static final int FRAMES = 64;

    private ByteBuffer dataStream;
    private ByteBuffer controlStream;
    private final ByteBuffer payload = ByteBuffer.allocateDirect(16384);
    private final WriteBuffer out = new WriteBuffer(65536);
    private FrameEncoder encoder;
    private HeaderBlockDecoder headerDecoder;
    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        blackhole = bh;
        encoder = new FrameEncoder(new HeaderBlockEncoder(CompressionPolicy.NONE));
        headerDecoder = new HeaderBlockDecoder(100, 1 << 17);
        WriteBuffer w = new WriteBuffer(FRAMES * 16400);
        for (int i = 0; i < FRAMES; i++) {
            encoder.dataHeader(w, 1, false, 16384);
            w.putBytes(new byte[16384], 0, 16384);
        }
        dataStream = ByteBuffer.wrap(w.array(), 0, w.position()).asReadOnlyBuffer();
        w = new WriteBuffer(4096);
        for (int i = 0; i < FRAMES; i++) {
            control(w, i);
        }
        controlStream = ByteBuffer.wrap(w.array(), 0, w.position()).asReadOnlyBuffer();
    }

    private void control(WriteBuffer w, int i) {
        switch (i & 3) {
            case 0:
                encoder.ping(w, 2 * i + 1);
                break;
            case 1:
                encoder.windowUpdate(w, 2 * i + 1, 65536);
                break;
            case 2:
                encoder.rstStream(w, 2 * i + 1, 5);
                break;
            default:
                encoder.settings(w, false, java.util.List.of(new io.spdyconnector.protocol.frame.Setting(4, 100),
                        new io.spdyconnector.protocol.frame.Setting(7, 65536)));
                break;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        headerDecoder.close();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeData() throws SessionException {
        new FrameDecoder(new Sink(blackhole), headerDecoder, 65536).decode(dataStream.duplicate());
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeControl() throws SessionException {
        new FrameDecoder(new Sink(blackhole), headerDecoder, 65536).decode(controlStream.duplicate());
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int encodeDataHeaders() {
        out.clear();
        for (int i = 0; i < FRAMES; i++) {
            encoder.dataHeader(out, 1, false, 16384);
            blackhole.consume(payload.slice(0, 16384));
        }
        return out.position();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int encodeControl() {
        out.clear();
        for (int i = 0; i < FRAMES; i++) {
            control(out, i);
        }
        return out.position();
    }

    /** Consumes every callback so nothing is optimised away. */
    private static final class Sink implements FrameListener {
        private final Blackhole bh;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onDataHeader(int streamId, int flags, int length) {
            bh.consume(streamId);
        }

        @Override
        public void onDataPayload(ByteBuffer fragment, boolean endOfFrame) {
            bh.consume(fragment);
        }

        @Override
        public int headerBudget(int streamId, boolean additionalHeaders) {
            return 16384;
        }

        @Override
        public void onSynStream(int streamId, int associatedStreamId, int priority, int slot, int flags,
                HeaderBlock headers, HeaderProblem problem, String detail) {
            bh.consume(headers);
        }

        @Override
        public void onSynReply(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail) {
            bh.consume(headers);
        }

        @Override
        public void onHeaders(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail) {
            bh.consume(headers);
        }

        @Override
        public void onRstStream(int streamId, int statusCode) {
            bh.consume(statusCode);
        }

        @Override
        public void onSettings(int flags, int count, int[] entryFlags, int[] ids, int[] values) {
            bh.consume(count);
        }

        @Override
        public void onPing(int id) {
            bh.consume(id);
        }

        @Override
        public void onGoAway(int lastGoodStreamId, int statusCode) {
            bh.consume(lastGoodStreamId);
        }

        @Override
        public void onWindowUpdate(int streamId, int delta) {
            bh.consume(delta);
        }

        @Override
        public void onUnknownControlFrame(int type, int flags, int length) {
            bh.consume(type);
        }
    }
}
