package io.spdyconnector.protocol.session;

/**
 * The flusher's side of a session: one reused {@link OutputBatch} filled from the
 * {@link OutboundQueue}, at most one in flight, the transport told of new output once until it
 * polls, and the minimum response data rate measured while a batch waits for the socket.
 * Guarded by the session lock; the flusher thread calls {@link #poll}, {@link #written} and
 * {@link #failed}.
 */
final class SessionOutput {
    /** The first batch, and every batch after the socket fell behind: 64 KiB, or less if so configured. */
    static final int START_BYTES = 64 * 1024;

    private final SpdySession session;
    private final Runnable signalTransport;
    private final OutputBatch batch = new OutputBatch();
    private final OutputRate rate;
    private boolean batchInFlight;
    /**
     * What the next batch may hold: {@link #START_BYTES} after a write the socket took only in
     * part, doubled after each full batch it took in one write, up to the configured maximum.
     */
    private int cap;
    /** The transport was told and has not polled since: telling it again would do no work. */
    private boolean signalled;

    SessionOutput(SpdySession session, Runnable signalTransport) {
        this.session = session;
        this.signalTransport = signalTransport;
        SessionConfig config = session.config;
        this.rate = new OutputRate(config.minResponseDataRate(), config.dataRateWindow());
        this.cap = startBytes(config);
    }

    private static int startBytes(SessionConfig config) {
        return Math.min(START_BYTES, config.maxOutputBatchBytes());
    }

    OutputBatch poll() {
        WriteCallback[] emptyWrites = null;
        session.lock.lock();
        try {
            signalled = false;
            if (batchInFlight || session.state == SpdySession.State.CLOSED) {
                return null;
            }
            session.queue.fill(batch, cap);
            if (session.state == SpdySession.State.CLOSING && !session.queue.hasOutput()) {
                batch.markLast();
            }
            if (batch.isEmpty() && !batch.isLast()) {
                // Writes that put nothing on the wire are done now, not with some later batch.
                emptyWrites = batch.takeCompletions();
                rate.idle();
                if (session.registry.isEmpty()) {
                    batch.reset(true);
                }
                return null;
            }
            batchInFlight = true;
            rate.batchStarted(session.config.nanoClock().getAsLong(), batch.bytes());
            session.counters.bytesQueued(batch.bytes());
            return batch;
        } finally {
            session.unlockAndRun();
            runAll(emptyWrites, null);
        }
    }

    void written(OutputBatch written, boolean inOneWrite) {
        WriteCallback[] done;
        session.lock.lock();
        try {
            checkInFlight(written);
            resize(written.bytes(), inOneWrite);
            done = written.takeCompletions();
            boolean last = written.isLast();
            // The arena stays while streams are open, so a busy session does not allocate one per
            // batch; a session without streams keeps none.
            written.reset(!session.queue.hasOutput() && session.registry.isEmpty());
            batchInFlight = false;
            rate.batchWritten();
            if (last) {
                session.closeNow(session.closeCause);
            } else if (session.queue.hasOutput() || session.state == SpdySession.State.CLOSING) {
                signal();
            }
        } finally {
            session.unlockAndRun();
        }
        runAll(done, null);
    }

    /**
     * A socket that takes whole batches as fast as they come gets larger ones, so that a large
     * response goes out in a few large writes, as over HTTP/1.1; once a write is left pending, the
     * socket is the limit and large batches would only make a more urgent frame wait behind them.
     */
    private void resize(long written, boolean inOneWrite) {
        if (!inOneWrite) {
            cap = startBytes(session.config);
        } else if (written >= cap) {
            cap = (int) Math.min((long) cap * 2, session.config.maxOutputBatchBytes());
        }
    }

    void failed(OutputBatch failed, Throwable cause) {
        WriteCallback[] done;
        session.lock.lock();
        try {
            checkInFlight(failed);
            done = failed.takeCompletions();
            failed.reset(true);
            batchInFlight = false;
            session.abort(cause);
        } finally {
            session.unlockAndRun();
        }
        runAll(done, cause);
    }

    String checkRate() {
        session.lock.lock();
        try {
            String slow = rate.check(session.config.nanoClock().getAsLong(), batchInFlight ? batch.remaining() : 0);
            if (slow != null) {
                session.guard.tripped();
            }
            return slow;
        } finally {
            session.lock.unlock();
        }
    }

    /** Tells the transport, once the lock is released, that there is output. Locked. */
    void signal() {
        if (!signalled && !batchInFlight && session.state != SpdySession.State.CLOSED) {
            signalled = true;
            session.defer(signalTransport);
        }
    }

    /** Bytes handed to the transport and not yet reported written. Locked. */
    long bytesInFlight() {
        return batchInFlight ? batch.bytes() : 0;
    }

    private void checkInFlight(OutputBatch b) {
        if (b != batch || !batchInFlight) {
            throw new IllegalStateException("not the batch in flight");
        }
    }

    private static void runAll(WriteCallback[] callbacks, Throwable failure) {
        if (callbacks != null) {
            for (WriteCallback c : callbacks) {
                SpdySession.runCallback(c, failure);
            }
        }
    }
}
