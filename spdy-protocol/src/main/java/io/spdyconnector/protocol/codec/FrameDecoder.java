package io.spdyconnector.protocol.codec;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.FrameType;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderFormat;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A push parser for SPDY/3 framing (SPEC §2.2), and for the SPDY/2 dialect of it: feed it any
 * split of the input and it resumes at the exact byte where the previous call stopped.
 *
 * <p>Every length is checked when the frame header arrives, before any payload is read, so a frame
 * that claims 16 MB costs nothing. DATA payloads are reported as views of the input; header blocks
 * stream straight into the {@link HeaderBlockDecoder}; unknown control frames are skipped without
 * buffering. Only fixed-size fields that straddle two reads are copied, into a 16-byte scratch.
 */
public final class FrameDecoder {
    /** The control-frame version of SPDY/3 and 3.1 (SPEC §2.2.1: both say 3), the default. */
    public static final int VERSION = 3;
    /** The control-frame version of SPDY/2. */
    public static final int VERSION_2 = 2;
    /** Not a version: the first control frame's version (2 or 3) decides, see {@link #version(int)}. */
    public static final int FIRST_FRAME_DECIDES = 0;

    private enum State { FRAME_HEADER, DATA_PAYLOAD, CONTROL_FIXED, HEADER_BLOCK, SETTINGS_ENTRIES, SKIP, FAILED }

    private final FrameListener listener;
    private final HeaderBlockDecoder headerDecoder;
    private final int maxControlFrameLength;
    private int version = VERSION;

    private State state = State.FRAME_HEADER;
    private final byte[] scratch = new byte[16];
    private int scratchFill;

    // The frame being decoded.
    private FrameType type;
    private int flags;
    private int length;
    private int unknownType;
    private int remaining;
    private int streamId;
    private int associatedStreamId;
    private int priority;
    private int slot;
    private int settingsLeft;
    private int settingsCount;
    private int[] settingFlags = new int[0];
    private int[] settingIds = new int[0];
    private int[] settingValues = new int[0];

    public FrameDecoder(FrameListener listener, HeaderBlockDecoder headerDecoder, int maxControlFrameLength) {
        this.listener = listener;
        this.headerDecoder = headerDecoder;
        this.maxControlFrameLength = maxControlFrameLength;
    }

    /**
     * The control-frame version to accept: {@link #VERSION}, {@link #VERSION_2}, or
     * {@link #FIRST_FRAME_DECIDES}, in which case the first control frame's version, if 2 or 3, is
     * announced through {@link FrameListener#onVersion} before that frame is decoded. Set it before
     * the first byte; the header decoder follows it.
     */
    public void version(int wireVersion) {
        if (wireVersion != VERSION && wireVersion != VERSION_2 && wireVersion != FIRST_FRAME_DECIDES) {
            throw new IllegalArgumentException("unsupported SPDY version " + wireVersion);
        }
        version = wireVersion;
        if (wireVersion != FIRST_FRAME_DECIDES) {
            headerDecoder.format(wireVersion == VERSION_2 ? HeaderFormat.SPDY_2 : HeaderFormat.SPDY_3);
        }
    }

    /** The version being decoded, or {@link #FIRST_FRAME_DECIDES} before the first control frame. */
    public int version() {
        return version;
    }

    /** True while a frame has started but not ended: the basis of partial-frame timeouts. */
    public boolean isInsideFrame() {
        return state != State.FRAME_HEADER || scratchFill > 0;
    }

