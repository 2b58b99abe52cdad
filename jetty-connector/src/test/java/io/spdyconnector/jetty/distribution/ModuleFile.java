package io.spdyconnector.jetty.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Jetty {@code .mod} file read the way start.jar reads it: named sections of lines. */
final class ModuleFile {
    private static final Pattern SECTION = Pattern.compile("^\\[([a-z-]+)]\\s*$");
    private static final Pattern TEMPLATE_PROPERTY = Pattern.compile("^#\\s*([A-Za-z0-9.]+)=(.*)$");

    private final Map<String, List<String>> sections;

    private ModuleFile(Map<String, List<String>> sections) {
        this.sections = sections;
    }

    static ModuleFile read(Path file) throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(file)) {
            Matcher m = SECTION.matcher(line.trim());
            if (m.matches()) {
                current = sections.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            } else if (current != null) {
                current.add(line);
            }
        }
        return new ModuleFile(sections);
    }

    /** The non-blank, non-comment lines of a section, trimmed; empty when it is absent. */
    List<String> entries(String section) {
        List<String> out = new ArrayList<>();
        for (String line : sections.getOrDefault(section, List.of())) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    /** The commented {@code # name=value} lines of {@code [ini-template]}, in order. */
    Map<String, String> templateProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : sections.getOrDefault("ini-template", List.of())) {
            Matcher m = TEMPLATE_PROPERTY.matcher(line.trim());
            if (m.matches()) {
                out.put(m.group(1), m.group(2).trim());
            }
        }
        return out;
    }
}
