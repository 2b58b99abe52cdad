package io.spdyconnector.it.target;

import io.spdyconnector.it.streaming.RangeOrigin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The targets the suite shares: each is started on first use and stays up until the test JVM is
 * done, because a standalone container takes seconds to start and every case runs on every target.
 * A target that failed to start fails every later test that needs it at once, with the same cause.
 * The origin the proxy WARs forward to starts before any target.
 *
 * <p>As an extension it closes everything after the last test class and adds the log of the
 * target a failing test used to its failure.
 */
public final class RunningTargets implements BeforeAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningTargets.class);
    private static final Map<TargetKind, Target> SHARED = new EnumMap<>(TargetKind.class);
    private static final Map<TargetKind, RuntimeException> FAILED = new EnumMap<>(TargetKind.class);
    private static final List<Target> OTHERS = new ArrayList<>();
    private static RangeOrigin origin;
    private static Target lastUsed;

    /** The shared instance of {@code kind}, started if it is not running yet. */
    public static synchronized Target get(TargetKind kind) {
        RuntimeException failure = FAILED.get(kind);
        if (failure != null) {
            throw failure;
        }
        Target target = SHARED.get(kind);
        if (target == null) {
            try {
                target = kind.start(kind.propertyName(), origin().uri());
            } catch (Exception e) {
                failure = new IllegalStateException(kind + " did not start", e);
                FAILED.put(kind, failure);
                throw failure;
            }
            SHARED.put(kind, target);
        }
        lastUsed = target;
        return target;
    }

    /** A new instance of {@code kind}, for a test that stops it; closed with the others at the end. */
    public static synchronized Target startAnother(TargetKind kind, String name) throws Exception {
        Target target = kind.start(name, origin().uri());
        OTHERS.add(target);
        lastUsed = target;
        return target;
    }

    /** The HTTP/1.1 media server behind every target's proxy WAR. */
    public static synchronized RangeOrigin origin() {
        if (origin == null) {
            try {
                origin = new RangeOrigin();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return origin;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ClosingAtTheEnd.class);
    }

    /** Closes every target and the origin once all test classes have run. */
    static final class ClosingAtTheEnd implements AutoCloseable {
        @Override
        public void close() throws IOException {
            synchronized (RunningTargets.class) {
                SHARED.values().forEach(Target::close);
                SHARED.clear();
                OTHERS.forEach(Target::close);
                OTHERS.clear();
                if (origin != null) {
                    origin.close();
                    origin = null;
                }
            }
        }
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

    private static Throwable withLog(Throwable t) {
        Target target;
        synchronized (RunningTargets.class) {
            target = lastUsed;
        }
        if (target == null || String.valueOf(t.getMessage()).contains("----- end of")) {
            return t;
        }
        AssertionError e = new AssertionError(t.getMessage() + "\n" + target.kind() + ":" + target.log(), t);
        e.setStackTrace(t.getStackTrace());
        return e;
    }
}
