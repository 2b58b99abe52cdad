package io.spdyconnector.protocol.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySessionHandler;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.util.ReferenceCountUtil;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.Role;
import io.spdyconnector.protocol.session.SessionConfig;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyVersion;
import io.spdyconnector.protocol.testing.RecordingListener;
import io.spdyconnector.protocol.testing.Sessions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.spdyconnector.protocol.interop.NettyFrames.syn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same client bytes, encoded once by Netty, go to Netty's own server-side
 * {@code SpdySessionHandler} and to our server session; both answers are decoded by Netty and
 * compared. The engine resolves the spec's overlapping rules for frames on streams that are not
 * open the way Netty does (SPDY fact sheet, §4); this holds it to that, case by case. Neither
 * side has an application answering requests, so only the session rules speak.
 */
class DifferentialErrorHandlingTest {
    private static final io.netty.handler.codec.spdy.SpdyVersion NETTY_3_1 = io.netty.handler.codec.spdy.SpdyVersion.SPDY_3_1;

    private static Arguments sameAnswer(String name, Supplier<Object[]> frames, String... expected) {
        return Arguments.of(name, frames, List.of(expected), List.of(expected));
    }

    private static Arguments differentAnswers(String name, Supplier<Object[]> frames, List<String> netty, List<String> ours) {
        return Arguments.of(name, frames, netty, ours);
    }

