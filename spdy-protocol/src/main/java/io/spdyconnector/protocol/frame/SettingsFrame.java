package io.spdyconnector.protocol.frame;

import java.util.List;

/** SETTINGS (SPEC §2.6.4). Entries keep wire order; duplicates are the receiver's problem. */
public record SettingsFrame(boolean clearSettings, List<Setting> settings) implements Frame {
    public SettingsFrame {
        settings = List.copyOf(settings);
    }

    /** The first value given for {@code id} (SPEC §2.6.4: a receiver keeps only the first), or -1. */
    public long value(int id) {
        for (Setting s : settings) {
            if (s.id() == id) {
                return Integer.toUnsignedLong(s.value());
            }
        }
        return -1;
    }

    @Override
    public FrameType type() {
        return FrameType.SETTINGS;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SETTINGS");
        if (clearSettings) {
            sb.append(" clear");
        }
        sb.append(" [");
        for (int i = 0; i < settings.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(settings.get(i));
        }
        return sb.append(']').toString();
    }
}
