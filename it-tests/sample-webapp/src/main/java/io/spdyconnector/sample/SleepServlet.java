package io.spdyconnector.sample;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sleep?ms=M}: an async request that completes after M ms, the way a servlet waiting on
 * a slow backend frees its container thread. Thousands may wait at once on one timer thread.
 */
public class SleepServlet extends HttpServlet {
    private ScheduledExecutorService timer;

    @Override
    public void init() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sample-sleep-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for the timer thread to end, so that containers checking for leaked threads find none. */
    @Override
    public void destroy() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        long ms;
        try {
            ms = Long.parseLong(req.getParameter("ms"));
        } catch (NumberFormatException e) {
            resp.sendError(HttpServletResponse.SC_BAD_REQUEST, "ms must be a number of milliseconds");
            return;
        }
        RequestOutcomes outcomes = RequestOutcomes.of(getServletContext());
        outcomes.running(req);
        AsyncContext async = req.startAsync();
        async.setTimeout(ms + 60_000);
        timer.schedule(() -> {
            try {
                HttpServletResponse r = (HttpServletResponse) async.getResponse();
                r.setContentType("text/plain");
                r.getWriter().write("slept " + ms + " ms\n");
                outcomes.completed(req);
            } catch (IOException | RuntimeException e) {
                // The client went away while we slept; completing below still ends the request.
                outcomes.failed(req, e);
            } finally {
                async.complete();
            }
        }, Math.max(0, ms), TimeUnit.MILLISECONDS);
    }
}
