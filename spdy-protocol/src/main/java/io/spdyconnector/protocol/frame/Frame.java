package io.spdyconnector.protocol.frame;

/**
 * One SPDY frame as a value: what the outbound queue holds, what traces print and what tests
 * compare. The decoder does not build these on its hot path; it reports primitives to a listener.
 */
public sealed interface Frame permits DataFrame, SynStreamFrame, SynReplyFrame, RstStreamFrame,
        SettingsFrame, PingFrame, GoAwayFrame, HeadersFrame, WindowUpdateFrame {

    FrameType type();

    /** Flag bit 0x01 on DATA, SYN_STREAM, SYN_REPLY and HEADERS (SPEC §2.2). */
    int FLAG_FIN = 0x01;

    /** SYN_STREAM flag 0x02 (SPEC §2.6.1). */
    int FLAG_UNIDIRECTIONAL = 0x02;

    /** SETTINGS frame flag 0x01 (SPEC §2.6.4). */
    int FLAG_SETTINGS_CLEAR_SETTINGS = 0x01;
}
