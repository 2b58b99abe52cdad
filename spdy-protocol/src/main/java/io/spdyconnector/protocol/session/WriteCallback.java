package io.spdyconnector.protocol.session;

/**
 * Completion of an outbound write: succeeded once its last byte went to the transport, failed when
 * the stream or session ended first. This completion is the back-pressure a writer waits on.
 * Called without any session lock held.
 */
public interface WriteCallback {
    WriteCallback NOOP = new WriteCallback() {
        @Override
        public void succeeded() {
        }

        @Override
        public void failed(Throwable cause) {
        }
    };

    void succeeded();

    void failed(Throwable cause);
}
