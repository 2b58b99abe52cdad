package io.spdyconnector.jetty.distribution;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The module files of the jetty-base overlay, read by Jetty's own XmlConfiguration as start.jar
 * does: every property of the XML is documented in the module's ini-template with the factory's
 * default, and every one reaches the factory.
 */
class SpdyModuleFilesTest {
    private static final Path JETTY_BASE = Path.of(System.getProperty("basedir", ".")).resolve("src/main/jetty-base");
    /** {@code <Set property="...">} and {@code <Property name="...">}: the two ways the XML reads a property. */
    private static final Pattern XML_PROPERTY = Pattern.compile("(?:property|<Property name)=\"([^\"]+)\"");

    enum Module {
        SPDY("spdy", "jetty.spdy.", "sslConnector", "sslHttpConfig"),
        SPDYC("spdyc", "jetty.spdyc.", "httpConnector", "httpConfig");

        final String name;
        final String prefix;
        final String connectorId;
        final String httpConfigId;

        Module(String name, String prefix, String connectorId, String httpConfigId) {
            this.name = name;
            this.prefix = prefix;
            this.connectorId = connectorId;
            this.httpConfigId = httpConfigId;
        }

        Path modFile() {
            return JETTY_BASE.resolve("modules/" + name + ".mod");
        }

        Path xmlFile() {
            return JETTY_BASE.resolve("etc/jetty-" + name + ".xml");
        }
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void moduleLoadsTheOverlayJarsAndItsXml(Module module) throws IOException {
        ModuleFile mod = ModuleFile.read(module.modFile());
        assertThat(mod.entries("lib")).containsExactly("lib/spdy/*.jar");
        assertThat(mod.entries("xml")).containsExactly("etc/jetty-" + module.name + ".xml");
        assertThat(mod.entries("description")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void everyXmlPropertyIsInTheIniTemplateAndBack(Module module) throws IOException {
        Set<String> inXml = xmlProperties(module);
        Set<String> inTemplate = ModuleFile.read(module.modFile()).templateProperties().keySet();
        assertThat(inXml).isNotEmpty().allMatch(p -> p.startsWith(module.prefix));
        assertThat(inTemplate).containsExactlyInAnyOrderElementsOf(inXml);
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void iniTemplateDefaultsAreTheFactoryDefaults(Module module) throws IOException {
        SpdyServerConnectionFactory fresh = new SpdyServerConnectionFactory(new HttpConfiguration());
        ModuleFile.read(module.modFile()).templateProperties().forEach((property, value) -> {
            Object expected = FactoryProperties.get(fresh, FactoryProperties.beanName(property));
            assertThat(value).as(property).isEqualTo(FactoryProperties.text(expected));
        });
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void withoutPropertiesTheFactoryKeepsItsDefaults(Module module) throws Exception {
        SpdyServerConnectionFactory fresh = new SpdyServerConnectionFactory(new HttpConfiguration());
        SpdyServerConnectionFactory configured = configure(module, Map.of());
        for (String property : xmlProperties(module)) {
            String bean = FactoryProperties.beanName(property);
            assertThat(FactoryProperties.get(configured, bean)).as(property)
                    .isEqualTo(FactoryProperties.get(fresh, bean));
        }
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void everyPropertyReachesTheFactory(Module module) throws Exception {
        SpdyServerConnectionFactory fresh = new SpdyServerConnectionFactory(new HttpConfiguration());
        Map<String, String> properties = new LinkedHashMap<>();
        for (String property : xmlProperties(module)) {
            String bean = FactoryProperties.beanName(property);
            properties.put(property, FactoryProperties.anotherValue(bean, FactoryProperties.get(fresh, bean)));
        }
        SpdyServerConnectionFactory configured = configure(module, properties);
        properties.forEach((property, value) -> assertThat(
                FactoryProperties.text(FactoryProperties.get(configured, FactoryProperties.beanName(property))))
                .as(property).isEqualTo(value));
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void theFactoryUsesTheConnectorsHttpConfiguration(Module module) throws Exception {
        ServerConnector connector = new ServerConnector(new Server());
        HttpConfiguration httpConfig = new HttpConfiguration();
        SpdyServerConnectionFactory factory = configure(module, connector, httpConfig, Map.of());
        assertThat(factory.getHttpConfiguration()).isSameAs(httpConfig);
    }

    @ParameterizedTest
    @EnumSource(Module.class)
    void anInvalidValueFailsTheConfiguration(Module module) {
        assertThatThrownBy(() -> configure(module, Map.of(module.prefix + "compressionPolicy", "BOGUS")))
                .hasStackTraceContaining("No enum constant")
                .hasStackTraceContaining("setCompressionPolicy");
    }

    @Test
    void clearTextSpdyIsDetectedBeforeHttp11() throws Exception {
        ServerConnector connector = new ServerConnector(new Server(), new HttpConnectionFactory());
        configure(Module.SPDYC, connector, new HttpConfiguration(), Map.of());
        assertThat(connector.getConnectionFactories()).hasSize(2);
        assertThat(connector.getConnectionFactories().iterator().next()).isInstanceOf(DetectorConnectionFactory.class);
        assertThat(connector.getDefaultProtocol()).isEqualTo(connector.getConnectionFactories().iterator().next().getProtocol());
        assertThat(connector.getProtocols()).endsWith("http/1.1");
    }

    private static Set<String> xmlProperties(Module module) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = XML_PROPERTY.matcher(Files.readString(module.xmlFile()));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static SpdyServerConnectionFactory configure(Module module, Map<String, String> properties) throws Exception {
        return configure(module, new ServerConnector(new Server()), new HttpConfiguration(), properties);
    }

    private static SpdyServerConnectionFactory configure(Module module, ServerConnector connector,
            HttpConfiguration httpConfig, Map<String, String> properties) throws Exception {
        XmlConfiguration xml = new XmlConfiguration(ResourceFactory.root().newResource(module.xmlFile()));
        xml.getIdMap().put(module.connectorId, connector);
        xml.getIdMap().put(module.httpConfigId, httpConfig);
        xml.getProperties().putAll(properties);
        xml.configure(connector);
        SpdyServerConnectionFactory spdy = connector.getConnectionFactory(SpdyServerConnectionFactory.class);
        if (spdy == null) {
            DetectorConnectionFactory detector = connector.getConnectionFactory(DetectorConnectionFactory.class);
            assertThat(detector).as("a SPDY factory or a detector on " + connector).isNotNull();
            spdy = detector.getBean(SpdyServerConnectionFactory.class);
        }
        assertThat(spdy).as("the SPDY factory " + module.xmlFile() + " adds").isNotNull();
        return spdy;
    }
}
