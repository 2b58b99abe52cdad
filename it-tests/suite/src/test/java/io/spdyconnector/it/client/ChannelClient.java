package io.spdyconnector.it.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One SPDY session of a {@link Channel}: every request of a client goes over that one session. */
public interface ChannelClient extends AutoCloseable {
    /** How long the suite waits for any one response. */
    long RESPONSE_TIMEOUT_SECONDS = 60;

    CompletableFuture<TestResponse> send(TestRequest request);

    /** Sends and waits for the whole response. */
    default TestResponse exchange(TestRequest request) throws Exception {
        try {
            return send(request).get(RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(request + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(request + " got no response in " + RESPONSE_TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    void close();
}
