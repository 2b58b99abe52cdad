package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.WriteCallback;
import org.apache.coyote.CloseNowException;
import org.apache.coyote.http11.HttpOutputBuffer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response body of one stream, in the place of HTTP/2's {@code StreamOutputBuffer}: what the
 * application writes becomes SYN_REPLY, DATA and trailing HEADERS.
 *
 * <p>Bytes are copied (Coyote reuses its buffer as soon as {@code doWrite} returns) into a chunk of
 * up to {@value #CHUNK} bytes that is held back until the next write, a flush or the end, so the
 * last DATA frame carries the FIN. A full chunk goes to the engine, whose write callback completes
 * once the bytes are on the socket: that is the back-pressure. A blocking writer waits while more
 * than one chunk is in the engine (so memory per stream stays at two chunks whatever the peer's
 * window); a non-blocking writer is told {@code isReady() == false} until every chunk is written,
 * and {@code onWritePossible} runs when the last callback completes, which needs both the SPDY
 * windows and a writable socket.
 *
 * <p>Two locks: {@code writeLock} serialises the application's writes and may be held across
 * engine calls; {@code stateLock} guards what write completions change and is never held across a
 * call out.
 */
final class SpdyStreamOutputBuffer implements HttpOutputBuffer {
    static final int CHUNK = 16384;

    private final SpdyRequestStream owner;
    private final SpdyStream stream;
    private final long writeTimeoutMillis;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition progress = stateLock.newCondition();
    private final WriteCallback completion = new Completion(false);
    private final WriteCallback finCompletion = new Completion(true);

    // Guarded by writeLock.
    private HeaderBlock reply;
    private boolean replySent;
    private ByteBuffer held;
    private boolean ended;
    private boolean discardBody;
    private volatile long written;

    // Guarded by stateLock.
    private int outstanding;
    private Throwable failure;
    private boolean writeInterest;
    private boolean aborted;
    private volatile boolean finQueued;

    SpdyStreamOutputBuffer(SpdyRequestStream owner, SpdyStream stream, long writeTimeoutMillis) {
        this.owner = owner;
        this.stream = stream;
        this.writeTimeoutMillis = writeTimeoutMillis;
    }

    /** The SYN_REPLY, sent with the first body bytes, a flush, or the end of the response. */
    void setReply(HeaderBlock headers, boolean noBody) {
        writeLock.lock();
        try {
            reply = headers;
            discardBody = noBody;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public int doWrite(ByteBuffer chunk) throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            int n = chunk.remaining();
            written += n;
            if (discardBody) {
                chunk.position(chunk.limit());
                return n;
            }
            if (held != null && held.remaining() < n) {
                ByteBuffer full = held;
                held = null;
                submit(full.flip(), false);
            }
            if (held == null) {
                // A small response (its first write, under a chunk) gets a buffer of its size.
                held = ByteBuffer.allocate(written == n && n < CHUNK ? n : Math.max(CHUNK, n));
            }
            held.put(chunk);
            if (!owner.isNonBlocking()) {
                awaitOutstanding(1);
            }
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long getBytesWritten() {
        return written;
    }

    /** Sends what is held (and the SYN_REPLY); a blocking flush waits until all of it is written. */
    @Override
    public void flush() throws IOException {
        writeLock.lock();
        try {
            if (ended) {
                return;
            }
            checkWritable();
            sendReply(false);
            if (held != null && held.position() > 0) {
                ByteBuffer data = held;
                held = null;
                submit(data.flip(), false);
            }
            if (!owner.isNonBlocking()) {
                awaitOutstanding(0);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The response is complete: the last bytes go with FIN, or trailers follow them with FIN. Does
     * not wait for the socket, so a container thread is free at once; the engine holds the chunks.
     * A response the application failed is never ended with FIN (it is reset instead).
     */
    @Override
    public void end() throws IOException {
        writeLock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            if (!mayEnd()) {
                return;
            }
            HeaderBlock trailers = owner.responseTrailers();
            boolean body = held != null && held.position() > 0;
            if (!replySent && !body && trailers == null) {
                sendReply(true);
                return;
            }
            sendReply(false);
            if (trailers == null) {
                submit(body ? held.flip() : ByteBuffer.allocate(0), true);
            } else {
                if (body) {
                    submit(held.flip(), false);
                }
                queued(true);
                stream.headers(trailers, true, finCompletion);
            }
            held = null;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Ends the response with a file's bytes, mapped (the container's sendfile): the engine frames
     * the mapped regions as they are, so they are never copied into the heap. Like {@link #end()}
     * it does not wait for the socket.
     */
    void endWithFile(ByteBuffer[] regions) throws IOException {
        writeLock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            if (!mayEnd()) {
                return;
            }
            sendReply(false);
            if (held != null && held.position() > 0) {
                submit(held.flip(), false);
            }
            held = null;
            for (int i = 0; i < regions.length; i++) {
                written += regions[i].remaining();
                submit(regions[i], i == regions.length - 1);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** False when the response must not end with FIN: the application failed it after committing. */
    private boolean mayEnd() throws IOException {
        stateLock.lock();
        try {
            if (failure != null) {
                throw new CloseNowException("stream " + stream.id() + " was reset", failure);
            }
            if (aborted || !owner.isIoAllowed()) {
                aborted = true;
                return false;
            }
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    private void sendReply(boolean fin) throws IOException {
        if (replySent) {
            return;
        }
        replySent = true;
        HeaderBlock headers = reply != null ? reply : owner.buildReply();
        if (fin) {
            queued(true);
            stream.reply(headers, true, finCompletion);
        } else {
            stream.reply(headers, false, WriteCallback.NOOP);
        }
    }

    private void submit(ByteBuffer data, boolean fin) throws IOException {
        sendReply(false);
        queued(fin);
        stream.data(data, fin, fin ? finCompletion : completion);
    }

    private void queued(boolean fin) throws IOException {
        stateLock.lock();
        try {
            if (failure != null) {
                throw new CloseNowException("stream " + stream.id() + " was reset", failure);
            }
            outstanding++;
            if (fin) {
                finQueued = true;
            }
        } finally {
            stateLock.unlock();
        }
    }

    private void checkWritable() throws IOException {
        if (ended) {
            throw new IOException("response of stream " + stream.id() + " already ended");
        }
        stateLock.lock();
        try {
            if (failure != null) {
                throw new CloseNowException("stream " + stream.id() + " was reset", failure);
            }
        } finally {
            stateLock.unlock();
        }
    }

    /** Waits until at most {@code max} chunks are in the engine, for up to the stream write timeout. */
    private void awaitOutstanding(int max) throws IOException {
        stateLock.lock();
        try {
            long nanos = writeTimeoutMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis) : Long.MAX_VALUE;
            while (outstanding > max && failure == null) {
                if (nanos <= 0) {
                    failure = new SocketTimeoutException("stream " + stream.id() + ": nothing written for "
                            + writeTimeoutMillis + " ms");
                    break;
                }
                nanos = writeTimeoutMillis > 0 ? progress.awaitNanos(nanos) : awaitForever();
            }
            if (failure != null) {
                throw new CloseNowException("stream " + stream.id() + " cannot be written", failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing stream " + stream.id());
        } finally {
            stateLock.unlock();
        }
    }

    private long awaitForever() throws InterruptedException {
        progress.await();
        return Long.MAX_VALUE;
    }

    /** {@code isReady()} of non-blocking output: nothing of earlier writes is still waiting. */
    boolean isReady() {
        stateLock.lock();
        try {
            boolean ready = outstanding == 0 || failure != null;
            if (!ready) {
                writeInterest = true;
            }
            return ready;
        } finally {
            stateLock.unlock();
        }
    }

    /** For an {@code OPEN_WRITE} dispatch: true if earlier writes still wait (interest stays registered). */
    boolean hasDataLeft() {
        stateLock.lock();
        try {
            if (outstanding > 0 && failure == null) {
                writeInterest = true;
                return true;
            }
            return false;
        } finally {
            stateLock.unlock();
        }
    }

    /** The application failed the response after committing it: nothing more is written, no FIN. */
    void abort() {
        stateLock.lock();
        try {
            aborted = true;
        } finally {
            stateLock.unlock();
        }
    }

    /** The stream was reset or its session lost: writers wake up and fail. */
    void fail(Throwable cause) {
        stateLock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            progress.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    boolean isFinQueued() {
        return finQueued;
    }

    private final class Completion implements WriteCallback {
        private final boolean fin;

        Completion(boolean fin) {
            this.fin = fin;
        }

        @Override
        public void succeeded() {
            done(null);
            if (fin) {
                owner.responseWritten();
            } else {
                owner.responseProgressed();
            }
        }

        @Override
        public void failed(Throwable cause) {
            done(cause);
        }

        private void done(Throwable cause) {
            boolean dispatch;
            stateLock.lock();
            try {
                outstanding--;
                if (cause != null && failure == null) {
                    failure = cause;
                }
                dispatch = writeInterest && (outstanding == 0 || failure != null);
                if (dispatch) {
                    writeInterest = false;
                }
                progress.signalAll();
            } finally {
                stateLock.unlock();
            }
            if (dispatch) {
                owner.dispatchWrite();
            }
        }
    }
}
