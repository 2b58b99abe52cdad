package io.spdyconnector.protocol.headers;

import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.ZlibPeers.JdkReceiver;
import io.spdyconnector.protocol.testing.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;

import static io.spdyconnector.protocol.headers.ZlibPeers.encode;
import static io.spdyconnector.protocol.headers.ZlibPeers.parseNv;
import static org.assertj.core.api.Assertions.assertThat;

/** Writing header blocks (SPEC §2.6.10) under every {@link CompressionPolicy}. */
class HeaderBlockEncoderTest {
    private final HeaderBlockDecoder decoder = new HeaderBlockDecoder(1000, 1 << 20);
    private final JdkReceiver receiver = new JdkReceiver();
    /** The pairs exactly as the last round-tripped block carried them, NUL shown as ␀. */
    private List<String> wire;

    @AfterEach
    void close() {
        decoder.close();
        receiver.close();
    }

    /** Decodes with our decoder and with a plain {@code java.util.zip.Inflater}; both must agree. */
    private HeaderBlock roundTrip(byte[] block) throws SessionException, DataFormatException {
        decoder.begin(1 << 20);
        decoder.feed(ByteBuffer.wrap(block));
        HeaderBlock ours = decoder.finish();
        assertThat(decoder.problem()).as(decoder.problemDetail()).isNull();
        wire = parseNv(receiver.inflate(block));
        List<String> oursAsPairs = new ArrayList<>();
        ours.forEach((n, v) -> oursAsPairs.add(n + "=" + v));
        assertThat(oursAsPairs).isEqualTo(splitValues(wire));
        return ours;
    }

    /**
     * Headers by name, each with its values in order: what a block means. SPDY names are unique in
     * a block, so their order carries no meaning (SAFE moves sensitive pairs to the end).
     */
    private static java.util.Map<String, List<String>> byName(HeaderBlock h) {
        java.util.Map<String, List<String>> m = new java.util.TreeMap<>();
        h.forEach((n, v) -> m.computeIfAbsent(n, k -> new ArrayList<>()).add(v));
        return m;
    }

