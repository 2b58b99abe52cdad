package io.spdyconnector.proxy;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;

/**
 * Points the proxy servlet at the origin named by the system property {@value #PROPERTY}, the way
 * an operator passes {@code -Dproxy.origin=...} to the container: the WAR is built before anyone
 * knows where the origin listens, and neither Jetty nor Tomcat expands properties in web.xml alike.
 */
public class OriginFromSystemProperty implements ServletContextListener {
    public static final String PROPERTY = "proxy.origin";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String origin = System.getProperty(PROPERTY);
        if (origin == null || origin.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY + " must name the origin, e.g. http://127.0.0.1:8090");
        }
        ServletRegistration proxy = event.getServletContext().getServletRegistration("proxy");
        if (!proxy.setInitParameter("proxyTo", origin)) {
            throw new IllegalStateException("web.xml already sets proxyTo; remove it or the system property");
        }
    }
}
