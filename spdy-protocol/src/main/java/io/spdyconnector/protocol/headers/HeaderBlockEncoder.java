package io.spdyconnector.protocol.headers;

import io.spdyconnector.protocol.codec.WriteBuffer;

import java.util.zip.Deflater;

/**
 * Serializes header blocks into the outbound zlib context of a session (SPEC §2.6.10), under a
 * {@link CompressionPolicy}. Repeated names are joined with NUL into one pair, as the spec asks.
 *
 * <p>{@link CompressionPolicy#NONE} writes the zlib framing itself: a header declaring an 11-bit
 * window and the SPDY dictionary, then per block one stored block per 65,535 bytes and the
 * SYNC_FLUSH marker. Compressing policies drive a raw {@link Deflater} behind the same hand-written
 * zlib header, which lets {@link #release()} end the deflater between blocks and rebuild it later
 * from the retained window. Not thread-safe; the session calls it under its lock.
 */
public final class HeaderBlockEncoder implements AutoCloseable {
    private static final int STORED_MAX = 65535;
    private static final int WINDOW_32K = 32768;
    private static final String[] SENSITIVE = {
        "cookie", "set-cookie", "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate",
    };

    private final CompressionPolicy policy;
    private HeaderFormat format = HeaderFormat.SPDY_3;
    private boolean headerWritten;
    private boolean closed;

    // Compressing policies only.
    private Deflater deflater;
    private WindowHistory history;
    private WriteBuffer raw;

    public HeaderBlockEncoder(CompressionPolicy policy) {
        this.policy = policy;
    }

    public CompressionPolicy policy() {
        return policy;
    }

    /** Sets the layout of this side's blocks; only before the first block, whose dictionary it picks. */
    public void format(HeaderFormat f) {
        if (headerWritten) {
            throw new IllegalStateException("the header stream already started as " + format);
        }
        format = f;
    }

    /** Appends the compressed form of {@code headers} to {@code out}. */
    public void encode(HeaderBlock headers, WriteBuffer out) {
        if (closed) {
            // The context is gone: a new one would start without a zlib header and leak its deflater.
            throw new IllegalStateException("header encoder closed");
        }
        if (!headerWritten) {
            writeZlibHeader(out);
            headerWritten = true;
        }
        if (policy == CompressionPolicy.NONE) {
            encodeStored(headers, out);
        } else {
            encodeDeflated(headers, out);
        }
    }

    private void writeZlibHeader(WriteBuffer out) {
        // CMF: deflate with an 11-bit window for stored output (nothing is ever referenced), else 15.
        int cmf = policy == CompressionPolicy.NONE ? 0x38 : 0x78;
        int level = policy == CompressionPolicy.BEST ? 3 : 0;
        int flg = (level << 6) | 0x20;
        flg |= (31 - ((cmf << 8 | flg) % 31)) % 31;
        out.putByte(cmf);
        out.putByte(flg);
        // SPEC §2.6.10.1: FDICT with the Adler-32 of the version's dictionary.
        out.putInt(format.dictionaryId());
    }

    private void encodeStored(HeaderBlock headers, WriteBuffer out) {
        int headerAt = out.position();
        out.ensure(5);
        out.position(headerAt + 5);
        writeNameValues(headers, out, false);
        int length = out.position() - headerAt - 5;
        if (length <= STORED_MAX) {
            out.position(headerAt);
            storedBlockHeader(out, length);
            out.position(headerAt + 5 + length);
        } else {
            // Rare: a block over 64 KiB is cut into several stored blocks.
            byte[] whole = java.util.Arrays.copyOfRange(out.array(), headerAt + 5, headerAt + 5 + length);
            out.position(headerAt);
            for (int off = 0; off < length; off += STORED_MAX) {
                int n = Math.min(STORED_MAX, length - off);
                storedBlockHeader(out, n);
                out.putBytes(whole, off, n);
            }
        }
        // The empty stored block zlib emits for SYNC_FLUSH.
        storedBlockHeader(out, 0);
    }

    private static void storedBlockHeader(WriteBuffer out, int n) {
        out.ensure(5);
        byte[] a = out.array();
        int p = out.position();
        a[p] = 0;
        a[p + 1] = (byte) n;
        a[p + 2] = (byte) (n >>> 8);
        a[p + 3] = (byte) ~n;
        a[p + 4] = (byte) (~n >>> 8);
        out.position(p + 5);
    }

    private void encodeDeflated(HeaderBlock headers, WriteBuffer out) {
        if (raw == null) {
            raw = new WriteBuffer(1024);
        }
        raw.clear();
        boolean safe = policy == CompressionPolicy.SAFE;
        // SAFE writes the sensitive pairs after all others; names are unique, so order carries no meaning.
        int sensitiveStart = writeNameValues(headers, raw, safe);
        int end = raw.position();
        Deflater z = activeDeflater();
        if (sensitiveStart == end) {
            deflate(z, raw.array(), 0, end, Deflater.SYNC_FLUSH, out);
            history.append(raw.array(), 0, end);
        } else {
            // The full flush clears zlib's match history: nothing compressed later can reach back past it.
            // The secrets follow as stored blocks the deflater never sees, so they are never matched either.
            deflate(z, raw.array(), 0, sensitiveStart, Deflater.FULL_FLUSH, out);
            for (int off = sensitiveStart; off < end; off += STORED_MAX) {
                int n = Math.min(STORED_MAX, end - off);
                storedBlockHeader(out, n);
                out.putBytes(raw.array(), off, n);
            }
            // The empty stored block of a SYNC_FLUSH, so every block ends the way zlib ends one.
            storedBlockHeader(out, 0);
            history.clear();
        }
        raw.clear();
        raw.trimTo(4096);
    }

