package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request tasks keep the invocation type Jetty gave them: a handler that never blocks runs on the
 * thread that read its SYN_STREAM, as over Jetty's own HTTP/2, instead of being handed to another.
 */
@Timeout(30)
class JettyTaskInvocationTest {
    @Test
    void aNonBlockingHandlerRunsOnTheReadingThread() throws Exception {
        Handler handler = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap("fast".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        };
        try (JettySpdyServer jetty = new JettySpdyServer(handler, f -> { });
                SpdyClient client = SpdyClient.builder().build()) {
            SpdyResponse r = client.send(SpdyRequest.get(jetty.plainUrl("/")));
            assertThat(r.bodyAsString()).isEqualTo("fast");

            SpdyServerConnection connection = (SpdyServerConnection) jetty.plain.getConnectedEndPoints()
                    .iterator().next().getConnection();
            AdaptiveExecutionStrategy strategy = (AdaptiveExecutionStrategy) connection.executionStrategy();
            assertThat(strategy.getPCTasksConsumed()).as("tasks run by the reading thread").isEqualTo(1);
        }
    }
}
