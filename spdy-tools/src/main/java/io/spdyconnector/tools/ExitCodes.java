package io.spdyconnector.tools;

/**
 * The exit codes of every {@code spdy} command. Scripts branch on these, so a code keeps its meaning
 * across releases; docs/tools.md and each command's {@code --help} list them.
 */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** A bug: an unexpected exception, printed with its stack trace. */
    public static final int INTERNAL_ERROR = 1;
    /** Bad command line: unknown option, bad value, malformed URL, unreadable {@code -d @file}. */
    public static final int USAGE = 2;
    /** No connection: refused, unknown host, connect timeout, TLS handshake failed, no SPDY by ALPN. */
    public static final int CONNECT_FAILED = 3;
    /** Connected, but the exchange failed: stream reset, connection lost or refused by GOAWAY, time-out. */
    public static final int EXCHANGE_FAILED = 4;
    /** {@code get}: the server answered 400 or above (the response is printed all the same). */
    public static final int HTTP_ERROR = 5;
    /** {@code bench}: the run finished, but some requests failed or got 400 and above (see the report). */
    public static final int REQUESTS_FAILED = 6;
    /** {@code serve}: the server could not start (port in use, bad WAR, key store problem). */
    public static final int SERVE_FAILED = 7;

    private ExitCodes() {
    }

    /** For picocli's "Exit codes" help section, one "code:meaning" entry each. */
    static String[] helpList(int... codes) {
        String[] list = new String[codes.length];
        for (int i = 0; i < codes.length; i++) {
            list[i] = codes[i] + ":" + meaning(codes[i]);
        }
        return list;
    }

    static String meaning(int code) {
        return switch (code) {
            case OK -> "success";
            case INTERNAL_ERROR -> "internal error (a bug, with a stack trace)";
            case USAGE -> "bad command line (option, value, URL, -d @file)";
            case CONNECT_FAILED -> "could not connect (refused, unknown host, time-out, TLS, no SPDY by ALPN)";
            case EXCHANGE_FAILED -> "connected, but the exchange failed (reset, connection lost, GOAWAY, time-out)";
            case HTTP_ERROR -> "the server answered with status 400 or above";
            case REQUESTS_FAILED -> "the run finished, but some requests failed";
            case SERVE_FAILED -> "the server could not start (port in use, bad WAR, key store)";
            default -> "";
        };
    }
}