    private static void deflate(Deflater z, byte[] input, int offset, int length, int flush, WriteBuffer out) {
        z.setInput(input, offset, length);
        while (true) {
            out.ensure(Math.max(64, length / 2 + 16));
            int space = out.array().length - out.position();
            int n = z.deflate(out.array(), out.position(), space, flush);
            out.position(out.position() + n);
            if (n < space && z.needsInput()) {
                return;
            }
        }
    }

    private Deflater activeDeflater() {
        if (deflater == null) {
            int level = policy == CompressionPolicy.BEST ? Deflater.BEST_COMPRESSION : Deflater.BEST_SPEED;
            deflater = ZlibResources.newRawDeflater(level);
            if (history == null) {
                history = new WindowHistory(WINDOW_32K, format.dictionary());
            }
            byte[] dictionary = history.toArray();
            if (dictionary.length > 0) {
                deflater.setDictionary(dictionary);
            }
        }
        return deflater;
    }

    /**
     * Ends the native deflater between blocks; the window history (32 KiB on the heap) rebuilds it
     * for the next block. A no-op under {@link CompressionPolicy#NONE}, which holds no native state.
     */
    public void release() {
        ZlibResources.end(deflater);
        deflater = null;
    }

    public boolean holdsNativeState() {
        return deflater != null;
    }

    /** Heap bytes kept between blocks for the uncompressed name/value bytes (compressing policies). */
    int scratchCapacity() {
        return raw == null ? 0 : raw.array().length;
    }

    @Override
    public void close() {
        closed = true;
        release();
        history = null;
        raw = null;
    }

    private static int firstIndexOf(HeaderBlock headers, String name, int upTo) {
        for (int j = 0; j < upTo; j++) {
            if (headers.name(j).equals(name)) {
                return j;
            }
        }
        return upTo;
    }

    /**
     * Writes the pairs, joining the values of a repeated name with NUL (SPEC §2.6.10). With
     * {@code sensitiveLast}, sensitive pairs are written after all others; returns where they start
     * (the end of the block when there are none).
     */
    private int writeNameValues(HeaderBlock headers, WriteBuffer out, boolean sensitiveLast) {
        int countAt = out.position();
        putLength(out, 0);
        int pairs = writePairs(headers, out, sensitiveLast ? Boolean.FALSE : null);
        int sensitiveStart = out.position();
        if (sensitiveLast) {
            pairs += writePairs(headers, out, Boolean.TRUE);
        }
        setLength(out, countAt, pairs, "header count");
        return sensitiveStart;
    }

    private void putLength(WriteBuffer out, int n) {
        if (n > format.maxLength()) {
            throw new IllegalArgumentException("header name of " + n + " bytes does not fit " + format + "'s 16-bit field");
        }
        if (format.lengthSize() == 2) {
            out.putShort(n);
        } else {
            out.putInt(n);
        }
    }

    private void setLength(WriteBuffer out, int at, int n, String what) {
        if (n > format.maxLength()) {
            // Only SPDY/2 has 16-bit fields; such a block cannot be expressed, so nothing of it goes out.
            throw new IllegalArgumentException(what + " of " + n + " does not fit " + format + "'s 16-bit field");
        }
        if (format.lengthSize() == 2) {
            out.array()[at] = (byte) (n >>> 8);
            out.array()[at + 1] = (byte) n;
        } else {
            out.setInt(at, n);
        }
    }

    /** Writes the pairs whose sensitivity matches {@code sensitive} (all when null); returns how many. */
    private int writePairs(HeaderBlock headers, WriteBuffer out, Boolean sensitive) {
        int n = headers.size();
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            String name = headers.name(i);
            if (firstIndexOf(headers, name, i) < i || (sensitive != null && sensitive != isSensitive(name))) {
                continue;
            }
            pairs++;
            String wireName = format.toWire(name);
            putLength(out, wireName.length());
            putLatin1(out, wireName);
            int lengthAt = out.position();
            putLength(out, 0);
            int start = out.position();
            boolean any = false;
            for (int j = i; j < n; j++) {
                if (j == i || headers.name(j).equals(name)) {
                    String value = headers.value(j);
                    if (any && value.isEmpty()) {
                        continue;
                    }
                    if (any) {
                        out.putByte(0);
                    }
                    putLatin1(out, value);
                    any = any || !value.isEmpty();
                }
            }
            setLength(out, lengthAt, out.position() - start, "value of " + name);
        }
        return pairs;
    }

    private static boolean isSensitive(String name) {
        for (String s : SENSITIVE) {
            if (s.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Latin-1 bytes; other characters become '?', and NUL becomes a space so it never splits a value. */
    private static void putLatin1(WriteBuffer out, String s) {
        int len = s.length();
        out.ensure(len);
        byte[] a = out.array();
        int p = out.position();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            a[p++] = c == 0 ? (byte) ' ' : c < 256 ? (byte) c : (byte) '?';
        }
        out.position(p);
    }
}
