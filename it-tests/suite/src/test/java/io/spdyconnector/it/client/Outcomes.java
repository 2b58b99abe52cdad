package io.spdyconnector.it.client;

import io.spdyconnector.it.target.Target;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Asks the sample WAR, over HTTP/1.1, what became of a request tagged {@code x-request-id}: the
 * only way to see from outside that a servlet noticed its client go away.
 */
public final class Outcomes {
    public static final String HEADER = "x-request-id";

    private Outcomes() {
    }

    /** The outcome of request {@code id} on {@code target}, or null if the WAR has not seen it. */
    public static String of(Target target, String id) throws Exception {
        TestResponse r = Http11Control.exchange(target.plainHttp11(), TestRequest.get("/sample/outcome?id=" + id));
        return r.status() == 200 ? r.bodyText() : null;
    }

    /** Waits until the outcome of {@code id} satisfies {@code expected}, and returns it. */
    public static String await(Target target, String id, Predicate<String> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String outcome = of(target, id);
        while (outcome == null || !expected.test(outcome)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request " + id + " is still " + (outcome == null ? "unknown to the WAR" : outcome)
                        + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
            outcome = of(target, id);
        }
        return outcome;
    }
}
