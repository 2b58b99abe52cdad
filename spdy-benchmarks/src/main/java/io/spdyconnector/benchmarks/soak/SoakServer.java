package io.spdyconnector.benchmarks.soak;

import io.spdyconnector.benchmarks.load.LoadServlets;
import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.protocol.session.SessionMetrics;
import io.spdyconnector.tomcat.SpdyNioProtocol;
import io.spdyconnector.tomcat.SpdyUpgradeProtocol;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardThreadExecutor;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container under soak: plain SPDY/3.1 on a free loopback port with the default limits, serving
 * {@link LoadServlets}; its thread pool lets idle threads go after 5 s, so a thread count can
 * return to its baseline within the run.
 */
interface SoakServer extends AutoCloseable {
    String name();

    int port();

    SessionMetrics metrics();

    static SoakServer jetty() throws Exception {
        Server server = new Server(new QueuedThreadPool(200, 8, 5000));
        SpdyServerConnectionFactory spdy = new SpdyServerConnectionFactory(new HttpConfiguration());
        ServerConnector connector = new ServerConnector(server, spdy);
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(10_000);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(LoadServlets.Small.class, "/small");
        context.addServlet(LoadServlets.Big.class, "/big");
        server.setHandler(context);
        server.start();
        return new SoakServer() {
            @Override
            public String name() {
                return "Jetty " + Server.getVersion();
            }

            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public SessionMetrics metrics() {
                return spdy.getSessionContainer().metrics();
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }

    static SoakServer tomcat() throws Exception {
        Path base = Files.createTempDirectory("tomcat-soak");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        StandardThreadExecutor executor = new StandardThreadExecutor();
        executor.setName("soak");
        executor.setMaxIdleTime(5000);
        tomcat.getService().addExecutor(executor);
        Connector connector = new Connector(SpdyNioProtocol.class.getName());
        connector.getProtocolHandler().setExecutor(executor);
        SpdyUpgradeProtocol spdy = new SpdyUpgradeProtocol();
        connector.addUpgradeProtocol(spdy);
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("connectionTimeout", "10000");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", Files.createDirectories(base.resolve("root")).toString());
        Tomcat.addServlet(context, "small", new LoadServlets.Small());
        context.addServletMappingDecoded("/small", "small");
        Tomcat.addServlet(context, "big", new LoadServlets.Big());
        context.addServletMappingDecoded("/big", "big");
        tomcat.start();
        return new SoakServer() {
            @Override
            public String name() {
                return "Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber();
            }

            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public SessionMetrics metrics() {
                return spdy.getGlobal().metrics();
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
