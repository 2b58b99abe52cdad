package io.spdyconnector.it.target;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

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

    /** The targets named by {@code -Dit.targets} (e.g. {@code embedded-jetty,standalone-tomcat}), or all of them. */
    public static List<TargetKind> selected() {
        String names = System.getProperty("it.targets", "");
        if (names.isBlank()) {
            return List.of(values());
        }
        List<TargetKind> kinds = new ArrayList<>();
        for (String name : names.split(",")) {
            String constant = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                kinds.add(valueOf(constant));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("it.targets: no target " + name.trim() + ", only "
                        + Stream.of(values()).map(TargetKind::propertyName).toList(), e);
            }
        }
        return kinds;
    }

    /** The name {@code -Dit.targets} and the work directory know the target by. */
    public String propertyName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
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
