package io.spdyconnector.tools;

import io.spdyconnector.tools.serve.RunningServer;
import io.spdyconnector.tools.serve.ServeCommand;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spdy serve} started in-process through the real command line, with what it prints kept
 * for the test: the same parsing, start and graceful stop as the command, without the JVM's signals.
 */
final class ServeHarness implements AutoCloseable {
    private static final Map<ServeCommand.Engine, ServeHarness> SHARED = new EnumMap<>(ServeCommand.Engine.class);

    final RunningServer serving;
    private final ByteArrayOutputStream out;
    private final ByteArrayOutputStream err;

    private ServeHarness(RunningServer serving, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        this.serving = serving;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code spdy serve} with ephemeral ports on loopback and the given extra arguments. */
    static ServeHarness start(ServeCommand.Engine engine, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        List<String> given = Arrays.asList(args);
        List<String> line = new ArrayList<>(List.of("serve", "--engine", engine.name()));
        for (String[] option : new String[][] {{"--port", "0"}, {"--tls-port", "0"}, {"--stop-timeout", "10"}}) {
            if (!given.contains(option[0])) {
                line.addAll(List.of(option));
            }
        }
        line.addAll(given);
        CommandLine cl = SpdyTool.commandLine(o, e);
        CommandLine.ParseResult parsed = cl.parseArgs(line.toArray(new String[0]));
        ServeCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        return new ServeHarness(command.start(), out, err);
    }

    /** The sample webapp on {@code engine}, started once and shared by the test classes of this JVM. */
    static synchronized ServeHarness shared(ServeCommand.Engine engine) throws Exception {
        ServeHarness h = SHARED.get(engine);
        if (h == null) {
            h = start(engine, "--no-access-log");
            SHARED.put(engine, h);
            ServeHarness started = h;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // The JVM is exiting.
                }
            }));
        }
        return h;
    }

    String plainUrl(String path) {
        return "http://localhost:" + serving.plainPort() + path;
    }

    String tlsUrl(String path) {
        return "https://localhost:" + serving.tlsPort() + path;
    }

    /** What the server printed on standard output (the access log). */
    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the server printed on standard error (banner, messages). */
    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        serving.close();
    }
}
