package io.spdyconnector.tools.bench;

import io.spdyconnector.tools.Failures;
import io.spdyconnector.tools.JettyLogging;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.RoundRobinConnectionPool;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code --proto http1} and {@code --proto h2c}: Jetty's own {@link HttpClient} with its HTTP/1.1
 * or HTTP/2 transport, so SPDY is compared with the protocols as a mature client speaks them. h2c is
 * prior knowledge on {@code http://} and h2 by ALPN on {@code https://}. HTTP/1.1 has one request in
 * flight per connection (Jetty does not pipeline), so {@code -m} does not apply to it.
 */
final class JettyClientLoadTransport implements LoadTransport {
    /** The HTTP versions this transport speaks. */
    enum Version {
        HTTP1, H2C
    }

    private final Version version;
    private final URI uri;
    private final String method;
    private final List<String[]> headers;
    private final byte[] body;
    private final int connections;
    private final int streams;
    private final Duration connectTimeout;
    private final HttpClient client;

    JettyClientLoadTransport(Version version, URI uri, String method, List<String[]> headers, byte[] body,
            int connections, int streams, boolean insecure, Duration connectTimeout, String userAgent) {
        JettyLogging.configure(false);
        this.version = version;
        this.uri = uri;
        this.method = method;
        this.headers = headers;
        this.body = body;
        this.connections = connections;
        this.streams = version == Version.HTTP1 ? 1 : streams;
        this.connectTimeout = connectTimeout;
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors())));
        SslContextFactory.Client ssl = new SslContextFactory.Client(insecure);
        if (insecure) {
            ssl.setEndpointIdentificationAlgorithm(null);
        }
        connector.setSslContextFactory(ssl);
        connector.setConnectTimeout(connectTimeout);
        HttpClientTransport transport;
        if (version == Version.H2C) {
            transport = new HttpClientTransportOverHTTP2(new HTTP2Client(connector));
            int multiplex = this.streams;
            transport.setConnectionPoolFactory(destination ->
                    new RoundRobinConnectionPool(destination, connections, multiplex));
        } else {
            transport = new HttpClientTransportOverHTTP(connector);
        }
        client = new HttpClient(transport);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, connections * this.streams * 2));
        client.setFollowRedirects(false);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
    }

    @Override
    public void connect() throws Exception {
        client.start();
        try {
            client.resolveDestination(client.newRequest(uri)).getConnectionPool().preCreateConnections(connections)
                    .get(connectTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw Failures.connectFailed(uri, e);
        }
    }

    @Override
    public String protocol() {
        if (version == Version.HTTP1) {
            return "http/1.1";
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? "h2" : "h2c";
    }

    @Override
    public int connections() {
        return connections;
    }

    @Override
    public int slots() {
        return connections * streams;
    }

    @Override
    public void send(int slot, Completion done) {
        Request request = client.newRequest(uri).method(method);
        request.headers(h -> {
            for (String[] header : headers) {
                h.add(header[0], header[1]);
            }
        });
        if (body != null) {
            request.body(new BytesRequestContent(body));
        }
        LongAdder bytes = new LongAdder();
        request.onResponseContent((response, content) -> bytes.add(content.remaining()));
        request.send(result -> done.completed(result.getResponse() == null ? 0 : result.getResponse().getStatus(),
                bytes.sum(), result.getFailure()));
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception ignored) {
            // Stopping a client after a run: nothing left to report.
        }
    }
}
