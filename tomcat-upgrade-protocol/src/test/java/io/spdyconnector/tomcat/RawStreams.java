package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.client.SpdyClient;
import io.spdyconnector.protocol.client.SpdyConnection;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams opened directly on a session of the project's client, with headers the request API
 * would not send: a SYN_STREAM without {@code :path}, duplicated pseudo-headers, hop-by-hop headers.
 */
final class RawStreams {
    private RawStreams() {
    }

    /** What came back on one stream. */
    record Outcome(HeaderBlock reply, byte[] body, SpdyStreamResetException reset) {
        int status() {
            String s = reply.get(":status");
            return Integer.parseInt(s.split(" ")[0]);
        }

        String text() {
            return TestWebapp.utf8(body);
        }
    }

    static SpdyConnection connection(SpdyClient client, String url) throws Exception {
        return client.connect(URI.create(url)).get(SpdyTestClient.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The usual request pseudo-headers for {@code url}, to which a test adds or from which it removes. */
    static HeaderBlock request(String method, String url) {
        URI uri = URI.create(url);
        return HeaderBlock.of(":method", method, ":path", uri.getRawPath() + (uri.getRawQuery() == null ? ""
                : "?" + uri.getRawQuery()), ":version", "HTTP/1.1", ":host", uri.getRawAuthority(), ":scheme",
                uri.getScheme());
    }

    static CompletableFuture<Outcome> open(SpdyClient client, String url, HeaderBlock headers, boolean fin)
            throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        connection(client, url).session().newStream(headers, 0, fin, new StreamListener() {
            private HeaderBlock reply;
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();

            @Override
            public void onReply(SpdyStream s, HeaderBlock h, boolean replyFin) {
                reply = h;
                if (replyFin) {
                    outcome.complete(new Outcome(reply, body.toByteArray(), null));
                }
            }

            @Override
            public void onData(SpdyStream s, ByteBuffer data, boolean dataFin) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                body.writeBytes(b);
                s.consumed(b.length);
                if (dataFin) {
                    outcome.complete(new Outcome(reply, body.toByteArray(), null));
                }
            }

            @Override
            public void onReset(SpdyStream s, SpdyStreamResetException cause) {
                outcome.complete(new Outcome(reply, body.toByteArray(), cause));
            }
        });
        return outcome;
    }
}
