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
    private static final ByteBuffer[] NO_VIEWS = new ByteBuffer[0];
    /**
     * Views kept for the next batch: a 1 MiB batch of 16 KiB DATA frames needs about 65. A batch of
     * unusually many small frames leaves nothing that large behind.
     */
    private static final int MAX_KEPT_VIEWS = 128;

    private WriteBuffer arena;
    private ByteBuffer[] buffers = new ByteBuffer[8];
    private int count;
    private int runStart;
    private long bytes;
    private WriteCallback[] completions = new WriteCallback[4];
    private int completionCount;
    private boolean last;
    private ByteBuffer[] exact;
    /** The last exact-length array, reused by the next batch of the same length. */
    private ByteBuffer[] spareExact;
    /**
     * Views of the arena, one per run of arena bytes, reused batch after batch: a download adds a
     * DATA header run per frame, and a view each would be the only allocation of most frames.
     */
    private ByteBuffer[] arenaViews = NO_VIEWS;
    private int arenaViewCount;

    /** The buffers to write, in order (an exact-length array). */
    public ByteBuffer[] buffers() {
        if (exact == null) {
            closeRun();
            ByteBuffer[] array = spareExact != null && spareExact.length == count ? spareExact : new ByteBuffer[count];
            System.arraycopy(buffers, 0, array, 0, count);
            exact = array;
            spareExact = array;
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
            // Null once the batch was reset, when the array is the next batch's to fill.
            if (b != null) {
                r += b.remaining();
            }
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
            add(arenaView(runStart, end));
            bytes += end - runStart;
            runStart = end;
        }
    }

    /** Drops the views of arrays the arena has let go, which they would keep alive, and a long view array. */
    private void forgetStaleViews() {
        if (arena == null || arenaViews.length > MAX_KEPT_VIEWS) {
            arenaViews = NO_VIEWS;
            return;
        }
        byte[] array = arena.array();
        for (int i = 0; i < arenaViews.length; i++) {
            if (arenaViews[i] != null && arenaViews[i].array() != array) {
                arenaViews[i] = null;
            }
        }
    }

    /** A view of the arena's bytes from {@code start} to {@code end}, reusing an earlier batch's. */
    private ByteBuffer arenaView(int start, int end) {
        byte[] array = arena.array();
        if (arenaViewCount == arenaViews.length) {
            arenaViews = Arrays.copyOf(arenaViews, Math.max(4, arenaViewCount * 2));
        }
        ByteBuffer view = arenaViews[arenaViewCount];
        // The arena's array changes when it grows or is trimmed: a view of the old one is dropped.
        if (view == null || view.array() != array) {
            view = ByteBuffer.wrap(array);
            arenaViews[arenaViewCount] = view;
        }
        arenaViewCount++;
        view.limit(end).position(start);
        return view;
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
        if (exact != null) {
            // The writers' buffers are theirs again: the spare array must not keep them.
            Arrays.fill(exact, null);
        }
        count = 0;
        runStart = 0;
        bytes = 0;
        exact = null;
        arenaViewCount = 0;
        if (idle) {
            arena = null;
            spareExact = null;
            arenaViews = NO_VIEWS;
        } else {
            if (arena != null) {
                arena.clear();
                arena.trimTo(65536);
            }
            forgetStaleViews();
            if (spareExact != null && spareExact.length > 2 * MAX_KEPT_VIEWS) {
                spareExact = null;
            }
        }
        last = false;
    }
}
