package io.spdyconnector.protocol.interop;

import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.spdyconnector.protocol.frame.Setting;
import io.spdyconnector.protocol.headers.HeaderBlock;

import java.util.Iterator;
import java.util.Map;

/**
 * Netty's SPDY frame objects written as one line, in the format of this engine's own frame traces
 * ({@code SYN_REPLY #1 fin [:status: 200, :version: HTTP/1.1]}), so a trace decoded by Netty reads
 * like one decoded by the engine. Names are printed from Netty's accessors only: what a line says
 * is what Netty parsed.
 */
final class NettyFrames {
    private NettyFrames() {
    }

    static String describe(Object frame) {
        if (frame instanceof SpdyDataFrame) {
            SpdyDataFrame d = (SpdyDataFrame) frame;
            return "DATA #" + d.streamId() + " len=" + d.content().readableBytes() + (d.isLast() ? " fin" : "");
        }
        if (frame instanceof SpdySynStreamFrame) {
            SpdySynStreamFrame s = (SpdySynStreamFrame) frame;
            return "SYN_STREAM #" + s.streamId() + (s.associatedStreamId() != 0 ? " assoc=" + s.associatedStreamId() : "")
                    + " pri=" + s.priority() + (s.isLast() ? " fin" : "") + (s.isUnidirectional() ? " uni" : "")
                    + problems(s) + " " + headers(s.headers());
        }
        if (frame instanceof SpdySynReplyFrame) {
            SpdySynReplyFrame s = (SpdySynReplyFrame) frame;
            return "SYN_REPLY #" + s.streamId() + (s.isLast() ? " fin" : "") + problems(s) + " " + headers(s.headers());
        }
        if (frame instanceof SpdyHeadersFrame) {
            SpdyHeadersFrame s = (SpdyHeadersFrame) frame;
            return "HEADERS #" + s.streamId() + (s.isLast() ? " fin" : "") + problems(s) + " " + headers(s.headers());
        }
        if (frame instanceof SpdyRstStreamFrame) {
            SpdyRstStreamFrame r = (SpdyRstStreamFrame) frame;
            return "RST_STREAM #" + r.streamId() + " " + r.status().statusPhrase();
        }
        if (frame instanceof SpdySettingsFrame) {
            SpdySettingsFrame s = (SpdySettingsFrame) frame;
            StringBuilder sb = new StringBuilder("SETTINGS");
            if (s.clearPreviouslyPersistedSettings()) {
                sb.append(" clear");
            }
            sb.append(" [");
            boolean first = true;
            for (int id : s.ids()) {
                sb.append(first ? "" : ", ").append(Setting.name(id)).append('=')
                        .append(Integer.toUnsignedString(s.getValue(id)));
                first = false;
            }
            return sb.append(']').toString();
        }
        if (frame instanceof SpdyPingFrame) {
            return "PING id=" + Integer.toUnsignedString(((SpdyPingFrame) frame).id());
        }
        if (frame instanceof SpdyGoAwayFrame) {
            SpdyGoAwayFrame g = (SpdyGoAwayFrame) frame;
            return "GOAWAY last=" + g.lastGoodStreamId() + " " + g.status().statusPhrase();
        }
        if (frame instanceof SpdyWindowUpdateFrame) {
            SpdyWindowUpdateFrame w = (SpdyWindowUpdateFrame) frame;
            return "WINDOW_UPDATE #" + w.streamId() + " +" + w.deltaWindowSize();
        }
        return frame.getClass().getSimpleName() + " " + frame;
    }

    private static String problems(SpdyHeadersFrame f) {
        return (f.isInvalid() ? " INVALID" : "") + (f.isTruncated() ? " TRUNCATED" : "");
    }

    /** Netty's headers in their iteration order, {@code [name: value, ...]}; repeated names repeat. */
    static String headers(SpdyHeaders headers) {
        StringBuilder sb = new StringBuilder("[");
        Iterator<Map.Entry<String, String>> it = headers.iteratorAsString();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            sb.append(e.getKey()).append(": ").append(e.getValue());
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
        return sb.append(']').toString();
    }

    /** Netty's headers as one of the engine's blocks, for equality checks against what was sent. */
    static HeaderBlock toBlock(SpdyHeaders headers) {
        HeaderBlock block = new HeaderBlock();
        Iterator<Map.Entry<String, String>> it = headers.iteratorAsString();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            block.addRaw(e.getKey(), e.getValue());
        }
        return block;
    }

    /** Copies the engine's block into a Netty frame's headers, pair by pair. */
    static <F extends SpdyHeadersFrame> F withHeaders(F frame, HeaderBlock block) {
        block.forEach((n, v) -> frame.headers().add(n, v));
        return frame;
    }

    static DefaultSpdySynStreamFrame syn(int id, int priority, boolean fin, HeaderBlock headers) {
        DefaultSpdySynStreamFrame f = new DefaultSpdySynStreamFrame(id, 0, (byte) priority);
        f.setLast(fin);
        return withHeaders(f, headers);
    }

    /** Headers by name, each with its values in order: what a block means, whatever the pair order. */
    static java.util.Map<String, java.util.List<String>> byName(io.spdyconnector.protocol.headers.HeaderBlock h) {
        java.util.Map<String, java.util.List<String>> m = new java.util.TreeMap<>();
        h.forEach((n, v) -> m.computeIfAbsent(n, k -> new java.util.ArrayList<>()).add(v));
        return m;
    }
}
