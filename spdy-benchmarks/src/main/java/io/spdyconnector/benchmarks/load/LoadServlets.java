package io.spdyconnector.benchmarks.load;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The servlets load runs ask for: plain servlets, the same on every container. */
public final class LoadServlets {
    private LoadServlets() {
    }

    /** {@code GET /small}: 13 bytes, the smallest realistic response. */
    public static final class Small extends HttpServlet {
        private static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
        }
    }

    /** {@code GET /big?n=N}: N bytes in 64 KiB writes; without n, until the client goes away. */
    public static final class Big extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String n = req.getParameter("n");
            long total = n == null ? Long.MAX_VALUE : Long.parseLong(n);
            resp.setContentType("application/octet-stream");
            if (n != null) {
                resp.setContentLengthLong(total);
            }
            byte[] chunk = new byte[65536];
            OutputStream out = resp.getOutputStream();
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
            }
        }
    }
}
