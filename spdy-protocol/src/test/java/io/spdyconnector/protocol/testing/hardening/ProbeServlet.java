package io.spdyconnector.protocol.testing.hardening;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application of the hardening scenarios, mapped to {@code /*} on both containers: an
 * ordinary servlet that counts its invocations, how many run at once, and how each ended, which
 * is what the scenarios' bounds are asserted on.
 * <ul>
 * <li>{@code /hello}: a short text;</li>
 * <li>{@code /slow?ms=N}: sleeps, then answers;</li>
 * <li>{@code /block}: waits until {@link #release()} (or 60 s);</li>
 * <li>{@code /bytes?n=N}: writes N bytes in 16 KiB writes, recording whether they all went;</li>
 * <li>{@code /upload}: reads the whole body, recording end-of-stream or the failure;</li>
 * <li>{@code /boom}: writes 1 KiB, flushes, then throws.</li>
 * </ul>
 */
public final class ProbeServlet extends HttpServlet {
    public final AtomicInteger invocations = new AtomicInteger();
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger maxRunning = new AtomicInteger();
    /** How each {@code /bytes}, {@code /upload} and {@code /block} ended, one line each. */
    public final List<String> outcomes = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(1);

    /** Lets every {@code /block} request, current and future, go on. */
    public void release() {
        gate.countDown();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        invocations.incrementAndGet();
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            switch (req.getRequestURI()) {
                case "/slow" -> {
                    sleep(Long.parseLong(param(req, "ms", "1000")));
                    text(resp, "slept");
                }
                case "/block" -> {
                    boolean released = await();
                    outcomes.add(released ? "released" : "not released");
                    text(resp, "released");
                }
                case "/bytes" -> bytes(resp, Long.parseLong(param(req, "n", "1048576")));
                case "/upload" -> upload(req, resp);
                case "/boom" -> {
                    resp.setContentLength(2048);
                    resp.getOutputStream().write(new byte[1024]);
                    resp.flushBuffer();
                    throw new IllegalStateException("application failed mid-response");
                }
                default -> text(resp, "hello");
            }
        } finally {
            running.decrementAndGet();
        }
    }

    private boolean await() {
        try {
            return gate.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bytes(HttpServletResponse resp, long n) throws IOException {
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(n);
        byte[] chunk = new byte[16384];
        long written = 0;
        try {
            OutputStream out = resp.getOutputStream();
            while (written < n) {
                int len = (int) Math.min(chunk.length, n - written);
                out.write(chunk, 0, len);
                written += len;
            }
            out.flush();
            outcomes.add("wrote " + written);
        } catch (IOException e) {
            outcomes.add("write failed after " + written + ": " + e.getClass().getSimpleName());
            throw e;
        }
    }

    private void upload(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long read = 0;
        byte[] buffer = new byte[8192];
        try {
            InputStream in = req.getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read += n;
            }
            outcomes.add("read " + read + " eof");
        } catch (IOException | RuntimeException e) {
            // Jetty fails a read below its minimum request data rate with an IllegalStateException (408).
            outcomes.add("read failed after " + read + ": " + e.getClass().getSimpleName());
            throw e;
        }
        text(resp, "read " + read);
    }

    private static void text(HttpServletResponse resp, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/plain");
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }

    private static String param(HttpServletRequest req, String name, String otherwise) {
        String v = req.getParameter(name);
        return v == null ? otherwise : v;
    }
}
