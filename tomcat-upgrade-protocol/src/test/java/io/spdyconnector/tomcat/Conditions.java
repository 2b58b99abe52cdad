package io.spdyconnector.tomcat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a state that has no event to wait on (a counter, a thread's state), with a deadline. */
final class Conditions {
    private Conditions() {
    }

    static void await(String what, BooleanSupplier condition) throws Exception {
        await(what, condition, () -> "");
    }

    /** Like {@link #await(String, BooleanSupplier)}; on a timeout the message also carries {@code state}. */
    static void await(String what, BooleanSupplier condition, Supplier<String> state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SpdyTestClient.WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("timed out waiting for " + what + "\n" + state.get() + "\n" + threadDump());
            }
            Thread.onSpinWait();
            Thread.sleep(5);
        }
    }

    /** The stacks of every live thread: what a timed-out wait was stuck behind. */
    static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement e : stack) {
                dump.append("    at ").append(e).append('\n');
            }
        });
        return dump.toString();
    }

    /** Whether {@code thread} is parked or waiting: a blocked writer or reader. */
    static boolean blocked(Thread thread) {
        Thread.State s = thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }
}
