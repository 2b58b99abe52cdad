package io.spdyconnector.jetty.distribution;

import io.spdyconnector.jetty.SpdyServerConnectionFactory;

import java.lang.reflect.Method;

/** Reads a bean property of {@link SpdyServerConnectionFactory} by the name a module XML sets. */
final class FactoryProperties {
    private FactoryProperties() {
    }

    /** The property name a module property sets: {@code jetty.spdy.maxHeaderBytes} gives {@code maxHeaderBytes}. */
    static String beanName(String moduleProperty) {
        return moduleProperty.substring(moduleProperty.lastIndexOf('.') + 1);
    }

    static Object get(SpdyServerConnectionFactory factory, String bean) {
        if (bean.equals("protocols")) {
            // A constructor argument, written as a comma-separated list.
            return String.join(",", factory.getProtocols());
        }
        String suffix = Character.toUpperCase(bean.charAt(0)) + bean.substring(1);
        for (String prefix : new String[] {"get", "is"}) {
            try {
                Method m = SpdyServerConnectionFactory.class.getMethod(prefix + suffix);
                return m.invoke(factory);
            } catch (NoSuchMethodException e) {
                // try the next prefix
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("SpdyServerConnectionFactory has no getter for " + bean);
    }

    /** The value as a {@code .ini} file writes it. */
    static String text(Object value) {
        return String.valueOf(value);
    }

    /** A valid value that differs from {@code current}, as {@code .ini} text. */
    static String anotherValue(String bean, Object current) {
        if (current instanceof Boolean) {
            return String.valueOf(!(Boolean) current);
        }
        if (current instanceof Integer) {
            int v = (Integer) current;
            return String.valueOf(v == 0 ? 1000 : v * 2);
        }
        if (current instanceof Long) {
            long v = (Long) current;
            return String.valueOf(v == 0 ? 45_000 : v * 2);
        }
        switch (bean) {
            case "compressionPolicy":
                return "NONE".equals(current) ? "SAFE" : "NONE";
            case "plainProtocol":
                return "spdy/3".equals(current) ? "spdy/3.1" : "spdy/3";
            case "protocols":
                return current + ",spdy/2";
            default:
                throw new AssertionError("no other value known for " + bean + "=" + current
                        + " (" + current.getClass().getSimpleName() + ")");
        }
    }
}
