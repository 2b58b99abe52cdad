package io.spdyconnector.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy that holds every byte back for half a round trip in each direction, so a loopback
 * server looks as far away as a real one: what server push saves is round trips, which loopback
 * hides. Bandwidth is not limited; order is kept.
 */
final class DelayProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long oneWayNanos;

    private record Chunk(long due, byte[] bytes, int length) {
    }

    DelayProxy(InetSocketAddress target, long roundTripMillis) throws IOException {
        this.target = target;
        this.oneWayNanos = TimeUnit.MILLISECONDS.toNanos(roundTripMillis) / 2;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "delay-proxy-accept").start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One direction: a reader stamps each chunk with when it may leave, a writer sends it then. */
    private void pipe(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon(() -> {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buffer = new byte[65536];
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    queue.put(new Chunk(System.nanoTime() + oneWayNanos, buffer, n));
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
            queue.add(new Chunk(System.nanoTime() + oneWayNanos, null, -1));
        }, "delay-proxy-read").start();
        daemon(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = queue.take();
                    long wait = c.due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (c.bytes == null) {
                        to.shutdownOutput();
                        break;
                    }
                    out.write(c.bytes, 0, c.length);
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }, "delay-proxy-write").start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    @Override
    public String toString() {
        return "DelayProxy[" + Arrays.asList(port(), target) + "]";
    }
}
