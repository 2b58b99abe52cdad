package io.spdyconnector.protocol.push;

import java.time.Duration;
import java.util.Objects;

/**
 * What may make a server push (SPEC §3.3), and how much. Pushing costs the client bandwidth for
 * resources it may already hold, so every source can be switched off and every push is capped.
 *
 * @param servletApi honour {@code PushBuilder.push()} where the container offers it (Jetty)
 * @param preloadLinks push what a response names in {@code Link: <...>; rel=preload} (unless
 *        {@code nopush}), the convention of nginx and h2o
 * @param learning learn, per page and user agent, the sub-resources clients fetch right after it
 *        (by {@code Referer}, same origin, by content type), and push them with the page next time
 * @param maxPushesPerResponse pushes one response may start
 * @param maxPushBytesPerResponse known bytes (learned lengths) one response may push
 * @param learningWindow how soon after a page its sub-resources must be requested to be learned
 * @param maxLearnedPages pages (per user agent) remembered; the least recently used go first
 * @param maxResourcesPerPage sub-resources remembered per page
 */
public record PushPolicy(boolean servletApi, boolean preloadLinks, boolean learning, int maxPushesPerResponse,
        long maxPushBytesPerResponse, Duration learningWindow, int maxLearnedPages, int maxResourcesPerPage) {

    public PushPolicy {
        Objects.requireNonNull(learningWindow, "learningWindow");
        if (maxPushesPerResponse < 0 || maxPushBytesPerResponse < 0 || maxLearnedPages < 1 || maxResourcesPerPage < 1) {
            throw new IllegalArgumentException("push limits must be positive");
        }
    }

    /** Pushes the application asks for (servlet API, preload links); learning off. */
    public static PushPolicy defaults() {
        return new PushPolicy(true, true, false, 32, 4L << 20, Duration.ofSeconds(2), 10_000, 64);
    }

    /** Never push. */
    public static PushPolicy off() {
        return new PushPolicy(false, false, false, 0, 0, Duration.ofSeconds(2), 1, 1);
    }

    public boolean pushesAnything() {
        return maxPushesPerResponse > 0 && (servletApi || preloadLinks || learning);
    }

    public PushPolicy withServletApi(boolean v) {
        return new PushPolicy(v, preloadLinks, learning, maxPushesPerResponse, maxPushBytesPerResponse, learningWindow,
                maxLearnedPages, maxResourcesPerPage);
    }

    public PushPolicy withPreloadLinks(boolean v) {
        return new PushPolicy(servletApi, v, learning, maxPushesPerResponse, maxPushBytesPerResponse, learningWindow,
                maxLearnedPages, maxResourcesPerPage);
    }

    public PushPolicy withLearning(boolean v) {
        return new PushPolicy(servletApi, preloadLinks, v, maxPushesPerResponse, maxPushBytesPerResponse, learningWindow,
                maxLearnedPages, maxResourcesPerPage);
    }

    public PushPolicy withMaxPushesPerResponse(int v) {
        return new PushPolicy(servletApi, preloadLinks, learning, v, maxPushBytesPerResponse, learningWindow,
                maxLearnedPages, maxResourcesPerPage);
    }

    public PushPolicy withMaxPushBytesPerResponse(long v) {
        return new PushPolicy(servletApi, preloadLinks, learning, maxPushesPerResponse, v, learningWindow,
                maxLearnedPages, maxResourcesPerPage);
    }

    public PushPolicy withLearningWindow(Duration v) {
        return new PushPolicy(servletApi, preloadLinks, learning, maxPushesPerResponse, maxPushBytesPerResponse, v,
                maxLearnedPages, maxResourcesPerPage);
    }
}
