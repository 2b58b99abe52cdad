package io.spdyconnector.benchmarks.load;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import io.spdyconnector.tomcat.SpdyNioProtocol;
import io.spdyconnector.tomcat.SpdyUpgradeProtocol;
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
        return jetty(null, false);
    }

    /** With {@code docs} served by the default servlet (if not null), and push learning on or off. */
    static Running jetty(Path docs, boolean pushLearning) throws Exception {
        Server server = new Server();
        SpdyServerConnectionFactory spdy = new SpdyServerConnectionFactory(new HttpConfiguration());
        spdy.setPushLearning(pushLearning);
        ServerConnector connector = new ServerConnector(server, spdy);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(LoadServlets.Small.class, "/small");
        context.addServlet(LoadServlets.Big.class, "/big");
        if (docs != null) {
            context.setBaseResourceAsPath(docs);
            context.addServlet(org.eclipse.jetty.ee11.servlet.DefaultServlet.class, "/");
        }
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
        return tomcat(null, false);
    }

    /** With {@code docs} served by the default servlet (if not null), and push learning on or off. */
    static Running tomcat(Path docs, boolean pushLearning) throws Exception {
        Path base = Files.createTempDirectory("tomcat-load");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector(SpdyNioProtocol.class.getName());
        SpdyUpgradeProtocol spdy = new SpdyUpgradeProtocol();
        spdy.setPushLearning(pushLearning);
        connector.addUpgradeProtocol(spdy);
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", docs != null ? docs.toString()
                : Files.createDirectories(base.resolve("root")).toString());
        Tomcat.addServlet(context, "small", new LoadServlets.Small());
        context.addServletMappingDecoded("/small", "small");
        Tomcat.addServlet(context, "big", new LoadServlets.Big());
        context.addServletMappingDecoded("/big", "big");
        if (docs != null) {
            Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
            context.addServletMappingDecoded("/", "default");
            for (String[] m : new String[][] {{"html", "text/html"}, {"css", "text/css"}, {"js", "text/javascript"},
                    {"png", "image/png"}}) {
                context.addMimeMapping(m[0], m[1]);
            }
        }
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
