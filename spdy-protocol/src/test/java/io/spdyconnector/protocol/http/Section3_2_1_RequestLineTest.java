package io.spdyconnector.protocol.http;

import io.spdyconnector.protocol.headers.HeaderBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC §3.2.1: the request line a server reads from the pseudo-headers, and the 400s it answers. */
class Section3_2_1_RequestLineTest {
    private static HeaderBlock request(String method, String path, String host, String scheme) {
        HeaderBlock h = new HeaderBlock();
        if (method != null) {
            h.add(":method", method);
        }
        if (path != null) {
            h.add(":path", path);
        }
        h.add(":version", "HTTP/1.1");
        if (host != null) {
            h.add(":host", host);
        }
        if (scheme != null) {
            h.add(":scheme", scheme);
        }
        return h;
    }

    @Test
    void readsTheFivePseudoHeaders() throws Exception {
        SpdyHttp.RequestLine line = SpdyHttp.requestLine(request("GET", "/a/b?c=d", "example.com:8443", "HTTPS"));
        assertThat(line).isEqualTo(new SpdyHttp.RequestLine("GET", "https", "example.com:8443", "/a/b?c=d", "HTTP/1.1"));
        assertThat(line.pathOnly()).isEqualTo("/a/b");
        assertThat(line.query()).isEqualTo("c=d");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing :method     |      | /   | example.com | https",
        "missing :path       | GET  |     | example.com | https",
        "missing :host       | GET  | /   |             | https",
        "missing :scheme     | GET  | /   | example.com |      ",
        "invalid :method G@T | G@T  | /   | example.com | https",
        "invalid :path a     | GET  | a   | example.com | https",
        "invalid :scheme ftp | GET  | /   | example.com | ftp",
        "invalid :host a/b   | GET  | /   | a/b         | https",
    })
    void brokenRequestLinesAreBadRequests(String message, String method, String path, String host, String scheme) {
        assertThatThrownBy(() -> SpdyHttp.requestLine(request(method, path, host, scheme)))
                .isInstanceOf(SpdyHttp.BadRequestException.class).hasMessage(message.trim());
    }

    @Test
    void aRepeatedPseudoHeaderIsABadRequest() {
        HeaderBlock h = request("GET", "/", "example.com", "https");
        h.add(":host", "other.example");
        assertThatThrownBy(() -> SpdyHttp.requestLine(h)).hasMessage("more than one :host");
    }

    /** Early SPDY/2 clients put the whole URL in "url": its parts fill in what is missing, as in HTTP/1.1. */
    @Test
    void absoluteUrlSuppliesHostSchemeAndPath() throws Exception {
        assertThat(SpdyHttp.requestLine(request("GET", "http://192.168.1.6:8000/foo?x", null, null)))
                .isEqualTo(new SpdyHttp.RequestLine("GET", "http", "192.168.1.6:8000", "/foo?x", "HTTP/1.1"));
        assertThat(SpdyHttp.requestLine(request("GET", "https://example.com", "example.com", "https")).path())
                .isEqualTo("/");
    }
}
