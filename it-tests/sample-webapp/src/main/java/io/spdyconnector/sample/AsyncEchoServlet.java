package io.spdyconnector.sample;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code POST /echo-async}: the same echo with non-blocking I/O. Reading stops whenever the output
 * is not ready and resumes from {@code onWritePossible}, so a slow reader of the response slows the
 * reading of the request instead of filling memory.
 */
public class AsyncEchoServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String type = req.getContentType();
        resp.setContentType(type != null ? type : "application/octet-stream");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Pump pump = new Pump(async, req.getInputStream(), resp.getOutputStream());
        req.getInputStream().setReadListener(pump);
        resp.getOutputStream().setWriteListener(pump);
    }

    private static final class Pump implements ReadListener, WriteListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final ServletOutputStream out;
        private final byte[] buffer = new byte[16384];
        private boolean completed;

        Pump(AsyncContext async, ServletInputStream in, ServletOutputStream out) {
            this.async = async;
            this.in = in;
            this.out = out;
        }

        /** Copies while both sides are ready; the listener whose side blocked is called back. */
        private synchronized void pump() throws IOException {
            while (!completed && out.isReady()) {
                if (in.isFinished()) {
                    completed = true;
                    async.complete();
                    return;
                }
                if (!in.isReady()) {
                    return;
                }
                int n = in.read(buffer);
                if (n > 0) {
                    out.write(buffer, 0, n);
                }
            }
        }

        @Override
        public void onDataAvailable() throws IOException {
            pump();
        }

        @Override
        public void onAllDataRead() throws IOException {
            pump();
        }

        @Override
        public void onWritePossible() throws IOException {
            pump();
        }

        @Override
        public synchronized void onError(Throwable t) {
            if (!completed) {
                completed = true;
                async.complete();
            }
        }
    }
}
