package io.spdyconnector.jetty;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.http.SpdyHttp;
import io.spdyconnector.protocol.push.PushPlanner;
import io.spdyconnector.protocol.push.SessionPushes;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.NanoTime;

import java.util.List;
import java.util.Locale;

/**
 * Server push on one connection (SPEC §3.3): from {@code PushBuilder} (Jetty calls
 * {@link org.eclipse.jetty.server.HttpStream#push}), from preload links, and from what the
 * connector's {@link PushPlanner} learned. Each push is a stream of its own whose request runs
 * through Jetty like any other, so the default servlet, filters and caching headers apply.
 */
final class SpdyPushes {
    /** Request headers a pushed request does not inherit: it is an unconditional GET of its own. */
    private static final List<String> NOT_INHERITED = List.of("if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "if-range", "range", "content-length", "content-type", "expect", "referer",
            "authorization");

    private final SpdyServerConnection connection;
    private final PushPlanner planner;
    private final SessionPushes session = new SessionPushes();

    SpdyPushes(SpdyServerConnection connection, PushPlanner planner) {
        this.connection = connection;
        this.planner = planner;
    }

    /** Whether {@code PushBuilder} works here: SPDY/2 pushed differently and is not offered pushes. */
    boolean isServletPushSupported() {
        return planner.policy().servletApi() && planner.policy().maxPushesPerResponse() > 0
                && connection.getSession().version().hasFlowControl();
    }

    /** A request arrived: its client will have that resource. */
    void requested(MetaData.Request request) {
        if (planner.policy().pushesAnything()) {
            planner.requested(session, info(request));
        }
    }

    /** The response to {@code request} is about to be sent: learn from it, and push what goes with it first. */
    void beforeResponse(SpdyStream stream, MetaData.Request request, MetaData.Response response) {
        if (!planner.policy().pushesAnything() || stream.isLocallyInitiated()) {
            return;
        }
        HttpFields fields = response.getHttpFields();
        PushPlanner.Request page = info(request);
        List<String> paths = planner.onResponse(session, page, new PushPlanner.Response(response.getStatus(),
                fields.get(HttpHeader.CONTENT_TYPE), response.getContentLength(), fields.getValuesList(HttpHeader.LINK)),
                NanoTime.now());
        if (paths.isEmpty() || !connection.getSession().version().hasFlowControl()) {
            return;
        }
        for (String path : paths) {
            push(stream, request, page, path, inherited(request));
        }
    }

    /** {@code PushBuilder.push()}: Jetty built the request, headers inherited as the servlet API says. */
    void servletPush(SpdyStream stream, MetaData.Request request, MetaData.Request resource) {
        if (!isServletPushSupported() || stream.isLocallyInitiated()) {
            return;
        }
        String path = resource.getHttpURI().getPathQuery();
        if (path == null || !session.claim(path)) {
            return;
        }
        HeaderBlock headers = new HeaderBlock();
        for (HttpField f : resource.getHttpFields()) {
            String name = f.getLowerCaseName();
            if (!SpdyHttp.isConnectionSpecific(name)) {
                headers.add(name, f.getValue());
            }
        }
        push(stream, request, info(request), path, headers);
    }

    private void push(SpdyStream stream, MetaData.Request request, PushPlanner.Request page, String path,
            HeaderBlock inherited) {
        HttpURI uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
        String authority = uri.getAuthority();
        // The SYN_STREAM promises 200 and HTTP/1.1 as well, as SPDY clients (Netty, Jetty 9) expected;
        // a pushed response with another status is cancelled by the engine.
        HeaderBlock target = HeaderBlock.of(SpdyHttp.SCHEME, scheme, SpdyHttp.HOST, authority, SpdyHttp.PATH, path,
                SpdyHttp.STATUS, "200", SpdyHttp.VERSION, "HTTP/1.1");
        HeaderBlock pushedRequest = HeaderBlock.of(SpdyHttp.METHOD, "GET", SpdyHttp.PATH, path,
                SpdyHttp.VERSION, "HTTP/1.1", SpdyHttp.HOST, authority, SpdyHttp.SCHEME, scheme);
        inherited.forEach(pushedRequest::add);
        Relay relay = new Relay(page, path);
        // Below the page, so the page's own bytes are not held back by what it pulls in.
        SpdyStream pushed = stream.push(target, Math.min(7, stream.priority() + 1), relay);
        if (pushed != null) {
            relay.target = connection.startPushed(pushed, pushedRequest);
        }
    }

    /** The page's request headers a pushed request keeps (cookies, user agent, accept-*), and the page as referer. */
    private static HeaderBlock inherited(MetaData.Request request) {
        HeaderBlock h = new HeaderBlock();
        for (HttpField f : request.getHttpFields()) {
            String name = f.getLowerCaseName();
            if (!NOT_INHERITED.contains(name) && !SpdyHttp.isConnectionSpecific(name)) {
                h.add(name, f.getValue());
            }
        }
        h.add("referer", request.getHttpURI().asString());
        return h;
    }

    private static PushPlanner.Request info(MetaData.Request request) {
        HttpURI uri = request.getHttpURI();
        HttpFields fields = request.getHttpFields();
        boolean conditional = fields.contains(HttpHeader.IF_NONE_MATCH) || fields.contains(HttpHeader.IF_MODIFIED_SINCE);
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        return new PushPlanner.Request(scheme, String.valueOf(uri.getAuthority()), uri.getPathQuery(),
                fields.get(HttpHeader.REFERER), fields.get(HttpHeader.USER_AGENT), conditional);
    }

    /**
     * The pushed stream's listener, made before the stream exists; events go to its HTTP stream. A
     * client's CANCEL tells the planner the client has (or refuses) the resource.
     */
    private final class Relay implements StreamListener {
        private final PushPlanner.Request page;
        private final String path;
        volatile SpdyHttpStream target;

        Relay(PushPlanner.Request page, String path) {
            this.page = page;
            this.path = path;
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            if (cause.status() == RstStatus.CANCEL || cause.status() == RstStatus.REFUSED_STREAM) {
                planner.cancelled(session, page, path);
            }
            SpdyHttpStream t = target;
            if (t != null) {
                t.onReset(stream, cause);
            }
        }

        @Override
        public void onClosed(SpdyStream stream) {
            SpdyHttpStream t = target;
            if (t != null) {
                t.onClosed(stream);
            }
        }
    }
}
