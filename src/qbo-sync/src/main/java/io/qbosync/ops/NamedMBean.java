package io.qbosync.ops;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jmx.export.naming.SelfNaming;

/**
 * Base of qbo-sync's own MBeans: exported under a fixed name, or when another qbo-sync context in the same JVM
 * (tests) already holds it, the same name with a {@code context} key, as Spring Boot does for its endpoints.
 */
abstract class NamedMBean implements SelfNaming {

    private final String plainName;
    private final ObjectProvider<MBeanServer> server;
    private ObjectName name;

    NamedMBean(String plainName, ObjectProvider<MBeanServer> server) {
        this.plainName = plainName;
        this.server = server;
    }

    @Override
    public synchronized ObjectName getObjectName() throws MalformedObjectNameException {
        if (name == null) {
            ObjectName plain = new ObjectName(plainName);
            MBeanServer mbeans = server.getIfAvailable(ManagementFactory::getPlatformMBeanServer);
            name = mbeans.isRegistered(plain)
                    ? new ObjectName(plainName + ",context=" + Integer.toHexString(System.identityHashCode(this)))
                    : plain;
        }
        return name;
    }
}
