package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.SpdySession;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.SocketWrapperBase.BlockingMode;
import org.apache.tomcat.util.net.SocketWrapperBase.CompletionState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The flusher of one session: writes each of the engine's output batches with one gathering write,
 * hands it back, and polls again. Whoever asks for a flush while none runs becomes the flusher;
 * others only leave a note, which the running flusher picks up before it stops.
 *
 * <p>With Tomcat's asynchronous I/O (NIO and NIO2 with {@code useAsyncIO}, the default) the write
 * is non-blocking: it usually completes inline, on the thread that queued the data; otherwise the
 * poller finishes it and the completion handler, on a container thread, carries on flushing. So no
 * thread ever waits for a socket here, and a slow peer holds back only the writers waiting for
 * their callbacks. Without asynchronous I/O the flusher runs on a container thread and writes with
 * blocking writes bounded by the write timeout, so neither the reader nor an application thread
 * ever blocks on the socket.
 */
final class SpdyConnectionWriter {
    /** What the connection does when the last batch is written or writing fails. */
    interface Events {
        void lastBatchWritten();

        void writeFailed(Throwable cause);
    }

    private final SocketWrapperBase<?> socketWrapper;
    private final SpdySession session;
    private final long writeTimeout;
    private final Events events;
    private final boolean async;
    private final AtomicInteger requests = new AtomicInteger();
    private final WriteCompletion completion = new WriteCompletion();
    /** The thread inside a socket write; completions it sees are its own, reported by the return value. */
    private volatile Thread writingThread;
    private volatile Throwable inlineFailure;

    SpdyConnectionWriter(SocketWrapperBase<?> socketWrapper, SpdySession session, long writeTimeout, Events events) {
        this.socketWrapper = socketWrapper;
        this.session = session;
        this.writeTimeout = writeTimeout;
        this.events = events;
        this.async = socketWrapper.hasAsyncIO();
    }

    /** Asks for the session's output to be written; called from any thread, never blocks. */
    void flush() {
        if (requests.getAndIncrement() != 0) {
            return;
        }
        if (async) {
            run();
        } else {
            try {
                socketWrapper.execute(this::run);
            } catch (RejectedExecutionException e) {
                requests.set(0);
                events.writeFailed(e);
            }
        }
    }

    /** The flusher loop; returns when there is nothing to write or a write is left to the poller. */
    private void run() {
        while (true) {
            int handled = requests.get();
            if (writeAvailable()) {
                // The completion handler owns the flusher now.
                return;
            }
            if (requests.addAndGet(-handled) == 0) {
                return;
            }
        }
    }

    /** Writes batches until none is left; true when a write is still pending on the socket. */
    private boolean writeAvailable() {
        OutputBatch batch;
        while ((batch = session.pollOutput()) != null) {
            if (batch.isEmpty()) {
                written(batch);
                continue;
            }
            if (!async) {
                try {
                    for (ByteBuffer b : batch.buffers()) {
                        socketWrapper.write(true, b);
                    }
                    socketWrapper.flush(true);
                } catch (IOException | RuntimeException e) {
                    failed(batch, e);
                    return false;
                }
                written(batch);
                continue;
            }
            CompletionState state;
            writingThread = Thread.currentThread();
            try {
                state = socketWrapper.write(BlockingMode.NON_BLOCK, writeTimeout, TimeUnit.MILLISECONDS, batch,
                        SocketWrapperBase.COMPLETE_WRITE, completion, batch.buffers());
            } catch (RuntimeException e) {
                state = CompletionState.ERROR;
                inlineFailure = e;
            } finally {
                writingThread = null;
            }
            switch (state) {
                case INLINE:
                    written(batch, true);
                    break;
                case ERROR:
                    Throwable cause = inlineFailure;
                    inlineFailure = null;
                    failed(batch, cause != null ? cause : new IOException("write failed"));
                    return false;
                case NOT_DONE:
                    // Only this class writes to an upgraded socket: another write cannot be pending.
                    failed(batch, new IllegalStateException("a write is already pending on " + socketWrapper));
                    return false;
                default:
                    return true;
            }
        }
        return false;
    }

    private void written(OutputBatch batch) {
        written(batch, false);
    }

    /** {@code inOneWrite}: the socket took it at once, so batches may grow (see SessionConfig). */
    private void written(OutputBatch batch, boolean inOneWrite) {
        boolean last = batch.isLast();
        session.outputWritten(batch, inOneWrite);
        if (last) {
            events.lastBatchWritten();
        }
    }

    private void failed(OutputBatch batch, Throwable cause) {
        session.outputFailed(batch, cause);
        events.writeFailed(cause);
    }

    /** Completes writes the poller finished; inline completions are reported by the return value instead. */
    private final class WriteCompletion implements CompletionHandler<Long, OutputBatch> {
        @Override
        public void completed(Long bytes, OutputBatch batch) {
            if (writingThread == Thread.currentThread()) {
                return;
            }
            written(batch);
            run();
        }

        @Override
        public void failed(Throwable cause, OutputBatch batch) {
            if (writingThread == Thread.currentThread()) {
                inlineFailure = cause;
                return;
            }
            SpdyConnectionWriter.this.failed(batch, cause);
        }
    }
}
