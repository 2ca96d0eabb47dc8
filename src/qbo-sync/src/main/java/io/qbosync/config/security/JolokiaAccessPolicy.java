package io.qbosync.config.security;

import java.io.IOException;
import java.util.Map;

import io.qbosync.config.UnsafeStartException;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Refuses to start unless Jolokia will enforce a policy file. Jolokia falls back to "allow everything" when its
 * {@code policyLocation} names nothing it can find (it logs one INFO line), so a typo in the location or a
 * repackaged jar without {@code jolokia-access.xml} would silently reopen every JMX operation to an ADMIN session,
 * including the CamelContext's {@code sendBody} and the JVM's heap dump. The location is resolved exactly as
 * Jolokia resolves it, from the same settings Jolokia's servlet receives ({@code management.endpoint.jolokia.config.*}).
 */
public final class JolokiaAccessPolicy {

    public static final String CONFIG_PREFIX = "management.endpoint.jolokia.config";
    public static final String POLICY_LOCATION = "policyLocation";

    private final String location;

    private JolokiaAccessPolicy(String location) {
        this.location = location;
    }

    /** Checks that the configured policy exists and parses. */
    public static JolokiaAccessPolicy verify(Environment environment) {
        Map<String, String> config = Binder.get(environment)
                .bind(CONFIG_PREFIX, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        String location = config.get(POLICY_LOCATION);
        if (location == null || location.isBlank()) {
            throw new UnsafeStartException(CONFIG_PREFIX + "." + POLICY_LOCATION + " is not set;"
                    + " without a policy Jolokia lets an ADMIN invoke every JMX operation (application.yaml sets it to"
                    + " classpath:/jolokia-access.xml)");
        }
        try {
            if (RestrictorFactory.lookupPolicyRestrictor(location) == null) {
                throw new UnsafeStartException("the Jolokia policy " + location + " ("
                        + CONFIG_PREFIX + "." + POLICY_LOCATION + ") does not exist; Jolokia would allow every JMX"
                        + " operation");
            }
        } catch (IOException | SecurityException e) {
            UnsafeStartException refusal = new UnsafeStartException("the Jolokia policy " + location
                    + " cannot be read: " + e.getMessage());
            refusal.initCause(e);
            throw refusal;
        }
        return new JolokiaAccessPolicy(location);
    }

    /** Where the enforced policy is. */
    public String location() {
        return location;
    }
}
