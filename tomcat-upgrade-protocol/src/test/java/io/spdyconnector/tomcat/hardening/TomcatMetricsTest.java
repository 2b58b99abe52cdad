package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.testing.hardening.MetricsScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link MetricsScenarios} on Tomcat. */
class TomcatMetricsTest extends MetricsScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new TomcatHardeningServer(options);
    }
}
