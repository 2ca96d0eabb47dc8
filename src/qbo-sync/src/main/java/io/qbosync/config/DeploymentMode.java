package io.qbosync.config;

import java.util.Arrays;
import java.util.Set;

import org.springframework.core.env.Environment;

/**
 * Demo or production, decided from configuration alone so every start-up check agrees. A node is in
 * <b>production</b> when a real QBO company is configured ({@code qbo.company.realm-id}) or a production Spring
 * profile ({@code prod} or {@code production}) is active; otherwise it is a <b>demo</b> (bundled QBO sandbox,
 * sample source, generated key and {@code admin/admin} allowed, with warnings).
 */
public final class DeploymentMode {

    /** Spring profiles that mark a production node even before a company is connected. */
    public static final Set<String> PRODUCTION_PROFILES = Set.of("prod", "production");

    private DeploymentMode() {
    }

    /** A real QBO company is configured on this node. */
    public static boolean realCompany(Environment environment) {
        String realm = environment.getProperty("qbo.company.realm-id", "");
        return !realm.isBlank();
    }

    /** A production Spring profile is active. */
    public static boolean productionProfile(Environment environment) {
        return Arrays.stream(environment.getActiveProfiles()).anyMatch(PRODUCTION_PROFILES::contains);
    }

    /** Production: a real company or a production profile. */
    public static boolean production(Environment environment) {
        return realCompany(environment) || productionProfile(environment);
    }

    /** Why this node counts as production, for refusal messages ("a real QBO company is configured", ...). */
    public static String productionReason(Environment environment) {
        if (realCompany(environment)) {
            return "a real QBO company is configured (qbo.company.realm-id="
                    + environment.getProperty("qbo.company.realm-id", "").strip() + ")";
        }
        return "a production profile is active (" + String.join(",", environment.getActiveProfiles()) + ")";
    }
}
