package io.spdyconnector.it.client;

import io.spdyconnector.sample.Pattern;

import java.io.InputStream;

/** {@code length} bytes of the sample's pattern, made as they are read: an upload of any size. */
public final class PatternInputStream extends InputStream {
    private final long length;
    private final byte[] scratch = new byte[65536];
    private long position;

    public PatternInputStream(long length) {
        this.length = length;
    }

    @Override
    public int read() {
        if (position >= length) {
            return -1;
        }
        return (int) (position++ % Pattern.PERIOD);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(Math.min(len, scratch.length), length - position);
        Pattern.fill(scratch, n, position);
        System.arraycopy(scratch, 0, b, off, n);
        position += n;
        return n;
    }
}
