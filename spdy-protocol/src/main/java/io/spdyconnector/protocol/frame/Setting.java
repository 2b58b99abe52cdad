package io.spdyconnector.protocol.frame;

/** One SETTINGS entry (SPEC §2.6.4): 8 flag bits, a 24-bit id and a 32-bit value. */
public record Setting(int flags, int id, int value) {
    /** Entry flag: server asks the client to persist the value. */
    public static final int FLAG_PERSIST_VALUE = 0x01;
    /** Entry flag: client returns a value it was asked to persist. */
    public static final int FLAG_PERSISTED = 0x02;

    public static final int UPLOAD_BANDWIDTH = 1;
    public static final int DOWNLOAD_BANDWIDTH = 2;
    public static final int ROUND_TRIP_TIME = 3;
    public static final int MAX_CONCURRENT_STREAMS = 4;
    public static final int CURRENT_CWND = 5;
    public static final int DOWNLOAD_RETRANS_RATE = 6;
    public static final int INITIAL_WINDOW_SIZE = 7;
    public static final int CLIENT_CERTIFICATE_VECTOR_SIZE = 8;

    public Setting(int id, int value) {
        this(0, id, value);
    }

    public boolean persistValue() {
        return (flags & FLAG_PERSIST_VALUE) != 0;
    }

    public boolean persisted() {
        return (flags & FLAG_PERSISTED) != 0;
    }

    /** The name of a SPEC §2.6.4 id, or {@code ID_n} for others. */
    public static String name(int id) {
        switch (id) {
            case UPLOAD_BANDWIDTH:
                return "UPLOAD_BANDWIDTH";
            case DOWNLOAD_BANDWIDTH:
                return "DOWNLOAD_BANDWIDTH";
            case ROUND_TRIP_TIME:
                return "ROUND_TRIP_TIME";
            case MAX_CONCURRENT_STREAMS:
                return "MAX_CONCURRENT_STREAMS";
            case CURRENT_CWND:
                return "CURRENT_CWND";
            case DOWNLOAD_RETRANS_RATE:
                return "DOWNLOAD_RETRANS_RATE";
            case INITIAL_WINDOW_SIZE:
                return "INITIAL_WINDOW_SIZE";
            case CLIENT_CERTIFICATE_VECTOR_SIZE:
                return "CLIENT_CERTIFICATE_VECTOR_SIZE";
            default:
                return "ID_" + id;
        }
    }

    @Override
    public String toString() {
        String f = (persistValue() ? " persist" : "") + (persisted() ? " persisted" : "");
        return name(id) + "=" + Integer.toUnsignedString(value) + f;
    }
}
