package io.spdyconnector.tools.serve;

/** Starts one container with SPDY on its connectors and the webapps deployed. */
interface ServerEngine {
    /** Starts and returns once every port is bound and every webapp is deployed, or fails. */
    RunningServer start(ServerSettings settings) throws Exception;
}
