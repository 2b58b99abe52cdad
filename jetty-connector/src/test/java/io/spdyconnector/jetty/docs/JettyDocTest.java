package io.spdyconnector.jetty.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/jetty.md quotes the compiled example and lists every module property with its default. */
class JettyDocTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path DOC = MODULE.resolveSibling("docs").resolve("jetty.md");
    private static final Path EXAMPLE = MODULE.resolve("src/test/java/io/spdyconnector/jetty/docs/EmbeddedSpdyServer.java");
    private static final Pattern TEMPLATE_PROPERTY = Pattern.compile("(?m)^#\\s*(jetty\\.spdyc?\\.\\w+)=(.*)$");

    @Test
    void docQuotesTheCompiledEmbeddedExample() throws IOException {
        String doc = Files.readString(DOC);
        String marker = "<!-- snippet: jetty-connector/src/test/java/io/spdyconnector/jetty/docs/EmbeddedSpdyServer.java -->";
        assertThat(doc).contains(marker);
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find(doc.indexOf(marker))).as("a java block after the snippet marker").isTrue();
        assertThat(block.group(1).strip()).isEqualTo(taggedRegion(Files.readString(EXAMPLE), "embedded"));
    }

    @Test
    void embeddedQuickStartQuotesTheCompiledTest() throws IOException {
        String doc = Files.readString(MODULE.resolveSibling("docs").resolve("embedded.md"));
        String source = "jetty-connector/src/test/java/io/spdyconnector/jetty/docs/EmbeddedQuickStartTest.java";
        String marker = "<!-- snippet: " + source + " -->";
        assertThat(doc).contains(marker);
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find(doc.indexOf(marker))).as("a java block after the snippet marker").isTrue();
        assertThat(block.group(1).strip())
                .isEqualTo(taggedRegion(Files.readString(MODULE.resolveSibling(source)), "quickstart"));
    }

    @Test
    void docListsEveryModulePropertyWithItsDefault() throws IOException {
        String doc = Files.readString(DOC);
        Map<String, String> properties = templateProperties("spdy");
        properties.putAll(templateProperties("spdyc"));
        assertThat(properties).hasSizeGreaterThan(20);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            assertThat(doc).as("settings table row for " + e.getKey())
                    .contains("| `" + name + "` | `" + e.getValue() + "` |");
        }
    }

    private static Map<String, String> templateProperties(String module) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TEMPLATE_PROPERTY.matcher(Files.readString(MODULE.resolve("src/main/jetty-base/modules/" + module + ".mod")));
        while (m.find()) {
            out.put(m.group(1), m.group(2).strip());
        }
        return out;
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]}, without their common indentation. */
    private static String taggedRegion(String source, String tag) {
        List<String> lines = source.lines().collect(Collectors.toList());
        int start = indexOf(lines, "// tag::" + tag + "[]") + 1;
        int end = indexOf(lines, "// end::" + tag + "[]");
        List<String> region = lines.subList(start, end);
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return region.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
                .collect(Collectors.joining("\n")).strip();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("no " + marker + " in " + EXAMPLE);
    }
}
