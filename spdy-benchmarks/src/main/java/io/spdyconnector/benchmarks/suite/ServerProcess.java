package io.spdyconnector.benchmarks.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SuiteServer} in a child JVM, pinned to its own CPU when the suite pins: its CPU time and
 * heap are then the server's alone, whatever the load generator in this JVM does. Commands are one
 * line each way over the child's standard input and output.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final String engine;
    final int spdyPort;
    final int h2cPort;
    final int http1Port;

    private ServerProcess(String engine, Process process) throws IOException {
        this.engine = engine;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        String first;
        while ((first = out.readLine()) != null && !first.startsWith("ports ")) {
            System.err.println("[" + engine + "] " + first);
        }
        if (first == null) {
            throw new IOException(engine + " server exited before listening");
        }
        Map<String, Long> ports = parse(first.substring(6));
        spdyPort = ports.get("spdy").intValue();
        h2cPort = ports.get("h2c").intValue();
        http1Port = ports.get("http1").intValue();
    }

    /** Starts the container {@code engine} serving {@code docs}, on {@code cpu} if not negative. */
    static ServerProcess start(String engine, Path docs, int maxStreams, int cpu, List<String> jvmArgs)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (cpu >= 0) {
            command.add("taskset");
            command.add("-c");
            command.add(String.valueOf(cpu));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SuiteServer.class.getName());
        command.add(engine);
        command.add(docs.toString());
        command.add(String.valueOf(maxStreams));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ServerProcess(engine, p);
    }

    String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    synchronized Map<String, Long> command(String command) throws IOException {
        in.println(command);
        String line = out.readLine();
        if (line == null || line.startsWith("error")) {
            throw new IOException(engine + " server: " + command + ": " + line);
        }
        return parse(line);
    }

    /** Process CPU nanoseconds and small requests served so far. */
    long[] cpuAndServed() throws IOException {
        Map<String, Long> m = command("stats");
        return new long[] {m.get("cpu"), m.get("served")};
    }

    /** Memory after forced garbage collection. */
    Memory memory() throws IOException {
        Map<String, Long> m = command("mem");
        return new Memory(m.get("heap"), m.get("direct"), m.get("inflaters"), m.get("deflaters"), m.get("rss"));
    }

    private static Map<String, Long> parse(String line) {
        Map<String, Long> m = new HashMap<>();
        for (String pair : line.trim().split(" ")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        in.println("quit");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The server's memory at one moment, after GC. A live zlib stream holds about 7 KiB of state
     * plus its window (32 KiB with java.util.zip, which cannot size it to the peer's).
     */
    record Memory(long heap, long direct, long inflaters, long deflaters, long rss) {
        static final long ZLIB_STREAM_BYTES = 7 * 1024 + 32 * 1024;

        long nativeZlib() {
            return (inflaters + deflaters) * ZLIB_STREAM_BYTES;
        }

        /** Heap, direct buffers and zlib native memory. */
        long total() {
            return heap + direct + nativeZlib();
        }
    }
}
