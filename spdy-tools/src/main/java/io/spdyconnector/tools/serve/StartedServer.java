package io.spdyconnector.tools.serve;

import java.util.function.IntSupplier;

/** A container both engines started: its name, where it listens, and how it stops. */
final class StartedServer implements RunningServer {
    /** The container's own stop, graceful as configured by the engine. */
    interface Stop {
        void stop() throws Exception;
    }

    private final String description;
    private final IntSupplier plainPort;
    private final IntSupplier tlsPort;
    private final Stop stop;

    StartedServer(String description, IntSupplier plainPort, IntSupplier tlsPort, Stop stop) {
        this.description = description;
        this.plainPort = plainPort;
        this.tlsPort = tlsPort;
        this.stop = stop;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int plainPort() {
        return plainPort.getAsInt();
    }

    @Override
    public int tlsPort() {
        return tlsPort.getAsInt();
    }

    @Override
    public void stop() throws Exception {
        stop.stop();
    }
}
