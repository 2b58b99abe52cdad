package io.spdyconnector.jetty.hardening;

import io.spdyconnector.protocol.testing.hardening.BadInputScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link BadInputScenarios} on Jetty. */
class JettyBadInputTest extends BadInputScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new JettyHardeningServer(options);
    }
}
