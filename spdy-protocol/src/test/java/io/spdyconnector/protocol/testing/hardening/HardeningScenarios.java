package io.spdyconnector.protocol.testing.hardening;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import io.spdyconnector.protocol.testing.WirePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of the hardening scenarios (docs/hardening.md): black-box tests that speak raw SPDY
 * over a socket to a container serving {@link ProbeServlet}, and assert three things each: the
 * protocol answer (GOAWAY or RST_STREAM status), a bound (answers sent, servlet invocations,
 * bytes held), and that a well-behaved client of the same server is served meanwhile. Each
 * adapter runs every scenario family by extending it with its own {@link #start}.
 *
 * <p>Nothing here measures speed: waits are long ({@link WirePeer#WAIT}) and only fail when an
 * answer never comes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class HardeningScenarios {
    protected HardeningServer server;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Starts the container with these options. */
    protected abstract HardeningServer start(HardeningOptions options) throws Exception;

    protected HardeningServer server(HardeningOptions options) throws Exception {
        server = start(options);
        return server;
    }

    protected HardeningServer server() throws Exception {
        return server(HardeningOptions.defaults());
    }

    protected ProbeServlet app() {
        return server.app();
    }

    /** A raw connection to the server, closed after the test. */
    protected WirePeer connect() throws IOException {
        return closeLater(WirePeer.connect(server.port()));
    }

    protected <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.app().release();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // Closing a connection the server already closed.
            }
        }
        if (server != null) {
            server.close();
        }
    }

    /** A client that does everything right, on its own connection, gets its answer from the same server. */
    protected void wellBehavedClientIsServed() throws Exception {
        try (SpdyClient client = SpdyClient.builder().build()) {
            SpdyResponse r = client.sendAsync(SpdyRequest.get("http://127.0.0.1:" + server.port() + "/hello"))
                    .get(WirePeer.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyAsString()).isEqualTo("hello");
        }
    }

    /** Waits for a state that has no event to wait on (a counter). */
    protected static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WirePeer.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Records a measured bound in the test output, where docs/hardening.md takes its figures from. */
    protected void measured(String what, long value) {
        System.out.println("[hardening] " + getClass().getSimpleName() + " " + what + " = " + value);
    }

    /** How many lines of {@code trace} start with {@code prefix}. */
    protected static long count(List<String> trace, String prefix) {
        return trace.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** The sessions of the server all closed, and no servlet is still working on a stream. */
    protected void sessionsCleanedUp() throws InterruptedException {
        await("every session closed", () -> server.metrics().sessions() == 0);
        await("no application stream left", () -> server.metrics().applicationStreams() == 0);
        await("every servlet returned", () -> app().running.get() == 0);
    }
}
