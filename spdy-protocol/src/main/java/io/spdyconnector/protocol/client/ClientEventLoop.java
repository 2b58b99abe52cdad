package io.spdyconnector.protocol.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread serving many connections. Every connection's I/O and session input run on
 * it; other threads hand it work through {@link #execute}. Listeners called from here must not
 * block.
 */
final class ClientEventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(ClientEventLoop.class.getName());

    /** What a registered channel does when the selector reports it ready. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        void failed(Throwable cause);
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Decrypted or plain input, shared by the connections of this loop: sessions consume it at once. */
    final ByteBuffer readBuffer = ByteBuffer.allocate(65536);
    private volatile boolean running = true;

    ClientEventLoop(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    void execute(Runnable task) {
        if (!running) {
            throw new IllegalStateException("client is closed");
        }
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(1000);
                runTasks();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Handler handler = (Handler) key.attachment();
                    try {
                        if (key.isValid()) {
                            handler.ready(key);
                        }
                    } catch (CancelledKeyException e) {
                        // closed meanwhile
                    } catch (IOException | RuntimeException e) {
                        handler.failed(e);
                    }
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "client event loop", e);
            }
        }
        runTasks();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "client task failed", e);
            }
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    void join(long millis) throws InterruptedException {
        if (!inLoop()) {
            thread.join(millis);
        }
    }
}
