package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.codec.FrameListener;
import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.GoAwayFrame;
import io.spdyconnector.protocol.frame.HeadersFrame;
import io.spdyconnector.protocol.frame.PingFrame;
import io.spdyconnector.protocol.frame.RstStreamFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.frame.SynReplyFrame;
import io.spdyconnector.protocol.frame.SynStreamFrame;
import io.spdyconnector.protocol.frame.WindowUpdateFrame;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderProblem;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Turns decoder callbacks back into frame values, copying DATA so frames outlive the input. */
public class FrameCollector implements FrameListener {
    public final List<Frame> frames = new ArrayList<>();
    public final List<String> problems = new ArrayList<>();
    public final List<String> unknown = new ArrayList<>();
    /** Every DATA fragment exactly as the decoder handed it over: views of the decoder's input. */
    public final List<ByteBuffer> fragmentViews = new ArrayList<>();
    private int dataStream;
    private boolean dataFin;
    private ByteArrayOutputStream data;
    private int fragments;

    public int dataFragments() {
        return fragments;
    }

    @Override
    public void onDataHeader(int streamId, int flags, int length) {
        dataStream = streamId;
        dataFin = (flags & Frame.FLAG_FIN) != 0;
        data = new ByteArrayOutputStream();
    }

    @Override
    public void onDataPayload(ByteBuffer fragment, boolean endOfFrame) {
        fragments++;
        fragmentViews.add(fragment);
        byte[] b = new byte[fragment.remaining()];
        fragment.duplicate().get(b);
        data.writeBytes(b);
        if (endOfFrame) {
            frames.add(new DataFrame(dataStream, ByteBuffer.wrap(data.toByteArray()), dataFin));
        }
    }

    @Override
    public int headerBudget(int streamId, boolean additionalHeaders) {
        return 16384;
    }

    private HeaderBlock block(HeaderBlock h, HeaderProblem p, String detail) {
        if (p != null) {
            problems.add(p + ": " + detail);
            return new HeaderBlock();
        }
        return h;
    }

    @Override
    public void onSynStream(int streamId, int associatedStreamId, int priority, int slot, int flags, HeaderBlock headers,
            HeaderProblem problem, String detail) {
        frames.add(new SynStreamFrame(streamId, associatedStreamId, priority, slot, (flags & 1) != 0, (flags & 2) != 0,
                block(headers, problem, detail)));
    }

    @Override
    public void onSynReply(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail) {
        frames.add(new SynReplyFrame(streamId, (flags & 1) != 0, block(headers, problem, detail)));
    }

    @Override
    public void onHeaders(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail) {
        frames.add(new HeadersFrame(streamId, (flags & 1) != 0, block(headers, problem, detail)));
    }

    @Override
    public void onRstStream(int streamId, int statusCode) {
        frames.add(new RstStreamFrame(streamId, statusCode));
    }

    @Override
    public void onSettings(int flags, int count, int[] entryFlags, int[] ids, int[] values) {
        List<Setting> s = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            s.add(new Setting(entryFlags[i], ids[i], values[i]));
        }
        frames.add(new SettingsFrame((flags & 1) != 0, s));
    }

    @Override
    public void onPing(int id) {
        frames.add(new PingFrame(id));
    }

    @Override
    public void onGoAway(int lastGoodStreamId, int statusCode) {
        frames.add(new GoAwayFrame(lastGoodStreamId, statusCode));
    }

    @Override
    public void onWindowUpdate(int streamId, int delta) {
        frames.add(new WindowUpdateFrame(streamId, delta));
    }

    @Override
    public void onUnknownControlFrame(int type, int flags, int length) {
        unknown.add("type=" + type + " flags=" + flags + " length=" + length);
    }
}
