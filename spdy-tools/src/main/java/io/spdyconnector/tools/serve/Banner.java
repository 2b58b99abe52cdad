package io.spdyconnector.tools.serve;

import io.spdyconnector.tools.SpdyTool;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * What {@code spdy serve} prints once it listens: the URLs, what each port speaks, and commands that
 * can be pasted as they are (the {@code spdy} launcher sets {@code spdy.launcher} to its own path,
 * {@code java -jar} runs get the jar's path).
 */
final class Banner {
    private final ServerSettings settings;
    private final RunningServer server;
    private final boolean sample;
    private final boolean selfSigned;

    Banner(ServerSettings settings, RunningServer server, boolean sample, boolean selfSigned) {
        this.settings = settings;
        this.server = server;
        this.sample = sample;
        this.selfSigned = selfSigned;
    }

    void print(PrintStream err) {
        StringBuilder b = new StringBuilder();
        b.append("spdy serve: ").append(server.description()).append(" is serving\n");
        for (ServerSettings.Webapp w : settings.webapps()) {
            b.append("  ").append(sample ? "the sample webapp" : w.location().toString())
                    .append(" at ").append(w.contextPath()).append('\n');
        }
        String path = sample ? "/hello" : settings.webapps().get(0).contextPath();
        String plainUrl = url("http", server.plainPort(), path);
        b.append('\n');
        b.append("  ").append(pad(url("http", server.plainPort(), "/"))).append("SPDY (")
                .append(settings.plainSpdy()).append(", prior knowledge), HTTP/1.1, h2c\n");
        String tlsUrl = null;
        if (server.tlsPort() >= 0) {
            tlsUrl = url("https", server.tlsPort(), path);
            b.append("  ").append(pad(url("https", server.tlsPort(), "/")))
                    .append("spdy/3.1, spdy/3, h2, http/1.1 by ALPN");
            b.append(selfSigned ? " (self-signed certificate, SHA-256 " : " (certificate SHA-256 ")
                    .append(KeyStores.fingerprint(settings.keyStore(), settings.keyStorePassword())).append(')');
            b.append('\n');
        }
        b.append("\nTry:\n");
        b.append("  ").append(launcher()).append(" get -i ").append(plainUrl).append('\n');
        if (tlsUrl != null) {
            // -k even for a certificate of the user's: it is rarely issued for the name in this URL.
            b.append("  ").append(launcher()).append(" get -k -i ").append(tlsUrl).append('\n');
        }
        b.append("  curl ").append(plainUrl).append("   (HTTP/1.1 on the same port)\n");
        b.append("\nCtrl-C stops gracefully.\n");
        synchronized (err) {
            err.print(b);
            err.flush();
        }
    }

    private String url(String scheme, int port, String path) {
        String h = settings.host();
        if (h.equals("0.0.0.0") || h.equals("::") || h.isEmpty()) {
            h = "localhost";
        } else if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return scheme + "://" + h + ":" + port + path;
    }

    private static String pad(String s) {
        return String.format("%-28s", s);
    }

    /** How this tool was started, as a command a user can paste. */
    static String launcher() {
        String launcher = System.getProperty("spdy.launcher");
        if (launcher != null && !launcher.isEmpty()) {
            return launcher;
        }
        try {
            Path code = Path.of(SpdyTool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (code.toString().endsWith(".jar")) {
                return "java -jar " + code;
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall through to the launcher's name
        }
        return "spdy";
    }
}