    private static DefaultSpdyDataFrame data(int id, String text, boolean fin) {
        DefaultSpdyDataFrame d = new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.US_ASCII));
        d.setLast(fin);
        return d;
    }

    static Stream<Arguments> cases() {
        HeaderBlock get = Sessions.get("/");
        HeaderBlock post = Sessions.post("/");
        return Stream.of(
                sameAnswer("DATA on a stream never opened", () -> new Object[] {
                    syn(1, 0, true, get), data(3, "x", false)},
                        "RST_STREAM #3 INVALID_STREAM"),
                sameAnswer("DATA after the client's FIN on SYN_STREAM", () -> new Object[] {
                    syn(1, 0, true, get), data(1, "x", false)},
                        "RST_STREAM #1 STREAM_ALREADY_CLOSED"),
                sameAnswer("DATA after the client's FIN on DATA", () -> new Object[] {
                    syn(1, 0, false, post), data(1, "x", true), data(1, "y", true)},
                        "RST_STREAM #1 STREAM_ALREADY_CLOSED"),
                sameAnswer("second SYN_STREAM for an open stream", () -> new Object[] {
                    syn(1, 0, false, post), syn(1, 0, false, post)},
                        "RST_STREAM #1 PROTOCOL_ERROR"),
                sameAnswer("SYN_STREAM id below an earlier one", () -> new Object[] {
                    syn(5, 0, false, post), syn(3, 0, false, post)},
                        "GOAWAY last=5 PROTOCOL_ERROR"),
                sameAnswer("HEADERS on a stream never opened", () -> new Object[] {
                    NettyFrames.withHeaders(new DefaultSpdyHeadersFrame(9), HeaderBlock.of("x-a", "1"))},
                        "RST_STREAM #9 INVALID_STREAM"),
                sameAnswer("WINDOW_UPDATE overflowing a stream window", () -> new Object[] {
                    syn(1, 0, false, post), new DefaultSpdyWindowUpdateFrame(1, Integer.MAX_VALUE)},
                        "RST_STREAM #1 FLOW_CONTROL_ERROR"),
                sameAnswer("WINDOW_UPDATE overflowing the session window", () -> new Object[] {
                    syn(1, 0, false, post), new DefaultSpdyWindowUpdateFrame(0, Integer.MAX_VALUE)},
                        "GOAWAY last=1 PROTOCOL_ERROR"),
                sameAnswer("RST_STREAM for a stream never opened", () -> new Object[] {
                    syn(1, 0, false, post), new DefaultSpdyRstStreamFrame(7, SpdyStreamStatus.CANCEL)}),
                sameAnswer("PING of the server's parity that the server never sent", () -> new Object[] {
                    syn(1, 0, false, post), new DefaultSpdyPingFrame(2)}),
                // SPEC §2.3.6 names STREAM_ALREADY_CLOSED for frames after the sender's FIN; Netty
                // answers HEADERS there as for a stream that is not open.
                differentAnswers("HEADERS after the client's FIN", () -> new Object[] {
                    syn(1, 0, true, get), NettyFrames.withHeaders(new DefaultSpdyHeadersFrame(1), HeaderBlock.of("x-a", "1"))},
                        List.of("RST_STREAM #1 INVALID_STREAM"), List.of("RST_STREAM #1 STREAM_ALREADY_CLOSED")),
                // Frames the peer already had in flight on a stream it reset are dropped quietly
                // (and credited to the session window) rather than drawing a reset of their own.
                differentAnswers("DATA after the client reset its own stream", () -> new Object[] {
                    syn(1, 0, false, post), new DefaultSpdyRstStreamFrame(1, SpdyStreamStatus.CANCEL), data(1, "x", false)},
                        List.of("RST_STREAM #1 PROTOCOL_ERROR"), List.of()),
                // FLAG_UNIDIRECTIONAL is for pushes (SPEC §3.3); Netty accepts it from a client.
                differentAnswers("unidirectional SYN_STREAM from a client", () -> {
                    io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame f = syn(1, 0, false, post);
                    f.setUnidirectional(true);
                    return new Object[] {f};
                }, List.of(), List.of("RST_STREAM #1 PROTOCOL_ERROR")),
                // Netty hands DATA on in 8 KiB chunks and credits its window back while the frame is
                // still arriving, so it never sees the 65,537th byte overrun the 64 KiB window.
                differentAnswers("DATA past the stream window", () -> new Object[] {
                    syn(1, 0, false, post), data(1, "x".repeat(65537), false)},
                        List.of(), List.of("RST_STREAM #1 FLOW_CONTROL_ERROR")),
                // The spec names no code; Netty treats the id as invalid for a SYN_REPLY, we the frame.
                differentAnswers("SYN_REPLY from the client", () -> new Object[] {
                    syn(1, 0, false, post), NettyFrames.withHeaders(new DefaultSpdySynReplyFrame(1), Sessions.ok())},
                        List.of("RST_STREAM #1 INVALID_STREAM"), List.of("RST_STREAM #1 PROTOCOL_ERROR")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void errorsAreAnsweredLikeNettysSessionHandler(String name, Supplier<Object[]> frames, List<String> nettyExpected,
            List<String> oursExpected) {
        byte[] clientBytes = encode(frames.get());

        EmbeddedChannel nettyServer = new EmbeddedChannel(new SpdyFrameCodec(NETTY_3_1),
                new SpdySessionHandler(NETTY_3_1, true));
        List<String> netty;
        try {
            drain(nettyServer);
            nettyServer.writeInbound(Unpooled.wrappedBuffer(clientBytes));
            netty = errors(decode(drain(nettyServer)));
        } finally {
            nettyServer.finishAndReleaseAll();
        }

        SpdySession ours = new SpdySession(Role.SERVER, SpdyVersion.SPDY_3_1, SessionConfig.defaults(),
                new RecordingListener());
        drain(ours);
        ours.receive(ByteBuffer.wrap(clientBytes));
        List<String> answer = errors(decode(drain(ours)));

        assertThat(netty).as("Netty's answer").isEqualTo(nettyExpected);
        assertThat(answer).as("our answer").isEqualTo(oursExpected);
    }

    /** The frames through one Netty client codec: one compression context, as on a connection. */
    private static byte[] encode(Object[] frames) {
        EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(NETTY_3_1));
        try {
            for (Object f : frames) {
                client.write(f);
            }
            client.flush();
            return drain(client);
        } finally {
            client.finishAndReleaseAll();
        }
    }

    private static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    private static byte[] drain(SpdySession session) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputBatch batch;
        while ((batch = session.pollOutput()) != null) {
            for (ByteBuffer b : batch.buffers()) {
                byte[] a = new byte[b.remaining()];
                b.duplicate().get(a);
                out.writeBytes(a);
            }
            boolean last = batch.isLast();
            session.outputWritten(batch);
            if (last) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static List<String> decode(byte[] serverBytes) {
        EmbeddedChannel decoder = new EmbeddedChannel(new SpdyFrameCodec(NETTY_3_1));
        List<String> frames = new ArrayList<>();
        try {
            decoder.writeInbound(Unpooled.wrappedBuffer(serverBytes));
            Object f;
            while ((f = decoder.readInbound()) != null) {
                frames.add(NettyFrames.describe(f));
                if (f instanceof SpdyDataFrame) {
                    ReferenceCountUtil.release(f);
                }
            }
        } finally {
            decoder.finishAndReleaseAll();
        }
        return frames;
    }

    /** The answers that carry a verdict: resets and GOAWAY (not SETTINGS or window updates). */
    private static List<String> errors(List<String> frames) {
        return frames.stream().filter(f -> f.startsWith("RST_STREAM") || f.startsWith("GOAWAY")).toList();
    }
}
