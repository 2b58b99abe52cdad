package io.spdyconnector.benchmarks.soak;

import io.spdyconnector.protocol.headers.ZlibResources;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the process holds at one moment: heap after a full collection, resident memory, native
 * memory committed (with {@code -XX:NativeMemoryTracking=summary}; -1 without), threads, open file
 * descriptors, and the engine's native zlib objects. Linux's {@code /proc} supplies RSS and fds.
 *
 * @param heapUsed   bytes of heap in use after {@code System.gc()}
 * @param rss        resident set size in bytes (-1 off Linux)
 * @param nmtCommitted native memory committed in bytes, as NMT reports it (-1 without NMT)
 * @param threads    live threads
 * @param fds        open file descriptors (-1 off Linux)
 * @param zlib       live engine inflaters and deflaters
 */
record ProcessSnapshot(long heapUsed, long rss, long nmtCommitted, int threads, int fds, int zlib) {
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    static ProcessSnapshot take() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new ProcessSnapshot(heap, readRss(), readNmtCommitted(), Thread.activeCount(), countFds(),
                ZlibResources.liveInflaters() + ZlibResources.liveDeflaters());
    }

    private static long readRss() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int countFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long readNmtCommitted() {
        try {
            String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = NMT_TOTAL.matcher(out);
            return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.1f MiB", bytes / 1048576.0);
    }
}
