package io.spdyconnector.tomcat.hardening;

import io.spdyconnector.protocol.testing.hardening.BadInputScenarios;
import io.spdyconnector.protocol.testing.hardening.HardeningOptions;
import io.spdyconnector.protocol.testing.hardening.HardeningServer;

/** {@link BadInputScenarios} on Tomcat. */
class TomcatBadInputTest extends BadInputScenarios {
    @Override
    protected HardeningServer start(HardeningOptions options) throws Exception {
        return new TomcatHardeningServer(options);
    }
}
