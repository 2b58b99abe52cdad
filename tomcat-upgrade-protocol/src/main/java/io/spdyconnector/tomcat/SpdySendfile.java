package io.spdyconnector.tomcat;

import org.apache.coyote.Constants;
import org.apache.coyote.Request;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A response body the container asked to send straight from a file (its sendfile attributes, set
 * by the default servlet for files over its {@code sendfileSize}), as HTTP/2 does it in Tomcat:
 * the byte range is mapped, and the engine frames the mapped bytes as views and writes them with
 * its gathering writes. The file is never read into the heap, nor copied through the servlet
 * output buffers in the default servlet's 2 KiB pieces; the kernel copies it once, from the page
 * cache into the socket. SPDY frames the bytes, so the kernel's own {@code sendfile} (file to socket
 * without any user-space mapping) cannot be used.
 *
 * @param path  the file
 * @param start the first byte to send
 * @param end   one past the last byte to send
 */
record SpdySendfile(Path path, long start, long end) {
    /** The largest region mapped at once: a mapping is addressed with an int. */
    private static final long REGION = 1L << 30;

    /** The file the container chose for {@code request}'s response, or null. */
    static SpdySendfile of(Request request) {
        Object name = request.getAttribute(Constants.SENDFILE_FILENAME_ATTR);
        Object start = request.getAttribute(Constants.SENDFILE_FILE_START_ATTR);
        Object end = request.getAttribute(Constants.SENDFILE_FILE_END_ATTR);
        if (!(name instanceof String) || !(start instanceof Long) || !(end instanceof Long)) {
            return null;
        }
        return new SpdySendfile(Path.of((String) name), (Long) start, (Long) end);
    }

    long length() {
        return end - start;
    }

    /**
     * The range, mapped read-only, in regions of at most 1 GiB. The mappings stay valid after the
     * channel is closed, until the engine has written them and they are collected.
     */
    ByteBuffer[] map() throws IOException {
        int count = (int) Math.max(1, (length() + REGION - 1) / REGION);
        ByteBuffer[] regions = new ByteBuffer[count];
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() < end) {
                throw new IOException(path + " is shorter than the " + end + " bytes to send");
            }
            long at = start;
            for (int i = 0; i < count; i++) {
                long size = Math.min(REGION, end - at);
                regions[i] = channel.map(FileChannel.MapMode.READ_ONLY, at, size);
                at += size;
            }
        }
        return regions;
    }
}
