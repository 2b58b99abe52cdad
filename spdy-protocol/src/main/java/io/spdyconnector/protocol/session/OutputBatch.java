package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.codec.WriteBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Bytes for the transport to write with one gathering write: control frames and DATA headers in a
 * reused arena, DATA payloads as views of the writers' own buffers. Hand it back with
 * {@link SpdySession#outputWritten} (or {@code outputFailed}) once written; only then do the
 * writers' callbacks complete.
 */
public final class OutputBatch {
    private WriteBuffer arena;
    private ByteBuffer[] buffers = new ByteBuffer[8];
    private int count;
    private int runStart;
    private long bytes;
    private WriteCallback[] completions = new WriteCallback[4];
    private int completionCount;
    private boolean last;
    private ByteBuffer[] exact;

    /** The buffers to write, in order (an exact-length array). */
    public ByteBuffer[] buffers() {
        if (exact == null) {
            closeRun();
            exact = Arrays.copyOf(buffers, count);
        }
        return exact;
    }

    /** Total bytes in {@link #buffers()}. */
    public long bytes() {
        return bytes + (arena == null ? 0 : arena.position() - runStart);
    }

    /**
     * Bytes of {@link #buffers()} the transport has not taken yet: it moves their positions as it
     * writes. Read from another thread it may lag, which only makes the peer look slower for a moment.
     */
    public long remaining() {
        ByteBuffer[] written = exact;
        if (written == null) {
            return bytes();
        }
        long r = 0;
        for (ByteBuffer b : written) {
            r += b.remaining();
        }
        return r;
    }

    /** Whether the transport must close once this batch is written: the session is over. */
    public boolean isLast() {
        return last;
    }

    public boolean isEmpty() {
        return bytes() == 0;
    }

    WriteBuffer arena() {
        if (arena == null) {
            arena = new WriteBuffer(4096);
        }
        return arena;
    }

    void addPayload(ByteBuffer payload) {
        closeRun();
        add(payload);
        bytes += payload.remaining();
    }

    private void closeRun() {
        if (arena == null) {
            return;
        }
        int end = arena.position();
        if (end > runStart) {
            add(ByteBuffer.wrap(arena.array(), runStart, end - runStart));
            bytes += end - runStart;
            runStart = end;
        }
    }

    private void add(ByteBuffer b) {
        if (count == buffers.length) {
            buffers = Arrays.copyOf(buffers, count * 2);
        }
        buffers[count++] = b;
    }

    void addCompletion(WriteCallback callback) {
        if (callback == null || callback == WriteCallback.NOOP) {
            return;
        }
        if (completionCount == completions.length) {
            completions = Arrays.copyOf(completions, completionCount * 2);
        }
        completions[completionCount++] = callback;
    }

    void markLast() {
        last = true;
    }

    /** Takes the callbacks out, so they can run after the batch has been reset. */
    WriteCallback[] takeCompletions() {
        WriteCallback[] taken = completionCount == 0 ? null : Arrays.copyOf(completions, completionCount);
        Arrays.fill(completions, 0, completionCount, null);
        completionCount = 0;
        return taken;
    }

    /** Empties the batch; {@code idle} also drops the arena, so an idle session keeps no buffer. */
    void reset(boolean idle) {
        Arrays.fill(buffers, 0, count, null);
        count = 0;
        runStart = 0;
        bytes = 0;
        exact = null;
        if (idle) {
            arena = null;
        } else if (arena != null) {
            arena.clear();
            arena.trimTo(65536);
        }
        last = false;
    }
}
