package io.spdyconnector.it.client;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 exchange that sends its request body while it reads the response, on one socket:
 * the control for an echo larger than the socket buffers. The JDK's client sends the whole body
 * before it reads, so an echo that answers while it reads deadlocks with it.
 */
public final class DuplexHttp11 {
    private DuplexHttp11() {
    }

    /**
     * POSTs {@code length} bytes of {@code body} to {@code path} and feeds the response body to
     * {@code sink}; returns the status and headers (the body of the result is empty).
     */
    public static TestResponse post(URI origin, String path, Map<String, String> headers, InputStream body, long length,
            Consumer<ByteBuffer> sink) throws Exception {
        try (Socket socket = connect(origin)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(ChannelClient.RESPONSE_TIMEOUT_SECONDS));
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + origin.getRawAuthority()
                    + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                    body.transferTo(out);
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TestResponse response = read(new BufferedInputStream(socket.getInputStream(), 65536), sink);
            sent.get(ChannelClient.RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return response;
        }
    }

    private static Socket connect(URI origin) throws IOException {
        if (!origin.getScheme().equals("https")) {
            return new Socket(origin.getHost(), origin.getPort());
        }
        SSLSocket socket = (SSLSocket) Http11Control.sslContext().getSocketFactory()
                .createSocket(origin.getHost(), origin.getPort());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        parameters.setServerNames(List.of(new SNIHostName(origin.getHost())));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static TestResponse read(InputStream in, Consumer<ByteBuffer> sink) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean chunked = false;
        long length = -1;
        for (String line; !(line = line(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (!name.equals("connection")) {
                headers.add(Map.entry(name, value));
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                }
            }
        }
        byte[] buffer = new byte[65536];
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
                copy(in, size, buffer, sink);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers: none expected, skipped
            }
        } else if (length >= 0) {
            copy(in, length, buffer, sink);
        } else {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sink.accept(ByteBuffer.wrap(buffer, 0, n));
            }
        }
        return new TestResponse(status, TestResponse.headers(headers), new byte[0], "http/1.1");
    }

    private static void copy(InputStream in, long size, byte[] buffer, Consumer<ByteBuffer> sink) throws IOException {
        for (long left = size; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("response body ended " + left + " bytes early");
            }
            sink.accept(ByteBuffer.wrap(buffer, 0, n));
            left -= n;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
