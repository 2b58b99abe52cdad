package io.spdyconnector.jetty.hardening;

import io.spdyconnector.protocol.testing.hardening.MetricsScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link MetricsScenarios} on Jetty. */
class JettyMetricsTest extends MetricsScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new JettyHardeningServer(options);
    }
}
