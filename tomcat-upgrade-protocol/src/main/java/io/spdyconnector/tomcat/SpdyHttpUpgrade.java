package io.spdyconnector.tomcat;

import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.http.SpdyHttp;
import io.spdyconnector.protocol.session.SpdySession;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import org.apache.coyote.Request;
import org.apache.tomcat.util.http.MimeHeaders;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The HTTP/1.1 request that switched its connection to SPDY ({@code Connection: Upgrade},
 * {@code Upgrade: spdy/3.1}) becomes stream 1 of the new session, as RFC 7540 §3.2 does it for
 * {@code h2c}: Tomcat has answered it with {@code 101 Switching Protocols}, the client's next
 * bytes are SPDY frames starting with its stream 3, and the response to the original request is
 * the SYN_REPLY (and DATA) of stream 1. Requests with a body are not upgraded
 * ({@link SpdyUpgradeProtocol#accept}).
 */
final class SpdyHttpUpgrade {
    /** Priority of the upgraded request: SPDY's middle, what clients use by default. */
    static final int PRIORITY = 3;

    private SpdyHttpUpgrade() {
    }

    /** Opens stream 1 for {@code request} and starts processing it; before the session reads. */
    static void adopt(SpdyUpgradeHandler handler, SpdySession session, Request request) {
        HeaderBlock headers = requestHeaders(request, handler.getProtocol().getHttp11Protocol().isSSLEnabled());
        Forwarder forwarder = new Forwarder();
        SpdyStream stream = session.openUpgradeStream(PRIORITY, forwarder);
        SpdyRequestStream requestStream = new SpdyRequestStream(handler, stream, headers, true);
        forwarder.target = requestStream;
        handler.startProcessing(requestStream);
    }

    /** The HTTP/1.1 request as the SYN_STREAM a SPDY client would have sent (SPEC §3.2.1). */
    static HeaderBlock requestHeaders(Request request, boolean secure) {
        MimeHeaders mime = request.getMimeHeaders();
        String query = request.queryString().toString();
        String host = request.getHeader("host");
        HeaderBlock h = new HeaderBlock(mime.size() + 5);
        h.add(SpdyHttp.METHOD, request.getMethod());
        h.add(SpdyHttp.PATH, request.requestURI().toString() + (query == null ? "" : "?" + query));
        h.add(SpdyHttp.VERSION, "HTTP/1.1");
        h.add(SpdyHttp.HOST, host == null ? "" : host);
        h.add(SpdyHttp.SCHEME, secure ? "https" : "http");
        for (int i = 0; i < mime.size(); i++) {
            String name = mime.getName(i).toString().toLowerCase(Locale.ROOT);
            String value = mime.getValue(i).toString();
            // Connection, Upgrade and Host are dropped where every SYN_STREAM's hop-by-hop headers are.
            if (!name.isEmpty() && value != null) {
                h.add(name, value);
            }
        }
        return h;
    }

    /** Stream events go to the request stream, which needs the stream before it exists. */
    private static final class Forwarder implements StreamListener {
        volatile StreamListener target;

        @Override
        public void onHeaders(SpdyStream stream, HeaderBlock headers, boolean fin) {
            target.onHeaders(stream, headers, fin);
        }

        @Override
        public void onData(SpdyStream stream, ByteBuffer data, boolean fin) {
            target.onData(stream, data, fin);
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            target.onReset(stream, cause);
        }

        @Override
        public void onClosed(SpdyStream stream) {
            target.onClosed(stream);
        }
    }
}
