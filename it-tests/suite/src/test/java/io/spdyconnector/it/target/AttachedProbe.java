package io.spdyconnector.it.target;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Set;

/**
 * The probe of a standalone container: the JDK's attach mechanism starts the JVM's local JMX agent,
 * so the server needs no JMX port or setting of its own, and the connectors' MBeans are read the
 * way an operator's console reads them.
 */
final class AttachedProbe implements ServerProbe, AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ObjectName spdyBeans;
    /** The class of the beans counted, as their {@code modelerType} says; null to count every match. */
    private final String beanClass;
    private final String sessionsAttribute;
    private final String streamsAttribute;

    private AttachedProbe(JMXConnector connector, ObjectName spdyBeans, String beanClass, String sessionsAttribute,
            String streamsAttribute) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
        this.spdyBeans = spdyBeans;
        this.beanClass = beanClass;
        this.sessionsAttribute = sessionsAttribute;
        this.streamsAttribute = streamsAttribute;
    }

    /** Jetty with the {@code jmx} module: each SPDY factory's session container. */
    static AttachedProbe jetty(long pid) throws Exception {
        return new AttachedProbe(attach(pid), new ObjectName("io.spdyconnector.jetty:type=spdysessioncontainer,*"),
                null, "sessionCount", "streamCount");
    }

    /**
     * Tomcat: each SPDY registration's request group, registered the way Tomcat registers HTTP/2's.
     * Tomcat registers its own upgrade statistics under {@code Upgrade=spdy/3.1} of a plain
     * connector too, hence the class filter.
     */
    static AttachedProbe tomcat(long pid) throws Exception {
        return new AttachedProbe(attach(pid), new ObjectName("Catalina:type=GlobalRequestProcessor,Upgrade=*,*"),
                "io.spdyconnector.tomcat.SpdyRequestGroupInfo", "sessionCount", "activeStreams");
    }

    private static JMXConnector attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    @Override
    public long openSessions() throws Exception {
        return sum(sessionsAttribute);
    }

    @Override
    public long openStreams() throws Exception {
        return sum(streamsAttribute);
    }

    private long sum(String attribute) throws Exception {
        Set<ObjectName> names = new java.util.HashSet<>();
        for (ObjectName name : server.queryNames(spdyBeans, null)) {
            if (beanClass == null || beanClass.equals(server.getAttribute(name, "modelerType"))) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no MBean matches " + spdyBeans + " in the server's JVM");
        }
        long total = 0;
        for (ObjectName name : names) {
            try {
                total += ((Number) server.getAttribute(name, attribute)).longValue();
            } catch (javax.management.AttributeNotFoundException e) {
                java.util.List<String> known = new java.util.ArrayList<>();
                for (javax.management.MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    known.add(a.getName());
                }
                throw new IllegalStateException(name + " has no attribute " + attribute + ", only " + known, e);
            }
        }
        return total;
    }

    @Override
    public long heapAfterGc() throws Exception {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public int threads() throws Exception {
        return ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class)
                .getThreadCount();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException ignored) {
            // The server may already be gone.
        }
    }
}
