package io.spdyconnector.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spdyconnector.protocol.codec.FrameDecoder;
import io.spdyconnector.protocol.codec.FrameListener;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderProblem;
import io.spdyconnector.protocol.headers.ZlibResources;
import io.spdyconnector.protocol.testing.FrameCollector;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Arbitrary bytes through {@link FrameDecoder}, once whole and once in chunks the fuzzer chooses.
 *
 * <p>Input: 4 plan bytes (chunk sizes {@code 1 + b}, used in turn), then the wire bytes.
 * Invariants: only {@link SessionException} escapes; both splits report the same frames, header
 * problems, unknown frames and error; the {@link FrameListener} contract holds (DATA payload pieces
 * add up to the announced length, a header block comes with either headers or a problem); after a
 * {@link SessionException} every further call fails without reporting anything; no native
 * inflater outlives the decoder.
 */
class FrameDecoderFuzzTest {
    static final int PLAN_BYTES = 4;
    static final int MAX_CONTROL_FRAME_LENGTH = 16384;
    static final int MAX_HEADER_COUNT = 100;
    static final int HEADER_INFLATE_LIMIT = 65536;

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "15s")
    void decode(FuzzedDataProvider data) {
        byte[] plan = data.consumeBytes(PLAN_BYTES);
        byte[] input = data.consumeRemainingAsBytes();
        int inflaters = ZlibResources.liveInflaters();

        Outcome whole = decode(input, new int[] {Math.max(1, input.length)});
        Outcome split = decode(input, FuzzSupport.chunkSizes(plan, 0, PLAN_BYTES));

        assertThat(split.error).as("error").isEqualTo(whole.error);
        assertThat(split.frames).as("frames").isEqualTo(whole.frames);
        assertThat(split.problems).as("header problems").isEqualTo(whole.problems);
        assertThat(split.unknown).as("unknown frames").isEqualTo(whole.unknown);
        if (whole.error == null) {
            assertThat(split.insideFrame).as("inside a frame at the end").isEqualTo(whole.insideFrame);
        }
        assertThat(ZlibResources.liveInflaters()).as("live inflaters").isEqualTo(inflaters);
    }

    private record Outcome(List<Frame> frames, List<String> problems, List<String> unknown, String error,
            boolean insideFrame) {
    }

    private static Outcome decode(byte[] input, int[] chunkSizes) {
        CheckingListener listener = new CheckingListener();
        HeaderBlockDecoder headers = new HeaderBlockDecoder(MAX_HEADER_COUNT, HEADER_INFLATE_LIMIT);
        FrameDecoder decoder = new FrameDecoder(listener, headers, MAX_CONTROL_FRAME_LENGTH);
        String error = null;
        try {
            int offset = 0;
            int turn = 0;
            while (offset < input.length) {
                int n = Math.min(chunkSizes[turn++ % chunkSizes.length], input.length - offset);
                ByteBuffer chunk = ByteBuffer.wrap(input, offset, n);
                offset += n;
                if (error != null) {
                    assertFailedSilently(decoder, listener, chunk);
                    continue;
                }
                try {
                    decoder.decode(chunk);
                    assertThat(chunk.hasRemaining()).as("input left undecoded").isFalse();
                } catch (SessionException e) {
                    error = e.getMessage();
                }
            }
            if (error != null) {
                assertFailedSilently(decoder, listener, ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0, 0, 0, 0}));
            }
        } finally {
            headers.close();
        }
        FrameCollector c = listener.collector;
        return new Outcome(c.frames, c.problems, c.unknown, error, decoder.isInsideFrame());
    }

    private static void assertFailedSilently(FrameDecoder decoder, CheckingListener listener, ByteBuffer chunk) {
        int events = listener.events;
        assertThatThrownBy(() -> decoder.decode(chunk)).isInstanceOf(SessionException.class);
        assertThat(listener.events).as("events after a session error").isEqualTo(events);
    }

    /** Checks the {@link FrameListener} contract and hands every event to a {@link FrameCollector}. */
    private static final class CheckingListener implements FrameListener {
        final FrameCollector collector = new FrameCollector();
        int events;
        private long dataLeft = -1;

        private void event() {
            events++;
            assertThat(dataLeft).as("control frame reported inside a DATA frame").isEqualTo(-1);
        }

        private static void checkStreamId(int id) {
            assertThat(id).as("stream id").isBetween(1, Integer.MAX_VALUE);
        }

        private static void checkBlock(HeaderBlock headers, HeaderProblem problem, String detail) {
            assertThat(headers == null).as("headers xor problem").isEqualTo(problem != null);
            if (problem != null) {
                assertThat(detail).isNotNull();
            }
        }

        @Override
        public void onDataHeader(int streamId, int flags, int length) {
            event();
            checkStreamId(streamId);
            assertThat(flags).isBetween(0, 0xFF);
            assertThat(length).isBetween(0, 0xFFFFFF);
            dataLeft = length;
            collector.onDataHeader(streamId, flags, length);
        }

        @Override
        public void onDataPayload(ByteBuffer fragment, boolean endOfFrame) {
            events++;
            assertThat(dataLeft).as("DATA payload outside a DATA frame").isGreaterThanOrEqualTo(0);
            assertThat((long) fragment.remaining()).as("payload past the frame length").isLessThanOrEqualTo(dataLeft);
            dataLeft -= fragment.remaining();
            assertThat(endOfFrame).as("end of frame flag").isEqualTo(dataLeft == 0);
            if (endOfFrame) {
                dataLeft = -1;
            }
            collector.onDataPayload(fragment, endOfFrame);
        }

        @Override
        public int headerBudget(int streamId, boolean additionalHeaders) {
            return collector.headerBudget(streamId, additionalHeaders);
        }

        @Override
        public void onSynStream(int streamId, int associatedStreamId, int priority, int slot, int flags,
                HeaderBlock headers, HeaderProblem problem, String detail) {
            event();
            checkStreamId(streamId);
            assertThat(associatedStreamId).isBetween(0, Integer.MAX_VALUE);
            assertThat(priority).isBetween(0, 7);
            assertThat(slot).isBetween(0, 0xFF);
            assertThat(flags).isBetween(0, 0xFF);
            checkBlock(headers, problem, detail);
            collector.onSynStream(streamId, associatedStreamId, priority, slot, flags, headers, problem, detail);
        }

        @Override
        public void onSynReply(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail) {
            event();
            checkStreamId(streamId);
            checkBlock(headers, problem, detail);
            collector.onSynReply(streamId, flags, headers, problem, detail);
        }

        @Override
        public void onHeaders(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail) {
            event();
            checkStreamId(streamId);
            checkBlock(headers, problem, detail);
            collector.onHeaders(streamId, flags, headers, problem, detail);
        }

        @Override
        public void onRstStream(int streamId, int statusCode) {
            event();
            checkStreamId(streamId);
            assertThat(statusCode).as("RST_STREAM status").isNotZero();
            collector.onRstStream(streamId, statusCode);
        }

        @Override
        public void onSettings(int flags, int count, int[] entryFlags, int[] ids, int[] values) {
            event();
            assertThat(count).isBetween(0, (MAX_CONTROL_FRAME_LENGTH - 4) / 8);
            assertThat(ids.length).isGreaterThanOrEqualTo(count);
            for (int i = 0; i < count; i++) {
                assertThat(entryFlags[i]).isBetween(0, 0xFF);
                assertThat(ids[i]).isBetween(0, 0xFFFFFF);
            }
            collector.onSettings(flags, count, entryFlags, ids, values);
        }

        @Override
        public void onPing(int id) {
            event();
            collector.onPing(id);
        }

        @Override
        public void onGoAway(int lastGoodStreamId, int statusCode) {
            event();
            assertThat(lastGoodStreamId).isBetween(0, Integer.MAX_VALUE);
            collector.onGoAway(lastGoodStreamId, statusCode);
        }

        @Override
        public void onWindowUpdate(int streamId, int delta) {
            event();
            assertThat(streamId).isBetween(0, Integer.MAX_VALUE);
            assertThat(delta).as("WINDOW_UPDATE delta").isBetween(1, Integer.MAX_VALUE);
            collector.onWindowUpdate(streamId, delta);
        }

        @Override
        public void onUnknownControlFrame(int type, int flags, int length) {
            event();
            assertThat(length).isBetween(0, 0xFFFFFF);
            collector.onUnknownControlFrame(type, flags, length);
        }
    }
}
