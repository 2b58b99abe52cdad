package io.spdyconnector.it.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control: the JDK's HTTP client forced to HTTP/1.1, trusting the test certificate. Over TLS
 * it offers only {@code http/1.1} in ALPN, so it reaches the same connector as SPDY does.
 */
public final class Http11Control {
    private static final SSLContext TRUST_ALL = trustAll();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(TRUST_ALL).connectTimeout(Duration.ofSeconds(10)).build();

    private Http11Control() {
    }

    /** Sends {@code request} to {@code origin} over HTTP/1.1 and waits for the whole response. */
    public static TestResponse exchange(URI origin, TestRequest request) throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(toHttp(origin, request), HttpResponse.BodyHandlers.ofByteArray());
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        r.headers().map().forEach((name, values) -> {
            // Framing and connection management are HTTP/1.1's own; SPDY has no such headers.
            if (!name.equalsIgnoreCase("transfer-encoding") && !name.equalsIgnoreCase("connection")
                    && !name.equalsIgnoreCase("keep-alive") && !name.startsWith(":")) {
                values.forEach(v -> headers.add(Map.entry(name, v)));
            }
        });
        return new TestResponse(r.statusCode(), TestResponse.headers(headers), r.body(), "http/1.1");
    }

    public static HttpRequest toHttp(URI origin, TestRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(origin.resolve(request.path()))
                .timeout(Duration.ofSeconds(ChannelClient.RESPONSE_TIMEOUT_SECONDS));
        b.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
        return b.build();
    }

    /** Trusts any certificate: the targets serve the suite's self-signed one. */
    static SSLContext sslContext() {
        return TRUST_ALL;
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
