package io.spdyconnector.jetty;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.push.PushPlanner;
import io.spdyconnector.protocol.push.Pusher;
import io.spdyconnector.protocol.session.SpdyStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MetaData;

import java.util.Locale;

/**
 * Server push on one Jetty connection (SPEC §3.3): from {@code PushBuilder} (Jetty calls
 * {@link org.eclipse.jetty.server.HttpStream#push}), from preload links, and from what the
 * connector's {@link PushPlanner} learned. Each push is a stream of its own whose request runs
 * through Jetty like any other, so the default servlet, filters and caching headers apply.
 */
final class SpdyPushes {
    private final SpdyServerConnection connection;
    private final Pusher pusher;

    SpdyPushes(SpdyServerConnection connection, PushPlanner planner) {
        this.connection = connection;
        this.pusher = new Pusher(planner);
    }

    /** Whether {@code PushBuilder} works here: SPDY/2 pushed differently and is not offered pushes. */
    boolean isServletPushSupported() {
        return pusher.policy().servletApi() && pusher.policy().maxPushesPerResponse() > 0
                && connection.getSession().version().hasFlowControl();
    }

    void requested(MetaData.Request request) {
        pusher.requested(info(request));
    }

    /** The response to {@code request} is about to be sent: learn from it, and push what goes with it first. */
    void beforeResponse(SpdyStream stream, MetaData.Request request, MetaData.Response response) {
        HttpFields fields = response.getHttpFields();
        pusher.beforeResponse(stream, info(request), new PushPlanner.Response(response.getStatus(),
                fields.get(HttpHeader.CONTENT_TYPE), response.getContentLength(), fields.getValuesList(HttpHeader.LINK)),
                headers(request.getHttpFields()), connection::startPushed);
    }

    /** {@code PushBuilder.push()}: Jetty built the request, its headers inherited as the servlet API says. */
    void servletPush(SpdyStream stream, MetaData.Request request, MetaData.Request resource) {
        String path = resource.getHttpURI().getPathQuery();
        if (isServletPushSupported() && path != null) {
            pusher.push(stream, info(request), path, headers(resource.getHttpFields()), connection::startPushed);
        }
    }

    private static HeaderBlock headers(HttpFields fields) {
        HeaderBlock h = new HeaderBlock(fields.size());
        for (HttpField f : fields) {
            h.add(f.getLowerCaseName(), f.getValue());
        }
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
}
