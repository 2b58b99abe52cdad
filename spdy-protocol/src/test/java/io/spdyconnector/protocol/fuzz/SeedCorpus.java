package io.spdyconnector.protocol.fuzz;

import io.spdyconnector.protocol.codec.FrameEncoder;
import io.spdyconnector.protocol.codec.WriteBuffer;
import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.RstStatus;
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
import io.spdyconnector.protocol.headers.HeaderBlockEncoder;
import io.spdyconnector.protocol.headers.SpdyDictionary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

import static io.spdyconnector.protocol.testing.Sessions.get;
import static io.spdyconnector.protocol.testing.Sessions.ok;
import static io.spdyconnector.protocol.testing.Sessions.post;
import static io.spdyconnector.protocol.testing.Sessions.syn;

/**
 * Writes the seed corpus of the fuzz tests, built with the engine's own {@link FrameEncoder} and
 * {@link HeaderBlockEncoder} (and {@link Deflater} for blocks other compressors produce). Run it
 * in the {@code spdy-protocol} directory when an input format or an interesting case changes:
 * {@code mvn test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.spdyconnector.protocol.fuzz.SeedCorpus}. It overwrites the files it names and
 * leaves others alone. Output is the same on every run.
 */
public final class SeedCorpus {
    private static final String PACKAGE_DIR = "io/spdyconnector/protocol/fuzz";
    private static final byte[] WIDE_CHUNKS = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};
    private static final byte[] BYTE_CHUNKS = {0, 0, 0, 0};
    private static final byte[] MIXED_CHUNKS = {6, 0, 99, 2};

    private final Path dir;

    private SeedCorpus(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources").resolve(PACKAGE_DIR);
        new SeedCorpus(root.resolve("FrameDecoderFuzzTestInputs/decode")).frameDecoderSeeds();
        new SeedCorpus(root.resolve("HeaderBlockDecoderFuzzTestInputs/decode")).headerBlockSeeds();
        new SeedCorpus(root.resolve("SessionFuzzTestInputs/session")).sessionSeeds();
    }

    private void write(String name, byte[] plan, byte[] body) throws IOException {
        Files.createDirectories(dir);
        byte[] seed = Arrays.copyOf(plan, plan.length + body.length);
        System.arraycopy(body, 0, seed, plan.length, body.length);
        Files.write(dir.resolve(name), seed);
    }

    // ------------------------------------------------------------------ frames

    private void frameDecoderSeeds() throws IOException {
        write("syn-stream-get", WIDE_CHUNKS, client(CompressionPolicy.NONE, syn(1, true, get("/"))));
        write("syn-streams-fast", MIXED_CHUNKS, client(CompressionPolicy.FAST,
                syn(1, true, get("/a")), syn(3, true, get("/b")), syn(5, false, post("/c"))));
        write("syn-streams-best", BYTE_CHUNKS, client(CompressionPolicy.BEST,
                syn(1, true, get("/a")), syn(3, true, get("/a"))));
        write("syn-streams-safe", MIXED_CHUNKS, client(CompressionPolicy.SAFE,
                syn(1, true, withCookie(get("/a"))), syn(3, true, withCookie(get("/b")))));
        write("reply-headers-data", MIXED_CHUNKS, client(CompressionPolicy.NONE,
                new SynReplyFrame(1, false, ok()), data(1, "hello", false),
                new HeadersFrame(1, true, HeaderBlock.of("x-trailer", "1"))));
        write("post-with-data", BYTE_CHUNKS, client(CompressionPolicy.NONE,
                syn(1, false, post("/upload")), data(1, "abcdefghij", false), data(1, "", true)));
        write("control-frames", MIXED_CHUNKS, client(CompressionPolicy.NONE,
                new SettingsFrame(false, List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 100),
                        new Setting(Setting.FLAG_PERSIST_VALUE, Setting.INITIAL_WINDOW_SIZE, 16384))),
                new SettingsFrame(true, List.of()), new PingFrame(1), new WindowUpdateFrame(0, 983040),
                new WindowUpdateFrame(1, 1), new RstStreamFrame(1, RstStatus.CANCEL),
                new GoAwayFrame(1, GoAwayStatus.OK)));
        write("unknown-control-frames", WIDE_CHUNKS, concat(
                control(5, 0, new byte[0]), control(10, 0, new byte[20]), control(0xFFFF, 0xFF, new byte[3]),
                client(CompressionPolicy.NONE, new PingFrame(2))));
        write("oversized-control-frame", WIDE_CHUNKS, controlHeader(1, 0, 0x100000));
        write("oversized-data-frame", MIXED_CHUNKS, concat(dataHeader(1, 0, 0xFFFFFF), new byte[64]));
        byte[] syn = client(CompressionPolicy.NONE, syn(1, true, get("/truncated")));
        write("truncated-syn-stream", BYTE_CHUNKS, Arrays.copyOf(syn, syn.length - 9));
        write("truncated-ping", WIDE_CHUNKS, Arrays.copyOf(client(CompressionPolicy.NONE, new PingFrame(7)), 10));
        byte[] v2 = client(CompressionPolicy.NONE, new PingFrame(1));
        v2[1] = 2;
        write("wrong-version", WIDE_CHUNKS, v2);
        write("rst-stream-with-flags", WIDE_CHUNKS, control(3, 1, new byte[] {0, 0, 0, 1, 0, 0, 0, 5}));
        write("settings-count-mismatch", WIDE_CHUNKS, control(4, 0, new byte[] {0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 1}));
        write("window-update-zero", WIDE_CHUNKS, control(9, 0, new byte[8]));
        write("data-on-stream-0", WIDE_CHUNKS, dataHeader(0, 1, 0));
        write("ping-wrong-length", WIDE_CHUNKS, control(6, 0, new byte[8]));
        for (int level : new int[] {0, 1, 6, 9}) {
            byte[][] blocks = deflated(level, true, nameValues(":method", "GET", ":path", "/", ":version", "HTTP/1.1"),
                    nameValues(":method", "GET", ":path", "/second", ":version", "HTTP/1.1"));
            write("syn-stream-zlib-level-" + level, MIXED_CHUNKS,
                    concat(synStream(1, blocks[0]), synStream(3, blocks[1])));
        }
        byte[] finished = deflatedFinished(nameValues(":method", "GET"));
        write("syn-stream-zlib-finished", WIDE_CHUNKS, synStream(1, finished));
        byte[] noDictionary = deflated(6, false, nameValues(":method", "GET"))[0];
        write("syn-stream-no-dictionary", WIDE_CHUNKS, synStream(1, noDictionary));
        byte[] bomb = deflated(9, true, concat(nameValues("x", ""), new byte[200_000]))[0];
        write("syn-stream-zip-bomb", WIDE_CHUNKS, synStream(1, bomb));
        write("regression-syn-stream-limit-then-corrupt", BYTE_CHUNKS, synStream(1, limitThenCorrupt(66_000)));
        write("syn-stream-invalid-names", MIXED_CHUNKS, concat(
                synStream(1, concat(FuzzSupport.zlibHeader(FuzzSupport.CMF_2K),
                        FuzzSupport.storedBlock(nameValues("Upper", "x")))),
                synStream(3, FuzzSupport.storedBlock(nameValues("", "x"))),
                synStream(5, FuzzSupport.storedBlock(nameValues("a", "1", "a", "2")))));
    }

    // ---------------------------------------------------------- header blocks

    /** Plan: flags, budget 16384, 128 headers, inflate limit 32768, then the piece size. */
    private static byte[] headerPlan(int flags, int piece) {
        return new byte[] {(byte) flags, (byte) 255, 127, 6, (byte) ((piece - 1) >>> 8), (byte) (piece - 1)};
    }

    private void headerBlockSeeds() throws IOException {
        int nv = HeaderBlockDecoderFuzzTest.WRAP;
        int release = HeaderBlockDecoderFuzzTest.RELEASE_INFLATER | HeaderBlockDecoderFuzzTest.RELEASE_DEFLATER;
        for (CompressionPolicy p : CompressionPolicy.values()) {
            int reencode = p.ordinal() << 2;
            write("encoder-" + p.name().toLowerCase(java.util.Locale.ROOT), headerPlan(reencode, 7),
                    lengthPrefixed(encoded(p, withCookie(get("/a")), ok(), withCookie(get("/a")))));
        }
        for (int level : new int[] {0, 1, 6, 9}) {
            write("zlib-level-" + level, headerPlan(level << 2 & 0x0C | HeaderBlockDecoderFuzzTest.RELEASE_DEFLATER, 13),
                    lengthPrefixed(deflated(level, true, nameValues(":method", "GET", ":path", "/"),
                            nameValues(":method", "GET", ":path", "/", "accept", "text/html"))));
        }
        write("zlib-no-dictionary", headerPlan(0, 3), lengthPrefixed(deflated(6, false, nameValues(":path", "/"))));
        write("zlib-finished", headerPlan(0, 100), lengthPrefixed(deflatedFinished(nameValues(":path", "/"))));
        write("zlib-bomb", headerPlan(0, 64), lengthPrefixed(deflated(9, true, concat(nameValues("x", ""), new byte[100_000]))));
        byte[] corrupt = deflated(6, true, nameValues(":path", "/index.html", "accept", "*/*"))[0];
        corrupt[corrupt.length / 2] ^= 0x55;
        write("zlib-corrupt", headerPlan(0, 5), lengthPrefixed(corrupt));
        write("regression-limit-then-corrupt", headerPlan(0, 1), lengthPrefixed(limitThenCorrupt(33_000)));

        write("nv-request", headerPlan(nv | release, 1), lengthPrefixed(
                nameValues(":method", "GET", ":path", "/", ":version", "HTTP/1.1", ":host", "example.com"),
                nameValues(":status", "200 OK", ":version", "HTTP/1.1", "set-cookie", "a=1\0b=2"),
                nameValues("x-empty", ""), count(0)));
        write("nv-invalid", headerPlan(nv | release, 9), lengthPrefixed(
                nameValues("", "x"), nameValues("Upper", "x"), nameValues("a", "1", "a", "2"),
                nameValues("a", "\0x"), nameValues("a", "x\0"), nameValues("a", "x\0\0y"), nameValues("a b", "x")));
        write("nv-structure", headerPlan(nv, 2), lengthPrefixed(
                Arrays.copyOf(nameValues(":path", "/long/path"), 11), concat(nameValues("a", "b"), new byte[] {1}),
                count(-1), concat(count(1), count(-5)), concat(count(1), count(0x7FFFFFFF)), new byte[0]));
        byte[] many = new byte[0];
        for (int i = 0; i < 130; i++) {
            many = concat(many, pair("h" + i, "v"));
        }
        write("nv-too-many", headerPlan(nv, 1000), lengthPrefixed(concat(count(130), many)));
        byte[] onePair = headerPlan(nv, 3);
        onePair[2] = 0;
        write("nv-values-at-pair-limit", onePair, lengthPrefixed(nameValues("accept", "a\0b\0c"),
                nameValues("a", "1", "b", "2")));
        byte[] small = headerPlan(nv, 64);
        small[1] = 0;
        small[3] = 0;
        write("nv-over-limits", small, lengthPrefixed(nameValues("a", "x".repeat(100)),
                nameValues("b", "y".repeat(600)), nameValues("c", "z")));
    }

    // ---------------------------------------------------------------- sessions

    /**
     * Plan: chunks of 256, stream answers (reply and body of 100; body of 1000 ended later; reset;
     * headers only; trailers with credit held), four streams at most, default windows.
     */
    private static byte[] sessionPlan() {
        return new byte[] {(byte) 255, (byte) 255, (byte) 255, 0x40, 0x61, 0x02, 0x03, 0x2C, 0x18, 0};
    }

    private static byte[] sessionPlan(int index, int value) {
        byte[] plan = sessionPlan();
        plan[index] = (byte) value;
        return plan;
    }

    private void sessionSeeds() throws IOException {
        write("get", sessionPlan(), client(CompressionPolicy.NONE, syn(1, true, get("/"))));
        write("gets-over-limit", sessionPlan(), client(CompressionPolicy.NONE, syn(1, true, get("/1")),
                syn(3, true, get("/2")), syn(5, true, get("/3")), syn(7, true, get("/4")), syn(9, true, get("/5")),
                syn(11, true, get("/6"))));
        write("gets-compressed", sessionPlan(8, 0x19), client(CompressionPolicy.FAST, syn(1, true, get("/a")),
                syn(3, true, get("/b")), syn(5, true, withCookie(get("/c")))));
        write("post", sessionPlan(0, 3), client(CompressionPolicy.NONE, syn(1, false, post("/upload")),
                data(1, "x".repeat(1500), false), data(1, "end", true)));
        write("post-held-credit", sessionPlan(3, 0x04), client(CompressionPolicy.NONE, syn(1, false, post("/upload")),
                data(1, "y".repeat(2000), false), data(1, "", true)));
        write("settings-and-windows", sessionPlan(3, 0xC0), client(CompressionPolicy.NONE,
                new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 1000))),
                syn(1, true, get("/big")), new WindowUpdateFrame(1, 5000), new WindowUpdateFrame(0, 100_000),
                new SettingsFrame(false, List.of(new Setting(Setting.INITIAL_WINDOW_SIZE, 200_000)))));
        write("pings", sessionPlan(), client(CompressionPolicy.NONE, new PingFrame(1), new PingFrame(3),
                new PingFrame(2), syn(1, true, get("/")), new PingFrame(5)));
        write("goaway", sessionPlan(3, 0x01), client(CompressionPolicy.NONE, syn(1, true, get("/")),
                new GoAwayFrame(0, GoAwayStatus.OK), syn(3, true, get("/late"))));
        write("rst-stream", sessionPlan(), client(CompressionPolicy.NONE, syn(1, false, post("/")),
                new RstStreamFrame(1, RstStatus.CANCEL), data(1, "late", true), new RstStreamFrame(3, RstStatus.CANCEL)));
        write("unknown-frames", sessionPlan(), concat(control(4, 0, new byte[4]), control(10, 0, new byte[12]),
                client(CompressionPolicy.NONE, syn(1, true, get("/")))));
        write("flow-control-violation", sessionPlan(9, 0x01), client(CompressionPolicy.NONE,
                syn(1, false, post("/")), data(1, "z".repeat(1500), false), syn(3, false, post("/")),
                data(3, "z".repeat(900), true)));
        write("stream-errors", sessionPlan(), client(CompressionPolicy.NONE, syn(1, true, get("/")),
                data(1, "after fin", false), new HeadersFrame(1, true, HeaderBlock.of("x", "y")),
                data(9, "unknown", true), syn(3, false, get("/")), syn(3, false, get("/")),
                new SynReplyFrame(3, false, ok()), syn(2, true, get("/even"))));
        write("data-first", sessionPlan(), client(CompressionPolicy.NONE, data(1, "hello", true)));
        write("lower-stream-id", sessionPlan(), client(CompressionPolicy.NONE, syn(5, true, get("/")),
                syn(3, true, get("/"))));
        write("bytewise-input-closed", new byte[] {0, 0, 0, 0x41, 0x00, 0x0B, 0x22, 0x63, 0x38, 0x05},
                client(CompressionPolicy.NONE, syn(1, false, post("/")), data(1, "partial", false)));
        // The third stream error trips the abuse budget and fails the session mid-read; DATA in the
        // same read for a stream id of the server's parity must not queue a RST_STREAM behind the GOAWAY.
        write("regression-frames-after-session-error", sessionPlan(), client(CompressionPolicy.NONE,
                new PingFrame(1), data(101, "", true), data(103, "", true), data(105, "", true), data(108, "", true)));
        write("small-windows-big-body", new byte[] {(byte) 255, 40, (byte) 255, (byte) 0xE0, (byte) 0xC8, 0, 0, 0,
                (byte) 0xC0, 0x31}, client(CompressionPolicy.NONE, syn(1, true, get("/big")),
                new WindowUpdateFrame(1, 60_000), new WindowUpdateFrame(0, 60_000), syn(3, true, get("/big2"))));
    }

    // ------------------------------------------------------------------ helpers

    private static HeaderBlock withCookie(HeaderBlock h) {
        return h.add("cookie", "session=0123456789abcdef").add("user-agent", "seed/1.0");
    }

    private static DataFrame data(int stream, String text, boolean fin) {
        return new DataFrame(stream, ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)), fin);
    }

    /** The frames as one client would write them, sharing one compression context. */
    private static byte[] client(CompressionPolicy policy, Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (HeaderBlockEncoder headers = new HeaderBlockEncoder(policy)) {
            FrameEncoder encoder = new FrameEncoder(headers);
            for (Frame f : frames) {
                for (ByteBuffer b : encoder.encode(f)) {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    out.writeBytes(a);
                }
            }
        }
        return out.toByteArray();
    }

    /** Header blocks of one session as the encoder writes them (the zlib header in the first). */
    private static byte[][] encoded(CompressionPolicy policy, HeaderBlock... blocks) {
        byte[][] out = new byte[blocks.length][];
        try (HeaderBlockEncoder encoder = new HeaderBlockEncoder(policy)) {
            WriteBuffer buffer = new WriteBuffer(256);
            for (int i = 0; i < blocks.length; i++) {
                buffer.clear();
                encoder.encode(blocks[i], buffer);
                out[i] = Arrays.copyOf(buffer.array(), buffer.position());
            }
        }
        return out;
    }

    /** Header blocks of one session compressed by {@link Deflater}, each ending in a SYNC_FLUSH. */
    private static byte[][] deflated(int level, boolean dictionary, byte[]... blocks) {
        Deflater d = new Deflater(level);
        try {
            if (dictionary) {
                d.setDictionary(SpdyDictionary.bytes());
            }
            byte[][] out = new byte[blocks.length][];
            for (int i = 0; i < blocks.length; i++) {
                d.setInput(blocks[i]);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                int n;
                do {
                    n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    o.write(buf, 0, n);
                } while (n == buf.length || !d.needsInput());
                out[i] = o.toByteArray();
            }
            return out;
        } finally {
            d.end();
        }
    }

    /** One block that ends the zlib stream, as a peer that forgets SYNC_FLUSH would send. */
    private static byte[] deflatedFinished(byte[] block) {
        Deflater d = new Deflater(6);
        try {
            d.setDictionary(SpdyDictionary.bytes());
            d.setInput(block);
            d.finish();
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!d.finished()) {
                o.write(buf, 0, d.deflate(buf));
            }
            return o.toByteArray();
        } finally {
            d.end();
        }
    }

    /**
     * A block that inflates to a little more than {@code size} bytes and then names an invalid
     * deflate block type: which error comes first must not depend on how the block is split.
     */
    private static byte[] limitThenCorrupt(int size) {
        byte[] inflated = concat(count(1), pair("x", "0".repeat(size)));
        return concat(deflated(9, true, inflated)[0], new byte[] {0x06});
    }

    private static byte[] count(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    private static byte[] pair(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(8 + n.length + v.length).putInt(n.length).put(n).putInt(v.length).put(v).array();
    }

    /** Raw name/value bytes (SPEC §2.6.10), written as given so that invalid blocks can be built. */
    static byte[] nameValues(String... namesAndValues) {
        byte[] out = count(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out = concat(out, pair(namesAndValues[i], namesAndValues[i + 1]));
        }
        return out;
    }

    private static byte[] lengthPrefixed(byte[]... blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : blocks) {
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] controlHeader(int type, int flags, int length) {
        return new byte[] {(byte) 0x80, 3, (byte) (type >>> 8), (byte) type, (byte) flags,
            (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private static byte[] control(int type, int flags, byte[] payload) {
        return concat(controlHeader(type, flags, payload.length), payload);
    }

    private static byte[] dataHeader(int stream, int flags, int length) {
        return new byte[] {(byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream,
            (byte) flags, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    /** A SYN_STREAM carrying {@code block} as its compressed header block, as given. */
    private static byte[] synStream(int stream, byte[] block) {
        byte[] fixed = {0, 0, 0, (byte) stream, 0, 0, 0, 0, 0, 0};
        return control(1, 1, concat(fixed, block));
    }
}
