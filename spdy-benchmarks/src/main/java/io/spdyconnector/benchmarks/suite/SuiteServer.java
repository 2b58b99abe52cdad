package io.spdyconnector.benchmarks.suite;

import io.spdyconnector.benchmarks.load.LoadServlets;
import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.protocol.headers.ZlibResources;
import io.spdyconnector.tomcat.SpdyNioProtocol;
import io.spdyconnector.tomcat.SpdyUpgradeProtocol;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of the suite, run in its own JVM so that its CPU time and memory are its own:
 * one container with three plain connectors on the same servlets, SPDY/3.1 (prior knowledge), the
 * container's own h2c (prior knowledge) and HTTP/1.1. Every connector gets the same limits (streams
 * per connection, idle time, connections), so the protocols differ only in how they are served.
 *
 * <p>It prints {@code ports spdy=P h2c=P http1=P} and then answers one line per command read from
 * standard input: {@code stats} (process CPU and requests served), {@code mem} (after garbage
 * collection: heap, direct buffers, the engine's live zlib streams, resident set), {@code held},
 * {@code release} and {@code quit}.
 *
 * <pre>java -cp benchmarks.jar io.spdyconnector.benchmarks.suite.SuiteServer jetty|tomcat DOCS MAX_STREAMS</pre>
 */
public final class SuiteServer {
    /** Long enough that no connector closes an idle connection while a run holds it. */
    static final int IDLE_MILLIS = 600_000;

    private SuiteServer() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("org.apache").setLevel(Level.WARNING);
        String engine = args[0];
        Path docs = Path.of(args[1]);
        int maxStreams = Integer.parseInt(args[2]);
        AutoCloseable stop;
        int[] ports;
        if (engine.equals("jetty")) {
            Server server = jetty(docs, maxStreams);
            ports = new int[3];
            for (int i = 0; i < 3; i++) {
                ports[i] = ((ServerConnector) server.getConnectors()[i]).getLocalPort();
            }
            stop = server::stop;
        } else {
            Tomcat tomcat = tomcat(docs, maxStreams);
            Connector[] connectors = tomcat.getService().findConnectors();
            ports = new int[] {connectors[0].getLocalPort(), connectors[1].getLocalPort(), connectors[2].getLocalPort()};
            stop = () -> {
                tomcat.stop();
                tomcat.destroy();
            };
        }
        System.out.println("ports spdy=" + ports[0] + " h2c=" + ports[1] + " http1=" + ports[2]);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            System.out.println(answer(line.trim()));
            System.out.flush();
        }
        SuiteServlets.release();
        stop.close();
        System.exit(0);
    }

    private static String answer(String command) throws InterruptedException {
        switch (command) {
            case "stats":
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                return "cpu=" + os.getProcessCpuTime() + " served=" + SuiteServlets.SERVED.sum();
            case "mem":
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(50);
                }
                long direct = 0;
                for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                    direct += pool.getMemoryUsed();
                }
                return "heap=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + " direct=" + direct
                        + " inflaters=" + ZlibResources.liveInflaters() + " deflaters=" + ZlibResources.liveDeflaters()
                        + " rss=" + rss();
            case "held":
                return "held=" + SuiteServlets.held();
            case "release":
                return "released=" + SuiteServlets.release();
            default:
                return "error unknown command " + command;
        }
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // Not Linux: resident set size is not reported.
        }
        return 0;
    }

    static Server jetty(Path docs, int maxStreams) throws Exception {
        Server server = new Server(new QueuedThreadPool(200, 8));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SpdyServerConnectionFactory spdy = new SpdyServerConnectionFactory(http);
        spdy.setMaxConcurrentStreams(maxStreams);
        // As h2c: no cap on the streams of one connection, which the closed loop keeps open.
        spdy.setMaxStreamsPerSession(0);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(maxStreams);
        for (ConnectionFactory factory : new ConnectionFactory[] {spdy, h2c, new HttpConnectionFactory(http)}) {
            ServerConnector connector = new ServerConnector(server, factory);
            connector.setHost("127.0.0.1");
            connector.setIdleTimeout(IDLE_MILLIS);
            connector.setAcceptQueueSize(1024);
            server.addConnector(connector);
        }
        ServletContextHandler context = new ServletContextHandler("/");
        context.setBaseResourceAsPath(docs);
        context.addServlet(SuiteServlets.Small.class, "/small");
        context.addServlet(SuiteServlets.Hold.class, "/hold").setAsyncSupported(true);
        context.addServlet(LoadServlets.Big.class, "/big");
        context.addServlet(DefaultServlet.class, "/");
        server.setHandler(context);
        server.start();
        return server;
    }

    static Tomcat tomcat(Path docs, int maxStreams) throws Exception {
        Path base = Files.createTempDirectory("suite-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector spdyConnector = new Connector(SpdyNioProtocol.class.getName());
        SpdyUpgradeProtocol spdy = new SpdyUpgradeProtocol();
        spdy.setMaxConcurrentStreams(maxStreams);
        spdy.setMaxConcurrentStreamExecution(maxStreams);
        spdy.setMaxStreamsPerSession(0);
        spdy.setKeepAliveTimeout(IDLE_MILLIS);
        spdyConnector.addUpgradeProtocol(spdy);
        Connector h2cConnector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        Http2Protocol h2c = new Http2Protocol();
        h2c.setMaxConcurrentStreams(maxStreams);
        h2c.setMaxConcurrentStreamExecution(maxStreams);
        h2c.setKeepAliveTimeout(IDLE_MILLIS);
        h2cConnector.addUpgradeProtocol(h2c);
        Connector http1Connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        for (Connector c : new Connector[] {spdyConnector, h2cConnector, http1Connector}) {
            c.setPort(0);
            c.setProperty("address", "127.0.0.1");
            c.setProperty("connectionTimeout", String.valueOf(IDLE_MILLIS));
            c.setProperty("keepAliveTimeout", String.valueOf(IDLE_MILLIS));
            c.setProperty("maxKeepAliveRequests", "-1");
            c.setProperty("maxConnections", "-1");
            c.setProperty("acceptCount", "1024");
            tomcat.getService().addConnector(c);
        }
        tomcat.setConnector(spdyConnector);
        Context context = tomcat.addContext("", docs.toString());
        Tomcat.addServlet(context, "small", new SuiteServlets.Small());
        context.addServletMappingDecoded("/small", "small");
        Wrapper hold = Tomcat.addServlet(context, "hold", new SuiteServlets.Hold());
        hold.setAsyncSupported(true);
        context.addServletMappingDecoded("/hold", "hold");
        Tomcat.addServlet(context, "big", new LoadServlets.Big());
        context.addServletMappingDecoded("/big", "big");
        Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        tomcat.start();
        return tomcat;
    }
}
