package io.spdyconnector.protocol.push;

import io.spdyconnector.protocol.error.RstStatus;
import io.spdyconnector.protocol.error.SpdyStreamResetException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.http.SpdyHttp;
import io.spdyconnector.protocol.session.SpdyStream;
import io.spdyconnector.protocol.session.StreamListener;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Server push on one session, the same for every container: asks the {@link PushPlanner} what
 * goes with a response, opens each push before the response is sent (SPEC §3.3.1), and hands the
 * pushed request to the adapter, which runs it through its container like any other request. A
 * client's CANCEL of a push reaches the planner.
 */
public final class Pusher {
    /** Request headers a pushed request does not inherit: it is an unconditional GET of its own. */
    private static final Set<String> NOT_INHERITED = Set.of("if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "if-range", "range", "content-length", "content-type", "expect", "referer",
            "authorization", "host");

    private final PushPlanner planner;
    private final SessionPushes session = new SessionPushes();

    /** How an adapter runs a pushed request: returns the listener of the pushed stream's events. */
    @FunctionalInterface
    public interface Starter {
        StreamListener start(SpdyStream pushed, HeaderBlock request);
    }

    public Pusher(PushPlanner planner) {
        this.planner = planner;
    }

    public PushPolicy policy() {
        return planner.policy();
    }

    /** A request arrived on the session: its client will have that resource. */
    public void requested(PushPlanner.Request request) {
        if (planner.policy().pushesAnything()) {
            planner.requested(session, request);
        }
    }

    /**
     * The response to {@code page} is about to be sent on {@code stream}: lets the planner learn
     * from it, and pushes what it says goes with it. {@code pageHeaders} are the page's request
     * headers (SPDY names); pushed requests inherit cookies, user agent and the like from them.
     * Returns how many pushes were made.
     */
    public int beforeResponse(SpdyStream stream, PushPlanner.Request page, PushPlanner.Response response,
            HeaderBlock pageHeaders, Starter starter) {
        if (!planner.policy().pushesAnything() || stream.isLocallyInitiated()) {
            return 0;
        }
        List<String> paths = planner.onResponse(session, page, response, System.nanoTime());
        int made = 0;
        for (String path : paths) {
            if (open(stream, page, path, inherited(page, path, pageHeaders), starter)) {
                made++;
            }
        }
        return made;
    }

    /**
     * A push the application asked for (the servlet API's {@code PushBuilder}), with the request
     * headers it built. False when the client has the resource or the push cannot be made.
     */
    public boolean push(SpdyStream stream, PushPlanner.Request page, String path, HeaderBlock requestHeaders,
            Starter starter) {
        if (stream.isLocallyInitiated() || !session.claim(path)) {
            return false;
        }
        HeaderBlock request = requestLine(page, path);
        requestHeaders.forEach((name, value) -> {
            if (!name.startsWith(":") && !SpdyHttp.isConnectionSpecific(name)) {
                request.add(name, value);
            }
        });
        return open(stream, page, path, request, starter);
    }

    /** Whether pushes can be made on this stream's session at all: SPDY/2 pushed differently. */
    public static boolean canPush(SpdyStream stream) {
        return stream.version().hasFlowControl() && !stream.isLocallyInitiated();
    }

    private boolean open(SpdyStream stream, PushPlanner.Request page, String path, HeaderBlock request,
            Starter starter) {
        if (!canPush(stream)) {
            return false;
        }
        // The SYN_STREAM names the pushed request in full (:method and :version too), and the
        // response follows in HEADERS: Netty 4's SPDY client builds the pushed request from the
        // SYN_STREAM and rejects one without them. A pushed response other than 200 is cancelled.
        HeaderBlock promise = HeaderBlock.of(SpdyHttp.SCHEME, page.scheme(), SpdyHttp.HOST, page.authority(),
                SpdyHttp.PATH, path, SpdyHttp.METHOD, "GET", SpdyHttp.VERSION, "HTTP/1.1");
        Relay relay = new Relay(page, path);
        // Below the page, so the page's own bytes are not held back by what it pulls in.
        SpdyStream pushed = stream.push(promise, Math.min(7, stream.priority() + 1), relay);
        if (pushed == null) {
            return false;
        }
        relay.target = starter.start(pushed, request);
        return true;
    }

    private static HeaderBlock requestLine(PushPlanner.Request page, String path) {
        return HeaderBlock.of(SpdyHttp.METHOD, "GET", SpdyHttp.PATH, path, SpdyHttp.VERSION, "HTTP/1.1",
                SpdyHttp.HOST, page.authority(), SpdyHttp.SCHEME, page.scheme());
    }

    /** The page's headers a pushed request keeps (cookies, user agent, accept-*), and the page as referer. */
    private static HeaderBlock inherited(PushPlanner.Request page, String path, HeaderBlock pageHeaders) {
        HeaderBlock request = requestLine(page, path);
        pageHeaders.forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!n.startsWith(":") && !NOT_INHERITED.contains(n) && !SpdyHttp.isConnectionSpecific(n)) {
                request.add(n, value);
            }
        });
        request.add("referer", page.scheme() + "://" + page.authority() + page.path());
        return request;
    }

    /**
     * The pushed stream's listener, needed before the stream exists: events go to the adapter's.
     * A client's CANCEL (or refusal) tells the planner the client has, or does not want, it.
     */
    private final class Relay implements StreamListener {
        private final PushPlanner.Request page;
        private final String path;
        volatile StreamListener target;

        Relay(PushPlanner.Request page, String path) {
            this.page = page;
            this.path = path;
        }

        @Override
        public void onReset(SpdyStream stream, SpdyStreamResetException cause) {
            if (cause.status() == RstStatus.CANCEL || cause.status() == RstStatus.REFUSED_STREAM) {
                planner.cancelled(session, page, path);
            }
            StreamListener t = target;
            if (t != null) {
                t.onReset(stream, cause);
            }
        }

        @Override
        public void onClosed(SpdyStream stream) {
            StreamListener t = target;
            if (t != null) {
                t.onClosed(stream);
            }
        }
    }
}
