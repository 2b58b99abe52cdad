package io.spdyconnector.benchmarks.suite;

import io.spdyconnector.protocol.client.ResponseListener;
import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.client.SpdyRequest;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.RoundRobinConnectionPool;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load, as {@code spdy bench} and h2load run one: sessions times streams slots, each
 * sending its next request as soon as the previous one ends, so the load is exactly that
 * concurrency. SPDY goes through the project's client, h2c through Jetty's {@link HTTP2Client}
 * (via its {@code HttpClient} transport), both counting response bodies as they arrive and
 * releasing them at once.
 */
final class ClosedLoop {
    private ClosedLoop() {
    }

    /** Requests completed (with status 200) and failed in one run. */
    record Outcome(long ok, long failed, double seconds) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /** One protocol's way to send a request on a slot; {@code done} runs once, with success or not. */
    interface Transport extends AutoCloseable {
        void send(int slot, Done done);

        @Override
        void close();
    }

    interface Done {
        void done(boolean ok);
    }

    /** Runs {@code slots} loops for {@code seconds}, then waits for the requests in flight. */
    static Outcome run(Transport transport, int slots, double seconds) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        CountDownLatch idle = new CountDownLatch(slots);
        for (int slot = 0; slot < slots; slot++) {
            next(transport, slot, end, ok, failed, idle);
        }
        idle.await(60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Outcome(ok.sum(), failed.sum() + idle.getCount(), elapsed);
    }

    private static void next(Transport transport, int slot, long end, LongAdder ok, LongAdder failed,
            CountDownLatch idle) {
        if (System.nanoTime() >= end) {
            idle.countDown();
            return;
        }
        transport.send(slot, success -> {
            if (success) {
                ok.increment();
                next(transport, slot, end, ok, failed, idle);
            } else {
                failed.increment();
                // A failing connection would fail again at once: this slot stops.
                idle.countDown();
            }
        });
    }

    /** {@code sessions} SPDY sessions of the project's client, opened outside its per-origin pool. */
    static Transport spdy(String url, int sessions) throws Exception {
        SpdyClient client = SpdyClient.builder().ioThreads(1).maxRetries(0).build();
        List<SpdyConnection> connections = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            connections.add(client.newConnection(URI.create(url)).get(30, TimeUnit.SECONDS));
        }
        SpdyRequest request = SpdyRequest.newBuilder(url).build();
        return new Transport() {
            @Override
            public void send(int slot, Done done) {
                connections.get(slot % sessions).exchange(request, new ResponseListener() {
                    @Override
                    public void onData(ByteBuffer data, Runnable release) {
                        release.run();
                    }
                }).response().whenComplete((r, failure) -> done.done(failure == null && r.status() == 200));
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** {@code connections} h2c connections of Jetty's client, {@code streams} requests in flight on each. */
    static Transport h2c(String url, int connections, int streams) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        HttpClientTransportOverHTTP2 transport = new HttpClientTransportOverHTTP2(new HTTP2Client(connector));
        transport.setConnectionPoolFactory(d -> new RoundRobinConnectionPool(d, connections, streams));
        return jetty(new HttpClient(transport), url, connections, connections * streams);
    }

    /** Jetty's HTTP/1.1 client: one request in flight per connection. */
    static HttpClient http1Client() throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.start();
        return client;
    }

    private static Transport jetty(HttpClient client, String url, int connections, int slots) throws Exception {
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, slots * 2));
        client.start();
        URI uri = URI.create(url);
        client.resolveDestination(client.newRequest(uri)).getConnectionPool().preCreateConnections(connections)
                .get(30, TimeUnit.SECONDS);
        return new Transport() {
            @Override
            public void send(int slot, Done done) {
                client.newRequest(uri).send(result -> done.done(result.isSucceeded()
                        && result.getResponse().getStatus() == 200));
            }

            @Override
            public void close() {
                try {
                    client.stop();
                } catch (Exception ignored) {
                    // Stopping a client after a run.
                }
            }
        };
    }
}
