package io.spdyconnector.protocol.headers;

import java.nio.charset.StandardCharsets;

/**
 * The preset zlib dictionary of SPDY/2: 907 ASCII bytes, the last one a NUL, because the SPDY/2
 * draft defined it as a C string whose terminator counts. Kept apart from {@link SpdyDictionary}
 * since the two never mix: a session's wire version picks one for both directions.
 */
public final class Spdy2Dictionary {
    /** Adler-32 of the dictionary: the DICTID of every SPDY/2 header stream ({@code 78 bb df a2 51 b2}). */
    public static final int ADLER32 = 0xdfa251b2;

    /** Length of the dictionary in bytes, its terminating NUL included. */
    public static final int LENGTH = 907;

    private static final String TEXT =
            "optionsgetheadpostputdeletetraceacceptaccept-charsetaccept-encodingaccept-"
            + "languageauthorizationexpectfromhostif-modified-sinceif-matchif-none-matchi"
            + "f-rangeif-unmodifiedsincemax-forwardsproxy-authorizationrangerefererteuser"
            + "-agent10010120020120220320420520630030130230330430530630740040140240340440"
            + "5406407408409410411412413414415416417500501502503504505accept-rangesageeta"
            + "glocationproxy-authenticatepublicretry-afterservervarywarningwww-authentic"
            + "ateallowcontent-basecontent-encodingcache-controlconnectiondatetrailertran"
            + "sfer-encodingupgradeviawarningcontent-languagecontent-lengthcontent-locati"
            + "oncontent-md5content-rangecontent-typeetagexpireslast-modifiedset-cookieMo"
            + "ndayTuesdayWednesdayThursdayFridaySaturdaySundayJanFebMarAprMayJunJulAugSe"
            + "pOctNovDecchunkedtext/htmlimage/pngimage/jpgimage/gifapplication/xmlapplic"
            + "ation/xhtmltext/plainpublicmax-agecharset=iso-8859-1utf-8gzipdeflateHTTP/1"
            + ".1statusversionurl\000";

    private static final byte[] BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);

    private Spdy2Dictionary() {
    }

    /** Returns a copy of the dictionary bytes. */
    public static byte[] bytes() {
        return BYTES.clone();
    }

    static byte[] shared() {
        return BYTES;
    }
}
