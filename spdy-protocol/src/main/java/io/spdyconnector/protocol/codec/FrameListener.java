package io.spdyconnector.protocol.codec;

import io.spdyconnector.protocol.error.SessionException;
import io.spdyconnector.protocol.headers.HeaderBlock;
import io.spdyconnector.protocol.headers.HeaderProblem;

import java.nio.ByteBuffer;

/**
 * What {@link FrameDecoder} reports, with primitive arguments so decoding builds no frame objects.
 * A method throws {@link SessionException} to stop decoding: the session then answers GOAWAY.
 *
 * <p>Header blocks arrive fully inflated: {@code headers} is null when {@code problem} says why the
 * block cannot be used (the zlib context is still in sync, so that is a stream error).
 */
public interface FrameListener {
    /** A DATA frame header; the payload follows through {@link #onDataPayload}. */
    void onDataHeader(int streamId, int flags, int length) throws SessionException;

    /**
     * A piece of the current DATA payload, a view of the decoder's input (never copied). Called at
     * least once per frame; {@code endOfFrame} marks the last piece.
     */
    void onDataPayload(ByteBuffer fragment, boolean endOfFrame) throws SessionException;

    /** How many header bytes the next block for {@code streamId} may retain. */
    int headerBudget(int streamId, boolean additionalHeaders);

    void onSynStream(int streamId, int associatedStreamId, int priority, int slot, int flags,
            HeaderBlock headers, HeaderProblem problem, String detail) throws SessionException;

    void onSynReply(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail)
            throws SessionException;

    void onHeaders(int streamId, int flags, HeaderBlock headers, HeaderProblem problem, String detail)
            throws SessionException;

    void onRstStream(int streamId, int statusCode) throws SessionException;

    /** A SETTINGS frame; {@code ids}, {@code values} and {@code entryFlags} hold {@code count} entries. */
    void onSettings(int flags, int count, int[] entryFlags, int[] ids, int[] values) throws SessionException;

    void onPing(int id) throws SessionException;

    void onGoAway(int lastGoodStreamId, int statusCode) throws SessionException;

    void onWindowUpdate(int streamId, int delta) throws SessionException;

    /** A control frame of a type the version does not define, already skipped. */
    void onUnknownControlFrame(int type, int flags, int length) throws SessionException;

    /**
     * The first control frame chose the version (2 or 3) of a decoder told that the first frame
     * decides; called before that frame is decoded.
     */
    default void onVersion(int wireVersion) throws SessionException {
    }
}
