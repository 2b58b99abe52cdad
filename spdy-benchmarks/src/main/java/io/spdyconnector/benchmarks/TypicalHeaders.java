package io.spdyconnector.benchmarks;

import io.spdyconnector.protocol.headers.HeaderBlock;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;

/** One browser request and its response, as SPDY header blocks and as the Jetty metadata HPACK encodes. */
final class TypicalHeaders {
    static final String[][] REQUEST = {
        {"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"},
        {"accept-encoding", "gzip, deflate, br"},
        {"accept-language", "en-US,en;q=0.5"},
        {"cache-control", "max-age=0"},
        {"cookie", "_ga=GA1.2.1234567890.1234567890; session=abcdef0123456789abcdef0123456789"},
        {"upgrade-insecure-requests", "1"},
        {"user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/120.0.0.0 Safari/537.36"},
    };
    static final String[][] RESPONSE = {
        {"cache-control", "private, max-age=0"},
        {"content-length", "12345"},
        {"content-type", "text/html; charset=utf-8"},
        {"date", "Sat, 21 Nov 2026 10:00:00 GMT"},
        {"etag", "\"5f3e-61a2b3c4d5e6f\""},
        {"last-modified", "Fri, 20 Nov 2026 09:00:00 GMT"},
        {"server", "Jetty(12.1.12)"},
        {"set-cookie", "session=abcdef0123456789abcdef0123456789; Path=/; HttpOnly; Secure"},
        {"vary", "Accept-Encoding"},
    };

    private TypicalHeaders() {
    }

    static HeaderBlock spdyRequest(int n) {
        HeaderBlock h = HeaderBlock.of(":method", "GET", ":path", "/articles/" + n + "/index.html", ":version", "HTTP/1.1",
                ":host", "www.example.com", ":scheme", "https");
        for (String[] p : REQUEST) {
            h.add(p[0], p[1]);
        }
        return h;
    }

    static HeaderBlock spdyResponse() {
        HeaderBlock h = HeaderBlock.of(":status", "200", ":version", "HTTP/1.1");
        for (String[] p : RESPONSE) {
            h.add(p[0], p[1]);
        }
        return h;
    }

    static MetaData.Request jettyRequest(int n) {
        HttpFields.Mutable f = HttpFields.build();
        for (String[] p : REQUEST) {
            f.add(new HttpField(p[0], p[1]));
        }
        return new MetaData.Request("GET", HttpURI.build("https://www.example.com/articles/" + n + "/index.html"),
                HttpVersion.HTTP_2, f);
    }

    static MetaData.Response jettyResponse() {
        HttpFields.Mutable f = HttpFields.build();
        for (String[] p : RESPONSE) {
            f.add(new HttpField(p[0], p[1]));
        }
        return new MetaData.Response(200, null, HttpVersion.HTTP_2, f);
    }
}
