package io.spdyconnector.protocol.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides what to push with a response, for the container adapters: from the response's preload
 * links and from what clients with the same user agent fetched after the same page before. Learns
 * as it goes, from every response it is shown. Shared by all sessions of a connector; any thread.
 *
 * <p>What is never pushed: anything on another origin; anything the session's client requested,
 * was pushed or cancelled; learned resources with a conditional request (the client revalidates
 * a cached page, so it caches the rest too); more than the policy's count and byte caps. The
 * peer's MAX_CONCURRENT_STREAMS is the engine's to honour: a push it refuses is simply not made.
 */
public final class PushPlanner {
    private final PushPolicy policy;
    private final PushLearner learner;

    /** The request as the adapters saw it. {@code path} includes the query. */
    public record Request(String scheme, String authority, String path, String referer, String userAgent,
            boolean conditional) {
    }

    /** The response about to be sent: status, its content type (or null), its length (-1 unknown), Link headers. */
    public record Response(int status, String contentType, long contentLength, List<String> links) {
    }

    public PushPlanner(PushPolicy policy) {
        this.policy = policy;
        this.learner = new PushLearner(policy.maxLearnedPages(), policy.maxResourcesPerPage());
    }

    public PushPolicy policy() {
        return policy;
    }

    /** A request arrived: its client has (or will have) this resource, so it is never pushed on this session. */
    public void requested(SessionPushes session, Request request) {
        session.remember(request.path());
    }

    /**
     * The response to {@code request} is about to be committed: learns from it, and returns the
     * paths to push with it, in order, each claimed for the session. The caller creates the pushes
     * before it sends the response (SPEC §3.3.1).
     */
    public List<String> onResponse(SessionPushes session, Request request, Response response, long nowNanos) {
        if (response.status() != 200) {
            return List.of();
        }
        boolean page = isPage(response.contentType());
        if (policy.learning()) {
            learn(session, request, response, nowNanos);
            if (page) {
                session.pageServed(request.path(), nowNanos);
            }
        }
        if (policy.maxPushesPerResponse() == 0) {
            return List.of();
        }
        Set<String> candidates = new LinkedHashSet<>();
        long knownBytes = 0;
        if (policy.preloadLinks()) {
            for (String link : response.links()) {
                candidates.addAll(PreloadLinks.paths(link, request.scheme(), request.authority(), request.path()));
            }
        }
        List<PushLearner.Resource> learned = policy.learning() && page && !request.conditional()
                ? learner.resources(key(request, request.path())) : List.of();
        List<String> out = new ArrayList<>();
        for (String path : candidates) {
            if (out.size() < policy.maxPushesPerResponse() && !path.equals(request.path()) && session.claim(path)) {
                out.add(path);
            }
        }
        for (PushLearner.Resource r : learned) {
            if (out.size() >= policy.maxPushesPerResponse()) {
                break;
            }
            long length = Math.max(0, r.length());
            if (knownBytes + length > policy.maxPushBytesPerResponse()) {
                continue;
            }
            if (!r.path().equals(request.path()) && session.claim(r.path())) {
                out.add(r.path());
                knownBytes += length;
            }
        }
        return out;
    }

    /**
     * The client cancelled a push (SPEC §3.3.2): it has the resource, or does not want it. Not
     * pushed again on this session, and no longer learned for {@code page}.
     */
    public void cancelled(SessionPushes session, Request page, String path) {
        session.remember(path);
        learner.forget(key(page, page.path()), path);
    }

    /** Pages remembered with their resources (all user agents): for tests and statistics. */
    public int learnedPages() {
        return learner.pageCount();
    }

    /** A sub-resource fetched soon after a page this session was served, from that page: learn it. */
    private void learn(SessionPushes session, Request request, Response response, long nowNanos) {
        if (request.referer() == null || !isSubResource(response.contentType())) {
            return;
        }
        String page = sameOriginPath(request.referer(), request);
        if (page == null || page.equals(request.path())) {
            return;
        }
        Long servedAt = session.pageServedAt(page);
        if (servedAt == null || nowNanos - servedAt > policy.learningWindow().toNanos()) {
            return;
        }
        learner.learn(key(request, page), request.path(), response.contentLength());
    }

    private static PushLearner.Key key(Request request, String page) {
        String ua = request.userAgent() == null ? "" : request.userAgent();
        return new PushLearner.Key(request.authority().toLowerCase(Locale.ROOT), page,
                ua.length() > 200 ? ua.substring(0, 200) : ua);
    }

    /** The referer's path and query when it is on the request's origin, else null. */
    private static String sameOriginPath(String referer, Request request) {
        try {
            URI uri = new URI(referer);
            if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(request.scheme())
                    || uri.getRawAuthority() == null || !uri.getRawAuthority().equalsIgnoreCase(request.authority())) {
                return null;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Pages are HTML: what browsers fetch sub-resources for. */
    static boolean isPage(String contentType) {
        String t = mediaType(contentType);
        return t.equals("text/html") || t.equals("application/xhtml+xml");
    }

    /** What a page pulls in and a client caches: style sheets, scripts, images, fonts. */
    static boolean isSubResource(String contentType) {
        String t = mediaType(contentType);
        return t.equals("text/css") || t.equals("text/javascript") || t.equals("application/javascript")
                || t.equals("application/x-javascript") || t.startsWith("image/") || t.startsWith("font/")
                || t.startsWith("application/font-") || t.startsWith("application/x-font-");
    }
}
