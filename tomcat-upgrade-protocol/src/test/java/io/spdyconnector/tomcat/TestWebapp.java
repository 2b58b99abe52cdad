package io.spdyconnector.tomcat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.Context;
import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The servlets, filter, security constraint, error pages and static file the tests run over SPDY:
 * ordinary servlet API code, nothing SPDY-specific except reading the connector's attributes.
 * Coordination with a test goes through the latches and futures of this instance.
 */
final class TestWebapp {
    static final int FILE_SIZE = 200_000;
    /** Under one stream window, so a client that never sends WINDOW_UPDATE still gets it all. */
    static final int SLOW_SIZE = 50_000;

    /** Released by a test to let {@code /slow} answer. */
    final CountDownLatch slowRelease = new CountDownLatch(1);
    /** Counts down when {@code /slow} has started. */
    final CountDownLatch slowStarted = new CountDownLatch(1);
    /** Permits for {@code /slow-reader}: one per 1 KiB it may read. */
    final Semaphore readPermits = new Semaphore(0);
    final CountDownLatch slowReaderStarted = new CountDownLatch(1);
    final CompletableFuture<String> slowReaderResult = new CompletableFuture<>();
    /** What {@code /record} saw, for assertions on the server side. */
    final List<String> recorded = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
    final AtomicLong unreadRequests = new AtomicLong();
    /** Bytes {@code /stream-out} has handed to its output stream so far, and its thread. */
    final AtomicLong streamedOut = new AtomicLong();
    final CompletableFuture<Thread> streamOutThread = new CompletableFuture<>();
    /** What {@code /nb-stream-out} wrote, and how often {@code isReady()} stopped it. */
    final AtomicLong nonBlockingWritten = new AtomicLong();
    final AtomicLong notReady = new AtomicLong();

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void install(Context ctx) throws IOException {
        Files.write(Path.of(ctx.getDocBase(), "data.bin"), pattern(FILE_SIZE));
        Files.writeString(Path.of(ctx.getDocBase(), "index.txt"), "static text\n");

        servlet(ctx, "/hello", new Hello());
        servlet(ctx, "/echo", new Echo());
        servlet(ctx, "/async-echo", new AsyncEcho());
        servlet(ctx, "/nb-echo", new NonBlockingEcho());
        servlet(ctx, "/session", new SessionCounter());
        servlet(ctx, "/filtered/*", new Hello());
        servlet(ctx, "/secure/*", new WhoAmI());
        servlet(ctx, "/throw", new Thrower());
        servlet(ctx, "/fail-after-commit", new FailAfterCommit());
        servlet(ctx, "/trailers", new Trailers());
        servlet(ctx, "/slow", new Slow());
        servlet(ctx, "/slow-reader", new SlowReader());
        servlet(ctx, "/bytes", new Bytes());
        servlet(ctx, "/form", new Form());
        servlet(ctx, "/headers", new Headers());
        servlet(ctx, "/error-page", new ErrorPageServlet());
        servlet(ctx, "/ignore-body", new IgnoreBody());
        servlet(ctx, "/read-failure", new ReadFailure());
        servlet(ctx, "/stream-out", new StreamOut());
        servlet(ctx, "/nb-stream-out", new NonBlockingStreamOut());

        Tomcat.addServlet(ctx, "default", new DefaultServlet());
        ctx.addServletMappingDecoded("/", "default");

        FilterDef filter = new FilterDef();
        filter.setFilterName("stamp");
        filter.setFilter(new StampFilter());
        ctx.addFilterDef(filter);
        FilterMap map = new FilterMap();
        map.setFilterName("stamp");
        map.addURLPattern("/filtered/*");
        ctx.addFilterMap(map);

        ErrorPage notFound = new ErrorPage();
        notFound.setErrorCode(404);
        notFound.setLocation("/error-page");
        ctx.addErrorPage(notFound);
        ErrorPage failure = new ErrorPage();
        failure.setExceptionType(IllegalStateException.class.getName());
        failure.setLocation("/error-page");
        ctx.addErrorPage(failure);

        SecurityConstraint constraint = new SecurityConstraint();
        constraint.addAuthRole("tester");
        SecurityCollection collection = new SecurityCollection();
        collection.addPattern("/secure/*");
        constraint.addCollection(collection);
        ctx.addConstraint(constraint);
        ctx.addSecurityRole("tester");
        ctx.setLoginConfig(new LoginConfig("BASIC", "spdy", null, null));
        ctx.getPipeline().addValve(new BasicAuthenticator());
    }

    static void addUsers(Tomcat tomcat) {
        tomcat.addUser("alice", "secret");
        tomcat.addRole("alice", "tester");
    }

