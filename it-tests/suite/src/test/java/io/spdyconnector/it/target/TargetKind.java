package io.spdyconnector.it.target;

import java.net.URI;

/** The four ways the suite runs the WARs: each container embedded, and each standalone distribution. */
public enum TargetKind {
    EMBEDDED_JETTY("embedded Jetty"),
    EMBEDDED_TOMCAT("embedded Tomcat"),
    STANDALONE_JETTY("standalone Jetty"),
    STANDALONE_TOMCAT("standalone Tomcat");

    private final String displayName;

    TargetKind(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Starts a new instance in the work directory {@code name}, its proxy WAR forwarding to
     * {@code origin}, and returns once both WARs are deployed.
     */
    public Target start(String name, URI origin) throws Exception {
        return switch (this) {
            case EMBEDDED_JETTY -> EmbeddedJettyTarget.start(name, origin);
            case EMBEDDED_TOMCAT -> EmbeddedTomcatTarget.start(name, origin);
            case STANDALONE_JETTY -> StandaloneJettyTarget.start(name, origin);
            case STANDALONE_TOMCAT -> StandaloneTomcatTarget.start(name, origin);
        };
    }

    public boolean isJetty() {
        return this == EMBEDDED_JETTY || this == STANDALONE_JETTY;
    }

    public boolean isStandalone() {
        return this == STANDALONE_JETTY || this == STANDALONE_TOMCAT;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
