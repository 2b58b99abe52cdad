package io.spdyconnector.benchmarks.load;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.tomcat.SpdyNioProtocol;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;

/** Each container with plain SPDY on a free port, serving {@link LoadServlets}. */
final class Containers {
    private Containers() {
    }

    /** A started container: its base URL, and how to stop it. */
    interface Running extends AutoCloseable {
        String name();

        String url(String path);
    }

    static Running jetty() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, new SpdyServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(LoadServlets.Small.class, "/small");
        context.addServlet(LoadServlets.Big.class, "/big");
        server.setHandler(context);
        server.start();
        return new Running() {
            @Override
            public String name() {
                return "Jetty " + Server.getVersion();
            }

            @Override
            public String url(String path) {
                return "http://127.0.0.1:" + connector.getLocalPort() + path;
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }

    static Running tomcat() throws Exception {
        Path base = Files.createTempDirectory("tomcat-load");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector(SpdyNioProtocol.class.getName());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", Files.createDirectories(base.resolve("root")).toString());
        Tomcat.addServlet(context, "small", new LoadServlets.Small());
        context.addServletMappingDecoded("/small", "small");
        Tomcat.addServlet(context, "big", new LoadServlets.Big());
        context.addServletMappingDecoded("/big", "big");
        tomcat.start();
        return new Running() {
            @Override
            public String name() {
                return "Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber();
            }

            @Override
            public String url(String path) {
                return "http://127.0.0.1:" + connector.getLocalPort() + path;
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
