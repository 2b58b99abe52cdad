package io.spdyconnector.tools.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop, as h2load runs one: every slot sends its next request as soon as the previous one
 * ends, so the load is exactly the configured concurrency and latency is never inflated by requests
 * queued inside the client. A failed request hands its slot's next send to an executor: a transport
 * that fails at once (a closed connection) would otherwise recurse on one stack.
 */
final class LoadGenerator {
    /** How long a timed run waits for requests still in flight after its time is up. */
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LoadTransport transport;
    private final ProgressBar progress;
    private final ExecutorService afterFailure = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spdy-bench-retry");
        t.setDaemon(true);
        return t;
    });

    LoadGenerator(LoadTransport transport, ProgressBar progress) {
        this.transport = transport;
        this.progress = progress;
    }

    /** Runs for {@code seconds} and throws the numbers away: connections and JIT get warm. */
    void warmUp(double seconds) throws InterruptedException {
        if (seconds > 0) {
            drive(Budget.forSeconds(seconds), "warm-up");
        }
    }

    /** The measured phase: {@code requests} requests, or as many as fit in {@code seconds}. */
    Measurement measure(long requests, double seconds) throws InterruptedException {
        Budget budget = seconds > 0 ? Budget.forSeconds(seconds) : Budget.forCount(requests);
        return drive(budget, transport.protocol());
    }

    private Measurement drive(Budget budget, String label) throws InterruptedException {
        Measurement m = new Measurement();
        int slots = transport.slots();
        CountDownLatch idle = new CountDownLatch(slots);
        AtomicLong inFlight = new AtomicLong();
        for (int slot = 0; slot < slots; slot++) {
            next(slot, m, budget, idle, inFlight);
        }
        long drainDeadline = 0;
        while (!idle.await(200, TimeUnit.MILLISECONDS)) {
            progress.update(label, budget.fraction(m.completed()), m.completed(), m.elapsedSeconds(), m.errorCount());
            if (budget.timeUp()) {
                if (drainDeadline == 0) {
                    drainDeadline = System.nanoTime() + DRAIN_NANOS;
                } else if (System.nanoTime() > drainDeadline) {
                    break;
                }
            }
        }
        m.close();
        m.abandoned(inFlight.get());
        progress.done(label, m.completed(), m.elapsedSeconds(), m.errorCount());
        return m;
    }

    private void next(int slot, Measurement m, Budget budget, CountDownLatch idle, AtomicLong inFlight) {
        if (!budget.take()) {
            idle.countDown();
            return;
        }
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        transport.send(slot, (status, bytes, failure) -> {
            inFlight.decrementAndGet();
            if (failure == null) {
                m.response(status, bytes, System.nanoTime() - start);
                next(slot, m, budget, idle, inFlight);
            } else {
                m.failure(failure);
                afterFailure.execute(() -> next(slot, m, budget, idle, inFlight));
            }
        });
    }

    void close() {
        afterFailure.shutdownNow();
    }

    /** What may still be sent: a number of requests, or until a deadline. */
    private abstract static class Budget {
        abstract boolean take();

        abstract boolean timeUp();

        /** How far the run is, 0 to 1. */
        abstract double fraction(long completed);

        static Budget forCount(long requests) {
            AtomicLong left = new AtomicLong(requests);
            return new Budget() {
                @Override
                boolean take() {
                    return left.getAndDecrement() > 0;
                }

                @Override
                boolean timeUp() {
                    return false;
                }

                @Override
                double fraction(long completed) {
                    return requests == 0 ? 1 : Math.min(1, (double) completed / requests);
                }
            };
        }

        static Budget forSeconds(double seconds) {
            long start = System.nanoTime();
            long length = (long) (seconds * 1e9);
            return new Budget() {
                @Override
                boolean take() {
                    return !timeUp();
                }

                @Override
                boolean timeUp() {
                    return System.nanoTime() - start >= length;
                }

                @Override
                double fraction(long completed) {
                    return Math.min(1, (System.nanoTime() - start) / (double) length);
                }
            };
        }
    }
}
