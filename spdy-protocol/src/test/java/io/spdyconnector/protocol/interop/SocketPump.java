package io.spdyconnector.protocol.interop;

import io.spdyconnector.protocol.session.OutputBatch;
import io.spdyconnector.protocol.session.SpdySession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The smallest transport for a session over a blocking socket: a reader thread hands every read
 * to {@link SpdySession#receive} (and {@link SpdySession#inputClosed} at end of stream); a writer
 * thread, woken through {@link #signal()} from {@code SessionListener.onOutputReady}, writes each
 * {@link SpdySession#pollOutput()} batch with gathering writes and reports it written. When the
 * session hands over its last batch, the writer shuts the socket's output down after it.
 */
final class SocketPump implements AutoCloseable {
    private final SocketChannel channel;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile SpdySession session;
    private volatile boolean stopping;
    private Thread reader;
    private Thread writer;
    /** Completes when the writer has written the session's last batch and shut the output down. */
    final CompletableFuture<Void> outputShutdown = new CompletableFuture<>();
    /** Completes when the reader has seen end of stream (or failed). */
    final CompletableFuture<Void> inputEnded = new CompletableFuture<>();

    SocketPump(SocketChannel channel) {
        this.channel = channel;
    }

    /** What the session listener's {@code onOutputReady} calls. Never blocks. */
    void signal() {
        wakeups.release();
    }

    void start(SpdySession s, String name) {
        this.session = s;
        reader = new Thread(this::readLoop, name + "-reader");
        writer = new Thread(this::writeLoop, name + "-writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    session.inputClosed();
                    inputEnded.complete(null);
                    return;
                }
                buffer.flip();
                // DATA reaches listeners as views of this buffer, valid until receive returns.
                session.receive(buffer);
            }
        } catch (IOException e) {
            if (!stopping) {
                session.close(e);
            }
            inputEnded.completeExceptionally(e);
        }
    }

    private void writeLoop() {
        try {
            while (!stopping) {
                OutputBatch batch;
                while ((batch = session.pollOutput()) != null) {
                    ByteBuffer[] buffers = batch.buffers();
                    try {
                        writeFully(buffers);
                    } catch (IOException e) {
                        session.outputFailed(batch, e);
                        outputShutdown.completeExceptionally(e);
                        return;
                    }
                    boolean last = batch.isLast();
                    session.outputWritten(batch);
                    if (last) {
                        channel.shutdownOutput();
                        outputShutdown.complete(null);
                        return;
                    }
                }
                if (session.state() == SpdySession.State.CLOSED) {
                    outputShutdown.complete(null);
                    return;
                }
                wakeups.acquire();
            }
        } catch (IOException | InterruptedException e) {
            outputShutdown.completeExceptionally(e);
        }
    }

    private void writeFully(ByteBuffer[] buffers) throws IOException {
        int first = 0;
        while (first < buffers.length) {
            channel.write(buffers, first, buffers.length - first);
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
        }
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        channel.close();
        wakeups.release();
        if (reader != null) {
            try {
                reader.join(TimeUnit.SECONDS.toMillis(10));
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
