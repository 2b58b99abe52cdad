package io.spdyconnector.tomcat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting for a state that has no event to wait on (a counter, a thread's state), with a deadline. */
final class Conditions {
    private Conditions() {
    }

    static void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SpdyTestClient.WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(5);
        }
    }

    /** Whether {@code thread} is parked or waiting: a blocked writer or reader. */
    static boolean blocked(Thread thread) {
        Thread.State s = thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }
}
