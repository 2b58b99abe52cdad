package io.spdyconnector.protocol.codec;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.frame.Frame;
import io.spdyconnector.protocol.frame.SettingsFrame;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.testing.FrameCollector;
import io.spdyconnector.protocol.testing.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.spdyconnector.protocol.codec.FrameGoldenBytesTest.NV_PATH;
import static io.spdyconnector.protocol.codec.FrameGoldenBytesTest.STORED_18;
import static io.spdyconnector.protocol.codec.FrameGoldenBytesTest.SYNC_FLUSH;
import static io.spdyconnector.protocol.codec.FrameGoldenBytesTest.ZLIB_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed framing is a session error (SPEC §2.4.1), detected from the fixed fields alone: each
 * test feeds the bad frame followed by more bytes and checks where the decoder stopped reading,
 * which proves the payload was never consumed.
 */
class FrameDecoderErrorsTest {
    private static final int LIMIT = 8192;
    /** Bytes after the bad frame's fixed fields: never read once the frame is rejected. */
    private static final String TRAILING = " | aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa";
    /** [:path: /] as the first header block of a context (34 bytes). */
    private static final String BLOCK = ZLIB_HEADER + STORED_18 + NV_PATH + SYNC_FLUSH;

    private final FrameCollector collector = new FrameCollector();
    private final HeaderBlockDecoder headers = new HeaderBlockDecoder(100, 1 << 20);
    private final FrameDecoder decoder = new FrameDecoder(collector, headers, LIMIT);

    @AfterEach
    void closeHeaders() {
        headers.close();
    }

