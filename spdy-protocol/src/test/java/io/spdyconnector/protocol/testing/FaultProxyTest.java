package io.spdyconnector.protocol.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fault proxy itself, against a plain socket server: each fault does what the fault cases rely on. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultProxyTest {
    private final ServerSocket server;
    private final FaultProxy proxy;
    private final CompletableFuture<Socket> accepted = new CompletableFuture<>();

    FaultProxyTest() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                accepted.complete(server.accept());
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = new FaultProxy(server.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        server.close();
    }

    private Socket client() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private Socket upstream() throws Exception {
        return accepted.get(10, TimeUnit.SECONDS);
    }

    /** Everything {@code in} delivers until the end of the stream or a reset; what a reset looked like. */
    private static String drain(InputStream in, ByteArrayOutputStream into) {
        try {
            byte[] b = new byte[4096];
            int n;
            while ((n = in.read(b)) >= 0) {
                into.write(b, 0, n);
            }
            return "eof";
        } catch (SocketException e) {
            return "reset";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void forwardsBothWays() throws Exception {
        try (Socket c = client()) {
            c.getOutputStream().write("ping".getBytes());
            Socket s = upstream();
            assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("ping");
            s.getOutputStream().write("pong".getBytes());
            assertThat(new String(c.getInputStream().readNBytes(4))).isEqualTo("pong");
        }
    }

    @Test
    void cutAfterForwardsExactlyThatManyBytesThenEndsBothSides() throws Exception {
        proxy.cutAfter(10);
        try (Socket c = client()) {
            c.getOutputStream().write(new byte[100]);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThat(drain(upstream().getInputStream(), got)).isEqualTo("eof");
            assertThat(got.size()).isEqualTo(10);
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void resetAbortsTheServersConnection() throws Exception {
        try (Socket c = client()) {
            c.getOutputStream().write(1);
            Socket s = upstream();
            assertThat(s.getInputStream().read()).isEqualTo(1);
            proxy.reset();
            assertThat(drain(s.getInputStream(), new ByteArrayOutputStream())).isEqualTo("reset");
        }
    }

    @Test
    void halfCloseEndsTheServersInputButKeepsItsOutput() throws Exception {
        try (Socket c = client()) {
            c.getOutputStream().write(1);
            Socket s = upstream();
            assertThat(s.getInputStream().read()).isEqualTo(1);
            proxy.halfClose();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            s.getOutputStream().write("late".getBytes());
            assertThat(new String(c.getInputStream().readNBytes(4))).isEqualTo("late");
        }
    }

    @Test
    void stopReadingLetsTheServersWritesFillTheBuffersAndStall() throws Exception {
        proxy.stopReading();
        try (Socket c = client()) {
            c.getOutputStream().write(1);
            Socket s = upstream();
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(new byte[16 << 20]);
                } catch (IOException ignored) {
                    // Closed at the end of the test.
                }
            });
            Thread.sleep(500);
            assertThat(write).isNotDone();
            assertThat(proxy.bytesToClient()).isZero();
            s.close();
        }
    }

    @Test
    void throttleDeliversAtAboutTheRate() throws Exception {
        proxy.throttle(20_000);
        try (Socket c = client()) {
            c.getOutputStream().write(1);
            Socket s = upstream();
            s.getOutputStream().write(new byte[100_000]);
            Thread.sleep(1000);
            // Far less than everything: the exact rate depends on the machine's load.
            assertThat(proxy.bytesToClient()).isLessThan(60_000);
            s.close();
        }
    }
}
