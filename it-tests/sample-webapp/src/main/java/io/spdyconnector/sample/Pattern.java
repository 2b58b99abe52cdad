package io.spdyconnector.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The byte pattern every download of the sample serves (byte {@code i} is {@code i mod 251}), so a
 * client can check any range of it without holding a copy. Its {@code main} writes the static file
 * at build time.
 */
public final class Pattern {
    /** 251 is prime: no power-of-two chunking lines up with the pattern and hides an offset bug. */
    public static final int PERIOD = 251;

    private Pattern() {
    }

    /** Fills {@code buffer} with the pattern as it continues at absolute offset {@code offset}. */
    public static void fill(byte[] buffer, int length, long offset) {
        int b = (int) (offset % PERIOD);
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) b;
            if (++b == PERIOD) {
                b = 0;
            }
        }
    }

    /** Writes {@code n} bytes of the pattern from offset 0. */
    public static void write(OutputStream out, long n, int chunkSize) throws IOException {
        byte[] chunk = new byte[chunkSize];
        for (long off = 0; off < n; off += chunkSize) {
            int len = (int) Math.min(chunkSize, n - off);
            fill(chunk, len, off);
            out.write(chunk, 0, len);
        }
    }

    /** {@code Pattern FILE BYTES}: writes the static pattern file. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, n, 65536);
        }
    }
}
