package io.spdyconnector.tomcat;

import org.apache.tomcat.util.IntrospectionUtils;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/tomcat.md's attribute tables are what operators put in server.xml, and Tomcat ignores an
 * attribute without a setter with only a warning: every documented attribute must reach
 * {@link SpdyUpgradeProtocol} and have the documented default.
 */
class AttributesDocTest {
    private static final Path DOC = Path.of("..", "docs", "tomcat.md");
    /** A table row: attribute names in backticks, then the default. */
    private static final Pattern ROW = Pattern.compile("^\\| ((?:`[a-zA-Z0-9]+`(?:, )?)+) \\| ([^|]*) \\|");

    /** Attribute name to documented default, from the section "Attributes of SpdyUpgradeProtocol". */
    private static Map<String, String> documented() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("## Attributes of `SpdyUpgradeProtocol`");
        int end = doc.indexOf("\n## ", start + 1);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : doc.substring(start, end).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                for (String name : m.group(1).replace("`", "").split(", ")) {
                    rows.put(name, m.group(2).strip().replace("`", ""));
                }
            }
        }
        return rows;
    }

    @Test
    void everyDocumentedAttributeIsSetOnTheProtocolWithItsDefault() throws Exception {
        Map<String, String> rows = documented();
        assertThat(rows).hasSizeGreaterThan(40).containsKeys("minResponseDataRate", "abuseMaxResetsPerWindow");
        SpdyUpgradeProtocol fresh = new SpdyUpgradeProtocol();
        for (Map.Entry<String, String> row : rows.entrySet()) {
            String name = row.getKey();
            Object value = IntrospectionUtils.getProperty(fresh, name);
            assertThat(value).as("getter of %s", name).isNotNull();
            if (!row.getValue().equals("see above")) {
                assertThat(String.valueOf(value)).as("default of %s", name).isEqualTo(row.getValue());
            }
            // What server.xml does with the attribute: Tomcat's introspection finds a setter.
            SpdyUpgradeProtocol configured = new SpdyUpgradeProtocol();
            assertThat(IntrospectionUtils.setProperty(configured, name, String.valueOf(value)))
                    .as("setter of %s", name).isTrue();
        }
        assertThat(List.copyOf(rows.keySet())).doesNotHaveDuplicates();
    }
}
