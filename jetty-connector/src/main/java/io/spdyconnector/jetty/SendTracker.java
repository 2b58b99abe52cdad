package io.spdyconnector.jetty;

import io.spdyconnector.protocol.session.WriteCallback;
import org.eclipse.jetty.util.Callback;

/**
 * Whether the engine still holds one of a stream's sends, so that a cancellation fails the
 * application's callback only once the engine is done with the send's buffers: the application
 * may release them then (ee11's error page gives its buffer back to Jetty's pool), and a frame
 * still queued must not be written from a buffer already given to someone else.
 * <p>
 * Jetty makes one send at a time per stream; the next may start from inside the previous one's
 * callback (asynchronous writes), which is why a send is over before its callback runs.
 */
final class SendTracker {
    /** Guarded by this object's monitor, held for a few field accesses and never across a call out. */
    private boolean sending;
    /** A task waiting for the send in progress to complete. */
    private Runnable afterSend;

    /**
     * The engine's callback for a send of the application's {@code callback}; {@code onProgress}
     * runs first when the send succeeds (the stream's idle timer).
     */
    WriteCallback track(Callback callback, Runnable onProgress) {
        synchronized (this) {
            sending = true;
        }
        return new WriteCallback() {
            @Override
            public void succeeded() {
                onProgress.run();
                Runnable waiting = done();
                callback.succeeded();
                runIfAny(waiting);
            }

            @Override
            public void failed(Throwable cause) {
                Runnable waiting = done();
                callback.failed(cause);
                runIfAny(waiting);
            }
        };
    }

    /** Runs {@code task} now if no send is in progress, or else once it completes. */
    void afterSend(Runnable task) {
        synchronized (this) {
            if (sending) {
                afterSend = task;
                return;
            }
        }
        task.run();
    }

    /** Marks the send complete; returns the task that waited for it, if any. */
    private Runnable done() {
        synchronized (this) {
            sending = false;
            Runnable waiting = afterSend;
            afterSend = null;
            return waiting;
        }
    }

    private static void runIfAny(Runnable task) {
        if (task != null) {
            task.run();
        }
    }
}
