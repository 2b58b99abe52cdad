package io.spdyconnector.protocol.interop;

import io.spdyconnector.protocol.headers.HeaderBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic header blocks shaped like real traffic: requests that repeat most of their
 * headers (what a compression context feeds on), responses with multi-valued set-cookie, and
 * incompressible values long enough to reach past small zlib windows. Repeated names are adjacent,
 * the form the wire keeps (values of one name are joined with NUL and split again).
 */
final class HeaderCorpus {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/31.0.1650.63 Safari/537.36";

    private HeaderCorpus() {
    }

    static List<HeaderBlock> requests(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<HeaderBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HeaderBlock b = new HeaderBlock();
            b.add(":method", i % 3 == 0 ? "POST" : "GET");
            b.add(":path", "/static/" + word(r, 3 + r.nextInt(10)) + "/" + i + "?q=" + word(r, 1 + r.nextInt(40)));
            b.add(":version", "HTTP/1.1");
            b.add(":host", "www.example.com");
            b.add(":scheme", "https");
            b.add("user-agent", USER_AGENT);
            b.add("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            b.add("accept-encoding", "gzip,deflate,sdch");
            b.add("accept-language", "en-US,en;q=0.8");
            b.add("cookie", "sid=" + word(r, 32) + "; theme=dark; visits=" + i);
            if (i % 4 == 1) {
                b.add("x-forwarded-for", "192.0.2." + (i % 250));
                b.add("x-forwarded-for", "198.51.100." + (i % 250));
            }
            if (i % 5 == 2) {
                b.add("referer", "https://www.example.com/" + word(r, 200 + r.nextInt(1500)));
            }
            blocks.add(b);
        }
        return blocks;
    }

    static List<HeaderBlock> responses(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<HeaderBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HeaderBlock b = new HeaderBlock();
            b.add(":status", i % 7 == 3 ? "404 Not Found" : "200 OK");
            b.add(":version", "HTTP/1.1");
            b.add("content-type", "text/html; charset=utf-8");
            b.add("content-length", Integer.toString(r.nextInt(1 << 20)));
            b.add("set-cookie", "id=" + word(r, 24) + "; Max-Age=2592000; Secure; HttpOnly");
            b.add("set-cookie", "theme=dark; Path=/");
            b.add("etag", "\"" + word(r, 16) + "\"");
            b.add("date", "Tue, 15 Nov 1994 08:12:" + (10 + i % 50) + " GMT");
            if (i % 3 == 0) {
                // Incompressible: reaches past a 512-byte window and fills a 2 KiB one.
                b.add("x-payload", word(r, 500 + r.nextInt(3500)));
            }
            blocks.add(b);
        }
        return blocks;
    }

    static String word(SplittableRandom r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
