package io.spdyconnector.tools;

import io.spdyconnector.protocol.error.SpdyStreamResetException;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns the exceptions of the clients into what a script and a person can use: an exit code, a
 * one-line message, and for {@code bench} a short kind to count errors by.
 */
public final class Failures {
    private Failures() {
    }

    /** The cause that matters, without the wrappers of futures. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A failure to open a connection to {@code uri}: {@link ExitCodes#CONNECT_FAILED}. */
    public static ToolException connectFailed(URI uri, Throwable failure) {
        Throwable e = unwrap(failure);
        String where = uri.getHost() + ":" + port(uri);
        return new ToolException(ExitCodes.CONNECT_FAILED, "cannot connect to " + where + ": " + describe(e), e);
    }

    /** A failure after connecting: {@link ExitCodes#EXCHANGE_FAILED}. */
    public static ToolException exchangeFailed(Throwable failure) {
        Throwable e = unwrap(failure);
        return new ToolException(ExitCodes.EXCHANGE_FAILED, describe(e), e);
    }

    /** A human description, one line. */
    public static String describe(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof ConnectException) {
            String m = String.valueOf(e.getMessage());
            return m.contains("timed out") ? "connect timed out" : "connection refused";
        }
        if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed: " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("PKIX") ? " (use -k for self-signed servers)" : "");
        }
        if (e instanceof TimeoutException) {
            return "timed out" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (e instanceof SpdyStreamResetException) {
            SpdyStreamResetException r = (SpdyStreamResetException) e;
            return "stream reset (" + r.status() + "): " + r.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * A short kind to count errors by: {@code connect}, {@code tls}, {@code timeout},
     * {@code reset:STATUS} (e.g. {@code reset:REFUSED_STREAM}), {@code connection-lost}, {@code refused}
     * (Jetty's client: the server did not process it), {@code io}, else the exception's class name.
     */
    public static String kind(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof SpdyStreamResetException) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("session closed") || m.startsWith("session error")) {
                return "connection-lost";
            }
            return "reset:" + ((SpdyStreamResetException) e).status();
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof UnresolvedAddressException || e instanceof NoRouteToHostException) {
            return "connect";
        }
        if (e instanceof SSLException) {
            return "tls";
        }
        String name = e.getClass().getSimpleName();
        if (e instanceof TimeoutException || name.contains("Timeout")) {
            return "timeout";
        }
        if (e instanceof ClosedChannelException || e instanceof EOFException) {
            return "connection-lost";
        }
        if (name.startsWith("Retryable")) {
            return "refused";
        }
        if (e instanceof java.io.IOException) {
            return "io";
        }
        return name;
    }

    /** The port of an http or https URI, explicit or implied. */
    public static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
