package io.spdyconnector.protocol.fuzz;

import io.spdyconnector.protocol.headers.SpdyDictionary;

import java.io.ByteArrayOutputStream;

/**
 * Shared by the fuzz tests and {@link SeedCorpus}: how a fuzz input's leading "plan" bytes are
 * read, and the zlib framing that wraps raw name/value bytes so they reach the header parser.
 *
 * <p>Every fuzz test takes its plan with {@code consumeBytes(n)} from the front of the input and
 * the rest with {@code consumeRemainingAsBytes()}, so a seed file is simply the plan followed by
 * the wire bytes.
 */
final class FuzzSupport {
    /** zlib CMF for deflate with a 2 KiB window, as the stored-block encoder declares. */
    static final int CMF_2K = 0x38;
    /** zlib CMF for deflate with a 32 KiB window. */
    static final int CMF_32K = 0x78;

    private FuzzSupport() {
    }

    /** The unsigned byte at {@code index}, or 0 when the plan is shorter. */
    static int u8(byte[] plan, int index) {
        return index < plan.length ? plan[index] & 0xFF : 0;
    }

    /** The big-endian unsigned 16-bit value at {@code index}; missing bytes count as 0. */
    static int u16(byte[] plan, int index) {
        return (u8(plan, index) << 8) | u8(plan, index + 1);
    }

    /** Chunk sizes for feeding a stream in pieces: {@code 1 + byte}, one per plan byte in {@code [from, to)}. */
    static int[] chunkSizes(byte[] plan, int from, int to) {
        int[] sizes = new int[to - from];
        for (int i = from; i < to; i++) {
            sizes[i - from] = 1 + u8(plan, i);
        }
        return sizes;
    }

    /** A two-byte zlib header with FDICT set, followed by the SPDY dictionary id (SPEC §2.6.10.1). */
    static byte[] zlibHeader(int cmf) {
        int flg = 0x20;
        flg |= (31 - ((cmf << 8 | flg) % 31)) % 31;
        int id = SpdyDictionary.ADLER32;
        return new byte[] {(byte) cmf, (byte) flg, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    /**
     * {@code nameValues} as non-final stored deflate blocks followed by the empty stored block of
     * a SYNC_FLUSH: one header block of a session whose zlib header was already sent.
     */
    static byte[] storedBlock(byte[] nameValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nameValues.length + 16);
        for (int off = 0; off < nameValues.length; off += 65535) {
            int n = Math.min(65535, nameValues.length - off);
            storedHeader(out, n);
            out.write(nameValues, off, n);
        }
        storedHeader(out, 0);
        return out.toByteArray();
    }

    private static void storedHeader(ByteArrayOutputStream out, int n) {
        out.write(0);
        out.write(n);
        out.write(n >>> 8);
        out.write(~n);
        out.write(~n >>> 8);
    }
}
