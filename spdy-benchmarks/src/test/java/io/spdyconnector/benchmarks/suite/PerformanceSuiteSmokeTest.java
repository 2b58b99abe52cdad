package io.spdyconnector.benchmarks.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The performance suite end to end with tiny sizes and durations: both containers start in their
 * own JVM, every measure runs and reports a figure, and the report and charts are written. Timing is
 * never asserted: the figures of so short a run mean nothing, only that there are figures.
 */
class PerformanceSuiteSmokeTest {
    @Test
    void everyMeasureProducesNumbersOnBothContainers(@TempDir Path out) throws Exception {
        SuiteOptions o = SuiteOptions.parse("--out", out.toString(), "--no-pin", "--no-h2load",
                "--warmup", "0.3", "--seconds", "0.5", "--rounds", "1", "--sessions", "2", "--streams", "8",
                "--download", "4m", "--download-rounds", "1", "--idle", "10", "--many-sessions", "50",
                "--stream-sessions", "2", "--streams-per-session", "20", "--latency-requests", "30",
                "--jmh-seconds", "0.1", "--jmh-iterations", "1", "--jmh-forks", "0", "--server-heap", "256m");

        Results results = PerformanceSuite.run(o, "");

        for (String measure : List.of("P1", "P2", "P3", "P4", "P6")) {
            for (String container : List.of("Jetty 12.1.12", "Tomcat 11.0.25")) {
                assertThat(results.rows).as(measure + " on " + container)
                        .anySatisfy(r -> {
                            assertThat(r.measure()).isEqualTo(measure);
                            assertThat(r.container()).isEqualTo(container);
                            assertThat(r.ratio()).isNotNaN();
                        });
            }
        }
        for (String container : List.of("Jetty 12.1.12", "Tomcat 11.0.25")) {
            assertThat(results.rows).as("P5 on " + container).filteredOn(r -> r.measure().equals("P5")
                    && r.container().equals(container)).hasSize(2)
                    .allSatisfy(r -> assertThat(r.met() || !Double.isNaN(r.ratio())).isTrue())
                    .anySatisfy(r -> assertThat(r.spdy()).isEqualTo("50 held"));
        }
        assertThat(results.rows).anySatisfy(r -> {
            assertThat(r.measure()).isEqualTo("P7");
            assertThat(r.ratio()).isNotNaN();
        });
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| P1 |", "| P7 |", "## P5: scale", "p3-download.png");
        for (String chart : List.of("p1-small-requests.png", "p2-server-cpu.png", "p3-download.png",
                "p4-idle-memory.png", "p5-open-stream-memory.png", "p7-header-blocks.png")) {
            assertThat(out.resolve(chart)).isNotEmptyFile();
        }
    }
}
