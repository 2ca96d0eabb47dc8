package io.qbosync.config.security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Binds the management server (actuator, Hawtio, Jolokia) to loopback unless told otherwise: when it has a port of
 * its own and {@code management.server.address} is set nowhere, that key reads {@code 127.0.0.1}. Set the key (for
 * example {@code MANAGEMENT_SERVER_ADDRESS=0.0.0.0} in Kubernetes, behind a NetworkPolicy) to listen elsewhere.
 *
 * <p>Why not a line in application.yaml: Spring Boot refuses to start when {@code management.server.address} is set
 * while management shares the app's port, and a key set in application.yaml cannot be unset by an override. The
 * default is therefore decided when the key is read, from the ports in effect at that moment (including those a
 * test or the command line sets), at the lowest precedence so that any real setting wins.
 */
public final class ManagementLoopbackDefault implements EnvironmentPostProcessor, Ordered {

    static final String ADDRESS = "management.server.address";
    static final String LOOPBACK = "127.0.0.1";
    static final String SOURCE_NAME = "qbosyncManagementLoopbackDefault";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(SOURCE_NAME)) {
            environment.getPropertySources().addLast(new LoopbackAddress(environment));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The management server listens on a port of its own (random or fixed), not the app's and not disabled. */
    static boolean separateManagementPort(Environment environment) {
        String management = environment.getProperty("management.server.port");
        if (management == null || management.isBlank()) {
            return false;
        }
        try {
            int managementPort = Integer.parseInt(management.trim());
            int serverPort = Integer.parseInt(environment.getProperty("server.port", "8080").trim());
            return managementPort == 0 || managementPort > 0 && managementPort != serverPort;
        } catch (NumberFormatException e) {
            return false; // Spring Boot reports the bad port itself
        }
    }

    private static final class LoopbackAddress extends PropertySource<String> {

        /** Not the source object: Spring Boot walks into a source that is an environment, and would loop. */
        private final Environment environment;

        LoopbackAddress(Environment environment) {
            super(SOURCE_NAME, ADDRESS + " defaults to " + LOOPBACK + " with a separate management port");
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            return ADDRESS.equals(name) && separateManagementPort(environment) ? LOOPBACK : null;
        }
    }
}
