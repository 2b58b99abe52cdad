package io.spdyconnector.jetty.hardening;

import io.spdyconnector.protocol.testing.hardening.FloodScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link FloodScenarios} on Jetty. */
class JettyFloodTest extends FloodScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new JettyHardeningServer(options);
    }
}
