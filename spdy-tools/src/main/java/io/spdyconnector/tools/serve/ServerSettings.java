package io.spdyconnector.tools.serve;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything an engine needs to start, already checked and resolved by {@link ServeCommand}, so
 * that the two engines read the same plain values and differ only in how they wire their container.
 *
 * @param host          address to bind, a name or a literal
 * @param plainPort     SPDY (prior knowledge), HTTP/1.1 and h2c on one port; 0 picks a free one
 * @param tlsPort       SPDY, h2 and HTTP/1.1 by ALPN; 0 picks a free one, -1 means no TLS
 * @param keyStore      PKCS12 (or JKS) key store for the TLS port
 * @param keyStorePassword its password, also the key's
 * @param plainSpdy     what plain SPDY connections speak: {@code spdy/3.1} or {@code spdy/3}
 * @param accessLog     the access log's format
 * @param accessLogOut  where access log lines go
 * @param stopTimeout   how long a graceful stop lets in-flight requests finish
 * @param verbose       whether the container logs at INFO rather than WARN
 * @param workDir       a private directory for unpacked WARs and the container's files
 * @param webapps       what to deploy, and where
 */
public record ServerSettings(String host, int plainPort, int tlsPort, Path keyStore, String keyStorePassword,
        String plainSpdy, AccessLogFormat accessLog, PrintStream accessLogOut, Duration stopTimeout, boolean verbose,
        Path workDir, List<Webapp> webapps) {

    public boolean tls() {
        return tlsPort >= 0;
    }

    /** A WAR file or an exploded directory, and its context path ("/" or "/name"). */
    public record Webapp(Path location, String contextPath) {
    }
}
