package io.spdyconnector.jetty.distribution;

import io.spdyconnector.jetty.testing.JettyProcess;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.util.function.Supplier;

/** Adds the Jetty process log to the message of any failure, in tests and in their set-up. */
final class JettyLogOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private final Supplier<JettyProcess> jetty;

    JettyLogOnFailure(Supplier<JettyProcess> jetty) {
        this.jetty = jetty;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withLog(t);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withLog(t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withLog(t);
    }

    private Throwable withLog(Throwable t) {
        JettyProcess process = jetty.get();
        if (process == null || (t.getMessage() != null && t.getMessage().contains("----- Jetty log"))) {
            return t;
        }
        AssertionError e = new AssertionError(t.getMessage() + process.logSection(), t);
        e.setStackTrace(t.getStackTrace());
        return e;
    }
}
