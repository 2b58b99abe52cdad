package io.spdyconnector.it.client;

import io.spdyconnector.protocol.testing.NettySpdyClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link NettySpdyClient}: Netty's frame codec, session handler and HTTP codec, one connection. */
final class NettyClientChannel implements ChannelClient {
    private final NettySpdyClient client;

    NettyClientChannel(URI origin) {
        try {
            client = new NettySpdyClient(origin);
        } catch (Exception e) {
            throw new IllegalStateException("Netty could not connect to " + origin, e);
        }
    }

    @Override
    public CompletableFuture<TestResponse> send(TestRequest request) {
        List<String> headers = new ArrayList<>();
        request.headers().forEach(h -> {
            headers.add(h.getKey());
            headers.add(h.getValue());
        });
        return client.send(request.method(), request.path(), request.body(), headers.toArray(String[]::new))
                .thenApply(NettyClientChannel::toTestResponse);
    }

    private static TestResponse toTestResponse(NettySpdyClient.Response r) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        r.headers().forEach((name, values) -> {
            // Netty's HTTP codec adds its own x-spdy-* bookkeeping headers.
            if (!name.startsWith("x-spdy-")) {
                values.forEach(v -> headers.add(Map.entry(name, v)));
            }
        });
        return new TestResponse(r.status(), TestResponse.headers(headers), r.body(), "spdy/3.1");
    }

    @Override
    public void close() {
        client.close();
    }
}
