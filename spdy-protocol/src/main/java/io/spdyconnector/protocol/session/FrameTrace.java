package io.spdyconnector.protocol.session;

import io.spdyconnector.protocol.frame.Frame;

import java.util.function.Consumer;

/**
 * Where frame values go when someone looks: the configured {@link FrameObserver} and the
 * {@code io.spdyconnector.protocol.frames} debug log. When neither looks, the session gets null
 * and builds no frame values at all.
 */
final class FrameTrace {
    private static final System.Logger LOG = System.getLogger("io.spdyconnector.protocol.frames");

    private FrameTrace() {
    }

    /** A sink for one direction's frames, or null when nobody would see them. */
    static Consumer<Frame> consumer(FrameObserver observer, boolean inbound) {
        boolean debug = LOG.isLoggable(System.Logger.Level.DEBUG);
        if (observer == null && !debug) {
            return null;
        }
        return frame -> {
            if (debug) {
                LOG.log(System.Logger.Level.DEBUG, (inbound ? "<< " : ">> ") + frame);
            }
            if (observer != null) {
                if (inbound) {
                    observer.inbound(frame);
                } else {
                    observer.outbound(frame);
                }
            }
        };
    }
}
