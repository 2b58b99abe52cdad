package io.spdyconnector.jetty.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The web application deployed on the distribution, as a WAR: two static files served by the
 * default servlet and {@link ProtocolReportServlet} at {@code /protocol} and {@code /remote}.
 */
final class TestWebapp {
    static final String HELLO = "Hello from jetty-home over SPDY\n";
    static final byte[] BIG = big(300 * 1024);

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_1.xsd"
                     version="6.1">
              <servlet>
                <servlet-name>protocol</servlet-name>
                <servlet-class>%s</servlet-class>
              </servlet>
              <servlet-mapping>
                <servlet-name>protocol</servlet-name>
                <url-pattern>/protocol</url-pattern>
                <url-pattern>/remote</url-pattern>
              </servlet-mapping>
            </web-app>
            """.formatted(ProtocolReportServlet.class.getName());

    private TestWebapp() {
    }

    static byte[] war() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("WEB-INF/web.xml", WEB_XML.getBytes(StandardCharsets.UTF_8));
        String servletClass = ProtocolReportServlet.class.getName().replace('.', '/') + ".class";
        try (InputStream in = TestWebapp.class.getClassLoader().getResourceAsStream(servletClass)) {
            if (in == null) {
                throw new IOException("no " + servletClass + " on the test class path");
            }
            entries.put("WEB-INF/classes/" + servletClass, in.readAllBytes());
        }
        entries.put("hello.txt", HELLO.getBytes(StandardCharsets.UTF_8));
        entries.put("big.bin", BIG);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Bytes that differ from position to position, so a lost or reordered frame shows. */
    private static byte[] big(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + (i >>> 10));
        }
        return b;
    }
}