    private static List<String> splitValues(List<String> pairs) {
        List<String> out = new ArrayList<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            String value = p.substring(eq + 1);
            if (value.isEmpty()) {
                out.add(p);
            }
            for (String v : value.split(ZlibPeers.NUL)) {
                if (!v.isEmpty()) {
                    out.add(p.substring(0, eq + 1) + v);
                }
            }
        }
        return out;
    }

    private static HeaderBlock response(int i) {
        return HeaderBlock.of(":status", "200 OK", ":version", "HTTP/1.1", "content-type", "text/html; charset=utf-8",
                "cache-control", "private, max-age=" + i, "date", "Mon, 0" + (i % 10) + " Sep 2024 10:00:00 GMT",
                "set-cookie", "id=" + i + "; Path=/; HttpOnly", "set-cookie", "lang=en", "server", "spdy-connector");
    }

    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void section2_6_10_1_everyPolicyRoundTripsThroughOurDecoderAndJavaUtilZip(CompressionPolicy policy)
            throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            for (int i = 0; i < 25; i++) {
                byte[] block = encode(encoder, response(i));
                assertThat(Hex.format(block, block.length - 4, 4)).as("SYNC_FLUSH marker").isEqualTo("00 00 ff ff");
                assertThat(byName(roundTrip(block))).isEqualTo(byName(response(i)));
            }
        }
    }

    /** The first block opens the zlib stream: CMF/FLG with FDICT and the DICTID of the SPDY dictionary. */
    @ParameterizedTest
    @CsvSource({"NONE, 38 30 e3 c6 a7 c2", "FAST, 78 20 e3 c6 a7 c2", "SAFE, 78 20 e3 c6 a7 c2",
            "BEST, 78 f9 e3 c6 a7 c2"})
    void section2_6_10_1_firstBlockStartsWithTheZlibHeader(CompressionPolicy policy, String header) {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            byte[] first = encode(encoder, response(0));
            byte[] second = encode(encoder, response(1));
            assertThat(Hex.format(first, 0, 6)).isEqualTo(header);
            assertThat(Hex.format(second, 0, 6)).isNotEqualTo(header);
        }
    }

    @Test
    void section2_6_10_repeatedNamesAreJoinedWithNulIntoOnePair() throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            HeaderBlock block = HeaderBlock.of("set-cookie", "a=1", "vary", "accept", "set-cookie", "b=2",
                    "set-cookie", "c=3");
            assertThat(roundTrip(encode(encoder, block)))
                    .hasToString("[set-cookie: a=1, set-cookie: b=2, set-cookie: c=3, vary: accept]");
            assertThat(wire).containsExactly("set-cookie=a=1␀b=2␀c=3", "vary=accept");
        }
    }

    /** SPEC §2.6.10: no empty part between NULs, so empty values among several are dropped. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'' | x | a=x", "x | '' | a=x", "'' | '' | a=", "x | y | a=x␀y"})
    void section2_6_10_emptyValuesNeverMakeEmptyParts(String first, String second, String expected) throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            roundTrip(encode(encoder, HeaderBlock.of("a", first, "a", second)));
            assertThat(wire).containsExactly(expected);
        }
    }

    @Test
    void section2_6_10_namesAreLowercased() throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(CompressionPolicy.FAST)) {
            HeaderBlock block = new HeaderBlock().add("Content-Type", "text/HTML").add("X-Request-ID", "AbC");
            block.set("ETag", "\"W/1\"");
            byte[] bytes = encode(encoder, block);
            assertThat(parseNv(receiver.inflate(bytes)))
                    .containsExactly("content-type=text/HTML", "x-request-id=AbC", "etag=\"W/1\"");
        }
    }

    @Test
    void section2_6_10_valuesAreLatin1WithNulTurnedIntoSpace() throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            byte[] bytes = encode(encoder, HeaderBlock.of("x-a", "caf\u00e9 \u20ac\ud83d\ude00", "x-b", "one\0two"));
            assertThat(parseNv(receiver.inflate(bytes))).containsExactly("x-a=caf\u00e9 ???", "x-b=one two");
        }
    }

    /** A stored deflate block holds at most 65,535 bytes; a bigger block is cut into several. */
    @ParameterizedTest
    @EnumSource(CompressionPolicy.class)
    void blockOver64KiBRoundTrips(CompressionPolicy policy) throws Exception {
        byte[] noise = new byte[150_000];
        new Random(7).nextBytes(noise);
        StringBuilder value = new StringBuilder();
        for (byte b : noise) {
            value.append((char) ('!' + (b & 0x3F)));
        }
        HeaderBlock big = HeaderBlock.of("x-big", value.toString(), "cookie", value.substring(0, 70_000), "x-small", "1");
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            byte[] block = encode(encoder, big);
            if (policy == CompressionPolicy.NONE) {
                assertThat(Hex.format(block, 6, 5)).as("first stored block: 65535 bytes").isEqualTo("00 ff ff 00 00");
            }
            assertThat(byName(roundTrip(block))).isEqualTo(byName(big));
            assertThat(byName(roundTrip(encode(encoder, response(1))))).isEqualTo(byName(response(1)));
        }
    }

    /** release() between blocks rebuilds the deflater from its window: still one continuous zlib stream. */
    @ParameterizedTest
    @EnumSource(value = CompressionPolicy.class, names = {"FAST", "BEST", "SAFE"})
    void releaseBetweenBlocksStillProducesOneContinuousStream(CompressionPolicy policy) throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            int firstSize = 0;
            for (int i = 0; i < 12; i++) {
                byte[] block = encode(encoder, response(i));
                assertThat(encoder.holdsNativeState()).isTrue();
                if (i == 0) {
                    firstSize = block.length;
                } else if (policy != CompressionPolicy.SAFE) {
                    assertThat(block.length).as("block %d refers back across release()", i).isLessThan(firstSize / 2);
                }
                assertThat(byName(roundTrip(block))).isEqualTo(byName(response(i)));
                encoder.release();
                assertThat(encoder.holdsNativeState()).isFalse();
            }
        }
    }

    /** One huge block must not leave the session holding a huge scratch buffer. */
    @ParameterizedTest
    @EnumSource(value = CompressionPolicy.class, names = {"FAST", "BEST", "SAFE"})
    void aHugeBlockDoesNotKeepItsScratchBuffer(CompressionPolicy policy) throws Exception {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            HeaderBlock huge = HeaderBlock.of("x-big", "a".repeat(1 << 19));
            assertThat(byName(roundTrip(encode(encoder, huge)))).isEqualTo(byName(huge));
            assertThat(encoder.scratchCapacity()).isLessThanOrEqualTo(4096);
            assertThat(byName(roundTrip(encode(encoder, response(1))))).isEqualTo(byName(response(1)));
        }
    }

    @Test
    void noneHoldsNoNativeState() {
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(CompressionPolicy.NONE)) {
            encode(encoder, response(0));
            assertThat(encoder.holdsNativeState()).isFalse();
        }
    }

    private static String secret(long seed, int length) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(26))).append((char) ('0' + random.nextInt(10)));
        }
        return sb.substring(0, length);
    }

    /**
     * CRIME: a sensitive value sent twice on one context must cost its full length both times under
     * SAFE (it is never the source or the target of a back-reference), where FAST sends it again
     * almost for free.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cookie", "set-cookie", "authorization", "proxy-authorization", "www-authenticate",
            "proxy-authenticate"})
    void safeNeverCompressesASensitiveValueAgainstAnEarlierOne(String name) throws Exception {
        String value = secret(name.hashCode(), 200);
        HeaderBlock block = HeaderBlock.of(":status", "200", name, value);
        try (HeaderBlockEncoder safe = new HeaderBlockEncoder(CompressionPolicy.SAFE);
                HeaderBlockEncoder fast = new HeaderBlockEncoder(CompressionPolicy.FAST)) {
            encode(safe, block);
            encode(fast, block);
            byte[] safeAgain = encode(safe, block);
            byte[] fastAgain = encode(fast, block);
            assertThat(safeAgain.length).isGreaterThanOrEqualTo(value.length());
            assertThat(fastAgain.length).isLessThan(value.length() / 4);
        }
    }

    /** Within one block: the secret is neither compressed against reflected data before it nor used by data after. */
    @ParameterizedTest
    @CsvSource({"before", "after"})
    void safeFencesASecretFromOtherValuesInTheSameBlock(String reflected) throws Exception {
        String value = secret(99, 300);
        HeaderBlock block = reflected.equals("before")
                ? HeaderBlock.of(":path", "/echo?" + value, "cookie", value)
                : HeaderBlock.of("authorization", value, "x-echo", value);
        try (HeaderBlockEncoder safe = new HeaderBlockEncoder(CompressionPolicy.SAFE);
                HeaderBlockEncoder fast = new HeaderBlockEncoder(CompressionPolicy.FAST)) {
            byte[] safeBlock = encode(safe, block);
            byte[] fastBlock = encode(fast, block);
            // FAST sends the second copy as a back-reference of a few bytes; SAFE stores the secret
            // whole and compresses the reflected copy on its own, so it costs about the secret more.
            assertThat(safeBlock.length - fastBlock.length).isGreaterThanOrEqualTo(value.length() * 9 / 10);
            assertThat(byName(roundTrip(safeBlock))).isEqualTo(byName(block));
        }
    }

    /**
     * The CRIME oracle itself: the attacker reflects a guess in the path next to the cookie and
     * watches the size. Under SAFE a right guess and a wrong one cost the same.
     */
    @Test
    void safeGivesNoSizeOracleForGuessesAtTheCookie() {
        // Letters that form no 3-byte string of the dictionary; the wrong guess swaps them one for one,
        // so both guesses repeat themselves alike and differ only in matching the cookie.
        String cookie = "QXVZKQYXZVKYQZXVYKQZ";
        String wrong = cookie.replace('Q', 'q').replace('X', 'Q').replace('V', 'X').replace('Z', 'V').replace('K', 'Z')
                .replace('Y', 'K').replace('q', 'Y');
        for (CompressionPolicy policy : List.of(CompressionPolicy.SAFE, CompressionPolicy.FAST)) {
            int[] sizes = new int[2];
            String[] guesses = {cookie, wrong};
            for (int g = 0; g < 2; g++) {
                try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
                    encode(encoder, HeaderBlock.of(":path", "/", "cookie", "sid=" + cookie));
                    sizes[g] = encode(encoder, HeaderBlock.of(":path", "/?sid=" + guesses[g], "cookie", "sid=" + cookie))
                            .length;
                }
            }
            if (policy == CompressionPolicy.SAFE) {
                assertThat(sizes[0]).as("SAFE: right guess vs wrong guess").isEqualTo(sizes[1]);
            } else {
                assertThat(sizes[0]).as("FAST: right guess vs wrong guess").isLessThan(sizes[1] - 8);
            }
        }
    }

    @Test
    void encodedBytesDoNotDependOnTheOutputBufferSize() {
        byte[] a;
        byte[] b;
        try (HeaderBlockEncoder one = new HeaderBlockEncoder(CompressionPolicy.BEST);
                HeaderBlockEncoder two = new HeaderBlockEncoder(CompressionPolicy.BEST)) {
            a = encode(one, response(3));
            WriteBuffer tiny = new WriteBuffer(1);
            tiny.putBytes(new byte[60], 0, 60);
            two.encode(response(3), tiny);
            b = Arrays.copyOfRange(tiny.array(), 60, tiny.position());
        }
        assertThat(Hex.format(b)).isEqualTo(Hex.format(a));
    }
}
