package io.spdyconnector.protocol.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.CompressionPolicy;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderBlockDecoder;
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.headers.HeaderProblem;
import io.spdyconnector.protocol.headers.ZlibResources;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header blocks of one session through {@link HeaderBlockDecoder}: either arbitrary compressed
 * bytes, or arbitrary name/value bytes wrapped in stored deflate blocks so that every input reaches
 * the name/value parser.
 *
 * <p>Input: 6 plan bytes, then blocks, each a big-endian 16-bit length and that many bytes (the
 * last block takes what is left). Plan byte 0: bit 0 wraps name/value bytes (else the blocks are
 * compressed bytes as sent), bit 1 releases the native inflater between blocks, bits 2-3 pick the
 * re-encoding policy, bit 4 releases the deflater between re-encoded blocks. Byte 1: header budget
 * {@code 64 + 64 b}; byte 2: header count limit {@code 1 + (b & 127)}; byte 3: inflate limit
 * {@code 512 << (b % 7)}; bytes 4-5: piece size for the second decoder.
 *
 * <p>Invariants: only {@link SessionException} escapes; a decoder fed each block whole and one fed
 * it in pieces (releasing its inflater between wrapped blocks) agree block by block; a wrapped
 * block fails the session exactly when it is longer than the inflate limit, and otherwise decodes
 * as a reference parser says; accepted blocks respect the budget and count; the window history
 * stays within 32 KiB; accepted blocks re-encode (one context for all, any policy) and decode to
 * equal blocks; no native inflater or deflater outlives {@code close()}.
 */
