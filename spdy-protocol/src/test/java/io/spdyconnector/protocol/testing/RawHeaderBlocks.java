package io.spdyconnector.protocol.testing;

import io.spdyconnector.protocol.headers.SpdyDictionary;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * Header blocks a correct encoder would never write (zero-length names, thousands of pairs,
 * zip bombs), compressed with {@code java.util.zip} in one context per connection as SPEC
 * §2.6.10.1 requires, and the SYN_STREAM frames that carry them. Every block a connection sends
 * must come from the same instance, or the server's context goes out of sync.
 */
public final class RawHeaderBlocks implements AutoCloseable {
    private final Deflater deflater;

    public RawHeaderBlocks(int level) {
        deflater = new Deflater(level);
        deflater.setDictionary(SpdyDictionary.bytes());
    }

    /** Name/value bytes of SPDY/3 (SPEC §2.6.10): a 32-bit count, then length-prefixed names and values. */
    public static byte[] pairs(String... namesAndValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, namesAndValues.length / 2);
        for (String s : namesAndValues) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(out, b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** {@code count} copies of one pair after the given ones, built without holding them as strings. */
    public static byte[] pairsRepeated(int count, String name, String value, String... first) {
        byte[] head = pairs(first);
        byte[] one = pairs(name, value);
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + count * (one.length - 4));
        writeInt(out, first.length / 2 + count);
        out.write(head, 4, head.length - 4);
        for (int i = 0; i < count; i++) {
            out.write(one, 4, one.length - 4);
        }
        return out.toByteArray();
    }

    /** Compresses {@code nv} as the next block of this context, ending with a SYNC_FLUSH. */
    public byte[] block(byte[] nv) {
        deflater.setInput(nv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    /** A SYN_STREAM frame (SPEC §2.6.1) carrying {@code block} as it is. */
    public static byte[] synStream(int streamId, boolean fin, byte[] block) {
        return controlFrame(1, fin ? 1 : 0, ByteBuffer.allocate(10 + block.length).putInt(streamId).putInt(0)
                .put((byte) 0).put((byte) 0).put(block).array());
    }

    /** A HEADERS frame (SPEC §2.6.7) carrying {@code block} as it is. */
    public static byte[] headers(int streamId, boolean fin, byte[] block) {
        return controlFrame(8, fin ? 1 : 0, ByteBuffer.allocate(4 + block.length).putInt(streamId).put(block).array());
    }

    /** Any SPDY/3 control frame: {@code 80 03 TT TT FF LL LL LL payload}. */
    public static byte[] controlFrame(int type, int flags, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putShort((short) 0x8003).putShort((short) type)
                .putInt((flags << 24) | payload.length).put(payload).array();
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    @Override
    public void close() {
        deflater.end();
    }
}
