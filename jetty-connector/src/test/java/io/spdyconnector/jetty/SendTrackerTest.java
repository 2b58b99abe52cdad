package io.spdyconnector.jetty;

import io.spdyconnector.protocol.session.WriteCallback;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancellation fails the application's callback only once the engine is done with the send's
 * buffers, including when the completed callback has already started the next send.
 */
class SendTrackerTest {
    private final SendTracker sends = new SendTracker();
    private final List<String> events = new ArrayList<>();

    private Callback app(String name) {
        return Callback.from(() -> events.add(name + " succeeded"), x -> events.add(name + " failed"));
    }

    @Test
    void aCancellationWithoutASendInProgressRunsAtOnce() {
        sends.afterSend(() -> events.add("cancellation"));
        assertThat(events).containsExactly("cancellation");
    }

    @Test
    void aCancellationWaitsForTheSendTheEngineStillHolds() {
        WriteCallback engine = sends.track(app("write"), () -> events.add("progress"));
        sends.afterSend(() -> events.add("cancellation"));
        assertThat(events).isEmpty();
        engine.succeeded();
        assertThat(events).containsExactly("progress", "write succeeded", "cancellation");
    }

    @Test
    void aFailedSendAlsoReleasesTheWaitingCancellation() {
        WriteCallback engine = sends.track(app("write"), () -> events.add("progress"));
        sends.afterSend(() -> events.add("cancellation"));
        engine.failed(new IllegalStateException("reset"));
        assertThat(events).containsExactly("write failed", "cancellation");
    }

    @Test
    void aSendStartedByTheCompletedCallbackIsWaitedForToo() {
        WriteCallback[] next = new WriteCallback[1];
        // An asynchronous writer: completing the first write starts the second from inside the callback.
        Callback first = Callback.from(() -> {
            events.add("first succeeded");
            next[0] = sends.track(app("second"), () -> { });
        });
        sends.track(first, () -> { }).succeeded();
        sends.afterSend(() -> events.add("cancellation"));
        assertThat(events).as("the second write's frames are still queued").containsExactly("first succeeded");
        next[0].succeeded();
        assertThat(events).containsExactly("first succeeded", "second succeeded", "cancellation");
    }
}
