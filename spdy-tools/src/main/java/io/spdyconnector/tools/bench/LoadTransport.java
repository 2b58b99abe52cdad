package io.spdyconnector.tools.bench;

/**
 * One protocol's way of sending the benchmark's request: SPDY through the project's client, HTTP/1.1
 * and h2c through Jetty's {@code HttpClient}. The load generator only sees slots: each slot has at
 * most one request in flight, and a transport maps slots onto its connections.
 */
interface LoadTransport extends AutoCloseable {
    /** Opens the connections; a failure here means the target is unreachable. */
    void connect() throws Exception;

    /** The protocol actually spoken, e.g. "spdy/3.1", "h2c", "http/1.1". */
    String protocol();

    /** Connections opened. */
    int connections();

    /** Requests in flight at most: sessions times streams, or connections for HTTP/1.1. */
    int slots();

    /** Sends one request on the connection of {@code slot}; {@code done} runs exactly once. */
    void send(int slot, Completion done);

    @Override
    void close();

    /** How a request ended: a status and the body bytes received, or a failure. */
    interface Completion {
        void completed(int status, long bodyBytes, Throwable failure);
    }
}
