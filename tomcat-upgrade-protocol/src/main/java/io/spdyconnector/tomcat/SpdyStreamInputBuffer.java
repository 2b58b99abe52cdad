package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.session.SpdyStream;
import org.apache.coyote.BadRequestException;
import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request body of one stream, in the place of HTTP/2's {@code StreamInputBuffer}. The reader
 * copies each DATA payload in (its buffer is reused for the next read); the application takes the
 * copies out, and only then is the window credited ({@link SpdyStream#consumed}), so a client can
 * never have more than one stream window of body waiting here, however slowly the servlet reads.
 *
 * <p>A body that ends early (reset, lost connection) or disagrees with its {@code content-length}
 * fails the read with an exception, never with end-of-stream, so a truncated body cannot look
 * complete. So does a body that arrives slower than the minimum request data rate while the
 * application waits for it (slow POST), or not at all within the stream read timeout.
 */
final class SpdyStreamInputBuffer implements InputBuffer {
    private final SpdyRequestStream owner;
    private final SpdyStream stream;
    private final long readTimeoutMillis;
    private final SpdyRequestGroupInfo statistics;
    private final RequestDataRate rate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // Guarded by lock.
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>(4);
    private int buffered;
    private boolean finished;
    private IOException failure;
    private boolean closed;
    private boolean readInterest;
    private long readInterestDeadline;
    private long expectedLength = -1;
    private long received;
    /** Set once a replayed body replaced the received one: those bytes earn no window credit. */
    private boolean replayed;

    SpdyStreamInputBuffer(SpdyRequestStream owner, SpdyStream stream, long readTimeoutMillis,
            RequestDataRate rate, SpdyRequestGroupInfo statistics) {
        this.owner = owner;
        this.stream = stream;
        this.readTimeoutMillis = readTimeoutMillis;
        this.rate = rate;
        this.statistics = statistics;
    }

    void setExpectedLength(long length) {
        lock.lock();
        try {
            expectedLength = length;
        } finally {
            lock.unlock();
        }
    }

    // -------------------------------------------------------- reader thread

    /** A DATA payload (a view of the reader's buffer, copied here). */
    void onData(ByteBuffer data, boolean fin) {
        int n = data.remaining();
        int credit = 0;
        boolean dispatch = false;
        lock.lock();
        try {
            if (closed || finished || failure != null) {
                // Nobody will read it: the window is credited at once.
                credit = n;
                data.position(data.limit());
            } else {
                received += n;
                if (rate.isOn()) {
                    rate.arrived(n);
                    rate.stoppedWaiting(System.nanoTime());
                }
                if (n > 0) {
                    byte[] copy = new byte[n];
                    data.get(copy);
                    chunks.add(ByteBuffer.wrap(copy));
                    buffered += n;
                    statistics.requestBytesBuffered(n, buffered);
                }
                // SPEC §3.2.1: a body that disagrees with its content-length is a bad request.
                if (expectedLength >= 0 && (received > expectedLength || fin && received != expectedLength)) {
                    credit = dropLocked();
                    failure = new BadRequestException("stream " + stream.id() + ": request body of " + received
                            + (fin ? "" : "+") + " bytes, content-length " + expectedLength);
                } else if (fin) {
                    finished = true;
                }
                changed.signalAll();
                dispatch = takeReadInterest();
            }
        } finally {
            lock.unlock();
        }
        if (credit > 0) {
            stream.consumed(credit);
        }
        if (dispatch) {
            owner.dispatchRead();
        }
    }

    /** The request ended without DATA carrying the FIN: on SYN_STREAM, or with trailers. */
    void endOfInput() {
        boolean dispatch;
        lock.lock();
        try {
            if (closed || finished || failure != null) {
                return;
            }
            if (expectedLength >= 0 && received != expectedLength) {
                failure = new BadRequestException("stream " + stream.id() + ": request body of " + received
                        + " bytes, content-length " + expectedLength);
            } else {
                finished = true;
            }
            changed.signalAll();
            dispatch = takeReadInterest();
        } finally {
            lock.unlock();
        }
        if (dispatch) {
            owner.dispatchRead();
        }
    }

    /** The stream was reset or its session lost before the body ended: reads fail from now on. */
    void fail(IOException cause) {
        int credit;
        lock.lock();
        try {
            if (finished || failure != null) {
                return;
            }
            failure = cause;
            credit = dropLocked();
            readInterest = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (credit > 0) {
            stream.consumed(credit);
        }
    }

    /**
     * Whether the client sent slower than the minimum request data rate while the application
     * waited (so nothing is buffered): then the body fails, and later reads fail too. Locked.
     */
    private boolean tooSlow(long now) {
        String slow = rate.check(now);
        if (slow == null) {
            return false;
        }
        rate.stoppedWaiting(now);
        failure = new SocketTimeoutException("stream " + stream.id() + ": " + slow);
        return true;
    }

    private boolean takeReadInterest() {
        boolean interest = readInterest;
        readInterest = false;
        return interest;
    }

    private int dropLocked() {
        int n = buffered;
        chunks.clear();
        buffered = 0;
        if (n > 0) {
            statistics.requestBytesBuffered(-n, 0);
        }
        return n;
    }

    // --------------------------------------------------- application thread

    @Override
    public int doRead(ApplicationBufferHandler handler) throws IOException {
        ByteBuffer chunk;
        boolean credit;
        lock.lock();
        try {
            long nanos = readTimeoutMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis) : Long.MAX_VALUE;
            while (chunks.isEmpty() && !finished && failure == null && !closed) {
                long now = System.nanoTime();
                if (tooSlow(now)) {
                    break;
                }
                if (nanos <= 0) {
                    throw new SocketTimeoutException("stream " + stream.id() + ": no request body for "
                            + readTimeoutMillis + " ms");
                }
                rate.waiting(now);
                long step = Math.min(nanos, rate.nanosToCheck(now));
                if (step == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    long left = changed.awaitNanos(step);
                    if (nanos != Long.MAX_VALUE) {
                        nanos -= step - left;
                    }
                }
            }
            if (rate.isOn()) {
                rate.stoppedWaiting(System.nanoTime());
            }
            chunk = chunks.poll();
            if (chunk == null) {
                if (failure instanceof BadRequestException) {
                    throw new BadRequestException(failure.getMessage(), failure);
                }
                if (failure instanceof SocketTimeoutException) {
                    throw new SocketTimeoutException(failure.getMessage());
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                return -1;
            }
            buffered -= chunk.remaining();
            statistics.requestBytesBuffered(-chunk.remaining(), buffered);
            credit = !replayed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading stream " + stream.id());
        } finally {
            lock.unlock();
        }
        int n = chunk.remaining();
        handler.setByteBuffer(chunk);
        if (credit) {
            // SPEC §2.6.8: credit goes back only as the application takes the bytes.
            stream.consumed(n);
        }
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code isReady()} of non-blocking input. As HTTP/2's does: a failed body dispatches the
     * error to the {@code ReadListener}; otherwise read interest is registered, and the reader
     * dispatches {@code onDataAvailable} when data or the end arrives.
     */
    boolean isReadyForRead() {
        IOException error;
        lock.lock();
        try {
            if (buffered > 0) {
                return true;
            }
            error = failure;
            if (error == null && !finished) {
                readInterest = true;
                readInterestDeadline = readTimeoutMillis > 0 ? System.currentTimeMillis() + readTimeoutMillis
                        : Long.MAX_VALUE;
                if (rate.isOn()) {
                    rate.waiting(System.nanoTime());
                }
            }
        } finally {
            lock.unlock();
        }
        if (error != null) {
            owner.dispatchError(error);
        }
        return false;
    }

    /**
     * Why registered read interest has waited too long (past the stream read timeout, or with the
     * body arriving below the minimum rate), or null. {@code now} is wall-clock milliseconds.
     */
    String timeoutRead(long now) {
        lock.lock();
        try {
            if (!readInterest) {
                return null;
            }
            if (now > readInterestDeadline) {
                readInterest = false;
                return "stream " + stream.id() + ": no request body for " + readTimeoutMillis + " ms";
            }
            if (tooSlow(System.nanoTime())) {
                readInterest = false;
                return failure.getMessage();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    boolean isRequestBodyFullyRead() {
        lock.lock();
        try {
            return chunks.isEmpty() && finished;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the client finished its side: the body (and any trailers) arrived in full. */
    boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** FORM authentication replays the saved body of the original request. */
    void replay(ByteChunk body) {
        int credit;
        lock.lock();
        try {
            credit = dropLocked();
            byte[] copy = new byte[body.getLength()];
            System.arraycopy(body.getBytes(), body.getStart(), copy, 0, copy.length);
            chunks.add(ByteBuffer.wrap(copy));
            buffered = copy.length;
            statistics.requestBytesBuffered(copy.length, copy.length);
            replayed = true;
            finished = true;
            failure = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (credit > 0) {
            stream.consumed(credit);
        }
    }

    /** The application is done with the request: what it left unread is dropped and credited. */
    void close() {
        int credit;
        lock.lock();
        try {
            closed = true;
            readInterest = false;
            credit = dropLocked();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (credit > 0) {
            stream.consumed(credit);
        }
    }
}
