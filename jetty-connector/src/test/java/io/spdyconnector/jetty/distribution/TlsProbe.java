package io.spdyconnector.jetty.distribution;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS client that offers chosen ALPN protocols and reports the one the server selected, so a
 * test sees the server's preference order directly. It trusts any certificate: test servers only.
 */
final class TlsProbe {
    private static final int TIMEOUT_MS = 10_000;

    private TlsProbe() {
    }

    /** The protocol the server selects when the client offers {@code offered}, in that order. */
    static String negotiate(int port, String... offered) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(port, offered)) {
            return socket.getApplicationProtocol();
        }
    }

    /**
     * An HTTP/1.1 GET over TLS offering {@code offered} with ALPN (nothing: no ALPN extension);
     * returns the whole response, head and body.
     */
    static String http11Get(int port, String path, String... offered) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(port, offered)) {
            String selected = socket.getApplicationProtocol();
            if (offered.length > 0 && !"http/1.1".equals(selected)) {
                throw new IOException("ALPN chose " + selected + ", not http/1.1");
            }
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SSLSocket connect(int port, String... offered) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        try {
            socket.setSoTimeout(TIMEOUT_MS);
            SSLParameters params = socket.getSSLParameters();
            params.setApplicationProtocols(offered);
            params.setServerNames(List.of(new SNIHostName("localhost")));
            socket.setSSLParameters(params);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
