/**
 * SPDY for Tomcat 11: an {@code UpgradeProtocol} for ALPN on TLS connectors and a protocol handler
 * for plain SPDY, whose streams are Coyote requests served through the container's adapter.
 */
package io.spdyconnector.tomcat;
