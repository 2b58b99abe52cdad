package io.spdyconnector.protocol.codec;

import io.spdyconnector.protocol.error.SessionException;
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
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.testing.FrameCollector;
import io.spdyconnector.protocol.testing.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every SPDY/3.1 frame type against bytes written by hand from SPEC §2.2 and §2.6, and each golden
 * string decoded back whole, one byte per read, and twice in a row.
 *
 * <p>Header blocks use {@link CompressionPolicy#NONE}: the first block of a context starts with the
 * zlib header {@code 38 30 e3 c6 a7 c2} (11-bit window, FDICT, DICTID = Adler-32 of the SPDY
 * dictionary), then each block is one stored deflate block {@code 00 LEN(le16) ~LEN(le16)} holding
 * the name/value bytes of SPEC §2.6.10, then the SYNC_FLUSH marker {@code 00 00 00 ff ff}.
 */
class FrameGoldenBytesTest {
    static final String ZLIB_HEADER = "38 30 e3 c6 a7 c2";
    static final String SYNC_FLUSH = "00 00 00 ff ff";

    /** [:path: /] — 1 pair; ":path" 3a 70 61 74 68, "/" 2f. 18 bytes = 0x12. */
    static final String NV_PATH = "00 00 00 01 | 00 00 00 05 3a 70 61 74 68 | 00 00 00 01 2f";
    static final String STORED_18 = "00 12 00 ed ff";
    /** [:status: 200] — ":status" 3a 73 74 61 74 75 73, "200" 32 30 30. 22 bytes = 0x16. */
    static final String NV_STATUS = "00 00 00 01 | 00 00 00 07 3a 73 74 61 74 75 73 | 00 00 00 03 32 30 30";
    static final String STORED_22 = "00 16 00 e9 ff";
    /** [vary: *] — "vary" 76 61 72 79, "*" 2a. 17 bytes = 0x11. */
    static final String NV_VARY = "00 00 00 01 | 00 00 00 04 76 61 72 79 | 00 00 00 01 2a";
    static final String STORED_17 = "00 11 00 ee ff";

    static final HeaderBlock PATH = HeaderBlock.of(":path", "/");
    static final HeaderBlock STATUS = HeaderBlock.of(":status", "200");
    static final HeaderBlock VARY = HeaderBlock.of("vary", "*");

    /**
     * One frame with its golden bytes. {@code again} is the same frame encoded second on the same
     * compression context: equal to {@code hex} except for frames with a header block, whose second
     * block carries no zlib header and is therefore 6 bytes shorter.
     */
    record Golden(Frame frame, String hex, String again, String trace) {
        Golden(Frame frame, String hex, String trace) {
            this(frame, hex, hex, trace);
        }

        @Override
        public String toString() {
            return trace;
        }
    }

    static Stream<Golden> goldenFrames() {
        return Stream.of(
                // SPEC §2.2.2: DATA = 0 | stream id (31), flags, 24-bit length, payload.
                new Golden(new DataFrame(1, ascii("hello"), true),
                        "00 00 00 01 | 01 | 00 00 05 | 68 65 6c 6c 6f", "DATA #1 len=5 fin"),
                new Golden(new DataFrame(0x7FFFFFFF, ascii("x"), false),
                        "7f ff ff ff | 00 | 00 00 01 | 78", "DATA #2147483647 len=1"),
                new Golden(new DataFrame(5, ByteBuffer.allocate(0), false),
                        "00 00 00 05 | 00 | 00 00 00", "DATA #5 len=0"),
                new Golden(new DataFrame(5, ByteBuffer.allocate(0), true),
                        "00 00 00 05 | 01 | 00 00 00", "DATA #5 len=0 fin"),

                // SPEC §2.6.1: SYN_STREAM, length = 10 + 34-byte block (0x2c), or 10 + 28 (0x26) later.
                new Golden(new SynStreamFrame(1, 0, 0, 0, false, false, PATH),
                        "80 03 00 01 | 00 | 00 00 2c | 00 00 00 01 | 00 00 00 00 | 00 | 00 | "
                                + ZLIB_HEADER + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "80 03 00 01 | 00 | 00 00 26 | 00 00 00 01 | 00 00 00 00 | 00 | 00 | "
                                + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "SYN_STREAM #1 pri=0 [:path: /]"),
                new Golden(new SynStreamFrame(3, 0, 3, 0, true, false, PATH),
                        "80 03 00 01 | 01 | 00 00 2c | 00 00 00 03 | 00 00 00 00 | 60 | 00 | "
                                + ZLIB_HEADER + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "80 03 00 01 | 01 | 00 00 26 | 00 00 00 03 | 00 00 00 00 | 60 | 00 | "
                                + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "SYN_STREAM #3 pri=3 fin [:path: /]"),
                new Golden(new SynStreamFrame(2, 1, 7, 0, false, true, PATH),
                        "80 03 00 01 | 02 | 00 00 2c | 00 00 00 02 | 00 00 00 01 | e0 | 00 | "
                                + ZLIB_HEADER + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "80 03 00 01 | 02 | 00 00 26 | 00 00 00 02 | 00 00 00 01 | e0 | 00 | "
                                + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "SYN_STREAM #2 assoc=1 pri=7 uni [:path: /]"),
                new Golden(new SynStreamFrame(0x7FFFFFFE, 0x7FFFFFFF, 5, 0, true, true, PATH),
                        "80 03 00 01 | 03 | 00 00 2c | 7f ff ff fe | 7f ff ff ff | a0 | 00 | "
                                + ZLIB_HEADER + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "80 03 00 01 | 03 | 00 00 26 | 7f ff ff fe | 7f ff ff ff | a0 | 00 | "
                                + STORED_18 + NV_PATH + SYNC_FLUSH,
                        "SYN_STREAM #2147483646 assoc=2147483647 pri=5 fin uni [:path: /]"),

                // SPEC §2.6.2: SYN_REPLY, length = 4 + 38-byte block (0x2a), or 4 + 32 (0x24) later.
                new Golden(new SynReplyFrame(1, false, STATUS),
                        "80 03 00 02 | 00 | 00 00 2a | 00 00 00 01 | " + ZLIB_HEADER + STORED_22 + NV_STATUS + SYNC_FLUSH,
                        "80 03 00 02 | 00 | 00 00 24 | 00 00 00 01 | " + STORED_22 + NV_STATUS + SYNC_FLUSH,
                        "SYN_REPLY #1 [:status: 200]"),
                new Golden(new SynReplyFrame(9, true, STATUS),
                        "80 03 00 02 | 01 | 00 00 2a | 00 00 00 09 | " + ZLIB_HEADER + STORED_22 + NV_STATUS + SYNC_FLUSH,
                        "80 03 00 02 | 01 | 00 00 24 | 00 00 00 09 | " + STORED_22 + NV_STATUS + SYNC_FLUSH,
                        "SYN_REPLY #9 fin [:status: 200]"),

                // SPEC §2.6.3: RST_STREAM, flags 0, length 8, every status code 3.1 defines.
                new Golden(new RstStreamFrame(5, 1), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 01",
                        "RST_STREAM #5 PROTOCOL_ERROR"),
                new Golden(new RstStreamFrame(5, 2), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 02",
                        "RST_STREAM #5 INVALID_STREAM"),
                new Golden(new RstStreamFrame(5, 3), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 03",
                        "RST_STREAM #5 REFUSED_STREAM"),
                new Golden(new RstStreamFrame(5, 4), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 04",
                        "RST_STREAM #5 UNSUPPORTED_VERSION"),
                new Golden(new RstStreamFrame(5, 5), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 05",
                        "RST_STREAM #5 CANCEL"),
                new Golden(new RstStreamFrame(5, 6), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 06",
                        "RST_STREAM #5 INTERNAL_ERROR"),
                new Golden(new RstStreamFrame(5, 7), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 07",
                        "RST_STREAM #5 FLOW_CONTROL_ERROR"),
                new Golden(new RstStreamFrame(5, 8), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 08",
                        "RST_STREAM #5 STREAM_IN_USE"),
                new Golden(new RstStreamFrame(5, 9), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 09",
                        "RST_STREAM #5 STREAM_ALREADY_CLOSED"),
                new Golden(new RstStreamFrame(5, 11), "80 03 00 03 00 00 00 08 00 00 00 05 00 00 00 0b",
                        "RST_STREAM #5 FRAME_TOO_LARGE"),
                new Golden(new RstStreamFrame(0x7FFFFFFF, 10), "80 03 00 03 00 00 00 08 7f ff ff ff 00 00 00 0a",
                        "RST_STREAM #2147483647 code=10"),

                // SPEC §2.6.4: SETTINGS, length 4 + 8n; entry = flags(8) id(24) value(32).
                new Golden(new SettingsFrame(true, List.of(
                                new Setting(Setting.FLAG_PERSIST_VALUE, Setting.MAX_CONCURRENT_STREAMS, 100),
                                new Setting(0, Setting.INITIAL_WINDOW_SIZE, 65536),
                                new Setting(Setting.FLAG_PERSISTED, Setting.ROUND_TRIP_TIME, 200))),
                        "80 03 00 04 | 01 | 00 00 1c | 00 00 00 03 | 01 00 00 04 00 00 00 64 "
                                + "| 00 00 00 07 00 01 00 00 | 02 00 00 03 00 00 00 c8",
                        "SETTINGS clear [MAX_CONCURRENT_STREAMS=100 persist, INITIAL_WINDOW_SIZE=65536, "
                                + "ROUND_TRIP_TIME=200 persisted]"),
                new Golden(new SettingsFrame(false, List.of(new Setting(3, 0xABCDEF, 0xFFFFFFFF))),
                        "80 03 00 04 | 00 | 00 00 0c | 00 00 00 01 | 03 ab cd ef ff ff ff ff",
                        "SETTINGS [ID_11259375=4294967295 persist persisted]"),
                new Golden(new SettingsFrame(false, List.of()), "80 03 00 04 | 00 | 00 00 04 | 00 00 00 00",
                        "SETTINGS []"),

                // SPEC §2.6.5: PING, length 4. The facts sheet's server PING id 2.
                new Golden(new PingFrame(2), "80 03 00 06 00 00 00 04 00 00 00 02", "PING id=2"),
                new Golden(new PingFrame(0xFFFFFFFF), "80 03 00 06 00 00 00 04 ff ff ff ff", "PING id=4294967295"),

                // SPEC §2.6.6: GOAWAY, length 8, last-good-stream-id then status 0/1/2.
                new Golden(new GoAwayFrame(11, 0), "80 03 00 07 00 00 00 08 00 00 00 0b 00 00 00 00",
                        "GOAWAY last=11 OK"),
                new Golden(new GoAwayFrame(11, 1), "80 03 00 07 00 00 00 08 00 00 00 0b 00 00 00 01",
                        "GOAWAY last=11 PROTOCOL_ERROR"),
                new Golden(new GoAwayFrame(0, 2), "80 03 00 07 00 00 00 08 00 00 00 00 00 00 00 02",
                        "GOAWAY last=0 INTERNAL_ERROR"),

                // SPEC §2.6.7: HEADERS, length = 4 + 33-byte block (0x25), or 4 + 27 (0x1f) later.
                new Golden(new HeadersFrame(1, true, VARY),
                        "80 03 00 08 | 01 | 00 00 25 | 00 00 00 01 | " + ZLIB_HEADER + STORED_17 + NV_VARY + SYNC_FLUSH,
                        "80 03 00 08 | 01 | 00 00 1f | 00 00 00 01 | " + STORED_17 + NV_VARY + SYNC_FLUSH,
                        "HEADERS #1 fin [vary: *]"),
                new Golden(new HeadersFrame(3, false, VARY),
                        "80 03 00 08 | 00 | 00 00 25 | 00 00 00 03 | " + ZLIB_HEADER + STORED_17 + NV_VARY + SYNC_FLUSH,
                        "80 03 00 08 | 00 | 00 00 1f | 00 00 00 03 | " + STORED_17 + NV_VARY + SYNC_FLUSH,
                        "HEADERS #3 [vary: *]"),

                // SPEC §2.6.8: WINDOW_UPDATE; the facts sheet's session update 64 KiB -> 1 MiB.
                new Golden(new WindowUpdateFrame(0, 983040), "80 03 00 09 00 00 00 08 00 00 00 00 00 0f 00 00",
                        "WINDOW_UPDATE #0 +983040"),
                new Golden(new WindowUpdateFrame(1, 0x7FFFFFFF), "80 03 00 09 00 00 00 08 00 00 00 01 7f ff ff ff",
                        "WINDOW_UPDATE #1 +2147483647"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void encoderWritesTheGoldenBytes(Golden golden) {
        assertThat(Hex.format(encode(new FrameEncoder(newHeaderEncoder()), golden.frame())))
                .isEqualTo(Hex.normalize(golden.hex()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void sameFrameEncodedSecondOnOneContext(Golden golden) {
        FrameEncoder encoder = new FrameEncoder(newHeaderEncoder());
        encode(encoder, golden.frame());
        assertThat(Hex.format(encode(encoder, golden.frame()))).isEqualTo(Hex.normalize(golden.again()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void decodesFromOneBuffer(Golden golden) throws SessionException {
        Decoding d = new Decoding();
        ByteBuffer in = ByteBuffer.wrap(Hex.bytes(golden.hex()));
        d.decoder.decode(in);
        assertThat(in.hasRemaining()).isFalse();
        d.assertFrames(golden, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void decodesOneBytePerRead(Golden golden) throws SessionException {
        Decoding d = new Decoding();
        byte[] bytes = Hex.bytes(golden.hex());
        for (int i = 0; i < bytes.length; i++) {
            assertThat(d.collector.frames).as("frames before byte %d of %d", i, bytes.length).isEmpty();
            assertThat(d.decoder.isInsideFrame()).isEqualTo(i > 0);
            d.decoder.decode(ByteBuffer.wrap(new byte[] {bytes[i]}));
        }
        assertThat(d.decoder.isInsideFrame()).isFalse();
        d.assertFrames(golden, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void decodesTheFrameTwiceInOneBuffer(Golden golden) throws SessionException {
        Decoding d = new Decoding();
        d.decoder.decode(ByteBuffer.wrap(Hex.bytes(golden.hex() + golden.again())));
        d.assertFrames(golden, 2);
    }

    /** SPEC §2.2.2: DATA payloads reach the listener as views of the decoder's input, never copies. */
    @Test
    void section2_2_2_dataPayloadIsAViewOfTheInput() throws SessionException {
        byte[] input = Hex.bytes("00 00 00 01 01 00 00 05 68 65 6c 6c 6f | 00 00 00 03 00 00 00 02 6f 6b");
        Decoding d = new Decoding();
        d.decoder.decode(ByteBuffer.wrap(input, 0, 11));
        d.decoder.decode(ByteBuffer.wrap(input, 11, input.length - 11));

        assertThat(d.collector.fragmentViews).hasSize(3);
        int[] expectedOffsets = {8, 11, 21};
        int[] expectedLengths = {3, 2, 2};
        for (int i = 0; i < 3; i++) {
            ByteBuffer fragment = d.collector.fragmentViews.get(i);
            assertThat(fragment.hasArray()).isTrue();
            assertThat(fragment.array()).isSameAs(input);
            assertThat(fragment.arrayOffset() + fragment.position()).isEqualTo(expectedOffsets[i]);
            assertThat(fragment.remaining()).isEqualTo(expectedLengths[i]);
        }
        assertThat(d.collector.frames).extracting(Frame::toString).containsExactly("DATA #1 len=5 fin", "DATA #3 len=2");
    }

    @Test
    void section2_2_2_encoderHandsTheDataPayloadBackUncopied() {
        byte[] payload = "payload".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] out = new FrameEncoder(newHeaderEncoder()).encode(new DataFrame(7, ByteBuffer.wrap(payload), false));
        assertThat(out).hasSize(2);
        assertThat(Hex.format(out[0])).isEqualTo(Hex.normalize("00 00 00 07 00 00 00 07"));
        assertThat(out[1].array()).isSameAs(payload);
        assertThat(out[1].remaining()).isEqualTo(7);
    }

    /**
     * SPEC §2.2: the decoder resumes at any byte. A long mixed stream, fed in seeded random chunks
     * (each chunk a fresh array), yields exactly what one whole buffer yields.
     */
    @ParameterizedTest
    @EnumSource(value = CompressionPolicy.class, names = {"NONE", "FAST"})
    void section2_2_randomSplitsDecodeLikeOneBuffer(CompressionPolicy policy) throws SessionException {
        Random random = new Random(20240917L);
        List<Frame> frames = mixedFrames(random, 300);
        FrameEncoder encoder = new FrameEncoder(new HeaderBlockEncoder(policy));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(encode(encoder, f));
        }
        byte[] stream = out.toByteArray();

        Decoding whole = new Decoding();
        whole.decoder.decode(ByteBuffer.wrap(stream));
        List<Frame> expected = List.copyOf(whole.collector.frames);
        whole.assertNoProblems();
        assertThat(expected).isEqualTo(frames);

        for (int round = 0; round < 12; round++) {
            int maxChunk = round % 3 == 0 ? 3 : round % 3 == 1 ? 40 : 2000;
            Decoding split = new Decoding();
            int reads = 0;
            for (int p = 0; p < stream.length; reads++) {
                int n = Math.min(stream.length - p, 1 + random.nextInt(maxChunk));
                split.decoder.decode(ByteBuffer.wrap(Arrays.copyOfRange(stream, p, p + n)));
                p += n;
            }
            split.assertNoProblems();
            assertThat(split.collector.frames).as("round %d, %d reads", round, reads).isEqualTo(expected);
        }
    }

    private static List<Frame> mixedFrames(Random random, int count) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int stream = 1 + 2 * random.nextInt(1000);
            switch (random.nextInt(9)) {
                case 0:
                    frames.add(new SynStreamFrame(stream, random.nextBoolean() ? 0 : stream + 1, random.nextInt(8), 0,
                            random.nextBoolean(), random.nextBoolean(), randomHeaders(random)));
                    break;
                case 1:
                    frames.add(new SynReplyFrame(stream, random.nextBoolean(), randomHeaders(random)));
                    break;
                case 2:
                    frames.add(new HeadersFrame(stream, random.nextBoolean(), randomHeaders(random)));
                    break;
                case 3:
                    frames.add(new RstStreamFrame(stream, 1 + random.nextInt(11)));
                    break;
                case 4:
                    List<Setting> settings = new ArrayList<>();
                    for (int s = random.nextInt(5); s > 0; s--) {
                        settings.add(new Setting(random.nextInt(4), 1 + random.nextInt(8), random.nextInt()));
                    }
                    frames.add(new SettingsFrame(random.nextBoolean(), settings));
                    break;
                case 5:
                    frames.add(new PingFrame(random.nextInt()));
                    break;
                case 6:
                    frames.add(new GoAwayFrame(stream, random.nextInt(3)));
                    break;
                case 7:
                    frames.add(new WindowUpdateFrame(random.nextBoolean() ? 0 : stream, 1 + random.nextInt(0x7FFFFFFF)));
                    break;
                default:
                    byte[] payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(5000)];
                    random.nextBytes(payload);
                    frames.add(new DataFrame(stream, ByteBuffer.wrap(payload), random.nextBoolean()));
                    break;
            }
        }
        return frames;
    }

    private static HeaderBlock randomHeaders(Random random) {
        String[] names = {":method", ":path", ":status", "accept", "cookie", "user-agent", "x-trace", "etag"};
        HeaderBlock block = new HeaderBlock();
        for (String name : names) {
            if (random.nextInt(3) > 0) {
                StringBuilder value = new StringBuilder();
                for (int n = random.nextInt(60); n > 0; n--) {
                    value.append((char) (' ' + 1 + random.nextInt(94)));
                }
                block.add(name, value.toString());
            }
        }
        return block;
    }

    /** SPEC §2.2: the length field has 24 bits; a frame that does not fit is refused, not truncated. */
    @Test
    void section2_2_headerFrameOver16MiBIsRefusedNotTruncated() {
        FrameEncoder encoder = new FrameEncoder(newHeaderEncoder());
        WriteBuffer out = new WriteBuffer(64);
        encoder.ping(out, 2);
        HeaderBlock huge = HeaderBlock.of("x-big", "a".repeat(0xFFFFFF));
        assertThatThrownBy(() -> encoder.synReply(out, 1, false, huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SYN_REPLY frame of 16778532 bytes does not fit the 24-bit length field");
        assertThat(Hex.format(out.array(), 0, out.position())).as("the PING before it, and nothing of the SYN_REPLY")
                .isEqualTo(Hex.normalize("80 03 00 06 00 00 00 04 00 00 00 02"));
    }

    @Test
    void section2_2_2_dataPayloadOver16MiBIsRefusedNotTruncated() {
        FrameEncoder encoder = new FrameEncoder(newHeaderEncoder());
        assertThatThrownBy(() -> encoder.encode(new DataFrame(1, ByteBuffer.allocate(0x1000000), true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DATA frame of 16777216 bytes does not fit the 24-bit length field");
        assertThat(Hex.format(encode(encoder, new DataFrame(1, ByteBuffer.allocate(0), true))))
                .isEqualTo(Hex.normalize("00 00 00 01 01 00 00 00"));
    }

    static HeaderBlockEncoder newHeaderEncoder() {
        return new HeaderBlockEncoder(CompressionPolicy.NONE);
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] encode(FrameEncoder encoder, Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : encoder.encode(frame)) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.writeBytes(a);
        }
        return out.toByteArray();
    }

    /** A decoder with its own compression context, reporting into a {@link FrameCollector}. */
    static final class Decoding {
        final FrameCollector collector = new FrameCollector();
        final HeaderBlockDecoder headers = new HeaderBlockDecoder(100, 1 << 20);
        final FrameDecoder decoder = new FrameDecoder(collector, headers, 65536);

        void assertNoProblems() {
            headers.close();
            assertThat(collector.problems).isEmpty();
            assertThat(collector.unknown).isEmpty();
        }

        void assertFrames(Golden golden, int times) {
            try {
                assertThat(collector.problems).isEmpty();
                assertThat(collector.frames).hasSize(times).allSatisfy(f -> {
                    assertThat(f).isEqualTo(golden.frame());
                    assertThat(f.toString()).isEqualTo(golden.trace());
                });
            } finally {
                headers.close();
            }
        }
    }
}
