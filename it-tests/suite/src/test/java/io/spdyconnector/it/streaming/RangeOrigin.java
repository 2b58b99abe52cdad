package io.spdyconnector.it.streaming;

import io.spdyconnector.sample.Pattern;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

/**
 * The media server behind the proxy: plain HTTP/1.1 over blocking sockets, serving one large
 * virtual file, {@code /media.bin} (the sample's {@link Pattern}), with byte ranges. It counts what
 * it has written for each request tagged {@code x-request-id}, so a test can tell how far the
 * origin ran ahead of the client at the far end of the proxy. Its sockets have a small send buffer
 * so that the count is close to what actually left it.
 */
public final class RangeOrigin implements AutoCloseable {
    public static final String PATH = "/media.bin";
    public static final long FILE_SIZE = 256L << 20;
    public static final int SEND_BUFFER = 32 * 1024;
    private static final int CHUNK = 16 * 1024;
    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "range-origin");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger responsesInProgress = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();

    public RangeOrigin() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Bytes of the body written so far for the request tagged {@code id} (0 if none came). */
    public long written(String id) {
        AtomicLong n = written.get(id);
        return n == null ? 0 : n.get();
    }

    public long requests() {
        return requests.get();
    }

    /** Responses still being written: a response ends when its last byte is written or a write fails. */
    public int responsesInProgress() {
        return responsesInProgress.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setSendBufferSize(SEND_BUFFER);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Serves requests on one keep-alive connection until the peer closes it or a write fails. */
    private void serve(Socket socket) {
        connections.incrementAndGet();
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            Map<String, String> headers;
            while ((headers = readHead(in)) != null) {
                requests.incrementAndGet();
                if (!respond(headers, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The proxy went away: nothing to answer.
        } finally {
            connections.decrementAndGet();
        }
    }

    /** Writes the response; false once the connection can no longer be used. */
    private boolean respond(Map<String, String> headers, OutputStream out) throws IOException {
        String requestLine = headers.get("");
        if (!requestLine.startsWith("GET " + PATH + " ")) {
            out.write(("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return true;
        }
        long first = 0;
        long last = FILE_SIZE - 1;
        boolean partial = false;
        String range = headers.get("range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) >= FILE_SIZE) {
                out.write(("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" + FILE_SIZE
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return true;
            }
            partial = true;
            first = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) {
                last = Math.min(last, Long.parseLong(m.group(2)));
            }
        }
        long length = last - first + 1;
        String head = (partial ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + first + "-" + last + "/" + FILE_SIZE
                : "HTTP/1.1 200 OK") + "\r\nContent-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nContent-Length: "
                + length + "\r\n\r\n";
        AtomicLong count = written.computeIfAbsent(headers.getOrDefault("x-request-id", "untagged"), k -> new AtomicLong());
        responsesInProgress.incrementAndGet();
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[CHUNK];
            for (long offset = first; offset <= last; offset += CHUNK) {
                int n = (int) Math.min(CHUNK, last + 1 - offset);
                Pattern.fill(chunk, n, offset);
                out.write(chunk, 0, n);
                count.addAndGet(n);
            }
            out.flush();
            return !"close".equalsIgnoreCase(headers.get("connection"));
        } catch (IOException e) {
            return false;
        } finally {
            responsesInProgress.decrementAndGet();
        }
    }

    /** The request line (under the key "") and the headers, names lower-cased; null at end of input. */
    private static Map<String, String> readHead(InputStream in) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        headers.put("", line);
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
