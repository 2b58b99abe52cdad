package io.spdyconnector.jetty;

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
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee11.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.util.security.Credential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary servlet application, with no SPDY classes: what the connector must serve unchanged.
 * Static files live in a temporary directory served by the container's default servlet.
 */
final class TestApp {
    static final int PATTERN_SIZE = 1 << 20;
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-app-timer");
        t.setDaemon(true);
        return t;
    });
    /** Released to let {@link Gate} servlets go on. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    private TestApp() {
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    static ServletContextHandler context(Path staticDir) throws IOException {
        Files.write(staticDir.resolve("pattern.bin"), pattern(PATTERN_SIZE));
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.SESSIONS);
        context.setBaseResourceAsPath(staticDir);
        context.addServlet(Hello.class, "/hello");
        context.addServlet(Echo.class, "/echo");
        context.addServlet(AsyncEcho.class, "/echo-async").setAsyncSupported(true);
        context.addServlet(Sleep.class, "/sleep").setAsyncSupported(true);
        context.addServlet(Counter.class, "/session");
        context.addServlet(Boom.class, "/boom");
        context.addServlet(Headers.class, "/headers");
        context.addServlet(Trailers.class, "/trailers");
        context.addServlet(Gate.class, "/gate");
        context.addServlet(Hello.class, "/secret/hello");
        context.addServlet(new ServletHolder("error404", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().print("custom 404 for " + req.getAttribute("jakarta.servlet.error.request_uri"));
            }
        }), "/error404");
        ServletHolder files = new ServletHolder("default", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        context.addServlet(files, "/");
        context.addFilter(new FilterHolder(new Marker()), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
        errors.addErrorPage(404, "/error404");
        context.setErrorHandler(errors);
        context.setSecurityHandler(security());
        return context;
    }

    private static ConstraintSecurityHandler security() {
        UserStore users = new UserStore();
        users.addUser("user", Credential.getCredential("pass"), new String[] {"reader"});
        HashLoginService login = new HashLoginService("test");
        login.setUserStore(users);
        ConstraintMapping mapping = new ConstraintMapping();
        mapping.setPathSpec("/secret/*");
        mapping.setConstraint(Constraint.from("reader"));
        ConstraintSecurityHandler security = new ConstraintSecurityHandler();
        security.setLoginService(login);
        security.setAuthenticator(new BasicAuthenticator());
        security.addConstraintMapping(mapping);
        return security;
    }

    /** Says who is asking and over what. */
    public static class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("hello " + req.getProtocol() + " " + req.getScheme() + " " + req.isSecure() + " "
                    + req.getAttribute("io.spdyconnector.version") + " " + req.getAttribute("io.spdyconnector.priority")
                    + " " + req.getRemoteUser());
        }
    }

    /** Streams the body back with blocking I/O. */
    public static class Echo extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/octet-stream");
            try (InputStream in = req.getInputStream(); OutputStream out = resp.getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    /** Streams the body back with ReadListener and WriteListener. */
    public static class AsyncEcho extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            AsyncContext async = req.startAsync();
            ServletInputStream in = req.getInputStream();
            ServletOutputStream out = resp.getOutputStream();
            byte[] buffer = new byte[8192];
            boolean[] inputDone = new boolean[1];
            Runnable pump = () -> {
                try {
                    while (out.isReady()) {
                        if (inputDone[0]) {
                            async.complete();
                            return;
                        }
                        if (!in.isReady()) {
                            return;
                        }
                        int n = in.read(buffer);
                        if (n < 0) {
                            inputDone[0] = true;
                            continue;
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    async.complete();
                }
            };
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() {
                    pump.run();
                }

                @Override
                public void onAllDataRead() {
                    inputDone[0] = true;
                    pump.run();
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
            out.setWriteListener(new WriteListener() {
                @Override
                public void onWritePossible() {
                    pump.run();
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
        }
    }

    /** Completes later on another thread, like a slow backend. */
    public static class Sleep extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            AsyncContext async = req.startAsync();
            long ms = Long.parseLong(req.getParameter("ms"));
            TIMER.schedule(() -> {
                try {
                    resp.setContentType("text/plain");
                    resp.getWriter().print("slept " + ms);
                } catch (IOException ignored) {
                    // client gone
                }
                async.complete();
            }, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Counts visits in the HTTP session. */
    public static class Counter extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            Integer n = (Integer) session.getAttribute("n");
            n = n == null ? 1 : n + 1;
            session.setAttribute("n", n);
            resp.getWriter().print(n);
        }
    }

    public static class Boom extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            throw new IllegalStateException("boom");
        }
    }

    /** Lists the request headers it saw, and tries to send connection-specific ones back. */
    public static class Headers extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Map<String, String> seen = new TreeMap<>();
            for (String name : java.util.Collections.list(req.getHeaderNames())) {
                seen.put(name.toLowerCase(java.util.Locale.ROOT), req.getHeader(name));
            }
            resp.setHeader("Connection", "close");
            resp.setHeader("Keep-Alive", "timeout=5");
            resp.setHeader("X-Custom", "yes");
            resp.setContentType("text/plain");
            resp.getWriter().print(seen);
        }
    }

    /** Reads request trailers after the body and answers with trailers of its own. */
    public static class Trailers extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = req.getInputStream().readAllBytes();
            Map<String, String> requestTrailers = req.getTrailerFields();
            resp.setTrailerFields(() -> Map.of("x-length", Integer.toString(body.length)));
            resp.setContentType("text/plain");
            resp.getWriter().print("trailers " + new TreeMap<>(requestTrailers));
        }
    }

    /** Waits for the test to open {@link #gate}, reading nothing meanwhile, then echoes. */
    public static class Gate extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            req.getInputStream().transferTo(all);
            resp.getWriter().print(all.size());
        }
    }

    /** Marks every response, proving filters run. */
    public static class Marker implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) resp).setHeader("x-filtered", "true");
            chain.doFilter(req, resp);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
