package io.spdyconnector.protocol.headers;

/**
 * How a version lays out its name/value blocks: the width of counts and lengths, the zlib
 * dictionary, and the names of the request and status lines.
 *
 * <p>Inside the engine every block uses the SPDY/3 names ({@code :method}, {@code :path},
 * {@code :status} ...), whatever the wire says, so sessions, clients and container adapters read
 * one vocabulary. SPDY/2 spelled them without the colon, called the path {@code url}, and carried
 * the authority in an ordinary {@code host} header; {@link #fromWire} and {@link #toWire} translate
 * at the codec, the only place that sees the wire.
 */
public enum HeaderFormat {
    /** SPDY/2: 16-bit counts and lengths, the ASCII dictionary, colon-less line names. */
    SPDY_2(2, Spdy2Dictionary.ADLER32) {
        @Override
        byte[] dictionary() {
            return Spdy2Dictionary.shared();
        }

        @Override
        public String fromWire(String name) {
            switch (name) {
                case "method":
                    return ":method";
                case "url":
                    return ":path";
                case "version":
                    return ":version";
                case "host":
                    return ":host";
                case "scheme":
                    return ":scheme";
                case "status":
                    return ":status";
                default:
                    return name;
            }
        }

        @Override
        public String toWire(String name) {
            if (name.isEmpty() || name.charAt(0) != ':') {
                return name;
            }
            switch (name) {
                case ":method":
                    return "method";
                case ":path":
                    return "url";
                case ":version":
                    return "version";
                case ":host":
                    return "host";
                case ":scheme":
                    return "scheme";
                case ":status":
                    return "status";
                default:
                    return name;
            }
        }
    },

    /** SPDY/3 and 3.1: 32-bit counts and lengths, the binary dictionary, names as they are. */
    SPDY_3(4, SpdyDictionary.ADLER32) {
        @Override
        byte[] dictionary() {
            return SpdyDictionary.shared();
        }
    };

    private final int lengthSize;
    private final int dictionaryId;

    HeaderFormat(int lengthSize, int dictionaryId) {
        this.lengthSize = lengthSize;
        this.dictionaryId = dictionaryId;
    }

    /** Bytes of each count and length field: 2 (SPDY/2) or 4. */
    public int lengthSize() {
        return lengthSize;
    }

    /** The largest name or value a length field can describe. */
    public int maxLength() {
        return lengthSize == 2 ? 0xFFFF : Integer.MAX_VALUE;
    }

    /** Adler-32 of the dictionary, the DICTID of the zlib header. */
    public int dictionaryId() {
        return dictionaryId;
    }

    /** The preset dictionary, shared: never hand it to zlib, which may keep it. */
    abstract byte[] dictionary();

    /** The engine's name for a name read off the wire. */
    public String fromWire(String name) {
        return name;
    }

    /** The wire's name for one of the engine's names. */
    public String toWire(String name) {
        return name;
    }
}