    /** Decodes all of {@code in}; its position ends at its limit unless a {@link SessionException} stops it. */
    public void decode(ByteBuffer in) throws SessionException {
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case FRAME_HEADER:
                        frameHeader(in);
                        break;
                    case DATA_PAYLOAD:
                        dataPayload(in);
                        break;
                    case CONTROL_FIXED:
                        controlFixed(in);
                        break;
                    case HEADER_BLOCK:
                        headerBlock(in);
                        break;
                    case SETTINGS_ENTRIES:
                        settingsEntries(in);
                        break;
                    case SKIP:
                        skip(in);
                        break;
                    default:
                        throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "session already failed");
                }
            }
        } catch (SessionException e) {
            state = State.FAILED;
            throw e;
        }
    }

    private boolean fill(ByteBuffer in, int need) {
        if (scratchFill == 0 && in.remaining() >= need) {
            return true;
        }
        int take = Math.min(need - scratchFill, in.remaining());
        in.get(scratch, scratchFill, take);
        scratchFill += take;
        return scratchFill == need;
    }

    /** Reads a 32-bit big-endian int from the scratch (when it was used) or straight from the input. */
    private int readInt(ByteBuffer in) {
        if (scratchFill > 0) {
            int v = ((scratch[0] & 0xFF) << 24) | ((scratch[1] & 0xFF) << 16) | ((scratch[2] & 0xFF) << 8)
                    | (scratch[3] & 0xFF);
            System.arraycopy(scratch, 4, scratch, 0, 12);
            return v;
        }
        int p = in.position();
        int v = ((in.get(p) & 0xFF) << 24) | ((in.get(p + 1) & 0xFF) << 16) | ((in.get(p + 2) & 0xFF) << 8)
                | (in.get(p + 3) & 0xFF);
        in.position(p + 4);
        return v;
    }

    private void fieldsDone() {
        scratchFill = 0;
    }

    private void frameHeader(ByteBuffer in) throws SessionException {
        if (!fill(in, 8)) {
            return;
        }
        int first = readInt(in);
        int second = readInt(in);
        fieldsDone();
        flags = second >>> 24;
        length = second & 0xFFFFFF;
        remaining = length;
        if (first < 0) {
            int code = first & 0xFFFF;
            int v = (first >>> 16) & 0x7FFF;
            if (v != version) {
                if (version != FIRST_FRAME_DECIDES || (v != VERSION && v != VERSION_2)) {
                    // Another version's header blocks use another dictionary: nothing after this decodes.
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "unsupported SPDY version " + v);
                }
                version(v);
                listener.onVersion(v);
            }
            controlHeader(code);
        } else {
            streamId = first;
            // SPEC §2.2.2: DATA on stream 0 is invalid.
            if (streamId == 0) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "DATA frame on stream 0");
            }
            listener.onDataHeader(streamId, flags, remaining);
            if (remaining == 0) {
                listener.onDataPayload(in.slice(in.position(), 0), true);
            } else {
                state = State.DATA_PAYLOAD;
            }
        }
    }

    private void controlHeader(int code) throws SessionException {
        type = FrameType.ofControlCode(code);
        if (type == FrameType.WINDOW_UPDATE && version == VERSION_2) {
            // SPDY/2 has no flow control: type 9 means nothing there (and 5, NOOP, is unknown to us too).
            type = null;
        }
        if (type == null) {
            // Unknown control types are skipped by length (Netty, nginx, Jetty, spdylay).
            unknownType = code;
            state = remaining == 0 ? finishUnknown() : State.SKIP;
            return;
        }
        if (remaining > maxControlFrameLength) {
            // SPEC §2.2.1: a receiver may cap control frames; the block is not inflated, so the session ends.
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR,
                    type + " frame of " + remaining + " bytes exceeds the limit of " + maxControlFrameLength);
        }
        int fixed;
        switch (type) {
            case SYN_STREAM:
                fixed = 10;
                break;
            case SYN_REPLY:
            case HEADERS:
                // SPDY/2 pads the stream id with two unused bytes.
                fixed = version == VERSION_2 ? 6 : 4;
                break;
            case SETTINGS:
                fixed = 4;
                break;
            case PING:
                fixed = 4;
                expectLength(4);
                break;
            case GOAWAY:
                // SPDY/2's GOAWAY has no status code.
                fixed = version == VERSION_2 ? 4 : 8;
                expectLength(fixed);
                break;
            default:
                // RST_STREAM, GOAWAY, WINDOW_UPDATE
                fixed = 8;
                expectLength(8);
                break;
        }
        if (remaining < fixed) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, type + " frame too short: " + remaining);
        }
        // SPEC §2.6.3: RST_STREAM flags must be 0.
        if (type == FrameType.RST_STREAM && flags != 0) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "RST_STREAM with flags " + flags);
        }
        state = State.CONTROL_FIXED;
    }

    private void expectLength(int length) throws SessionException {
        if (remaining != length) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR,
                    type + " frame length " + remaining + ", expected " + length);
        }
    }

    private void controlFixed(ByteBuffer in) throws SessionException {
        switch (type) {
            case SYN_STREAM:
                if (!fill(in, 10)) {
                    return;
                }
                streamId = readInt(in) & 0x7FFFFFFF;
                associatedStreamId = readInt(in) & 0x7FFFFFFF;
                int p0;
                int p1;
                if (scratchFill > 0) {
                    p0 = scratch[0] & 0xFF;
                    p1 = scratch[1] & 0xFF;
                } else {
                    p0 = in.get() & 0xFF;
                    p1 = in.get() & 0xFF;
                }
                fieldsDone();
                // SPDY/2 has two priority bits; they are scaled to SPDY/3's eight levels (0 stays highest).
                priority = version == VERSION_2 ? (p0 >>> 6) << 1 : p0 >>> 5;
                slot = version == VERSION_2 ? 0 : p1;
                remaining -= 10;
                if (streamId == 0) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "SYN_STREAM on stream 0");
                }
                beginHeaderBlock(false);
                return;
            case SYN_REPLY:
            case HEADERS:
                int fixed = version == VERSION_2 ? 6 : 4;
                if (!fill(in, fixed)) {
                    return;
                }
                streamId = readInt(in) & 0x7FFFFFFF;
                if (fixed == 6 && scratchFill == 0) {
                    in.position(in.position() + 2);
                }
                fieldsDone();
                remaining -= fixed;
                if (streamId == 0) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, type + " on stream 0");
                }
                beginHeaderBlock(type == FrameType.HEADERS);
                return;
            case SETTINGS:
                settingsCount(in);
                return;
            case PING:
                if (!fill(in, 4)) {
                    return;
                }
                int id = readInt(in);
                fieldsDone();
                state = State.FRAME_HEADER;
                listener.onPing(id);
                return;
            case GOAWAY:
                if (version == VERSION_2) {
                    goAway2(in);
                    return;
                }
                eightByteFrame(in);
                return;
            default:
                eightByteFrame(in);
        }
    }

    private void goAway2(ByteBuffer in) throws SessionException {
        if (!fill(in, 4)) {
            return;
        }
        int lastGood = readInt(in) & 0x7FFFFFFF;
        fieldsDone();
        state = State.FRAME_HEADER;
        listener.onGoAway(lastGood, 0);
    }

    private void eightByteFrame(ByteBuffer in) throws SessionException {
        if (!fill(in, 8)) {
            return;
        }
        int a = readInt(in) & 0x7FFFFFFF;
        int b = readInt(in);
        fieldsDone();
        state = State.FRAME_HEADER;
        switch (type) {
            case RST_STREAM:
                // SPEC §2.6.3: stream 0 and status 0 are invalid.
                if (a == 0) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "RST_STREAM on stream 0");
                }
                if (b == 0) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "RST_STREAM with status 0");
                }
                listener.onRstStream(a, b);
                break;
            case GOAWAY:
                listener.onGoAway(a, b);
                break;
            default:
                int delta = b & 0x7FFFFFFF;
                // SPEC §2.6.8: the delta is 1 .. 2^31-1.
                if (delta == 0) {
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "WINDOW_UPDATE with delta 0");
                }
                listener.onWindowUpdate(a, delta);
                break;
        }
    }

    private void settingsCount(ByteBuffer in) throws SessionException {
        if (!fill(in, 4)) {
            return;
        }
        int n = readInt(in);
        fieldsDone();
        // SPEC §2.6.4: the frame holds exactly n entries of 8 bytes; checked before any allocation.
        if (n < 0 || (long) n * 8 != remaining - 4L) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR,
                    "SETTINGS claims " + Integer.toUnsignedString(n) + " entries in " + remaining + " bytes");
        }
        settingsLeft = n;
        settingsCount = 0;
        // The arrays grow as entries arrive: a 12-byte header claiming 2 million entries costs nothing.
        state = State.SETTINGS_ENTRIES;
        if (n == 0) {
            endSettings();
        }
    }

    private void settingsEntries(ByteBuffer in) throws SessionException {
        while (settingsLeft > 0) {
            if (!fill(in, 8)) {
                return;
            }
            int head = readInt(in);
            int value = readInt(in);
            fieldsDone();
            if (version == VERSION_2) {
                // SPDY/2 as deployed (Chromium) wrote the 24-bit id little-endian, then the flags.
                head = Integer.reverseBytes(head);
            }
            if (settingsCount == settingIds.length) {
                int size = Math.max(8, settingIds.length * 2);
                settingFlags = Arrays.copyOf(settingFlags, size);
                settingIds = Arrays.copyOf(settingIds, size);
                settingValues = Arrays.copyOf(settingValues, size);
            }
            settingFlags[settingsCount] = head >>> 24;
            settingIds[settingsCount] = head & 0xFFFFFF;
            settingValues[settingsCount] = value;
            settingsCount++;
            settingsLeft--;
        }
        endSettings();
    }

    private void endSettings() throws SessionException {
        state = State.FRAME_HEADER;
        listener.onSettings(flags, settingsCount, settingFlags, settingIds, settingValues);
        if (settingIds.length > 64) {
            settingFlags = new int[0];
            settingIds = new int[0];
            settingValues = new int[0];
        }
    }

    private void beginHeaderBlock(boolean additional) throws SessionException {
        headerDecoder.begin(listener.headerBudget(streamId, additional));
        state = State.HEADER_BLOCK;
        if (remaining == 0) {
            endHeaderBlock();
        }
    }

    private void headerBlock(ByteBuffer in) throws SessionException {
        int n = Math.min(remaining, in.remaining());
        int limit = in.limit();
        in.limit(in.position() + n);
        try {
            headerDecoder.feed(in);
        } finally {
            in.limit(limit);
        }
        remaining -= n;
        if (remaining == 0) {
            endHeaderBlock();
        }
    }

    private void endHeaderBlock() throws SessionException {
        HeaderBlock headers = headerDecoder.finish();
        state = State.FRAME_HEADER;
        switch (type) {
            case SYN_STREAM:
                listener.onSynStream(streamId, associatedStreamId, priority, slot, flags, headers,
                        headerDecoder.problem(), headerDecoder.problemDetail());
                break;
            case SYN_REPLY:
                listener.onSynReply(streamId, flags, headers, headerDecoder.problem(), headerDecoder.problemDetail());
                break;
            default:
                listener.onHeaders(streamId, flags, headers, headerDecoder.problem(), headerDecoder.problemDetail());
                break;
        }
    }

    private void dataPayload(ByteBuffer in) throws SessionException {
        int n = Math.min(remaining, in.remaining());
        ByteBuffer fragment = in.slice(in.position(), n);
        in.position(in.position() + n);
        remaining -= n;
        boolean end = remaining == 0;
        if (end) {
            state = State.FRAME_HEADER;
        }
        listener.onDataPayload(fragment, end);
    }

    private void skip(ByteBuffer in) throws SessionException {
        int n = Math.min(remaining, in.remaining());
        in.position(in.position() + n);
        remaining -= n;
        if (remaining == 0) {
            state = finishUnknown();
        }
    }

    private State finishUnknown() throws SessionException {
        state = State.FRAME_HEADER;
        listener.onUnknownControlFrame(unknownType, flags, length);
        return State.FRAME_HEADER;
    }
}