    private static void servlet(Context ctx, String pattern, HttpServlet servlet) {
        String name = pattern.replace("/", "_").replace("*", "all");
        Tomcat.addServlet(ctx, name, servlet).setAsyncSupported(true);
        ctx.addServletMappingDecoded(pattern, name);
    }

    /** What the application sees of the request. */
    static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.setHeader("Connection", "close");
            resp.setHeader("Keep-Alive", "timeout=5");
            resp.getWriter().print("hello " + req.getProtocol() + " " + req.getScheme() + " " + req.isSecure()
                    + " " + req.getAttribute(SpdyAttributes.VERSION) + " priority=" + req.getAttribute(SpdyAttributes.PRIORITY)
                    + " stream=" + req.getAttribute(SpdyAttributes.STREAM_ID) + " host=" + req.getHeader("host")
                    + " server=" + req.getServerName() + ":" + req.getServerPort() + " query=" + req.getQueryString()
                    + " connection=" + req.getHeader("connection") + " by=" + req.getAttribute("stamped-by"));
        }
    }

    /** Blocking echo of the request body, with its length and digest in headers. */
    static final class Echo extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = req.getInputStream().readAllBytes();
            resp.setContentType("application/octet-stream");
            resp.setHeader("x-request-bytes", Integer.toString(body.length));
            resp.setHeader("x-expect", String.valueOf(req.getHeader("expect")));
            try (OutputStream out = resp.getOutputStream()) {
                out.write(body);
            }
        }
    }

    /** Echo from a thread of the container's executor, in async mode. */
    static final class AsyncEcho extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            async.start(() -> {
                try {
                    byte[] body = req.getInputStream().readAllBytes();
                    resp.setHeader("x-async", String.valueOf(req.isAsyncStarted()));
                    resp.getOutputStream().write(body);
                } catch (IOException e) {
                    resp.setStatus(500);
                } finally {
                    async.complete();
                }
            });
        }
    }

    /** Echo with ReadListener and WriteListener: never blocks a thread. */
    static final class NonBlockingEcho extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            AsyncContext async = req.startAsync();
            ServletInputStream in = req.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.setReadListener(new ReadListener() {
                private final byte[] buffer = new byte[8192];

                @Override
                public void onDataAvailable() throws IOException {
                    while (in.isReady() && !in.isFinished()) {
                        int n = in.read(buffer);
                        if (n > 0) {
                            received.write(buffer, 0, n);
                        }
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    byte[] body = received.toByteArray();
                    resp.setHeader("x-request-bytes", Integer.toString(body.length));
                    ServletOutputStream out = resp.getOutputStream();
                    out.setWriteListener(new WriteListener() {
                        private int offset;

                        @Override
                        public void onWritePossible() throws IOException {
                            while (out.isReady()) {
                                if (offset == body.length) {
                                    async.complete();
                                    return;
                                }
                                int n = Math.min(10_000, body.length - offset);
                                out.write(body, offset, n);
                                offset += n;
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            async.complete();
                        }
                    });
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
        }
    }

    static final class SessionCounter extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            Integer n = (Integer) session.getAttribute("n");
            n = n == null ? 1 : n + 1;
            session.setAttribute("n", n);
            resp.getWriter().print("visit " + n + " new=" + session.isNew());
        }
    }

    static final class StampFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            req.setAttribute("stamped-by", "filter");
            ((HttpServletResponse) resp).setHeader("x-filtered", "yes");
            chain.doFilter(req, resp);
        }
    }

    static final class WhoAmI extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("user=" + req.getRemoteUser() + " auth=" + req.getAuthType());
        }
    }

    static final class Thrower extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException("broken on purpose");
        }
    }

    /** Commits 1 KiB, then fails: the client must see a reset, never a complete response. */
    static final class FailAfterCommit extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            OutputStream out = resp.getOutputStream();
            out.write(pattern(1024));
            out.flush();
            throw new UnsupportedOperationException("failed after commit");
        }
    }

    /** Reads the body and its trailers, answers with a digest in a trailer. */
    static final class Trailers extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = req.getInputStream().readAllBytes();
            Map<String, String> requestTrailers = req.isTrailerFieldsReady() ? req.getTrailerFields() : Map.of();
            String digest = sha256(body);
            resp.setTrailerFields(() -> Map.of("x-checksum", digest));
            resp.getWriter().print("bytes=" + body.length + " request-trailers=" + requestTrailers);
        }
    }

    /** Answers once the test releases it (graceful stop). */
    final class Slow extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            slowStarted.countDown();
            try {
                if (!slowRelease.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            byte[] body = pattern(SLOW_SIZE);
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }

    /** Reads 1 KiB per permit the test gives: a slow consumer of a large upload. */
    final class SlowReader extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            slowReaderStarted.countDown();
            InputStream in = req.getInputStream();
            byte[] buffer = new byte[1024];
            long total = 0;
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
                while (true) {
                    if (!readPermits.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new IOException("no read permit");
                    }
                    int n = in.readNBytes(buffer, 0, buffer.length);
                    if (n <= 0) {
                        break;
                    }
                    digest.update(buffer, 0, n);
                    total += n;
                }
            } catch (InterruptedException | NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            String result = total + " " + HexFormat.of().formatHex(digest.digest());
            slowReaderResult.complete(result);
            resp.getWriter().print(result);
        }
    }

    /** {@code ?n=} bytes of the test pattern. */
    static final class Bytes extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int n = Integer.parseInt(req.getParameter("n"));
            resp.setContentType("application/octet-stream");
            OutputStream out = resp.getOutputStream();
            byte[] all = pattern(n);
            for (int off = 0; off < n; off += 7000) {
                out.write(all, off, Math.min(7000, n - off));
            }
        }
    }

    static final class Form extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("a=" + req.getParameter("a") + " b=" + req.getParameter("b"));
        }
    }

    /** Lists request headers; sets a few response headers SPDY must not carry. */
    static final class Headers extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String name : java.util.Collections.list(req.getHeaderNames())) {
                sb.append(name).append('=').append(req.getHeader(name)).append('\n');
            }
            resp.setHeader("Transfer-Encoding", "chunked");
            resp.setHeader("Upgrade", "h2c");
            resp.setHeader("Proxy-Connection", "close");
            resp.addHeader("Set-Cookie", "a=1");
            resp.addHeader("Set-Cookie", "b=2");
            resp.getWriter().print(sb);
        }
    }

    static final class ErrorPageServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Object code = req.getAttribute("jakarta.servlet.error.status_code");
            Object exception = req.getAttribute("jakarta.servlet.error.exception");
            resp.setContentType("text/plain");
            resp.getWriter().print("custom error " + code + " "
                    + (exception == null ? "" : ((Throwable) exception).getMessage()));
        }
    }

    /** Answers without reading the request body: the rest of it is refused with CANCEL. */
    final class IgnoreBody extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            unreadRequests.incrementAndGet();
            resp.getWriter().print("ignored");
        }
    }

    /** Reads the body and records how reading ended (a truncated body must fail, not end). */
    final class ReadFailure extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try {
                byte[] body = req.getInputStream().readAllBytes();
                recorded.add("read " + body.length);
                readFailure.complete(null);
                resp.getWriter().print("read " + body.length);
            } catch (IOException e) {
                recorded.add("failed " + e.getClass().getSimpleName());
                readFailure.complete(e);
                throw e;
            }
        }
    }

    /** Writes {@code ?n=} bytes in flushed 4 KiB pieces, counting them: a producer faster than its client. */
    final class StreamOut extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            streamOutThread.complete(Thread.currentThread());
            int n = Integer.parseInt(req.getParameter("n"));
            byte[] all = pattern(n);
            OutputStream out = resp.getOutputStream();
            try {
                for (int off = 0; off < n; off += 4096) {
                    int len = Math.min(4096, n - off);
                    out.write(all, off, len);
                    out.flush();
                    streamedOut.addAndGet(len);
                }
            } catch (IOException e) {
                recorded.add("write failed " + e.getClass().getSimpleName());
                throw e;
            }
            recorded.add("written " + n);
        }
    }

    /** Writes {@code ?n=} bytes with a WriteListener, as fast as {@code isReady()} allows. */
    final class NonBlockingStreamOut extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int n = Integer.parseInt(req.getParameter("n"));
            byte[] all = pattern(n);
            AsyncContext async = req.startAsync();
            ServletOutputStream out = resp.getOutputStream();
            out.setWriteListener(new WriteListener() {
                private int offset;

                @Override
                public void onWritePossible() throws IOException {
                    while (out.isReady()) {
                        if (offset == n) {
                            async.complete();
                            return;
                        }
                        int len = Math.min(4096, n - offset);
                        out.write(all, offset, len);
                        offset += len;
                        nonBlockingWritten.set(offset);
                    }
                    notReady.incrementAndGet();
                }

                @Override
                public void onError(Throwable t) {
                    recorded.add("write listener error " + t.getClass().getSimpleName());
                    async.complete();
                }
            });
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
