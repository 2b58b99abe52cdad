package io.spdyconnector.benchmarks;

import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.SpdyDictionary;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames as a compressing peer sends them, with the zlib window size of its choice: browsers,
 * node-spdy and spdylay compressed with window bits 11, zlib's default is 15.
 */
public final class PeerFrames {
    private final Deflater deflater;

    public PeerFrames(int windowBits) {
        try {
            deflater = new Deflater(6, windowBits, 8);
        } catch (GZIPException e) {
            throw new IllegalStateException(e);
        }
        byte[] dict = SpdyDictionary.bytes();
        deflater.setDictionary(dict, dict.length);
    }

    /** A SYN_STREAM (SPEC §2.6.1) carrying {@code headers}, compressed in this peer's context. */
    public byte[] synStream(int streamId, HeaderBlock headers, boolean fin) {
        byte[] block = compress(nameValues(headers));
        ByteBuffer f = ByteBuffer.allocate(18 + block.length);
        f.putShort((short) 0x8003).putShort((short) 1);
        f.putInt((fin ? 0x01000000 : 0) | (10 + block.length));
        f.putInt(streamId).putInt(0).put((byte) 0).put((byte) 0).put(block);
        return f.array();
    }

    private byte[] compress(byte[] input) {
        byte[] out = new byte[input.length + 1024];
        deflater.setInput(input);
        deflater.setOutput(out);
        int err = deflater.deflate(JZlib.Z_SYNC_FLUSH);
        if (err != JZlib.Z_OK || deflater.avail_in != 0) {
            throw new IllegalStateException("deflate failed: " + err);
        }
        return java.util.Arrays.copyOf(out, deflater.next_out_index);
    }

    static byte[] nameValues(HeaderBlock headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, headers.size());
        for (int i = 0; i < headers.size(); i++) {
            byte[] n = headers.name(i).getBytes(StandardCharsets.ISO_8859_1);
            byte[] v = headers.value(i).getBytes(StandardCharsets.ISO_8859_1);
            writeInt(out, n.length);
            out.writeBytes(n);
            writeInt(out, v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    public void end() {
        deflater.end();
    }
}
