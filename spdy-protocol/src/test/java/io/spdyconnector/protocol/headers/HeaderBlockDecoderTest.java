package io.spdyconnector.protocol.headers;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.ZlibPeers.JdkPeer;
import io.spdyconnector.protocol.headers.ZlibPeers.JzlibPeer;
import io.spdyconnector.protocol.headers.ZlibPeers.Nv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Inflating and parsing header blocks (SPEC §2.6.10, §2.6.10.1) from many kinds of compressing peer. */
class HeaderBlockDecoderTest {
    private static final int BUDGET = 16384;
    private static final int HARD_CAP = 128 * 1024;

    private final HeaderBlockDecoder decoder = new HeaderBlockDecoder(100, HARD_CAP);

    @AfterEach
    void close() {
        decoder.close();
    }

    private HeaderBlock decode(byte[] block) throws SessionException {
        return decode(block, BUDGET);
    }

    private HeaderBlock decode(byte[] block, int budget) throws SessionException {
        decoder.begin(budget);
        decoder.feed(ByteBuffer.wrap(block));
        return decoder.finish();
    }

    /** A request whose values change a little from block to block, as a browser's do. */
    private static HeaderBlock request(int i) {
        return HeaderBlock.of(":method", "GET", ":path", "/images/photo-" + i + ".png", ":version", "HTTP/1.1",
                ":host", "www.example.com", ":scheme", "https",
                "user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
                "accept", "image/webp,*/*;q=0.8", "cookie", "session=" + "0123456789abcdef".repeat(4),
                "cookie", "theme=dark");
    }

