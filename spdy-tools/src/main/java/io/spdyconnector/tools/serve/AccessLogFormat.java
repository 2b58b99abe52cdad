package io.spdyconnector.tools.serve;

/**
 * The access log formats of {@code spdy serve}, written by each container's own access log (Jetty's
 * {@code CustomRequestLog}, Tomcat's {@code AccessLogValve} and {@code JsonAccessLogValve}) with
 * patterns chosen so that both engines write the same fields under the same names. The SPDY version
 * is the request attribute the connectors set; it is absent for HTTP/1.1 and HTTP/2 requests.
 */
public enum AccessLogFormat {
    NONE(null, null),
    /** Common log format plus the elapsed time and the SPDY version. */
    TEXT("%{client}a %t \"%r\" %s %{CLF}O %Dus %{io.spdyconnector.version}attr",
            "%a %t \"%r\" %s %b %Dus %{io.spdyconnector.version}r"),
    /**
     * One JSON object per line, with the field names of Tomcat's {@code JsonAccessLogValve}; on
     * Jetty a JSON-shaped {@code CustomRequestLog} pattern, whose quoted values Jetty escapes.
     */
    JSON("{\"time\":\"%t\",\"remoteAddr\":\"%{client}a\",\"method\":\"%m\",\"path\":\"%U\",\"query\":\"%q\","
            + "\"protocol\":\"%H\",\"statusCode\":\"%s\",\"size\":\"%{CLF}O\",\"elapsedTime\":\"%D\","
            + "\"requestAttributes\":{\"io.spdyconnector.version\":\"%{io.spdyconnector.version}attr\"},"
            + "\"requestHeaders\":{\"user-agent\":\"%{User-Agent}i\"}}",
            "%t %a %m %U %q %H %s %b %D %{io.spdyconnector.version}r %{user-agent}i");

    private final String jettyPattern;
    private final String tomcatPattern;

    AccessLogFormat(String jettyPattern, String tomcatPattern) {
        this.jettyPattern = jettyPattern;
        this.tomcatPattern = tomcatPattern;
    }

    /** The {@code CustomRequestLog} format. */
    String jettyPattern() {
        return jettyPattern;
    }

    /** The {@code AccessLogValve} pattern. */
    String tomcatPattern() {
        return tomcatPattern;
    }
}
