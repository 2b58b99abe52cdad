package io.spdyconnector.protocol.codec;

import io.spdyconnector.protocol.frame.DataFrame;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.FrameType;
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
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.headers.HeaderFormat;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes SPDY/3 frames (SPEC §2.2, §2.6), or SPDY/2 ones after {@link #version(int)}. Control frames and DATA frame headers go into a
 * {@link WriteBuffer}; DATA payloads are never copied: the caller gathers them beside the header.
 * Header blocks must be encoded in the order they go on the wire, because they share one zlib
 * context (SPEC §2.6.10.1). Not thread-safe.
 */
public final class FrameEncoder {
    /** The largest length the 24-bit length field holds (SPEC §2.2). */
    private static final int MAX_LENGTH = 0xFFFFFF;

    /** SPDY/2 status codes stop at 7 (FLOW_CONTROL_ERROR); later ones are sent as PROTOCOL_ERROR. */
    private static final int MAX_SPDY2_RST_CODE = 7;

    private final HeaderBlockEncoder headerEncoder;
    private int version = FrameDecoder.VERSION;

    public FrameEncoder(HeaderBlockEncoder headerEncoder) {
        this.headerEncoder = headerEncoder;
    }

    /** Switches to SPDY/2 ({@link FrameDecoder#VERSION_2}) or back; before the first frame. */
    public void version(int wireVersion) {
        if (wireVersion != FrameDecoder.VERSION && wireVersion != FrameDecoder.VERSION_2) {
            throw new IllegalArgumentException("unsupported SPDY version " + wireVersion);
        }
        version = wireVersion;
        headerEncoder.format(wireVersion == FrameDecoder.VERSION_2 ? HeaderFormat.SPDY_2 : HeaderFormat.SPDY_3);
    }

    public int version() {
        return version;
    }

    private boolean spdy2() {
        return version == FrameDecoder.VERSION_2;
    }

    public void dataHeader(WriteBuffer out, int streamId, boolean fin, int length) {
        if (length > MAX_LENGTH) {
            throw tooLong(FrameType.DATA, length);
        }
        out.putInt(streamId & 0x7FFFFFFF);
        out.putByte(fin ? Frame.FLAG_FIN : 0);
        out.put24(length);
    }

    public void synStream(WriteBuffer out, int streamId, int associatedStreamId, int priority, boolean fin,
            boolean unidirectional, HeaderBlock headers) {
        int start = controlHeader(out, FrameType.SYN_STREAM, (fin ? Frame.FLAG_FIN : 0)
                | (unidirectional ? Frame.FLAG_UNIDIRECTIONAL : 0));
        out.putInt(streamId & 0x7FFFFFFF);
        out.putInt(associatedStreamId & 0x7FFFFFFF);
        // SPDY/2 keeps the top two of SPDY/3's three priority bits.
        out.putByte(spdy2() ? (priority & 0x06) << 5 : (priority & 0x07) << 5);
        // SPEC §2.6.1: the slot is unused in 3.1 and sent as 0.
        out.putByte(0);
        headerEncoder.encode(headers, out);
        patchLength(out, start, FrameType.SYN_STREAM);
    }

    public void synReply(WriteBuffer out, int streamId, boolean fin, HeaderBlock headers) {
        headersFrame(out, FrameType.SYN_REPLY, streamId, fin, headers);
    }

    public void headers(WriteBuffer out, int streamId, boolean fin, HeaderBlock headers) {
        headersFrame(out, FrameType.HEADERS, streamId, fin, headers);
    }

    private void headersFrame(WriteBuffer out, FrameType type, int streamId, boolean fin, HeaderBlock headers) {
        int start = controlHeader(out, type, fin ? Frame.FLAG_FIN : 0);
        out.putInt(streamId & 0x7FFFFFFF);
        if (spdy2()) {
            out.putShort(0);
        }
        headerEncoder.encode(headers, out);
        patchLength(out, start, type);
    }

    public void rstStream(WriteBuffer out, int streamId, int code) {
        fixedHeader(out, FrameType.RST_STREAM, 0, 8);
        out.putInt(streamId & 0x7FFFFFFF);
        out.putInt(spdy2() && code > MAX_SPDY2_RST_CODE ? 1 : code);
    }

    public void settings(WriteBuffer out, boolean clear, List<Setting> settings) {
        fixedHeader(out, FrameType.SETTINGS, clear ? Frame.FLAG_SETTINGS_CLEAR_SETTINGS : 0, 4 + 8 * settings.size());
        out.putInt(settings.size());
        for (Setting s : settings) {
            int head = (s.flags() << 24) | (s.id() & 0xFFFFFF);
            // SPDY/2 as deployed (Chromium) wrote the 24-bit id little-endian, then the flags.
            out.putInt(spdy2() ? Integer.reverseBytes(head) : head);
            out.putInt(s.value());
        }
    }

    public void ping(WriteBuffer out, int id) {
        fixedHeader(out, FrameType.PING, 0, 4);
        out.putInt(id);
    }

    public void goAway(WriteBuffer out, int lastGoodStreamId, int code) {
        if (spdy2()) {
            // SPDY/2's GOAWAY carries no status.
            fixedHeader(out, FrameType.GOAWAY, 0, 4);
            out.putInt(lastGoodStreamId & 0x7FFFFFFF);
            return;
        }
        fixedHeader(out, FrameType.GOAWAY, 0, 8);
        out.putInt(lastGoodStreamId & 0x7FFFFFFF);
        out.putInt(code);
    }

    public void windowUpdate(WriteBuffer out, int streamId, int delta) {
        if (spdy2()) {
            throw new IllegalStateException("SPDY/2 has no WINDOW_UPDATE");
        }
        fixedHeader(out, FrameType.WINDOW_UPDATE, 0, 8);
        out.putInt(streamId & 0x7FFFFFFF);
        out.putInt(delta & 0x7FFFFFFF);
    }

    /** Writes any frame value; DATA comes back as two buffers (header, then a view of the payload). */
    public ByteBuffer[] encode(Frame frame) {
        WriteBuffer out = new WriteBuffer(64);
        if (frame instanceof DataFrame) {
            DataFrame d = (DataFrame) frame;
            dataHeader(out, d.streamId(), d.fin(), d.data().remaining());
            return new ByteBuffer[] {ByteBuffer.wrap(out.array(), 0, out.position()), d.data().duplicate()};
        }
        encodeControl(frame, out);
        return new ByteBuffer[] {ByteBuffer.wrap(out.array(), 0, out.position())};
    }

    /** Writes a control frame value into {@code out}. */
    public void encodeControl(Frame frame, WriteBuffer out) {
        if (frame instanceof SynStreamFrame) {
            SynStreamFrame f = (SynStreamFrame) frame;
            synStream(out, f.streamId(), f.associatedStreamId(), f.priority(), f.fin(), f.unidirectional(), f.headers());
        } else if (frame instanceof SynReplyFrame) {
            SynReplyFrame f = (SynReplyFrame) frame;
            synReply(out, f.streamId(), f.fin(), f.headers());
        } else if (frame instanceof HeadersFrame) {
            HeadersFrame f = (HeadersFrame) frame;
            headers(out, f.streamId(), f.fin(), f.headers());
        } else if (frame instanceof RstStreamFrame) {
            RstStreamFrame f = (RstStreamFrame) frame;
            rstStream(out, f.streamId(), f.code());
        } else if (frame instanceof SettingsFrame) {
            SettingsFrame f = (SettingsFrame) frame;
            settings(out, f.clearSettings(), f.settings());
        } else if (frame instanceof PingFrame) {
            ping(out, ((PingFrame) frame).id());
        } else if (frame instanceof GoAwayFrame) {
            GoAwayFrame f = (GoAwayFrame) frame;
            goAway(out, f.lastGoodStreamId(), f.code());
        } else if (frame instanceof WindowUpdateFrame) {
            WindowUpdateFrame f = (WindowUpdateFrame) frame;
            windowUpdate(out, f.streamId(), f.delta());
        } else {
            throw new IllegalArgumentException("not a control frame: " + frame);
        }
    }

    private static IllegalArgumentException tooLong(FrameType type, int length) {
        return new IllegalArgumentException(type + " frame of " + length + " bytes does not fit the 24-bit length field");
    }

    private int controlHeader(WriteBuffer out, FrameType type, int flags) {
        int start = out.position();
        fixedHeader(out, type, flags, 0);
        return start;
    }

    private void fixedHeader(WriteBuffer out, FrameType type, int flags, int length) {
        out.putShort(0x8000 | version);
        out.putShort(type.code());
        out.putByte(flags);
        out.put24(length);
    }

    /**
     * Fills in the length of a frame with a header block. One that does not fit is taken back out of
     * {@code out}; its block has still advanced the compression context, so the session cannot go on.
     */
    private static void patchLength(WriteBuffer out, int start, FrameType type) {
        int length = out.position() - start - 8;
        if (length > MAX_LENGTH) {
            out.position(start);
            throw tooLong(type, length);
        }
        byte[] a = out.array();
        a[start + 5] = (byte) (length >>> 16);
        a[start + 6] = (byte) (length >>> 8);
        a[start + 7] = (byte) length;
    }
}