    /** The wire bytes of {@link #request}: the two cookies joined by NUL (SPEC §2.6.10). */
    private static byte[] requestNv(int i) {
        HeaderBlock r = request(i);
        return Nv.pairs(":method", "GET", ":path", r.get(":path"), ":version", "HTTP/1.1", ":host", "www.example.com",
                ":scheme", "https", "user-agent", r.get("user-agent"), "accept", r.get("accept"),
                "cookie", r.getAll("cookie").get(0) + "\0theme=dark");
    }

    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void section2_6_10_1_decodesOurEncoderUnderEveryPolicy(CompressionPolicy policy) throws SessionException {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            for (int i = 0; i < 20; i++) {
                assertThat(decode(ZlibPeers.encode(encoder, request(i)))).isEqualTo(request(i));
            }
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {0, 1, 6, 9})
    void section2_6_10_1_decodesJavaUtilZipAtEveryLevel(int level) throws SessionException {
        try (JdkPeer peer = new JdkPeer(level)) {
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] block = peer.block(requestNv(i));
                if (i == 0) {
                    assertThat(block[1] & 0x20).as("FDICT").isEqualTo(0x20);
                    assertThat(ByteBuffer.wrap(block, 2, 4).getInt()).isEqualTo(SpdyDictionary.ADLER32);
                }
                sizes.add(block.length);
                assertThat(decode(block)).isEqualTo(request(i));
            }
            if (level > 0) {
                // Later blocks are mostly back-references into earlier ones.
                assertThat(sizes.get(19)).isLessThan(sizes.get(0) / 4);
            }
        }
    }

    /** A peer that forgot the dictionary: a plain zlib stream, no FDICT, still a valid stream. */
    @Test
    void section2_6_10_1_decodesAStreamWithoutPresetDictionary() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6, false)) {
            byte[] first = peer.block(requestNv(0));
            assertThat(first[1] & 0x20).as("FDICT").isZero();
            assertThat(decode(first)).isEqualTo(request(0));
            assertThat(decode(peer.block(requestNv(1)))).isEqualTo(request(1));
        }
    }

    /** SPEC §2.6.10.1: the compressor chooses its window; the receiver keeps just that much history. */
    @ParameterizedTest(name = "window bits {0}")
    @ValueSource(ints = {9, 10, 11, 12, 13, 14, 15})
    void section2_6_10_1_decodesPeersOfEveryWindowSizeAcrossRelease(int windowBits) throws SessionException {
        JzlibPeer peer = new JzlibPeer(6, windowBits);
        for (int i = 0; i < 30; i++) {
            assertThat(decode(peer.block(requestNv(i)))).as("block %d", i).isEqualTo(request(i));
            assertThat(decoder.historyBytes()).isEqualTo(1 << windowBits);
            if (i % 3 == 2) {
                decoder.release();
                assertThat(decoder.holdsNativeState()).isFalse();
            }
        }
    }

    @Test
    void section2_6_10_1_spdyWindowOf11BitsKeeps2KiBOfHistory() throws SessionException {
        JzlibPeer peer = new JzlibPeer(9, 11);
        byte[] first = peer.block(requestNv(0));
        assertThat(first[0] & 0xFF).as("CMF: deflate, 2 KiB window").isEqualTo(0x38);
        assertThat(decode(first)).isEqualTo(request(0));
        assertThat(decoder.historyBytes()).isEqualTo(2048);
    }

    /** The smallest window zlib can declare (CINFO 0, 256 bytes); JZlib will not compress with it, so stored blocks. */
    @Test
    void section2_6_10_1_windowOf8BitsKeeps256BytesOfHistory() throws SessionException {
        byte[] nv = Nv.pairs("a", "b");
        byte[] stored = {0x00, (byte) nv.length, 0x00, (byte) ~nv.length, (byte) 0xff};
        byte[] sync = {0x00, 0x00, 0x00, (byte) 0xff, (byte) 0xff};
        byte[] header = {0x08, 0x3c, (byte) 0xe3, (byte) 0xc6, (byte) 0xa7, (byte) 0xc2};
        assertThat(decode(ZlibPeers.concat(header, stored, nv, sync))).hasToString("[a: b]");
        assertThat(decoder.historyBytes()).isEqualTo(256);
        decoder.release();
        assertThat(decode(ZlibPeers.concat(stored, nv, sync))).hasToString("[a: b]");
    }

    @Test
    void section2_6_10_1_blocksFedOneByteAtATimeDecode() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            for (int i = 0; i < 5; i++) {
                byte[] block = peer.block(requestNv(i));
                decoder.begin(BUDGET);
                for (byte b : block) {
                    decoder.feed(ByteBuffer.wrap(new byte[] {b}));
                }
                assertThat(decoder.finish()).isEqualTo(request(i));
            }
        }
    }

    /** release() ends the native inflater between blocks; the next block rebuilds it from the kept window. */
    @Test
    void releaseBetweenBlocksKeepsBackReferencesWorking() throws SessionException {
        try (JdkPeer peer = new JdkPeer(1)) {
            byte[] first = peer.block(requestNv(0));
            assertThat(decode(first)).isEqualTo(request(0));
            for (int i = 1; i < 10; i++) {
                decoder.release();
                assertThat(decoder.holdsNativeState()).isFalse();
                byte[] block = peer.block(requestNv(i));
                assertThat(block.length).as("block %d refers back to earlier blocks", i).isLessThan(first.length / 3);
                assertThat(decode(block)).isEqualTo(request(i));
                assertThat(decoder.holdsNativeState()).isTrue();
            }
        }
    }

    /**
     * SPEC §2.6.10.1 asks for a SYNC_FLUSH after each block. A peer that ends its blocks with a
     * partial flush still sends a valid zlib stream, but its blocks stop between two bits: the
     * inflater's state is more than the window then, so release() must keep it.
     */
    @Test
    void section2_6_10_1_releaseKeepsTheInflaterOfAPeerThatDoesNotSyncFlush() throws SessionException {
        JzlibPeer peer = new JzlibPeer(6, 15);
        for (int i = 0; i < 8; i++) {
            byte[] block = peer.block(requestNv(i), com.jcraft.jzlib.JZlib.Z_PARTIAL_FLUSH);
            assertThat(decode(block)).as("block %d", i).isEqualTo(request(i));
            decoder.release();
            assertThat(decoder.holdsNativeState()).isTrue();
        }
        // Once the peer syncs again, release() may end the inflater.
        assertThat(decode(peer.block(requestNv(8)))).isEqualTo(request(8));
        decoder.release();
        assertThat(decoder.holdsNativeState()).isFalse();
        assertThat(decode(peer.block(requestNv(9)))).isEqualTo(request(9));
    }

    @Test
    void releaseInsideABlockWaitsForTheBlockToEnd() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            assertThat(decode(peer.block(requestNv(0)))).isEqualTo(request(0));
            byte[] block = peer.block(requestNv(1));
            decoder.begin(BUDGET);
            decoder.feed(ByteBuffer.wrap(block, 0, block.length / 2));
            decoder.release();
            assertThat(decoder.holdsNativeState()).isTrue();
            decoder.feed(ByteBuffer.wrap(block, block.length / 2, block.length - block.length / 2));
            assertThat(decoder.finish()).isEqualTo(request(1));
        }
    }

    @Test
    void closeInsideABlockEndsTheInflater() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            byte[] block = peer.block(requestNv(0));
            decoder.begin(BUDGET);
            decoder.feed(ByteBuffer.wrap(block, 0, block.length / 2));
            assertThat(decoder.holdsNativeState()).isTrue();
            decoder.close();
            assertThat(decoder.holdsNativeState()).isFalse();
            assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(block, block.length / 2, 4)))
                    .isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.status()).isEqualTo(GoAwayStatus.INTERNAL_ERROR))
                    .hasMessage("session closed");
        }
    }

    @Test
    void section2_6_10_multipleValuesAreSplitAtNul() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            HeaderBlock block = decode(peer.block(Nv.pairs("set-cookie", "a=1\0b=2\0c=3", "vary", "accept")));
            assertThat(block).hasToString("[set-cookie: a=1, set-cookie: b=2, set-cookie: c=3, vary: accept]");
            assertThat(block.getAll("set-cookie")).containsExactly("a=1", "b=2", "c=3");
        }
    }

    @Test
    void section2_6_10_emptyValueAndEmptyBlockAreAllowed() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            assertThat(decode(peer.block(Nv.pairs("x-empty", "", "a", "b")))).hasToString("[x-empty: , a: b]");
            assertThat(decoder.problem()).isNull();
            assertThat(decode(peer.block(Nv.pairs()))).hasToString("[]");
            assertThat(decoder.problem()).isNull();
        }
    }

    static Stream<Arguments> invalidBlocks() {
        return Stream.of(
                Arguments.of("zero-length name", Nv.pairs("", "x"), "empty header name"),
                Arguments.of("uppercase name", Nv.pairs("Accept", "x"), "illegal character 0x41 in header name"),
                Arguments.of("NUL in name", Nv.pairs("a\0b", "x"), "illegal character 0x0 in header name"),
                Arguments.of("space in name", Nv.pairs("a b", "x"), "illegal character 0x20 in header name"),
                Arguments.of("non-ASCII name", Nv.pairs("caf\u00e9", "x"), "illegal character 0xe9 in header name"),
                Arguments.of("value starts with NUL", Nv.pairs("a", "\0x"), "empty value part in header a"),
                Arguments.of("value ends with NUL", Nv.pairs("a", "x\0"), "empty value part in header a"),
                Arguments.of("empty part between NULs", Nv.pairs("a", "x\0\0y"), "empty value part in header a"),
                Arguments.of("value is one NUL", Nv.pairs("a", "\0"), "empty value part in header a"),
                Arguments.of("duplicate name", Nv.pairs("a", "1", "b", "2", "a", "3"), "duplicate header name a"),
                Arguments.of("negative count", new Nv().count(-1).bytes(), "negative header count"),
                Arguments.of("negative name length", new Nv().count(1).int32(-5).bytes(), "negative header length"),
                Arguments.of("negative value length", new Nv().count(1).string("a").int32(0x80000000).bytes(),
                        "negative header length"),
                Arguments.of("no bytes at all", new byte[0], "truncated header block"),
                Arguments.of("count cut short", new Nv().raw("\0\0").bytes(), "truncated header block"),
                Arguments.of("fewer pairs than counted", new Nv().count(2).string("a").string("b").bytes(),
                        "truncated header block"),
                Arguments.of("value cut short", new Nv().count(1).string("a").int32(5).raw("abc").bytes(),
                        "truncated header block"),
                Arguments.of("bytes after the last pair", new Nv().count(1).string("a").string("b").raw("x").bytes(),
                        "bytes after the last header pair"),
                Arguments.of("bytes after a zero count", new Nv().count(0).raw("\0\0\0\0").bytes(),
                        "bytes after the last header pair"));
    }

    /** SPEC §2.6.10: a block breaking the rules is a stream error; the context stays in sync for the next. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBlocks")
    void section2_6_10_invalidBlockIsAStreamErrorAndTheNextBlockDecodes(String name, byte[] nv, String detail)
            throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            assertThat(decode(peer.block(nv))).isNull();
            assertThat(decoder.problem()).isEqualTo(HeaderProblem.INVALID);
            assertThat(decoder.problemDetail()).isEqualTo(detail);
            assertThat(decode(peer.block(requestNv(1)))).isEqualTo(request(1));
            assertThat(decoder.problem()).isNull();
        }
    }

    /** Each pair costs 8 + name + value bytes against the budget; one byte over is TOO_LARGE. */
    @Test
    void budgetIsExactAndTheNextBlockStillDecodes() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            byte[] nv = Nv.pairs("a", "x".repeat(91), "bb", "y");
            assertThat(decode(peer.block(nv), 111).size()).isEqualTo(2);
            assertThat(decoder.retainedBytes()).isEqualTo(111);

            assertThat(decode(peer.block(nv), 110)).isNull();
            assertThat(decoder.problem()).isEqualTo(HeaderProblem.TOO_LARGE);
            assertThat(decoder.problemDetail()).isEqualTo("header block over 110 bytes");

            assertThat(decode(peer.block(requestNv(2)))).isEqualTo(request(2));
        }
    }

    @Test
    void headerCountOverTheLimitIsTooLarge() throws SessionException {
        try (HeaderBlockDecoder small = new HeaderBlockDecoder(3, HARD_CAP); JdkPeer peer = new JdkPeer(6)) {
            small.begin(BUDGET);
            small.feed(ByteBuffer.wrap(peer.block(Nv.pairs("a", "1", "b", "2", "c", "3"))));
            assertThat(small.finish().size()).isEqualTo(3);

            small.begin(BUDGET);
            small.feed(ByteBuffer.wrap(peer.block(Nv.pairs("a", "1", "b", "2", "c", "3", "d", "4"))));
            assertThat(small.finish()).isNull();
            assertThat(small.problem()).isEqualTo(HeaderProblem.TOO_LARGE);
            assertThat(small.problemDetail()).isEqualTo("4 headers, over the limit of 3");

            small.begin(BUDGET);
            small.feed(ByteBuffer.wrap(peer.block(Nv.pairs("e", "5"))));
            assertThat(small.finish()).hasToString("[e: 5]");
        }
    }

    /** Values joined with NUL become separate entries, so the count limit applies to them too. */
    @Test
    void headerValuesOverTheLimitAreTooLargeEvenInOnePair() throws SessionException {
        try (HeaderBlockDecoder small = new HeaderBlockDecoder(3, HARD_CAP); JdkPeer peer = new JdkPeer(6)) {
            small.begin(BUDGET);
            small.feed(ByteBuffer.wrap(peer.block(Nv.pairs("a", String.join("\0", "1", "2"), "b", "3"))));
            assertThat(small.finish()).hasToString("[a: 1, a: 2, b: 3]");

            small.begin(BUDGET);
            small.feed(ByteBuffer.wrap(peer.block(Nv.pairs("a", String.join("\0", "1", "2", "3", "4")))));
            assertThat(small.finish()).isNull();
            assertThat(small.problem()).isEqualTo(HeaderProblem.TOO_LARGE);
            assertThat(small.problemDetail()).isEqualTo("more than 3 header values");

            small.begin(BUDGET);
            small.feed(ByteBuffer.wrap(peer.block(Nv.pairs("c", "5"))));
            assertThat(small.finish()).hasToString("[c: 5]");
        }
    }

    /** A length near 2^31 must count as over budget, not wrap the running total negative. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeLengths")
    void lengthsNear2To31AreOverBudget(String name, byte[] nv) throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            assertThat(decode(peer.block(nv))).isNull();
            assertThat(decoder.problem()).isEqualTo(HeaderProblem.TOO_LARGE);
            assertThat(decoder.problemDetail()).isEqualTo("header block over 16384 bytes");
        }
    }

    static Stream<Arguments> hugeLengths() {
        return Stream.of(
                Arguments.of("name length 2^31-4", new Nv().count(1).int32(0x7FFFFFFC).raw("a".repeat(500)).bytes()),
                Arguments.of("value length 2^31-7", new Nv().count(1).string("a").int32(0x7FFFFFF9)
                        .raw("b".repeat(500)).bytes()));
    }

    /** A zip bomb: a 64 KiB block that would inflate to ~64 MiB fails once the hard cap is passed. */
    @Test
    void zipBombIsASessionErrorOnceTheInflateCapIsPassed() {
        int valueLength = 64 << 20;
        byte[] bomb;
        try (JdkPeer peer = new JdkPeer(Deflater.BEST_COMPRESSION)) {
            List<byte[]> parts = new ArrayList<>();
            parts.add(peer.block(new Nv().count(1).string("a").int32(valueLength).bytes()));
            int compressed = parts.get(0).length;
            byte[] as = new byte[1 << 20];
            Arrays.fill(as, (byte) 'a');
            for (int i = 0; i < valueLength / as.length && compressed <= 65536; i++) {
                byte[] part = peer.block(as);
                parts.add(part);
                compressed += part.length;
            }
            bomb = Arrays.copyOf(ZlibPeers.concat(parts.toArray(new byte[0][])), Math.min(compressed, 65536));
        }
        assertThat(bomb.length).isLessThanOrEqualTo(65536);

        decoder.begin(BUDGET);
        int[] fed = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThatThrownBy(() -> {
                for (int p = 0; p < bomb.length; p += 1024) {
                    decoder.feed(ByteBuffer.wrap(bomb, p, Math.min(1024, bomb.length - p)));
                    fed[0] += 1024;
                }
            }).isInstanceOf(SessionException.class).hasMessage("header block inflates past 131072 bytes");
        });
        assertThat(fed[0]).as("compressed bytes accepted before the error").isLessThan(4096);
    }

    @Test
    void section2_6_10_1_bytesThatAreNotZlibAreASessionError() {
        assertThatThrownBy(() -> decode("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SessionException.class).hasMessage("header block is not a zlib stream");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void section2_6_10_1_corruptDeflateDataIsASessionError(long seed) {
        byte[] garbage = new byte[2000];
        new Random(seed).nextBytes(garbage);
        byte[] block = ZlibPeers.concat(new byte[] {0x78, (byte) 0xbb, (byte) 0xe3, (byte) 0xc6, (byte) 0xa7, (byte) 0xc2},
                garbage);
        assertThatThrownBy(() -> decode(block)).isInstanceOfSatisfying(SessionException.class,
                e -> assertThat(e.status()).isEqualTo(GoAwayStatus.PROTOCOL_ERROR));
    }

    @Test
    void section2_6_10_1_anotherDictionaryIsASessionError() {
        byte[] other = "not the spdy dictionary".getBytes(StandardCharsets.US_ASCII);
        Adler32 adler = new Adler32();
        adler.update(other);
        Deflater deflater = new Deflater(6);
        try {
            deflater.setDictionary(other);
            deflater.setInput(Nv.pairs("a", "b"));
            byte[] out = new byte[256];
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            assertThatThrownBy(() -> decode(Arrays.copyOf(out, n))).isInstanceOf(SessionException.class)
                    .hasMessage("header block uses an unknown dictionary " + Long.toHexString(adler.getValue()));
        } finally {
            deflater.end();
        }
    }

    /** SPEC §2.6.10.1: one stream per session; a block that finishes the stream leaves nothing to decode later. */
    @Test
    void section2_6_10_1_blockThatEndsTheZlibStreamIsASessionError() throws SessionException {
        try (JdkPeer peer = new JdkPeer(6)) {
            assertThat(decode(peer.block(requestNv(0)))).isEqualTo(request(0));
            byte[] last = peer.finishingBlock(requestNv(1));
            assertThatThrownBy(() -> decode(last)).isInstanceOf(SessionException.class)
                    .hasMessage("header block ended the zlib stream");
        }
    }
}
