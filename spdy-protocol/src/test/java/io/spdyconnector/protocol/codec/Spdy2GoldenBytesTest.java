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
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.headers.Spdy2Dictionary;
import io.spdyconnector.protocol.testing.FrameCollector;
import io.spdyconnector.protocol.testing.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Adler32;

import static io.spdyconnector.protocol.codec.FrameGoldenBytesTest.ascii;
import static io.spdyconnector.protocol.codec.FrameGoldenBytesTest.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SPDY/2 dialect of every frame, against bytes written by hand from the SPDY/2 draft
 * (draft-mbelshe-httpbis-spdy-00): version field 2, two priority bits, two unused bytes after the
 * stream id of SYN_REPLY and HEADERS, GOAWAY without a status, SETTINGS ids little-endian (as
 * Chromium sent them), 16-bit name/value lengths, the ASCII dictionary, and the request and status
 * line under the names {@code method url version host scheme status}.
 *
 * <p>Stored header blocks start with {@code 38 30 df a2 51 b2}: the DICTID is the Adler-32 of the
 * SPDY/2 dictionary, the {@code df a2 51 b2} every SPDY/2 capture shows after {@code 78 bb}.
 */
class Spdy2GoldenBytesTest {
    static final String ZLIB_HEADER = "38 30 df a2 51 b2";
    static final String SYNC_FLUSH = "00 00 00 ff ff";
    /** [:path: /] on the wire as [url: /]: 00 01 | 00 03 "url" | 00 01 "/" = 10 bytes. */
    static final String NV_URL = "00 01 | 00 03 75 72 6c | 00 01 2f";
    static final String STORED_10 = "00 0a 00 f5 ff";
    /** [:status: 200] as [status: 200] = 15 bytes. */
    static final String NV_STATUS = "00 01 | 00 06 73 74 61 74 75 73 | 00 03 32 30 30";
    static final String STORED_15 = "00 0f 00 f0 ff";
    /** [vary: *] = 11 bytes. */
    static final String NV_VARY = "00 01 | 00 04 76 61 72 79 | 00 01 2a";
    static final String STORED_11 = "00 0b 00 f4 ff";

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
        HeaderBlock path = HeaderBlock.of(":path", "/");
        HeaderBlock status = HeaderBlock.of(":status", "200");
        HeaderBlock vary = HeaderBlock.of("vary", "*");
        return Stream.of(
                new Golden(new DataFrame(1, ascii("hello"), true),
                        "00 00 00 01 | 01 | 00 00 05 | 68 65 6c 6c 6f", "DATA #1 len=5 fin"),
                // SYN_STREAM: length = 10 + 26-byte block (0x24), or 10 + 20 (0x1e) later.
                new Golden(new SynStreamFrame(1, 0, 0, 0, false, false, path),
                        "80 02 00 01 | 00 | 00 00 24 | 00 00 00 01 | 00 00 00 00 | 00 | 00 | "
                                + ZLIB_HEADER + STORED_10 + NV_URL + SYNC_FLUSH,
                        "80 02 00 01 | 00 | 00 00 1e | 00 00 00 01 | 00 00 00 00 | 00 | 00 | "
                                + STORED_10 + NV_URL + SYNC_FLUSH,
                        "SYN_STREAM #1 pri=0 [:path: /]"),
                // Priority 3 of SPDY/2 is the lowest: 6 on SPDY/3's scale, bits 11 at the top of the byte.
                new Golden(new SynStreamFrame(2, 1, 6, 0, true, true, path),
                        "80 02 00 01 | 03 | 00 00 24 | 00 00 00 02 | 00 00 00 01 | c0 | 00 | "
                                + ZLIB_HEADER + STORED_10 + NV_URL + SYNC_FLUSH,
                        "80 02 00 01 | 03 | 00 00 1e | 00 00 00 02 | 00 00 00 01 | c0 | 00 | "
                                + STORED_10 + NV_URL + SYNC_FLUSH,
                        "SYN_STREAM #2 assoc=1 pri=6 fin uni [:path: /]"),
                // SYN_REPLY: stream id, 2 unused bytes, block; length = 6 + 31 (0x25), or 6 + 25 (0x1f) later.
                new Golden(new SynReplyFrame(1, false, status),
                        "80 02 00 02 | 00 | 00 00 25 | 00 00 00 01 | 00 00 | " + ZLIB_HEADER + STORED_15 + NV_STATUS
                                + SYNC_FLUSH,
                        "80 02 00 02 | 00 | 00 00 1f | 00 00 00 01 | 00 00 | " + STORED_15 + NV_STATUS + SYNC_FLUSH,
                        "SYN_REPLY #1 [:status: 200]"),
                new Golden(new RstStreamFrame(5, 5), "80 02 00 03 | 00 | 00 00 08 | 00 00 00 05 | 00 00 00 05",
                        "RST_STREAM #5 CANCEL"),
                new Golden(new RstStreamFrame(5, 7), "80 02 00 03 | 00 | 00 00 08 | 00 00 00 05 | 00 00 00 07",
                        "RST_STREAM #5 FLOW_CONTROL_ERROR"),
                // SETTINGS entry: id as 24-bit little-endian, then flags, then the value.
                new Golden(new SettingsFrame(false, List.of(
                                new Setting(0, Setting.MAX_CONCURRENT_STREAMS, 100),
                                new Setting(Setting.FLAG_PERSIST_VALUE, 0x030201, 7))),
                        "80 02 00 04 | 00 | 00 00 14 | 00 00 00 02 | 04 00 00 00 00 00 00 64 | 01 02 03 01 00 00 00 07",
                        "SETTINGS [MAX_CONCURRENT_STREAMS=100, ID_197121=7 persist]"),
                new Golden(new PingFrame(1), "80 02 00 06 | 00 | 00 00 04 | 00 00 00 01", "PING id=1"),
                // GOAWAY: the last-good-stream-id alone; it reads as OK.
                new Golden(new GoAwayFrame(5, 0), "80 02 00 07 | 00 | 00 00 04 | 00 00 00 05", "GOAWAY last=5 OK"),
                // HEADERS: stream id, 2 unused bytes, block; length = 6 + 27 (0x21), or 6 + 21 (0x1b) later.
                new Golden(new HeadersFrame(1, true, vary),
                        "80 02 00 08 | 01 | 00 00 21 | 00 00 00 01 | 00 00 | " + ZLIB_HEADER + STORED_11 + NV_VARY
                                + SYNC_FLUSH,
                        "80 02 00 08 | 01 | 00 00 1b | 00 00 00 01 | 00 00 | " + STORED_11 + NV_VARY + SYNC_FLUSH,
                        "HEADERS #1 fin [vary: *]"));
    }

    @Test
    void dictionaryIsTheDraftsCStringWithItsNul() {
        byte[] dictionary = Spdy2Dictionary.bytes();
        Adler32 adler = new Adler32();
        adler.update(dictionary);
        assertThat(dictionary).hasSize(Spdy2Dictionary.LENGTH);
        assertThat(dictionary[dictionary.length - 1]).isZero();
        assertThat((int) adler.getValue()).isEqualTo(Spdy2Dictionary.ADLER32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void encoderWritesTheGoldenBytes(Golden golden) {
        assertThat(Hex.format(encode(encoder(), golden.frame()))).isEqualTo(Hex.normalize(golden.hex()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void sameFrameEncodedSecondOnOneContext(Golden golden) {
        FrameEncoder encoder = encoder();
        encode(encoder, golden.frame());
        assertThat(Hex.format(encode(encoder, golden.frame()))).isEqualTo(Hex.normalize(golden.again()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFrames")
    void decodesOneBytePerRead(Golden golden) throws SessionException {
        Decoding d = new Decoding(FrameDecoder.VERSION_2);
        byte[] bytes = Hex.bytes(golden.hex() + golden.again());
        for (byte b : bytes) {
            d.decoder.decode(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(d.collector.problems).isEmpty();
        assertThat(d.collector.frames).hasSize(2).allSatisfy(f -> {
            assertThat(f).isEqualTo(golden.frame());
            assertThat(f.toString()).isEqualTo(golden.trace());
        });
    }

    /** SPDY/2 has no RST_STREAM code above 7: later codes go out as PROTOCOL_ERROR. */
    @Test
    void statusCodesSpdy2LacksAreSentAsProtocolError() {
        assertThat(Hex.format(encode(encoder(), new RstStreamFrame(3, 9))))
                .isEqualTo(Hex.normalize("80 02 00 03 00 00 00 08 00 00 00 03 00 00 00 01"));
    }

    @Test
    void spdy2HasNoWindowUpdateToSend() {
        assertThatThrownBy(() -> encoder().windowUpdate(new WriteBuffer(16), 1, 10))
                .isInstanceOf(IllegalStateException.class).hasMessage("SPDY/2 has no WINDOW_UPDATE");
    }

    /** NOOP (type 5) existed only in SPDY/2, WINDOW_UPDATE (type 9) only later: both are skipped. */
    @Test
    void noopAndWindowUpdateAreSkippedByLength() throws SessionException {
        Decoding d = new Decoding(FrameDecoder.VERSION_2);
        d.decoder.decode(ByteBuffer.wrap(Hex.bytes("80 02 00 05 00 00 00 00 | 80 02 00 09 00 00 00 08 00 00 00 01 00 00 00 10"
                + " | 80 02 00 06 00 00 00 04 00 00 00 03")));
        assertThat(d.collector.unknown).containsExactly("type=5 flags=0 length=0", "type=9 flags=0 length=8");
        assertThat(d.collector.frames).extracting(Frame::toString).containsExactly("PING id=3");
    }

    /** A SPDY/3 frame on a SPDY/2 session, or the reverse, cannot be decoded: session error. */
    @Test
    void otherVersionIsASessionError() {
        Decoding d = new Decoding(FrameDecoder.VERSION_2);
        assertThatThrownBy(() -> d.decoder.decode(ByteBuffer.wrap(Hex.bytes("80 03 00 06 00 00 00 04 00 00 00 01")))
        ).isInstanceOf(SessionException.class).hasMessage("unsupported SPDY version 3");
    }

    /** A detecting decoder takes the first control frame's version, announces it, and keeps it. */
    @Test
    void firstFrameDecidesTheVersion() throws SessionException {
        Decoding d = new Decoding(FrameDecoder.FIRST_FRAME_DECIDES);
        byte[] syn = Hex.bytes("80 02 00 01 | 00 | 00 00 24 | 00 00 00 01 | 00 00 00 00 | 00 | 00 | "
                + ZLIB_HEADER + STORED_10 + NV_URL + SYNC_FLUSH);
        d.decoder.decode(ByteBuffer.wrap(syn, 0, 1));
        assertThat(d.decoder.version()).isEqualTo(FrameDecoder.FIRST_FRAME_DECIDES);
        d.decoder.decode(ByteBuffer.wrap(syn, 1, syn.length - 1));
        assertThat(d.decoder.version()).isEqualTo(FrameDecoder.VERSION_2);
        assertThat(d.versions).containsExactly(2);
        assertThat(d.collector.frames).extracting(Frame::toString).containsExactly("SYN_STREAM #1 pri=0 [:path: /]");
        assertThatThrownBy(() -> d.decoder.decode(ByteBuffer.wrap(Hex.bytes("80 03 00 06 00 00 00 04 00 00 00 01"))))
                .isInstanceOf(SessionException.class).hasMessage("unsupported SPDY version 3");
    }

    @Test
    void detectingDecoderRefusesVersionsOtherThanTwoAndThree() {
        Decoding d = new Decoding(FrameDecoder.FIRST_FRAME_DECIDES);
        assertThatThrownBy(() -> d.decoder.decode(ByteBuffer.wrap(Hex.bytes("80 04 00 06 00 00 00 04 00 00 00 01"))))
                .isInstanceOf(SessionException.class).hasMessage("unsupported SPDY version 4");
    }

    /** The request line travels under SPDY/2's names and reads back under the engine's. */
    @Test
    void requestLineNamesAreTranslatedBothWays() throws SessionException {
        HeaderBlock request = HeaderBlock.of(":method", "GET", ":path", "/a?b", ":version", "HTTP/1.1",
                ":host", "example.com", ":scheme", "https", "accept", "*/*");
        byte[] wire = encode(encoder(), new SynStreamFrame(1, 0, 0, 0, true, false, request));
        String text = new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("\0\6method\0\3GET", "\0\3url\0\4/a?b", "\0\7version", "\0\4host", "\0\6scheme")
                .doesNotContain(":");
        Decoding d = new Decoding(FrameDecoder.VERSION_2);
        d.decoder.decode(ByteBuffer.wrap(wire));
        assertThat(((SynStreamFrame) d.collector.frames.get(0)).headers()).isEqualTo(request);
    }

    @Test
    void valueTooLongForSixteenBitsIsRefused() {
        HeaderBlock big = HeaderBlock.of("x-big", "a".repeat(65536));
        assertThatThrownBy(() -> encode(encoder(), new SynReplyFrame(1, false, big)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value of x-big of 65536 does not fit SPDY_2's 16-bit field");
    }

    static FrameEncoder encoder() {
        FrameEncoder encoder = new FrameEncoder(new HeaderBlockEncoder(CompressionPolicy.NONE));
        encoder.version(FrameDecoder.VERSION_2);
        return encoder;
    }

    static final class Decoding {
        final java.util.List<Integer> versions = new java.util.ArrayList<>();
        final FrameCollector collector = new FrameCollector() {
            @Override
            public void onVersion(int wireVersion) {
                versions.add(wireVersion);
            }
        };
        final HeaderBlockDecoder headers = new HeaderBlockDecoder(100, 1 << 20);
        final FrameDecoder decoder = new FrameDecoder(collector, headers, 65536);

        Decoding(int version) {
            decoder.version(version);
        }
    }
}
