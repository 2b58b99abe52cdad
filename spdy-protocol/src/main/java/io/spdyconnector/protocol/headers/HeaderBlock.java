package io.spdyconnector.protocol.headers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The name/value pairs of one SPDY header block (SPEC §2.6.10), in insertion order.
 *
 * <p>Each value is stored as its own entry; the wire form joins the values of a repeated name with
 * NUL, and the decoder splits them again, so callers never see NUL separators. Names are stored
 * as given: senders lowercase them ({@link #add} does), receivers validate them.
 * Not thread-safe: a block belongs to one frame.
 */
public final class HeaderBlock {
    private String[] names;
    private String[] values;
    private int size;

    public HeaderBlock() {
        this(16);
    }

    public HeaderBlock(int capacity) {
        names = new String[Math.max(capacity, 4)];
        values = new String[names.length];
    }

    /** Builds a block from alternating names and values: {@code of(":method", "GET", ...)}. */
    public static HeaderBlock of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        HeaderBlock block = new HeaderBlock(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            block.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return block;
    }

    /** Adds a value, lowercasing the name (SPEC §2.6.10: header names are all lowercase). */
    public HeaderBlock add(String name, String value) {
        return addRaw(lowercase(name), value);
    }

    /** Adds a pair exactly as given; used by the decoder, which validates instead of fixing. */
    public HeaderBlock addRaw(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Replaces every value of {@code name} with one value. */
    public HeaderBlock set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every value of {@code name}; returns whether any was present. */
    public boolean remove(String name) {
        String n = lowercase(name);
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (!names[r].equals(n)) {
                names[w] = names[r];
                values[w] = values[r];
                w++;
            }
        }
        boolean removed = w != size;
        for (int i = w; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = w;
        return removed;
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Every value of {@code name}, in order. */
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                all.add(values[i]);
            }
        }
        return all;
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String name(int index) {
        checkIndex(index);
        return names[index];
    }

    public String value(int index) {
        checkIndex(index);
        return values[index];
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
    }

    private static String lowercase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeaderBlock)) {
            return false;
        }
        HeaderBlock other = (HeaderBlock) o;
        if (other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!names[i].equals(other.names[i]) || !values[i].equals(other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + names[i].hashCode();
            h = 31 * h + values[i].hashCode();
        }
        return h;
    }

    /** One line, {@code [:method: GET, :path: /]}: the form frame traces use. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(size * 24).append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(names[i]).append(": ").append(values[i]);
        }
        return sb.append(']').toString();
    }
}
