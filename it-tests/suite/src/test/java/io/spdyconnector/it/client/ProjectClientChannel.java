package io.spdyconnector.it.client;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyRequest;
import io.spdyconnector.protocol.client.SpdyResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The project's {@link SpdyClient}: one pooled session to the origin carries every request. */
final class ProjectClientChannel implements ChannelClient {
    private final SpdyClient client;
    private final URI origin;

    ProjectClientChannel(URI origin, SpdyTransport transport) {
        this.origin = origin;
        this.client = transport.newClient().build();
    }

    @Override
    public CompletableFuture<TestResponse> send(TestRequest request) {
        return client.sendAsync(toSpdy(origin, request)).thenApply(ProjectClientChannel::toTestResponse);
    }

    static SpdyRequest toSpdy(URI origin, TestRequest request) {
        SpdyRequest.Builder b = SpdyRequest.newBuilder(origin.resolve(request.path())).method(request.method());
        request.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
        if (request.body() != null) {
            b.body(request.body());
        }
        return b.build();
    }

    static TestResponse toTestResponse(SpdyResponse r) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        r.headers().forEach((name, value) -> {
            if (!name.startsWith(":")) {
                headers.add(Map.entry(name, value));
            }
        });
        return new TestResponse(r.status(), TestResponse.headers(headers), r.body(), r.protocol());
    }

    @Override
    public void close() {
        client.close();
    }
}
