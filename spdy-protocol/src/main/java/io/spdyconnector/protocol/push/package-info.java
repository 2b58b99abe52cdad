/**
 * Server push for the container adapters: which resources to push with a response (preload links,
 * and a strategy that learns what pages pull in), within per-response caps and never twice to one
 * client. The engine makes the pushed streams; the adapters run the pushed requests through their
 * container like any other.
 */
package io.spdyconnector.protocol.push;
