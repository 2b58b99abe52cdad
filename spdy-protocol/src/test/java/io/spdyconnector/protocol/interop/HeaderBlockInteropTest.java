package io.spdyconnector.protocol.interop;

import io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import io.netty.handler.codec.spdy.NettyHeaderBlocks;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Header blocks alone, without frames, across the two implementations: Netty's zlib encoders
 * against our {@link HeaderBlockDecoder}, and our {@link HeaderBlockEncoder} under every policy
 * against Netty's decoder. Each direction runs a long sequence of blocks through one compression
 * context, as a session does, delivered in pieces of varying size, with our side also dropping and
 * rebuilding its native zlib state between blocks as an idle session does.
 */
class HeaderBlockInteropTest {
    private static final int LARGE = 1 << 20;

    /** Requests and responses interleaved, as both directions of a busy session would be. */
    private static List<HeaderBlock> corpus() {
        List<HeaderBlock> requests = HeaderCorpus.requests(40, 11);
        List<HeaderBlock> responses = HeaderCorpus.responses(40, 12);
        List<HeaderBlock> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(requests.get(i));
            all.add(responses.get(i));
        }
        return all;
    }

    private static SpdyHeadersFrame nettyFrame(HeaderBlock block) {
        return NettyFrames.withHeaders(new DefaultSpdyHeadersFrame(1), block);
    }

    private static HeaderBlock decodeOurs(HeaderBlockDecoder decoder, byte[] block, int piece) throws SessionException {
        decoder.begin(LARGE);
        for (int off = 0; off < block.length; off += piece) {
            decoder.feed(ByteBuffer.wrap(block, off, Math.min(piece, block.length - off)));
        }
        HeaderBlock headers = decoder.finish();
        assertThat(decoder.problem()).as("problem: %s", decoder.problemDetail()).isNull();
        return headers;
    }

    private static byte[] encodeOurs(HeaderBlockEncoder encoder, HeaderBlock block) {
        WriteBuffer out = new WriteBuffer(256);
        encoder.encode(block, out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Piece sizes cycle through awkward values so block and zlib boundaries fall everywhere. */
    private static int piece(int i) {
        int[] pieces = {Integer.MAX_VALUE, 1, 7, 64, 1000};
        return pieces[i % pieces.length];
    }

    private static void nettyToOurs(NettyHeaderBlocks.Encoder netty) throws Exception {
        List<HeaderBlock> corpus = corpus();
        try (netty; HeaderBlockDecoder ours = new HeaderBlockDecoder(1000, LARGE)) {
            for (int i = 0; i < corpus.size(); i++) {
                byte[] block = netty.encode(nettyFrame(corpus.get(i)));
                assertThat(decodeOurs(ours, block, piece(i))).as("block %d", i).isEqualTo(corpus.get(i));
                if (i % 4 == 3) {
                    // An idle session ends its inflater; the next block rebuilds it from the window.
                    ours.release();
                    assertThat(ours.holdsNativeState()).isFalse();
                }
            }
        }
    }

    @ParameterizedTest(name = "JDK deflater level {0}")
    @ValueSource(ints = {0, 1, 2, 5, 6, 9})
    void nettysJdkBlocksAreDecodedByOurDecoder(int level) throws Exception {
        nettyToOurs(NettyHeaderBlocks.jdkEncoder(level));
    }

    @ParameterizedTest(name = "JZlib level {0}, window bits {1}, memory level {2}")
    @CsvSource({
        "1, 9, 1", "9, 9, 9", "6, 10, 8", "9, 11, 1", "1, 11, 9",
        "6, 12, 5", "9, 13, 9", "0, 14, 8", "5, 14, 2", "9, 15, 9", "1, 15, 1",
    })
    void nettysJZlibBlocksWithEveryWindowAreDecodedByOurDecoder(int level, int windowBits, int memLevel)
            throws Exception {
        nettyToOurs(NettyHeaderBlocks.jzlibEncoder(level, windowBits, memLevel));
    }

    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void ourBlocksUnderEveryPolicyAreDecodedByNetty(CompressionPolicy policy) throws Exception {
        List<HeaderBlock> corpus = corpus();
        long raw = 0;
        long compressed = 0;
        try (HeaderBlockEncoder ours = new HeaderBlockEncoder(policy);
                NettyHeaderBlocks.Decoder netty = NettyHeaderBlocks.decoder(LARGE)) {
            for (int i = 0; i < corpus.size(); i++) {
                byte[] block = encodeOurs(ours, corpus.get(i));
                compressed += block.length;
                raw += uncompressedSize(corpus.get(i));
                SpdyHeadersFrame decoded = netty.decode(block, piece(i));
                assertThat(decoded.isInvalid()).as("block %d invalid", i).isFalse();
                assertThat(decoded.isTruncated()).as("block %d truncated", i).isFalse();
                assertThat(NettyFrames.byName(NettyFrames.toBlock(decoded.headers()))).as("block %d", i)
                        .isEqualTo(NettyFrames.byName(corpus.get(i)));
                if (i % 4 == 3) {
                    // An idle session ends its deflater; the next block rebuilds it from the window.
                    ours.release();
                    assertThat(ours.holdsNativeState()).isFalse();
                }
            }
        }
        if (policy == CompressionPolicy.NONE) {
            // Stored blocks: the pairs plus 5 bytes of stored-block header and 5 of flush marker
            // per block, and the 6-byte zlib header once.
            assertThat(compressed).isEqualTo(raw + 10L * corpus.size() + 6);
        } else if (policy == CompressionPolicy.SAFE) {
            // Every block holds a cookie or set-cookie, stored verbatim and fenced by full flushes.
            assertThat(compressed).isLessThan(raw);
        } else {
            // One context across blocks: Netty could only decode these by sharing it too.
            assertThat(compressed).isLessThan(raw / 2);
        }
    }

    /** Bytes of the name/value form: count, then length-prefixed names and NUL-joined values. */
    private static long uncompressedSize(HeaderBlock block) {
        long size = 4;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < block.size(); i++) {
            String name = block.name(i);
            if (seen.contains(name)) {
                size += 1 + block.value(i).length();
                continue;
            }
            seen.add(name);
            size += 8 + name.length() + block.value(i).length();
        }
        return size;
    }

    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void blocksLargerThanOneStoredBlockCrossBothWays(CompressionPolicy policy) throws Exception {
        // Netty caps one value at 65535 bytes; three near that make a block of about 180 KB, over
        // two stored blocks' worth (65535 bytes each) for our NONE policy.
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        HeaderBlock big = HeaderBlock.of(":status", "200", ":version", "HTTP/1.1",
                "x-big", HeaderCorpus.word(r, 60_000),
                "x-bigger", HeaderCorpus.word(r, 65_535),
                "set-cookie", "a=" + "b".repeat(60_000));
        try (HeaderBlockEncoder ours = new HeaderBlockEncoder(policy);
                NettyHeaderBlocks.Decoder netty = NettyHeaderBlocks.decoder(LARGE)) {
            for (int round = 0; round < 3; round++) {
                SpdyHeadersFrame decoded = netty.decode(encodeOurs(ours, big), 8192);
                assertThat(decoded.isInvalid() || decoded.isTruncated()).isFalse();
                assertThat(NettyFrames.toBlock(decoded.headers())).isEqualTo(big);
            }
        }
        try (NettyHeaderBlocks.Encoder netty = NettyHeaderBlocks.jdkEncoder(6);
                HeaderBlockDecoder ours = new HeaderBlockDecoder(1000, LARGE)) {
            for (int round = 0; round < 3; round++) {
                assertThat(decodeOurs(ours, netty.encode(nettyFrame(big)), 8192)).isEqualTo(big);
            }
        }
    }

    @Test
    void emptyValuesAndMultiValuedNamesMeanTheSameToBoth() throws Exception {
        HeaderBlock block = HeaderBlock.of(":status", "204", ":version", "HTTP/1.1",
                "x-empty", "",
                "vary", "accept", "vary", "accept-encoding", "vary", "cookie");
        try (HeaderBlockEncoder ours = new HeaderBlockEncoder(CompressionPolicy.FAST);
                NettyHeaderBlocks.Decoder netty = NettyHeaderBlocks.decoder(LARGE)) {
            SpdyHeadersFrame decoded = netty.decode(encodeOurs(ours, block), Integer.MAX_VALUE);
            assertThat(NettyFrames.headers(decoded.headers())).isEqualTo(
                    "[:status: 204, :version: HTTP/1.1, x-empty: , vary: accept, vary: accept-encoding, vary: cookie]");
        }
        try (NettyHeaderBlocks.Encoder netty = NettyHeaderBlocks.jdkEncoder(6);
                HeaderBlockDecoder ours = new HeaderBlockDecoder(1000, LARGE)) {
            HeaderBlock decoded = decodeOurs(ours, netty.encode(nettyFrame(block)), Integer.MAX_VALUE);
            assertThat(decoded).hasToString(
                    "[:status: 204, :version: HTTP/1.1, x-empty: , vary: accept, vary: accept-encoding, vary: cookie]");
        }
    }

    @Test
    void nettysOwnJZlibEncoderFailsOnAnyBlock() {
        // Why the tests above pair Netty's raw encoder with JZlib themselves: Netty's
        // SpdyHeaderBlockJZlibEncoder (4.2.20) skips bytes of its empty output buffer after deflating.
        try (NettyHeaderBlocks.Encoder broken = NettyHeaderBlocks.nettyJZlibEncoder(6, 15, 8)) {
            assertThatThrownBy(() -> broken.encode(nettyFrame(HeaderBlock.of(":status", "200"))))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
