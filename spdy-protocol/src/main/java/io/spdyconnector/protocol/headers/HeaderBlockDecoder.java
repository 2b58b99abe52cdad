package io.spdyconnector.protocol.headers;

import io.spdyconnector.protocol.error.GoAwayStatus;
import io.spdyconnector.protocol.error.SessionException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates and parses the header blocks one peer sends on a session: one zlib context for the
 * whole session (SPEC §2.6.10.1), fed incrementally as compressed bytes arrive.
 *
 * <p>Every limit holds while inflating: output goes through a small chunk and is parsed on the
 * fly, so a block that inflates past the soft budget is still inflated to its end (keeping the
 * context in sync, SPEC §2.6.10.1) but its pairs are dropped, and a block that inflates past the
 * hard cap is a session error at once. A zip bomb therefore costs at most the hard cap in CPU and
 * the chunk in memory.
 *
 * <p>The zlib header is read here rather than by zlib, which lets the decoder check the dictionary
 * id, learn the window the peer declared, and drive a raw inflater whose state it can rebuild: see
 * {@link #release()}. Threading: one thread decodes (the session's reader); {@link #release()} and
 * {@link #close()} may come from any thread and take effect only between blocks.
 */
public final class HeaderBlockDecoder implements AutoCloseable {
    private static final int CHUNK = 4096;
    /** Each pair is charged its name, its value and 8 bytes, whatever the wire's length fields. */
    private static final int PAIR_OVERHEAD = 8;
    /** The last four bytes of a SYNC_FLUSH (or FULL_FLUSH): an empty stored block, {@code 00 00 ff ff}. */
    private static final int SYNC_MARKER = 0x0000FFFF;

    private final int maxHeaderCount;
    private final int hardCap;
    private final NameValueParser parser = new NameValueParser();
    private HeaderFormat format = HeaderFormat.SPDY_3;

    private final byte[] zlibHeader = new byte[6];
    private int zlibHeaderRead;
    private int zlibHeaderLength = 2;
    private WindowHistory history;

    private Inflater inflater;
    private byte[] chunk;
    private int inflatedInBlock;
    /** The last four compressed bytes inflated: {@code 00 00 ff ff} when the stream stopped at a flush. */
    private int tail;
    private boolean inBlock;
    private boolean closed;
    private final ReentrantLock lock = new ReentrantLock();

    public HeaderBlockDecoder(int maxHeaderCount, int hardCap) {
        this.maxHeaderCount = maxHeaderCount;
        this.hardCap = hardCap;
    }

    /**
     * Sets the layout of the peer's blocks. Only before the first block: the dictionary primes the
     * whole zlib stream.
     */
    public void format(HeaderFormat f) {
        if (zlibHeaderRead > 0) {
            throw new IllegalStateException("the header stream already started as " + format);
        }
        format = f;
        parser.format = f;
    }

    /** Starts a block whose pairs may retain at most {@code budget} bytes (8 + name + value each). */
    public void begin(int budget) {
        inflatedInBlock = 0;
        inBlock = true;
        parser.reset(budget, maxHeaderCount);
    }

    /** Inflates all of {@code compressed}, advancing its position to its limit. */
    public void feed(ByteBuffer compressed) throws SessionException {
        lock.lock();
        try {
            inflate(compressed);
        } finally {
            lock.unlock();
        }
    }

    private void inflate(ByteBuffer compressed) throws SessionException {
        if (closed) {
            throw new SessionException(GoAwayStatus.INTERNAL_ERROR, "session closed");
        }
        while (zlibHeaderRead < zlibHeaderLength && compressed.hasRemaining()) {
            readZlibHeaderByte(compressed.get());
        }
        if (!compressed.hasRemaining()) {
            return;
        }
        Inflater z = activeInflater();
        for (int i = Math.max(compressed.position(), compressed.limit() - 4); i < compressed.limit(); i++) {
            tail = (tail << 8) | (compressed.get(i) & 0xFF);
        }
        z.setInput(compressed);
        try {
            while (true) {
                // Never ask for more than one byte past the cap: zlib then stops at the same point
                // whatever the split of the input, so the same error wins (and no more is inflated).
                int room = (int) Math.min(CHUNK, (long) hardCap + 1 - inflatedInBlock);
                int n = z.inflate(chunk, 0, room);
                if (n > 0) {
                    inflatedInBlock += n;
                    if (inflatedInBlock > hardCap) {
                        throw new SessionException(GoAwayStatus.PROTOCOL_ERROR,
                                "header block inflates past " + hardCap + " bytes");
                    }
                    history.append(chunk, 0, n);
                    parser.parse(chunk, 0, n);
                } else if (z.finished()) {
                    // SPEC §2.6.10.1: one stream for the whole session; an end marker corrupts it.
                    throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "header block ended the zlib stream");
                } else {
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "corrupt header block: " + e.getMessage());
        }
        if (compressed.hasRemaining() || !z.needsInput()) {
            throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "header block not fully inflated");
        }
    }

    /** Ends the block: its pairs, or null when {@link #problem()} says why they cannot be used. */
    public HeaderBlock finish() {
        inBlock = false;
        return parser.finish();
    }

    public HeaderProblem problem() {
        return parser.problem;
    }

    public String problemDetail() {
        return parser.problemDetail;
    }

    /** Bytes the last block retained, counted as the budget counts them. */
    public int retainedBytes() {
        return parser.retained;
    }

    /**
     * Ends the native inflater between blocks, keeping only the window history on the heap; the
     * next block rebuilds it. Idle sessions thus hold no native zlib memory. Only done where the
     * peer's last block ended with a SYNC_FLUSH (SPEC §2.6.10.1): after any other flush the
     * inflater may hold bits of an unfinished byte, which the window does not capture.
     */
    public void release() {
        lock.lock();
        try {
            if (!inBlock && tail == SYNC_MARKER) {
                endInflater();
            }
        } finally {
            lock.unlock();
        }
    }

    private void endInflater() {
        ZlibResources.end(inflater);
        inflater = null;
        chunk = null;
    }

    /** Whether a native inflater is currently allocated. */
    public boolean holdsNativeState() {
        return inflater != null;
    }

    /** Bytes of window history kept on the heap (0 before the first block). */
    public int historyBytes() {
        return history == null ? 0 : history.capacity();
    }

    /** Ends the native state on every path, even in the middle of a block. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            endInflater();
            history = null;
        } finally {
            lock.unlock();
        }
    }

    private Inflater activeInflater() {
        if (inflater == null) {
            inflater = ZlibResources.newRawInflater();
            inflater.setDictionary(history.toArray());
            chunk = new byte[CHUNK];
        }
        return inflater;
    }

    private void readZlibHeaderByte(byte b) throws SessionException {
        zlibHeader[zlibHeaderRead++] = b;
        if (zlibHeaderRead == 2) {
            int cmf = zlibHeader[0] & 0xFF;
            int flg = zlibHeader[1] & 0xFF;
            if ((cmf & 0x0F) != 8 || (cmf >>> 4) > 7 || ((cmf << 8) | flg) % 31 != 0) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR, "header block is not a zlib stream");
            }
            int windowSize = 1 << ((cmf >>> 4) + 8);
            // Window bits the peer declared: its distances never reach further back than this.
            history = new WindowHistory(windowSize, format.dictionary());
            if ((flg & 0x20) != 0) {
                zlibHeaderLength = 6;
            }
        } else if (zlibHeaderRead == 6) {
            int dictId = ((zlibHeader[2] & 0xFF) << 24) | ((zlibHeader[3] & 0xFF) << 16)
                    | ((zlibHeader[4] & 0xFF) << 8) | (zlibHeader[5] & 0xFF);
            // SPEC §2.6.10.1: both contexts are primed with the version's dictionary.
            if (dictId != format.dictionaryId()) {
                throw new SessionException(GoAwayStatus.PROTOCOL_ERROR,
                        "header block uses an unknown dictionary " + Integer.toHexString(dictId));
            }
        }
    }

    /** Parses inflated name/value bytes incrementally (SPEC §2.6.10), enforcing the budget. */
    private static final class NameValueParser {
        private static final int COUNT = 0;
        private static final int NAME_LENGTH = 1;
        private static final int NAME = 2;
        private static final int VALUE_LENGTH = 3;
        private static final int VALUE = 4;
        private static final int END = 5;

        HeaderFormat format = HeaderFormat.SPDY_3;
        private int state;
        private int intValue;
        private int intBytes;
        private int pairsLeft;
        private int stringLength;
        private byte[] partial = new byte[64];
        private int partialLength;
        private String name;
        private HeaderBlock block;
        private int budget;
        private int maxCount;
        private int retained;
        private boolean discarding;
        HeaderProblem problem;
        String problemDetail;

        void reset(int budget, int maxCount) {
            this.maxCount = maxCount;
            state = COUNT;
            intValue = 0;
            intBytes = 0;
            partialLength = 0;
            name = null;
            block = null;
            this.budget = budget;
            retained = 0;
            discarding = false;
            problem = null;
            problemDetail = null;
        }

        void parse(byte[] in, int offset, int length) {
            int p = offset;
            int end = offset + length;
            while (p < end) {
                switch (state) {
                    case COUNT:
                    case NAME_LENGTH:
                    case VALUE_LENGTH:
                        int size = format.lengthSize();
                        while (p < end && intBytes < size) {
                            intValue = (intValue << 8) | (in[p++] & 0xFF);
                            intBytes++;
                        }
                        if (intBytes == size) {
                            onInt(intValue);
                            intValue = 0;
                            intBytes = 0;
                        }
                        break;
                    case NAME:
                    case VALUE:
                        p = onStringBytes(in, p, end);
                        break;
                    default:
                        fail(HeaderProblem.INVALID, "bytes after the last header pair");
                        return;
                }
            }
        }

        private void onInt(int value) {
            if (state == COUNT) {
                if (value < 0) {
                    fail(HeaderProblem.INVALID, "negative header count");
                    state = END;
                    return;
                }
                pairsLeft = value;
                if (value > maxCount) {
                    fail(HeaderProblem.TOO_LARGE, value + " headers, over the limit of " + maxCount);
                }
                block = new HeaderBlock(Math.min(value, 32));
                state = value == 0 ? END : NAME_LENGTH;
                return;
            }
            if (value < 0) {
                fail(HeaderProblem.INVALID, "negative header length");
                state = END;
                return;
            }
            stringLength = value;
            partialLength = 0;
            if (state == NAME_LENGTH) {
                // SPEC §2.6.10: zero-length names are a stream error.
                if (value == 0) {
                    fail(HeaderProblem.INVALID, "empty header name");
                }
                state = NAME;
            } else {
                state = VALUE;
            }
            charge((long) value + (state == NAME ? PAIR_OVERHEAD : 0));
            if (value == 0) {
                completeString(null, 0, 0);
            }
        }

        private void charge(long bytes) {
            // A length near 2^31 must not wrap the total negative and slip under the budget.
            retained = (int) Math.min(Integer.MAX_VALUE, retained + bytes);
            if (retained > budget && !discarding) {
                fail(HeaderProblem.TOO_LARGE, "header block over " + budget + " bytes");
            }
        }

        private int onStringBytes(byte[] in, int p, int end) {
            int need = stringLength - partialLength;
            int available = end - p;
            if (partialLength == 0 && available >= need) {
                completeString(in, p, need);
                return p + need;
            }
            int take = Math.min(need, available);
            if (!discarding) {
                if (partial.length < partialLength + take) {
                    partial = java.util.Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + take));
                }
                System.arraycopy(in, p, partial, partialLength, take);
            }
            partialLength += take;
            if (partialLength == stringLength) {
                completeString(partial, 0, stringLength);
            }
            return p + take;
        }

        private void completeString(byte[] bytes, int offset, int length) {
            if (state == NAME) {
                name = discarding ? null : decodeName(bytes, offset, length);
                state = VALUE_LENGTH;
                return;
            }
            if (!discarding && name != null) {
                addValues(name, bytes, offset, length);
            }
            name = null;
            pairsLeft--;
            state = pairsLeft == 0 ? END : NAME_LENGTH;
        }

        private String decodeName(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                int c = bytes[i] & 0xFF;
                // SPEC §2.6.10: names are lowercase US-ASCII without NUL.
                if (c <= 0x20 || c >= 0x7F || (c >= 'A' && c <= 'Z')) {
                    fail(HeaderProblem.INVALID, "illegal character 0x" + Integer.toHexString(c) + " in header name");
                    return null;
                }
            }
            String n = format.fromWire(HeaderNames.canonical(bytes, offset, length));
            if (block.contains(n)) {
                // SPEC §2.6.10: a name appears at most once per block.
                fail(HeaderProblem.INVALID, "duplicate header name " + n);
                return null;
            }
            return n;
        }

        private void addValues(String n, byte[] bytes, int offset, int length) {
            if (length == 0) {
                addValue(n, "");
                return;
            }
            int start = offset;
            int end = offset + length;
            for (int i = offset; i <= end; i++) {
                if (i == end || bytes[i] == 0) {
                    // SPEC §2.6.10: NUL only separates non-empty values.
                    if (i == start) {
                        fail(HeaderProblem.INVALID, "empty value part in header " + n);
                        return;
                    }
                    if (!addValue(n, new String(bytes, start, i - start, StandardCharsets.ISO_8859_1))) {
                        return;
                    }
                    start = i + 1;
                }
            }
        }

        private boolean addValue(String n, String value) {
            // Each NUL-separated value becomes an entry of its own, so the count limit covers values.
            if (block.size() >= maxCount) {
                fail(HeaderProblem.TOO_LARGE, "more than " + maxCount + " header values");
                return false;
            }
            block.addRaw(n, value);
            return true;
        }

        private void fail(HeaderProblem p, String detail) {
            if (problem == null || (problem == HeaderProblem.TOO_LARGE && p == HeaderProblem.INVALID)) {
                problem = p;
                problemDetail = detail;
            }
            discarding = true;
        }

        HeaderBlock finish() {
            if (state != END && problem == null) {
                fail(HeaderProblem.INVALID, "truncated header block");
            }
            HeaderBlock result = problem == null ? block : null;
            block = null;
            name = null;
            if (partial.length > 1024) {
                partial = new byte[64];
            }
            return result;
        }
    }
}