class HeaderBlockDecoderFuzzTest {
    static final int PLAN_BYTES = 6;
    static final int MAX_BLOCKS = 16;
    static final int WRAP = 0x01;
    static final int RELEASE_INFLATER = 0x02;
    static final int RELEASE_DEFLATER = 0x10;

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "15s")
    void decode(FuzzedDataProvider data) {
        byte[] plan = data.consumeBytes(PLAN_BYTES);
        byte[] rest = data.consumeRemainingAsBytes();
        int flags = FuzzSupport.u8(plan, 0);
        boolean wrap = (flags & WRAP) != 0;
        int budget = 64 + 64 * FuzzSupport.u8(plan, 1);
        int maxCount = 1 + (FuzzSupport.u8(plan, 2) & 0x7F);
        int inflateLimit = 512 << (FuzzSupport.u8(plan, 3) % 7);
        int piece = 1 + FuzzSupport.u16(plan, 4);
        CompressionPolicy policy = CompressionPolicy.values()[(flags >>> 2) & 3];
        int inflaters = ZlibResources.liveInflaters();
        int deflaters = ZlibResources.liveDeflaters();

        List<byte[]> blocks = blocks(rest);
        List<byte[]> wire = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            wire.add(wrap ? wrapped(blocks.get(i), i == 0) : blocks.get(i));
        }
        List<String> whole;
        List<String> pieces;
        List<HeaderBlock> accepted = new ArrayList<>();
        try (HeaderBlockDecoder a = new HeaderBlockDecoder(maxCount, inflateLimit);
                HeaderBlockDecoder b = new HeaderBlockDecoder(maxCount, inflateLimit)) {
            whole = decodeAll(a, wire, budget, Integer.MAX_VALUE, false, accepted);
            pieces = decodeAll(b, wire, budget, piece, wrap && (flags & RELEASE_INFLATER) != 0, null);
        }
        assertThat(ZlibResources.liveInflaters()).as("live inflaters after close").isEqualTo(inflaters);
        assertThat(pieces).as("outcomes fed in pieces of " + piece).isEqualTo(whole);

        for (HeaderBlock h : accepted) {
            assertThat(h.size()).as("header values").isLessThanOrEqualTo(maxCount);
            assertThat(retained(h)).as("retained header bytes").isLessThanOrEqualTo(budget);
        }
        if (wrap) {
            for (int i = 0; i < whole.size(); i++) {
                assertThat(whole.get(i)).as("block " + i)
                        .isEqualTo(expected(blocks.get(i), budget, maxCount, inflateLimit, whole.get(i)));
            }
        }
        reencode(accepted, policy, (flags & RELEASE_DEFLATER) != 0);
        assertThat(ZlibResources.liveInflaters()).as("live inflaters").isEqualTo(inflaters);
        assertThat(ZlibResources.liveDeflaters()).as("live deflaters").isEqualTo(deflaters);
    }

    /** Splits the input into length-prefixed blocks. */
    static List<byte[]> blocks(byte[] rest) {
        List<byte[]> blocks = new ArrayList<>();
        int p = 0;
        while (p < rest.length && blocks.size() < MAX_BLOCKS) {
            int length = p + 1 < rest.length ? ((rest[p] & 0xFF) << 8) | (rest[p + 1] & 0xFF) : 0;
            p = Math.min(rest.length, p + 2);
            int n = Math.min(length, rest.length - p);
            byte[] block = new byte[n];
            System.arraycopy(rest, p, block, 0, n);
            blocks.add(block);
            p += n;
        }
        return blocks;
    }

    private static byte[] wrapped(byte[] nameValues, boolean first) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (first) {
            out.writeBytes(FuzzSupport.zlibHeader(FuzzSupport.CMF_2K));
        }
        out.writeBytes(FuzzSupport.storedBlock(nameValues));
        return out.toByteArray();
    }

    /**
     * Decodes the blocks in order; one line per block. Stops after a session error, since the
     * compression context is then lost.
     */
    private static List<String> decodeAll(HeaderBlockDecoder decoder, List<byte[]> wire, int budget, int piece,
            boolean release, List<HeaderBlock> accepted) {
        List<String> outcomes = new ArrayList<>();
        for (byte[] block : wire) {
            decoder.begin(budget);
            try {
                for (int off = 0; off < block.length; off += piece) {
                    ByteBuffer in = ByteBuffer.wrap(block, off, Math.min(piece, block.length - off));
                    decoder.feed(in);
                    assertThat(in.hasRemaining()).as("compressed bytes left over").isFalse();
                }
            } catch (SessionException e) {
                outcomes.add("session error: " + e.getMessage());
                return outcomes;
            }
            HeaderBlock headers = decoder.finish();
            HeaderProblem problem = decoder.problem();
            assertThat(headers == null).as("headers xor problem").isEqualTo(problem != null);
            assertThat(decoder.historyBytes()).as("window history").isLessThanOrEqualTo(32768);
            if (headers != null) {
                outcomes.add("headers " + describe(headers));
                if (accepted != null) {
                    accepted.add(headers);
                }
            } else {
                outcomes.add(problem + ": " + decoder.problemDetail());
            }
            if (release) {
                decoder.release();
                assertThat(decoder.holdsNativeState()).isFalse();
            }
        }
        return outcomes;
    }

    /** Names and values with every byte visible, so that equal lines mean equal blocks. */
    private static String describe(HeaderBlock headers) {
        StringBuilder sb = new StringBuilder().append(headers.size()).append(' ');
        headers.forEach((n, v) -> sb.append(escape(n)).append('=').append(escape(v)).append(';'));
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '\\' || c == '=' || c == ';') {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int retained(HeaderBlock headers) {
        int total = 0;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            boolean firstOfName = i == 0 || !headers.name(i - 1).equals(name);
            // One wire pair per name: 8 length bytes, the name, the values joined with NUL.
            total += (firstOfName ? 8 + name.length() : 1) + headers.value(i).length();
        }
        return total;
    }

    /**
     * What the decoder must report for wrapped name/value bytes (SPEC §2.6.10). {@code actual} is
     * returned where the rules allow either problem: a block that breaks a rule is INVALID unless an
     * earlier limit already made the decoder stop looking at names.
     */
    static String expected(byte[] nv, int budget, int maxCount, int inflateLimit, String actual) {
        if (nv.length > inflateLimit) {
            return "session error: header block inflates past " + inflateLimit + " bytes";
        }
        ByteBuffer in = ByteBuffer.wrap(nv);
        String invalid = actual.startsWith(HeaderProblem.INVALID.name()) || actual.startsWith(HeaderProblem.TOO_LARGE.name())
                ? actual : "INVALID or TOO_LARGE";
        if (in.remaining() < 4) {
            return invalid;
        }
        int count = in.getInt();
        if (count < 0) {
            return invalid;
        }
        HeaderBlock block = new HeaderBlock();
        Set<String> names = new HashSet<>();
        long retained = 0;
        for (int i = 0; i < count; i++) {
            String name = string(in);
            if (name == null || name.isEmpty() || !validName(name) || !names.add(name)) {
                return invalid;
            }
            String value = string(in);
            if (value == null) {
                return invalid;
            }
            retained += 8 + name.length() + value.length();
            if (value.isEmpty()) {
                block.addRaw(name, value);
                continue;
            }
            String[] parts = value.split("\0", -1);
            for (String part : parts) {
                if (part.isEmpty()) {
                    return invalid;
                }
                block.addRaw(name, part);
            }
        }
        if (in.hasRemaining()) {
            return invalid;
        }
        // The count limit applies to values: one pair of many NUL-separated values is many headers.
        if (count > maxCount || block.size() > maxCount || retained > budget) {
            return actual.startsWith(HeaderProblem.TOO_LARGE.name()) ? actual : "TOO_LARGE";
        }
        return "headers " + describe(block);
    }

    private static String string(ByteBuffer in) {
        if (in.remaining() < 4) {
            return null;
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            return null;
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7F || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    private static java.util.Map<String, List<String>> byName(HeaderBlock h) {
        java.util.Map<String, List<String>> m = new java.util.TreeMap<>();
        h.forEach((n, v) -> m.computeIfAbsent(n, k -> new java.util.ArrayList<>()).add(v));
        return m;
    }

    /** Every accepted block through one encoder context and one fresh decoder: equal blocks come out. */
    private static void reencode(List<HeaderBlock> blocks, CompressionPolicy policy, boolean release) {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy);
                HeaderBlockDecoder decoder = new HeaderBlockDecoder(10_000, 1 << 22)) {
            WriteBuffer out = new WriteBuffer(256);
            for (HeaderBlock h : blocks) {
                out.clear();
                encoder.encode(h, out);
                if (release) {
                    encoder.release();
                }
                decoder.begin(Integer.MAX_VALUE);
                decoder.feed(ByteBuffer.wrap(out.array(), 0, out.position()));
                HeaderBlock again = decoder.finish();
                assertThat(decoder.problemDetail()).as("problem decoding our own encoding").isNull();
                // Names are unique in a block, so order carries no meaning (SAFE sends secrets last).
                assertThat(byName(again)).as(policy + " round trip").isEqualTo(byName(h));
            }
        } catch (SessionException e) {
            throw new AssertionError(policy + " encoding does not decode: " + e.getMessage(), e);
        }
    }
}
