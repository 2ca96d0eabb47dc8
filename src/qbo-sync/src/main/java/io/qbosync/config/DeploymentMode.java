package io.qbosync.config;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Demo or production, decided from configuration alone so every start-up check agrees. A node is in
 * <b>production</b> when a real QBO company is configured ({@code qbo.company.realm-id} or any
 * {@code qbo.companies.<key>.realm-id}) or a production Spring
 * profile ({@code prod} or {@code production}) is active; otherwise it is a <b>demo</b> (bundled QBO sandbox,
 * sample source, generated key and {@code admin/admin} allowed, with warnings).
 */
public final class DeploymentMode {

    /** Spring profiles that mark a production node even before a company is connected. */
    public static final Set<String> PRODUCTION_PROFILES = Set.of("prod", "production");

    private DeploymentMode() {
    }

    /** A real QBO company is configured on this node, by {@code qbo.company.*} or by any {@code qbo.companies.<key>.*}. */
    public static boolean realCompany(Environment environment) {
        return !configuredRealms(environment).isEmpty();
    }

    /** Each realm-id setting that is not blank, as "property=realm", sorted so messages do not vary. */
    static Set<String> configuredRealms(Environment environment) {
        Set<String> out = new TreeSet<>();
        String single = environment.getProperty("qbo.company.realm-id", "").strip();
        if (!single.isEmpty()) {
            out.add("qbo.company.realm-id=" + single);
        }
        Binder.get(environment).bind("qbo.companies", Bindable.mapOf(String.class, RealmSetting.class))
                .ifBound(companies -> companies.forEach((key, c) -> {
                    if (c.realmId() != null && !c.realmId().isBlank()) {
                        out.add("qbo.companies." + key + ".realm-id=" + c.realmId().strip());
                    }
                }));
        return out;
    }

    /** Only the realm id of a company's settings; the other keys are RealmProvisioner's. */
    public record RealmSetting(String realmId) {
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
            return "a real QBO company is configured (" + String.join(", ", configuredRealms(environment)) + ")";
        }
        return "a production profile is active (" + String.join(",", environment.getActiveProfiles()) + ")";
    }
}
