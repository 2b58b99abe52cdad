package io.spdyconnector.jetty.distribution;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the build hands the distribution tests: the unpacked jetty-home, the jetty-base overlay
 * archive of this module, and a work directory. A missing one fails the test, never skips it.
 */
final class Distribution {
    private Distribution() {
    }

    static Path jettyHome() {
        Path home = path("spdy.jettyHome");
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            throw new IllegalStateException("no start.jar in jetty-home " + home
                    + " (the build unpacks org.eclipse.jetty:jetty-home there before integration-test)");
        }
        return home;
    }

    static Path overlay() {
        Path zip = path("spdy.jettyBaseOverlay");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no jetty-base overlay archive at " + zip + " (built at package)");
        }
        return zip;
    }

    static Path work(String name) {
        return path("spdy.distributionWork").resolve(name);
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run the distribution tests with mvn verify (failsafe sets it)");
        }
        return Path.of(value).toAbsolutePath();
    }
}
