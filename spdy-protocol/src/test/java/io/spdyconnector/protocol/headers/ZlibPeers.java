package io.spdyconnector.protocol.headers;

import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import io.spdyconnector.protocol.codec.WriteBuffer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compressing and inflating peers that do not share our code, and a builder for raw name/value
 * bytes (SPEC §2.6.10), so header-block tests can produce any block, valid or not.
 */
final class ZlibPeers {
    private ZlibPeers() {
    }

    /** Raw name/value bytes: 32-bit big-endian counts and lengths, Latin-1 text. */
    static final class Nv {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** count, then name-length/name/value-length/value for each pair. */
        static byte[] pairs(String... namesAndValues) {
            Nv nv = new Nv().count(namesAndValues.length / 2);
            for (String s : namesAndValues) {
                nv.string(s);
            }
            return nv.bytes();
        }

        Nv count(int n) {
            return int32(n);
        }

        Nv int32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        /** A length-prefixed string. */
        Nv string(String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            int32(b.length);
            out.writeBytes(b);
            return this;
        }

        Nv raw(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A peer compressing with {@code java.util.zip} (the platform zlib), one context for all blocks. */
    static final class JdkPeer implements AutoCloseable {
        final Deflater deflater;

        JdkPeer(int level) {
            this(level, true);
        }

        JdkPeer(int level, boolean dictionary) {
            deflater = new Deflater(level);
            if (dictionary) {
                deflater.setDictionary(SpdyDictionary.bytes());
            }
        }

        /** One header block: everything up to and including the SYNC_FLUSH marker. */
        byte[] block(byte[] nv) {
            deflater.setInput(nv);
            return drain(Deflater.SYNC_FLUSH);
        }

        /** A block that ends the zlib stream (Z_FINISH) instead of flushing it. */
        byte[] finishingBlock(byte[] nv) {
            deflater.setInput(nv);
            deflater.finish();
            return drain(Deflater.NO_FLUSH);
        }

        private byte[] drain(int flush) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                int n = deflater.deflate(buf, 0, buf.length, flush);
                out.write(buf, 0, n);
                if (n < buf.length && (deflater.needsInput() || deflater.finished())) {
                    return out.toByteArray();
                }
            }
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    /** A peer compressing with JZlib, which, unlike {@code java.util.zip}, can choose its window bits. */
    static final class JzlibPeer {
        private final com.jcraft.jzlib.Deflater deflater;

        JzlibPeer(int level, int windowBits) {
            try {
                deflater = new com.jcraft.jzlib.Deflater(level, windowBits);
            } catch (GZIPException e) {
                throw new IllegalStateException(e);
            }
            byte[] dictionary = SpdyDictionary.bytes();
            int rc = deflater.setDictionary(dictionary, dictionary.length);
            if (rc != JZlib.Z_OK) {
                throw new IllegalStateException("setDictionary: " + rc);
            }
        }

        byte[] block(byte[] nv) {
            return block(nv, JZlib.Z_SYNC_FLUSH);
        }

        /** A block ended with another flush mode, e.g. {@code Z_PARTIAL_FLUSH}, which leaves no byte boundary. */
        byte[] block(byte[] nv, int flush) {
            deflater.setInput(nv);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            do {
                deflater.setOutput(buf);
                int rc = deflater.deflate(flush);
                if (rc != JZlib.Z_OK && rc != JZlib.Z_BUF_ERROR) {
                    throw new IllegalStateException("deflate: " + rc);
                }
                out.write(buf, 0, deflater.getNextOutIndex());
            } while (deflater.getAvailOut() == 0);
            return out.toByteArray();
        }
    }

    /** A plain wrapped {@link Inflater} that supplies the SPDY dictionary when asked: the reference receiver. */
    static final class JdkReceiver implements AutoCloseable {
        final Inflater inflater = new Inflater();

        /** Inflates one block to its name/value bytes. */
        byte[] inflate(byte[] block) throws DataFormatException {
            inflater.setInput(block);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                int n = inflater.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0) {
                    if (inflater.needsDictionary()) {
                        inflater.setDictionary(SpdyDictionary.bytes());
                    } else if (inflater.needsInput() || inflater.finished()) {
                        return out.toByteArray();
                    }
                }
            }
        }

        @Override
        public void close() {
            inflater.end();
        }
    }

    /** How {@link #parseNv} shows a NUL inside a value. */
    static final String NUL = "\u2400";

    /** Parses name/value bytes as the wire has them: one "name=value" per pair, NUL shown as {@link #NUL} (␀). */
    static List<String> parseNv(byte[] nv) {
        ByteBuffer b = ByteBuffer.wrap(nv);
        int count = b.getInt();
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = string(b);
            pairs.add(name + "=" + string(b).replace("\0", NUL));
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes after the last pair");
        }
        return pairs;
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return new String(s, StandardCharsets.ISO_8859_1);
    }

    /** What our encoder writes for one block. */
    static byte[] encode(HeaderBlockEncoder encoder, HeaderBlock headers) {
        WriteBuffer out = new WriteBuffer(256);
        encoder.encode(headers, out);
        return Arrays.copyOf(out.array(), out.position());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