    /** Feeds {@code hex} plus trailing bytes in one buffer; the decoder must stop at {@code stopsAt}. */
    private SessionException rejected(String hex, int stopsAt) {
        ByteBuffer in = ByteBuffer.wrap(Hex.bytes(hex + TRAILING));
        SessionException e = catchSession(() -> decoder.decode(in));
        assertThat(e.status()).isEqualTo(GoAwayStatus.PROTOCOL_ERROR);
        assertThat(in.position()).as("bytes read before the error").isEqualTo(stopsAt);
        assertThat(collector.frames).isEmpty();
        // A failed decoder stays failed: nothing after a framing error can be trusted.
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(Hex.bytes("80 03 00 06 00 00 00 04 00 00 00 01"))))
                .isInstanceOf(SessionException.class).hasMessage("session already failed");
        return e;
    }

    private static SessionException catchSession(Decode d) {
        try {
            d.run();
        } catch (SessionException e) {
            return e;
        }
        throw new AssertionError("expected a SessionException");
    }

    private interface Decode {
        void run() throws SessionException;
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(strings = {"00 00 00", "00 00 04", "00 00 07", "00 00 09", "00 01 00", "00 10 00"})
    void section2_6_3_rstStreamLengthMustBe8(String length) {
        assertThat(rejected("80 03 00 03 00 " + length, 8).getMessage())
                .isEqualTo("RST_STREAM frame length " + Integer.parseInt(length.replace(" ", ""), 16) + ", expected 8");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 3, 5, 8})
    void section2_6_5_pingLengthMustBe4(int length) {
        assertThat(rejected("80 03 00 06 00 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("PING frame length " + length + ", expected 4");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 4, 7, 12})
    void section2_6_6_goAwayLengthMustBe8(int length) {
        // Length 4 is the SPDY/2 GOAWAY, which had no status code.
        assertThat(rejected("80 03 00 07 00 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("GOAWAY frame length " + length + ", expected 8");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 4, 9, 16})
    void section2_6_8_windowUpdateLengthMustBe8(int length) {
        assertThat(rejected("80 03 00 09 00 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("WINDOW_UPDATE frame length " + length + ", expected 8");
    }

    @ParameterizedTest(name = "length {0}, n = {1}")
    @CsvSource({
        "00 00 04, 00 00 00 01, 1",
        "00 00 0c, 00 00 00 00, 0",
        "00 00 0c, 00 00 00 02, 2",
        "00 00 0d, 00 00 00 01, 1",
        "00 00 14, 00 00 00 01, 1",
        "00 00 04, ff ff ff ff, 4294967295",
        "00 00 04, 20 00 00 00, 536870912",
        "00 00 0c, 20 00 00 01, 536870913",
    })
    void section2_6_4_settingsEntryCountMustMatchLength(String length, String count, String n) {
        // 0x20000000 * 8 overflows a 32-bit int to 0: the check must not be fooled into allocating.
        SessionException e = rejected("80 03 00 04 00 " + length + " | " + count, 12);
        assertThat(e.getMessage()).isEqualTo(
                "SETTINGS claims " + n + " entries in " + Integer.parseInt(length.replace(" ", ""), 16) + " bytes");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 3})
    void section2_6_4_settingsShorterThanItsCount(int length) {
        assertThat(rejected("80 03 00 04 00 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("SETTINGS frame too short: " + length);
    }

    /** A well-formed SETTINGS may claim 2 million entries; its arrays must grow with the bytes, not the claim. */
    @Test
    void section2_6_4_largeSettingsFrameAllocatesOnlyForEntriesReceived() throws SessionException {
        FrameDecoder wide = new FrameDecoder(collector, headers, 0xFFFFFF);
        ByteBuffer claim = ByteBuffer.wrap(Hex.bytes("80 03 00 04 00 ff ff fc | 00 1f ff ff | 00 00 00 07 00 01 00 00"));
        long before = allocatedBytes();
        wide.decode(claim);
        long allocated = allocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for a 20-byte read").isLessThan(64 * 1024);
        assertThat(wide.isInsideFrame()).isTrue();
        assertThat(collector.frames).isEmpty();
    }

    @Test
    void section2_6_4_settingsWithManyEntriesKeepsEveryEntryInOrder() throws SessionException {
        StringBuilder hex = new StringBuilder("80 03 00 04 00 00 1f 44 | 00 00 03 e8");
        for (int i = 0; i < 1000; i++) {
            hex.append(" | 00 00 00 07 00 00 ").append(hexByte(i >>> 8)).append(' ').append(hexByte(i));
        }
        hex.append(" | 80 03 00 04 00 00 00 0c | 00 00 00 01 | 00 00 00 04 00 00 00 64");
        decoder.decode(ByteBuffer.wrap(Hex.bytes(hex.toString())));
        assertThat(collector.frames).hasSize(2);
        SettingsFrame big = (SettingsFrame) collector.frames.get(0);
        assertThat(big.settings()).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(big.settings().get(i).value()).isEqualTo(i);
        }
        assertThat(collector.frames.get(1)).hasToString("SETTINGS [MAX_CONCURRENT_STREAMS=100]");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 4, 8, 9})
    void section2_6_1_synStreamShorterThan10(int length) {
        assertThat(rejected("80 03 00 01 00 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("SYN_STREAM frame too short: " + length);
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void section2_6_2_synReplyShorterThan4(int length) {
        assertThat(rejected("80 03 00 02 01 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("SYN_REPLY frame too short: " + length);
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void section2_6_7_headersShorterThan4(int length) {
        assertThat(rejected("80 03 00 08 00 00 00 " + hexByte(length), 8).getMessage())
                .isEqualTo("HEADERS frame too short: " + length);
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(strings = {"01", "02", "80", "ff"})
    void section2_6_3_rstStreamFlagsMustBeZero(String flags) {
        assertThat(rejected("80 03 00 03 " + flags + " 00 00 08", 8).getMessage())
                .isEqualTo("RST_STREAM with flags " + Integer.parseInt(flags, 16));
    }

    @Test
    void section2_6_3_rstStreamStatus0IsInvalid() {
        assertThat(rejected("80 03 00 03 00 00 00 08 | 00 00 00 01 | 00 00 00 00", 16).getMessage())
                .isEqualTo("RST_STREAM with status 0");
    }

    @ParameterizedTest(name = "stream field {0}")
    @ValueSource(strings = {"00 00 00 00", "80 00 00 00"})
    void section2_6_3_rstStreamOnStream0IsInvalid(String stream) {
        assertThat(rejected("80 03 00 03 00 00 00 08 | " + stream + " | 00 00 00 05", 16).getMessage())
                .isEqualTo("RST_STREAM on stream 0");
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(strings = {"00", "01"})
    void section2_2_2_dataOnStream0IsSessionError(String flags) {
        assertThat(rejected("00 00 00 00 " + flags + " 00 00 05 | 68 65 6c 6c 6f", 8).getMessage())
                .isEqualTo("DATA frame on stream 0");
    }

    @ParameterizedTest(name = "delta field {0}")
    @ValueSource(strings = {"00 00 00 00", "80 00 00 00"})
    void section2_6_8_windowUpdateDelta0IsSessionError(String delta) {
        assertThat(rejected("80 03 00 09 00 00 00 08 | 00 00 00 01 | " + delta, 16).getMessage())
                .isEqualTo("WINDOW_UPDATE with delta 0");
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"01, SYN_STREAM", "02, SYN_REPLY", "08, HEADERS"})
    void section2_3_headerFramesOnStream0AreSessionErrors(String type, String name) {
        String fixed = type.equals("01") ? "00 00 00 00 | 00 00 00 00 | 00 00" : "00 00 00 00";
        int length = (type.equals("01") ? 10 : 4) + 34;
        assertThat(rejected("80 03 00 " + type + " 00 00 00 " + hexByte(length) + " | " + fixed, 8 + length - 34)
                .getMessage()).isEqualTo(name + " on stream 0");
    }

    /** SPEC §2.2.1: a receiver may cap control frames; the cap is enforced from the 8-byte header alone. */
    @ParameterizedTest(name = "type {0}")
    @CsvSource({"01, SYN_STREAM", "02, SYN_REPLY", "04, SETTINGS", "08, HEADERS", "06, PING"})
    void section2_2_1_controlFrameOverLimitIsSessionError(String type, String name) {
        ByteBuffer header = ByteBuffer.wrap(Hex.bytes("80 03 00 " + type + " 00 00 20 01"));
        SessionException e = catchSession(() -> decoder.decode(header));
        assertThat(e.getMessage()).isEqualTo(name + " frame of 8193 bytes exceeds the limit of 8192");
        assertThat(header.hasRemaining()).isFalse();
        assertThat(collector.frames).isEmpty();
    }

    /** SPEC §2.2.1: a receiver MUST accept control frames of 8192 bytes. */
    @Test
    void section2_2_1_controlFrameOfExactly8192BytesIsAccepted() throws SessionException {
        // SYN_STREAM: 10 fixed + 6 zlib header + 5 stored header + NV + 5 sync = 8192, so NV = 8166:
        // count(4) + name length(4) + "x"(1) + value length(4) + 8153 value bytes.
        StringBuilder hex = new StringBuilder("80 03 00 01 00 00 20 00 | 00 00 00 01 | 00 00 00 00 | 00 00 | ")
                .append(ZLIB_HEADER).append(" 00 e6 1f 19 e0 | 00 00 00 01 | 00 00 00 01 78 | 00 00 1f d9");
        hex.append(" 61".repeat(8153)).append(SYNC_FLUSH);
        byte[] bytes = Hex.bytes(hex.toString());
        assertThat(bytes).hasSize(8 + 8192);
        decoder.decode(ByteBuffer.wrap(bytes));
        assertThat(collector.problems).isEmpty();
        assertThat(collector.frames).extracting(Frame::toString).containsExactly(
                "SYN_STREAM #1 pri=0 [x: " + "a".repeat(8153) + "]");
    }

    /** DATA is flow controlled, not capped: a 16 MiB DATA header is accepted and streamed. */
    @Test
    void section2_2_2_dataIsNotSubjectToTheControlFrameLimit() throws SessionException {
        decoder.decode(ByteBuffer.wrap(Hex.bytes("00 00 00 01 00 ff ff ff | 01 02 03")));
        assertThat(collector.fragmentViews).hasSize(1);
        assertThat(decoder.isInsideFrame()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "80 02 00 01 00 00 00 0a, 2",
        "80 02 00 06 00 00 00 04, 2",
        "80 04 00 06 00 00 00 04, 4",
        "80 01 00 05 00 00 00 00, 1",
        "ff ff 00 06 00 00 00 04, 32767",
        "80 02 00 0a 00 00 00 00, 2",
    })
    void section2_2_1_controlFramesOfOtherVersionsAreSessionErrors(String header, int version) {
        assertThat(rejected(header, 8).getMessage()).isEqualTo("unsupported SPDY version " + version);
    }

    /** Unknown control types (SPDY/2 NOOP, SPDY/3 CREDENTIAL, anything else) are skipped by length. */
    @Test
    void section2_2_1_unknownControlFramesAreSkippedAndReported() throws SessionException {
        decoder.decode(ByteBuffer.wrap(Hex.bytes(
                "80 03 00 05 00 00 00 00"
                + "| 80 03 00 0a 00 00 00 0c | 00 00 00 01 00 00 00 04 de ad be ef"
                + "| 80 03 00 ff 07 00 00 03 | 80 03 00"
                + "| 80 03 ff ff 00 00 00 01 | 00"
                + "| 80 03 00 06 00 00 00 04 | 00 00 00 02")));
        assertThat(collector.unknown).containsExactly(
                "type=5 flags=0 length=0", "type=10 flags=0 length=12", "type=255 flags=7 length=3",
                "type=65535 flags=0 length=1");
        assertThat(collector.frames).extracting(Frame::toString).containsExactly("PING id=2");
    }

    @Test
    void section2_2_1_hugeUnknownFrameIsSkippedInSmallChunksWithoutBuffering() throws SessionException {
        decoder.decode(ByteBuffer.wrap(Hex.bytes("80 03 00 63 00 ff ff ff")));
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 0x80);
        int left = 0xFFFFFF;
        while (left > 0) {
            assertThat(collector.unknown).isEmpty();
            assertThat(decoder.isInsideFrame()).isTrue();
            int n = Math.min(left, chunk.length);
            ByteBuffer in = ByteBuffer.wrap(chunk, 0, n);
            decoder.decode(in);
            assertThat(in.hasRemaining()).isFalse();
            left -= n;
        }
        assertThat(collector.unknown).containsExactly("type=99 flags=0 length=16777215");
        decoder.decode(ByteBuffer.wrap(Hex.bytes("80 03 00 06 00 00 00 04 00 00 00 04")));
        assertThat(collector.frames).extracting(Frame::toString).containsExactly("PING id=4");
    }

    /** The X bit before every 31-bit stream id and delta is reserved: ignored on receipt. */
    @Test
    void section2_2_reservedBitsInStreamIdsAreMaskedOff() throws SessionException {
        decoder.decode(ByteBuffer.wrap(Hex.bytes(
                "80 03 00 01 00 00 00 2c | 80 00 00 03 | 80 00 00 01 | 00 00 | " + BLOCK
                + "| 80 03 00 02 00 00 00 20 | 80 00 00 05 | " + STORED_18 + NV_PATH + SYNC_FLUSH
                + "| 80 03 00 08 00 00 00 20 | ff ff ff ff | " + STORED_18 + NV_PATH + SYNC_FLUSH
                + "| 80 03 00 03 00 00 00 08 | 80 00 00 07 | 00 00 00 05"
                + "| 80 03 00 07 00 00 00 08 | 80 00 00 09 | 00 00 00 00"
                + "| 80 03 00 09 00 00 00 08 | 80 00 00 0b | 80 00 00 10")));
        assertThat(collector.problems).isEmpty();
        assertThat(collector.frames).extracting(Frame::toString).containsExactly(
                "SYN_STREAM #3 assoc=1 pri=0 [:path: /]",
                "SYN_REPLY #5 [:path: /]",
                "HEADERS #2147483647 [:path: /]",
                "RST_STREAM #7 CANCEL",
                "GOAWAY last=9 OK",
                "WINDOW_UPDATE #11 +16");
    }

    /** The 5 unused bits after the priority and the slot byte (unused in 3.1) do not disturb decoding. */
    @Test
    void section2_6_1_unusedPriorityBitsAndSlotAreIgnored() throws SessionException {
        decoder.decode(ByteBuffer.wrap(Hex.bytes("80 03 00 01 00 00 00 2c | 00 00 00 01 | 00 00 00 00 | 5f 09 | " + BLOCK)));
        assertThat(collector.frames).extracting(Frame::toString).containsExactly("SYN_STREAM #1 pri=2 [:path: /]");
    }

    private static String hexByte(int b) {
        return Hex.format(new byte[] {(byte) b});
    }
}
