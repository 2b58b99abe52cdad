package io.spdyconnector.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /bytes?n=N}: N bytes of the {@link Pattern}, in 64 KiB writes, with Content-Length. A
 * write that fails because the client went away is recorded in {@link RequestOutcomes}.
 */
public class BytesServlet extends HttpServlet {
    static final int CHUNK = 65536;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long n;
        try {
            n = Long.parseLong(req.getParameter("n"));
        } catch (NumberFormatException e) {
            resp.sendError(HttpServletResponse.SC_BAD_REQUEST, "n must be a number of bytes");
            return;
        }
        if (n < 0) {
            resp.sendError(HttpServletResponse.SC_BAD_REQUEST, "n must not be negative");
            return;
        }
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(n);
        RequestOutcomes outcomes = RequestOutcomes.of(getServletContext());
        outcomes.running(req);
        try {
            Pattern.write(resp.getOutputStream(), n, CHUNK);
            resp.flushBuffer();
        } catch (IOException | RuntimeException e) {
            outcomes.failed(req, e);
            throw e;
        }
        outcomes.completed(req);
    }
}
