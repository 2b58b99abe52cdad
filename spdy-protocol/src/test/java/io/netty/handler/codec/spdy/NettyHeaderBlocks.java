package io.netty.handler.codec.spdy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Test-only door into Netty's SPDY header-block codecs, whose factories and methods are
 * package-private: the interop tests compress and inflate single header blocks with Netty's own
 * code, without any framing around them.
 */
public final class NettyHeaderBlocks {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private NettyHeaderBlocks() {
    }

    /** What {@code SpdyFrameCodec} uses on a modern JDK: {@link java.util.zip.Deflater} at {@code level}. */
    public static Encoder jdkEncoder(int level) {
        return new Encoder(SpdyHeaderBlockEncoder.newInstance(SpdyVersion.SPDY_3_1, level, 15, 8));
    }

    /**
     * Netty's own JZlib-based encoder, the only one of Netty's that takes window bits and memory
     * level. In Netty 4.2.20 it cannot encode a non-empty block: after deflating it calls
     * {@code skipBytes} on its empty output buffer instead of its input, which throws
     * IndexOutOfBoundsException. The public API never reaches it on Java 7+, which hides the bug.
     */
    public static Encoder nettyJZlibEncoder(int level, int windowBits, int memLevel) {
        return new Encoder(new SpdyHeaderBlockJZlibEncoder(SpdyVersion.SPDY_3_1, level, windowBits, memLevel));
    }

    /**
     * Netty's name/value serialization ({@link SpdyHeaderBlockRawEncoder}) compressed by JZlib with
     * the given window bits and memory level, primed with Netty's copy of the SPDY dictionary: what
     * {@link SpdyHeaderBlockJZlibEncoder} means to do, without its output-buffer bug.
     */
    public static Encoder jzlibEncoder(int level, int windowBits, int memLevel) {
        return new Encoder(new JZlibEncoder(level, windowBits, memLevel));
    }

    /** A frame codec whose outbound header blocks come from {@link #jzlibEncoder}. */
    public static SpdyFrameCodec jzlibFrameCodec(int maxChunkSize, int level, int windowBits, int memLevel) {
        return new SpdyFrameCodec(SpdyVersion.SPDY_3_1, maxChunkSize,
                SpdyHeaderBlockDecoder.newInstance(SpdyVersion.SPDY_3_1, 16384),
                new JZlibEncoder(level, windowBits, memLevel), true);
    }

    public static Decoder decoder(int maxHeaderSize) {
        return new Decoder(SpdyHeaderBlockDecoder.newInstance(SpdyVersion.SPDY_3_1, maxHeaderSize));
    }

    private static final class JZlibEncoder extends SpdyHeaderBlockRawEncoder {
        private final com.jcraft.jzlib.Deflater z = new com.jcraft.jzlib.Deflater();

        @SuppressWarnings("deprecation")
        JZlibEncoder(int level, int windowBits, int memLevel) {
            super(SpdyVersion.SPDY_3_1);
            check(z.deflateInit(level, windowBits, memLevel, com.jcraft.jzlib.JZlib.W_ZLIB), "deflateInit");
            check(z.deflateSetDictionary(SpdyCodecUtil.SPDY_DICT, SpdyCodecUtil.SPDY_DICT.length), "dictionary");
        }

        private static void check(int code, String what) {
            if (code != com.jcraft.jzlib.JZlib.Z_OK) {
                throw new IllegalStateException(what + " failed: " + code);
            }
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc, SpdyHeadersFrame frame) throws Exception {
            ByteBuf raw = super.encode(alloc, frame);
            try {
                byte[] in = new byte[raw.readableBytes()];
                raw.readBytes(in);
                z.next_in = in;
                z.next_in_index = 0;
                z.avail_in = in.length;
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                byte[] chunk = new byte[in.length + 64];
                do {
                    z.next_out = chunk;
                    z.next_out_index = 0;
                    z.avail_out = chunk.length;
                    int code = z.deflate(com.jcraft.jzlib.JZlib.Z_SYNC_FLUSH);
                    if (code != com.jcraft.jzlib.JZlib.Z_OK && code != com.jcraft.jzlib.JZlib.Z_BUF_ERROR) {
                        throw new IllegalStateException("deflate failed: " + code);
                    }
                    out.write(chunk, 0, z.next_out_index);
                } while (z.avail_out == 0);
                return Unpooled.wrappedBuffer(out.toByteArray());
            } finally {
                raw.release();
                z.next_in = null;
                z.next_out = null;
            }
        }

        @Override
        void end() {
            z.deflateEnd();
        }
    }

    /** One compression context: blocks must be encoded in wire order. */
    public static final class Encoder implements AutoCloseable {
        private final SpdyHeaderBlockEncoder delegate;

        private Encoder(SpdyHeaderBlockEncoder delegate) {
            this.delegate = delegate;
        }

        /** The compressed block of {@code frame}'s headers. */
        public byte[] encode(SpdyHeadersFrame frame) throws Exception {
            ByteBuf out = delegate.encode(ALLOC, frame);
            try {
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                return bytes;
            } finally {
                out.release();
            }
        }

        @Override
        public void close() {
            delegate.end();
        }
    }

    /** One decompression context: blocks must be fed in wire order. */
    public static final class Decoder implements AutoCloseable {
        private final SpdyHeaderBlockDecoder delegate;

        private Decoder(SpdyHeaderBlockDecoder delegate) {
            this.delegate = delegate;
        }

        /**
         * Inflates one block, handed over in pieces of at most {@code piece} bytes as a frame
         * decoder would, into a HEADERS frame whose {@code isInvalid()} / {@code isTruncated()}
         * report what Netty thought of it.
         */
        public SpdyHeadersFrame decode(byte[] block, int piece) throws Exception {
            SpdyHeadersFrame frame = new DefaultSpdyHeadersFrame(1);
            for (int off = 0; off < block.length; off += piece) {
                ByteBuf in = Unpooled.wrappedBuffer(block, off, Math.min(piece, block.length - off));
                try {
                    delegate.decode(ALLOC, in, frame);
                } finally {
                    in.release();
                }
            }
            delegate.endHeaderBlock(frame);
            return frame;
        }

        @Override
        public void close() {
            delegate.end();
        }
    }
}
