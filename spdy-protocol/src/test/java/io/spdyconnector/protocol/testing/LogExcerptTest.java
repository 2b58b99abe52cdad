package io.spdyconnector.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class LogExcerptTest {
    private static final Path FILE = Path.of("/base/server.log");

    @Test
    void aShortLogIsShownWhole() {
        assertThat(LogExcerpt.of("Jetty", FILE, "started\nstopped\n", 40)).isEqualTo("""

                ----- Jetty log /base/server.log -----
                started
                stopped
                ----- end of Jetty log -----""");
    }

    @Test
    void aLongLogKeepsItsLastLinesWithoutStackFrames() {
        String log = """
                line 1
                line 2
                WARN boom
                jakarta.servlet.ServletException: boom
                \tat io.spdyconnector.sample.BoomServlet.doGet(BoomServlet.java:12)
                \t\tat org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:1307)
                \t... 12 more
                line 3
                """;
        assertThat(LogExcerpt.of("Tomcat", FILE, log, 3)).isEqualTo("""

                ----- Tomcat log /base/server.log (last 3 lines, stack frames left out) -----
                WARN boom
                jakarta.servlet.ServletException: boom
                line 3
                ----- end of Tomcat log -----""");
    }
}
