/**
 * SPDY for Jetty 12.1: a {@code ConnectionFactory} whose streams are Jetty {@code HttpStream}s, so
 * any Jetty handler or servlet runs over SPDY unchanged.
 */
package io.spdyconnector.jetty;
