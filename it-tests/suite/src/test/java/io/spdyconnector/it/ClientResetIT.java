package io.spdyconnector.it;

import io.spdyconnector.it.client.Channel;
import io.spdyconnector.it.client.Outcomes;
import io.spdyconnector.it.client.PatternCheck;
import io.spdyconnector.it.client.TestRequest;
import io.spdyconnector.it.target.RunningTargets;
import io.spdyconnector.it.target.Target;
import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyExchange;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client that resets a stream in the middle of a large download (RST_STREAM CANCEL) costs the
 * servlet its write, as an IOException, and nothing else: the other streams of the session finish
 * and the session takes new ones. The project's client only: Netty's HTTP codec cannot cancel.
 */
@ExtendWith(RunningTargets.class)
@Timeout(120)
class ClientResetIT {
    static final long ENDLESS = 1L << 40;
    static final long RESET_AFTER = 1 << 20;
    static final int NEIGHBOUR = 4 << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spdyconnector.it.client.Channels#projectClient")
    void resetMidDownloadFailsTheServletsWriteAndSparesTheSession(Channel channel) throws Exception {
        Target target = RunningTargets.get(channel.target());
        URI origin = channel.transport().origin(target);
        String id = UUID.randomUUID().toString();
        try (SpdyClient client = channel.transport().newClient().build()) {
            SpdyConnection session = client.connect(origin).get(30, TimeUnit.SECONDS);
            // The download's credit is held back after 1 MiB, so the servlet is blocked in a write when the reset comes.
            CompletableFuture<Void> reachedResetPoint = new CompletableFuture<>();
            AtomicLong received = new AtomicLong();
            SpdyExchange download = session.exchange(SpdyRequest.newBuilder(origin.resolve("/sample/bytes?n=" + ENDLESS))
                    .header(Outcomes.HEADER, id).header("user-agent", TestRequest.USER_AGENT).build(), new ResponseListener() {
                        @Override
                        public void onData(ByteBuffer data, Runnable release) {
                            if (received.addAndGet(data.remaining()) < RESET_AFTER) {
                                release.run();
                            } else {
                                reachedResetPoint.complete(null);
                            }
                        }
                    });
            PatternCheck neighbourBody = new PatternCheck(0);
            SpdyExchange neighbour = session.exchange(SpdyRequest.get(origin.resolve("/sample/bytes?n=" + NEIGHBOUR).toString()),
                    new ResponseListener() {
                        @Override
                        public void onData(ByteBuffer data, Runnable release) {
                            neighbourBody.accept(data);
                            release.run();
                        }
                    });

            reachedResetPoint.get(30, TimeUnit.SECONDS);
            assertThat(Outcomes.of(target, id)).as("the servlet is still writing").isEqualTo("running");
            download.cancel();

            assertThatThrownBy(() -> download.response().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(CancellationException.class);
            assertThat(Outcomes.await(target, id, outcome -> !outcome.equals("running"), Duration.ofSeconds(20)))
                    .as("what the servlet saw").startsWith("failed with an IOException");

            SpdyResponse neighbourDone = neighbour.response().get(30, TimeUnit.SECONDS);
            assertThat(neighbourDone.status()).isEqualTo(200);
            assertThat(neighbourBody.length()).isEqualTo(NEIGHBOUR);
            assertThat(neighbourBody.firstMismatch()).isEqualTo(-1);
            SpdyResponse after = session.exchange(SpdyRequest.get(origin.resolve("/sample/hello").toString()), null)
                    .response().get(30, TimeUnit.SECONDS);
            assertThat(after.bodyAsString()).as("a new stream on the same session").isEqualTo("hello");
            assertThat(session.isOpen()).isTrue();
        }
    }
}
