package io.spdyconnector.tools;

/**
 * Jetty logs through slf4j to jetty-slf4j-impl, which reads its levels from system properties when
 * it starts: they must be set before the first Jetty class logs. Jetty's INFO lines (versions,
 * started connectors) would drown the tools' own output, so the default is WARN.
 */
public final class JettyLogging {
    private static final String SSL_CONFIG = "org.eclipse.jetty.util.ssl.SslContextFactory.config.LEVEL";

    private JettyLogging() {
    }

    /** INFO with {@code verbose}; otherwise WARN, unless the JVM was started with levels of its own. */
    public static void configure(boolean verbose) {
        for (String logger : new String[] {"org.eclipse.jetty.LEVEL", "io.spdyconnector.LEVEL"}) {
            if (verbose) {
                System.setProperty(logger, "INFO");
            } else if (System.getProperty(logger) == null) {
                System.setProperty(logger, "WARN");
            }
        }
        // Its warnings repeat what -k asked for: trust any certificate.
        if (!verbose && System.getProperty(SSL_CONFIG) == null) {
            System.setProperty(SSL_CONFIG, "ERROR");
        }
    }
}
