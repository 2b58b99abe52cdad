package io.spdyconnector.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/** One in-process run of the {@code spdy} command line: its exit code and what it printed. */
record ToolRun(int exitCode, byte[] stdout, String stderr) {
    static ToolRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = SpdyTool.run(o, e, args);
        }
        return new ToolRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout:\n" + out() + "\n--- stderr:\n" + stderr;
    }
}
