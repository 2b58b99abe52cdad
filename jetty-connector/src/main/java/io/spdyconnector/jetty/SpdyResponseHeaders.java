package io.spdyconnector.jetty;

import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.http.SpdyHttp;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;

/** The header blocks of a Jetty response as SPDY sends them. */
final class SpdyResponseHeaders {
    private SpdyResponseHeaders() {
    }

    /** SPEC §3.2.2: {@code :status} and {@code :version}, lowercase names, nothing connection-specific. */
    static HeaderBlock reply(MetaData.Response res, long knownLength) {
        HttpFields fields = res.getHttpFields();
        HeaderBlock h = new HeaderBlock(fields.size() + 3);
        h.add(SpdyHttp.STATUS, SpdyHttp.status(res.getStatus(), HttpStatus.getMessage(res.getStatus())));
        h.add(SpdyHttp.VERSION, "HTTP/1.1");
        boolean length = false;
        for (HttpField f : fields) {
            String name = f.getLowerCaseName();
            if (SpdyHttp.isConnectionSpecific(name)) {
                continue;
            }
            length |= name.equals("content-length");
            h.add(name, f.getValue());
        }
        long declared = res.getContentLength();
        if (!length && (declared >= 0 || knownLength >= 0)) {
            h.add("content-length", Long.toString(declared >= 0 ? declared : knownLength));
        }
        return h;
    }

    /** Trailers: lowercase names, sent in a HEADERS frame. */
    static HeaderBlock trailers(HttpFields trailers) {
        HeaderBlock h = new HeaderBlock(trailers.size());
        for (HttpField f : trailers) {
            h.add(f.getLowerCaseName(), f.getValue());
        }
        return h;
    }
}
