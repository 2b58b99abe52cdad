package io.spdyconnector.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spdyconnector.tools.serve.ServeCommand.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code spdy bench} against {@code spdy serve} on both engines, over SPDY, h2c and HTTP/1.1. */
class BenchCommandTest {
    @ParameterizedTest
    @EnumSource(Engine.class)
    void comparesTheThreeProtocolsInOneRunAsJson(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("bench", "-c", "2", "-m", "4", "-n", "300", "--proto", "spdy,h2c,http1", "--json",
                server.plainUrl("/hello"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("url").asText()).isEqualTo(server.plainUrl("/hello"));
        assertThat(report.get("requests").asLong()).isEqualTo(300);
        assertThat(report.get("durationSeconds").isNull()).isTrue();
        List<String> protocols = new ArrayList<>();
        for (JsonNode r : report.get("results")) {
            protocols.add(r.get("protocol").asText());
            assertThat(r.get("requests").asLong()).isEqualTo(300);
            assertThat(r.get("succeeded").asLong()).isEqualTo(300);
            assertThat(r.get("failed").asLong()).isZero();
            assertThat(r.get("connections").asInt()).isEqualTo(2);
            assertThat(r.get("bodyBytes").asLong()).isEqualTo(300 * 5);
            assertThat(r.get("requestsPerSecond").asDouble()).isPositive();
            assertThat(r.get("megabytesPerSecond").asDouble()).isPositive();
            JsonNode latency = r.get("latencyMillis");
            assertThat(latency.get("min").asDouble()).isPositive();
            assertThat(latency.get("p50").asDouble()).isGreaterThanOrEqualTo(latency.get("min").asDouble());
            assertThat(latency.get("p90").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
            assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p90").asDouble());
            assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(latency.get("p99").asDouble());
            assertThat(r.at("/statusClasses/2xx").asLong()).isEqualTo(300);
            assertThat(r.get("errors").size()).isZero();
        }
        assertThat(protocols).containsExactly("spdy/3.1", "h2c", "http/1.1");
        assertThat(report.get("results").get(0).get("concurrency").asInt()).isEqualTo(8);
        assertThat(report.get("results").get(2).get("concurrency").asInt()).isEqualTo(2);
    }

    /** The server ends each session after 1000 streams (its default): bench goes on with a new one. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void sessionsTheServerEndsAreReplacedWithoutFailures(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("bench", "-c", "1", "-m", "16", "-n", "2500", "--json", server.plainUrl("/hello"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out()).get("results").get(0);
        assertThat(result.get("succeeded").asLong()).isEqualTo(2500);
        assertThat(result.get("failed").asLong()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void timedRunWithWarmUpPrintsATable(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("bench", "-k", "-c", "1", "-m", "8", "-D", "1", "--warmup", "0.5", "-d", "ping",
                server.tlsUrl("/echo"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        String table = run.out();
        assertThat(table).startsWith("spdy bench " + server.tlsUrl("/echo") + ": POST, 1 s, -c 1 -m 8, 0.5 s warm-up\n");
        for (String row : new String[] {"protocol                spdy/3.1", "concurrency             8", "req/s",
                "MB/s (bodies)", "latency p50 (ms)", "latency p90 (ms)", "latency p99 (ms)", "latency max (ms)",
                "errors                  none"}) {
            assertThat(table).contains("\n" + row);
        }
        // No progress bar unless asked for or on a terminal: standard error stays empty.
        assertThat(run.stderr()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void errorStatusesAreCountedByKindAndExitWithSix(Engine engine) throws Exception {
        ServeHarness server = ServeHarness.shared(engine);
        ToolRun run = ToolRun.of("bench", "-n", "20", "-m", "2", "--progress", "--json", server.plainUrl("/boom"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REQUESTS_FAILED);
        JsonNode result = new ObjectMapper().readTree(run.out()).get("results").get(0);
        assertThat(result.get("failed").asLong()).isEqualTo(20);
        assertThat(result.at("/errors/http-5xx").asLong()).isEqualTo(20);
        assertThat(run.stderr()).contains("[##############################] 100%");
    }

    @Test
    void anUnreachableTargetExitsWithThree() throws Exception {
        int port = ToolRun.closedPort();
        for (String proto : new String[] {"spdy", "http1"}) {
            ToolRun run = ToolRun.of("bench", "-n", "5", "--proto", proto, "http://localhost:" + port + "/");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONNECT_FAILED);
            assertThat(run.stderr()).isEqualTo("spdy bench: cannot connect to localhost:" + port
                    + ": connection refused\n");
        }
    }

    @Test
    void requestsAndDurationExcludeEachOther() {
        ToolRun run = ToolRun.of("bench", "-n", "5", "-D", "1", "http://localhost:1/");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("mutually exclusive");
    }
}
