package io.spdyconnector.jetty;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's first command: embedded Jetty serving the sample servlets and static files over
 * SPDY, on a clear-text port shared with HTTP/1.1 and on a TLS port negotiating SPDY with ALPN
 * (self-signed certificate). Ctrl-C stops it gracefully. Ports: {@code -Dhttp.port}, {@code -Dhttps.port}.
 */
public final class DemoServer {
    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        Path files = Files.createTempDirectory("spdy-demo");
        JettySpdyServer jetty = new JettySpdyServer(TestApp.context(files), f -> { },
                Integer.getInteger("http.port", 8080), Integer.getInteger("https.port", 8443));
        jetty.server.setStopAtShutdown(true);
        ServerConnector shared = jetty.shared;
        ServerConnector tls = jetty.tls;
        System.out.println();
        System.out.println("SPDY demo server is running (Ctrl-C stops it gracefully):");
        System.out.println("  SPDY and HTTP/1.1  http://localhost:" + shared.getLocalPort() + "/hello");
        System.out.println("  SPDY over TLS      https://localhost:" + tls.getLocalPort() + "/hello   (self-signed)");
        System.out.println("  also: /echo (POST), /echo-async (POST), /sleep?ms=200, /session, /pattern.bin (Range), /boom");
        System.out.println();
        System.out.println("Try it with the project's SPDY client:");
        System.out.println("  mvn -B -q -f jetty-connector exec:java@get -Dexec.args=http://localhost:" + shared.getLocalPort() + "/hello");
        System.out.println("or over HTTP/1.1 on the same port:  curl http://localhost:" + shared.getLocalPort() + "/hello");
        jetty.server.join();
    }

    /** Fetches one URL over SPDY and prints the status, headers and body: {@code exec:java@get}. */
    public static final class Get {
        private Get() {
        }

        public static void main(String[] args) throws Exception {
            try (SpdyClient client = SpdyClient.builder().insecure().build()) {
                for (String url : args) {
                    SpdyResponse r = client.send(SpdyRequest.get(url));
                    System.out.println(r.protocol() + " " + r.header(":status"));
                    r.headers().forEach((n, v) -> {
                        if (!n.startsWith(":")) {
                            System.out.println(n + ": " + v);
                        }
                    });
                    System.out.println();
                    System.out.println(r.bodyAsString());
                }
            }
        }
    }
}
