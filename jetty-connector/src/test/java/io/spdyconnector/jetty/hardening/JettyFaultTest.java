package io.spdyconnector.jetty.hardening;

import io.spdyconnector.protocol.testing.hardening.FaultScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link FaultScenarios} on Jetty. */
class JettyFaultTest extends FaultScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new JettyHardeningServer(options);
    }
}
