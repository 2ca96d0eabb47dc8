package io.qbosync.ops;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.springframework.beans.factory.ObjectProvider;

/** Object names for qbo-sync's own MBeans. */
final class JmxNames {

    private JmxNames() {
    }

    /**
     * {@code name}, or when another qbo-sync context in the same JVM (tests) already holds it, the same name with a
     * {@code context} key naming {@code owner}, as Spring Boot does for its endpoints.
     */
    static ObjectName free(String name, Object owner, ObjectProvider<MBeanServer> server)
            throws MalformedObjectNameException {
        ObjectName plain = new ObjectName(name);
        MBeanServer mbeans = server.getIfAvailable(ManagementFactory::getPlatformMBeanServer);
        return mbeans.isRegistered(plain)
                ? new ObjectName(name + ",context=" + Integer.toHexString(System.identityHashCode(owner)))
                : plain;
    }
}
