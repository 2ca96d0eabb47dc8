package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.qbosync.QboSyncApplication;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.testsupport.TestContextProperties;

/**
 * The whole application refuses each unsafe start with its own message, and starts when the same setting is made
 * safe: the sample source with a real company, the default admin password in production, a missing token key in
 * production. The real-company starts never call QBO (no routes run in the light context).
 */
class StartupRefusalIT {

    private static final String KEY = "q83vEjRWGD6Sgp7wNVWzWn8PNkBlxr0vUy3yA0fKfEo=";

    @TempDir
    Path dir;

    @Test
    void aRealCompanyWithTheBundledSampleSourceIsRefused() {
        Map<String, Object> p = realCompany();
        p.put("source.sample.enabled", "true");
        p.put("source.sample.port", "0");
        p.put("source.base-url", "");
        assertThat(refusal(p)).contains("names a real QBO company but the source is the bundled sample")
                .contains("source.sample.enabled=true and source.base-url is empty");
    }

    @Test
    void aRealCompanyWithNoSourceUrlIsRefusedEvenWithTheSampleOff() {
        Map<String, Object> p = realCompany();
        p.put("source.base-url", "");
        assertThat(refusal(p)).contains("(source.base-url is empty)").contains("SOURCE_BASE_URL");
    }

    @Test
    void theSampleIntoARealCompanyStartsOnlyWhenExplicitlyAllowedForADemo() {
        Map<String, Object> p = realCompany();
        p.put("source.base-url", "");
        p.put("source.sample.enabled", "true");
        p.put("source.sample.port", "0");
        p.put("qbosync.safety.allow-sample-into-real-company", "true");
        try (ConfigurableApplicationContext context = run(p)) {
            assertThat(context.getBeanNamesForType(SampleSourceServer.class)).hasSize(1);
        }
    }

    @Test
    void theDefaultAdminPasswordIsRefusedWithARealCompany() {
        Map<String, Object> p = realCompany();
        p.remove("qbosync.security.admin.password");
        assertThat(refusal(p)).contains("user 'admin' has the default password")
                .contains("a real QBO company is configured");
    }

    @Test
    void theDefaultAdminPasswordIsRefusedUnderAProductionProfile() {
        Map<String, Object> p = TestContextProperties.lightContext(dir);
        p.put("spring.profiles.active", "prod");
        p.put("qbosync.crypto.key", KEY);
        assertThat(refusal(p)).contains("user 'admin' has the default password")
                .contains("a production profile is active (prod)");
    }

    @Test
    void aMissingTokenKeyIsRefusedInProductionAndNoKeyFileIsWritten() {
        Map<String, Object> p = TestContextProperties.lightContext(dir);
        p.put("spring.profiles.active", "prod");
        p.put("qbosync.security.admin.password", "a-real-password");
        assertThat(refusal(p)).contains("qbosync.crypto.key is not set while a production profile is active")
                .contains("QBOSYNC_CRYPTO_KEY");
        assertThat(dir.resolve("keys")).doesNotExist();
    }

    @Test
    void theBundledSandboxAndSampleAreRefusedUnderAProductionProfile() {
        Map<String, Object> p = TestContextProperties.lightContext(dir);
        p.put("spring.profiles.active", "prod");
        p.put("qbosync.security.admin.password", "a-real-password");
        p.put("qbosync.crypto.key", KEY);
        p.put("qbo.sandbox.enabled", "true");
        p.put("qbo.sandbox.port", "0");
        p.put("source.sample.enabled", "true");
        p.put("source.sample.port", "0");
        assertThat(refusal(p)).contains("the bundled QBO sandbox and the bundled sample source would start")
                .contains("a production profile is active (prod)").contains("SOURCE_SAMPLE_ENABLED=false");
        p.put("qbo.sandbox.enabled", "false");
        assertThat(refusal(p)).contains("the bundled sample source would start");
    }

    @Test
    void theProductionShapeStartsWithNothingOfTheDemo() {
        Map<String, Object> p = realCompany();
        p.put("qbo.sandbox.enabled", "true"); // the shipped default
        p.put("qbo.sandbox.port", "0");
        try (ConfigurableApplicationContext context = run(p)) {
            assertThat(context.getBeanNamesForType(QboSandbox.class)).isEmpty();
            assertThat(context.getBeanNamesForType(SampleSourceServer.class)).isEmpty();
        }
    }

    @Test
    void theDemoStartsWithAGeneratedKeyTheDefaultAdminAndTheBundledParts() {
        Map<String, Object> p = TestContextProperties.lightContext(dir);
        p.put("qbo.sandbox.enabled", "true");
        p.put("qbo.sandbox.port", "0");
        try (ConfigurableApplicationContext context = run(p)) {
            assertThat(context.getBeanNamesForType(QboSandbox.class)).hasSize(1);
        }
        assertThat(Files.exists(dir.resolve("keys/token.key"))).isTrue();
    }

    @Test
    void docNumberPrefixesThatCouldCollideInOneCompanyStopTheStart() throws Exception {
        Map<String, Object> p = realCompany();
        p.put("sync.mappings.file", mappings("""
                companies:
                  by: chapter
                  routes:
                    North: { company: default, docNumberPrefix: "N" }
                    North-East: { company: default, docNumberPrefix: "NE" }
                """));
        assertThat(startFailure(p)).contains("North ('N') and North-East ('NE') in company default")
                .contains("none the start of another");
    }

    @Test
    void aCompanyTheMappingRoutesToMustBeConfiguredWhenRealCompaniesAre() throws Exception {
        Map<String, Object> p = realCompany();
        p.put("sync.mappings.file", mappings(TWO_COMPANIES));
        assertThat(startFailure(p)).contains("routes invoices to company pacific")
                .contains("qbo.companies.pacific.realm-id is not set (configured: default)");
    }

    @Test
    void twoRealCompaniesAreEachConnectedFromTheirOwnSettings() throws Exception {
        Map<String, Object> p = realCompany();
        p.put("sync.mappings.file", mappings(TWO_COMPANIES));
        p.put("qbo.companies.pacific.realm-id", "9341999");
        p.put("qbo.companies.pacific.client-id", "client-2");
        p.put("qbo.companies.pacific.client-secret", "secret-2");
        p.put("qbo.companies.pacific.refresh-token", "RT-2");
        try (ConfigurableApplicationContext context = run(p)) {
            assertThat(context.getBean(io.qbosync.connect.QboCompanies.class).all())
                    .containsExactly(Map.entry("default", "9341453"), Map.entry("pacific", "9341999"));
            io.qbosync.store.QboConnectionRepository stored = context.getBean(io.qbosync.store.QboConnectionRepository.class);
            assertThat(stored.find("9341999").orElseThrow().clientId()).isEqualTo("client-2");
            assertThat(stored.find("9341453").orElseThrow().clientId()).isEqualTo("client");
        }
        // Both keys on one realm would check neither's prefixes against the other's.
        p.put("qbo.companies.pacific.realm-id", "9341453");
        assertThat(startFailure(p)).contains("Companies 'default' and 'pacific' are both QBO company 9341453");
    }

    @Test
    void aCompanyNamedOnlyUnderQboCompaniesMakesTheNodeProductionToo() throws Exception {
        Map<String, Object> p = new LinkedHashMap<>(TestContextProperties.lightContext(dir));
        p.put("qbo.companies.acme.realm-id", "9341777");
        p.put("qbo.companies.acme.client-id", "client-a");
        p.put("qbo.companies.acme.client-secret", "secret-a");
        p.put("qbo.companies.acme.refresh-token", "RT-A");
        p.put("sync.mappings.file", mappings("""
                companies:
                  by: chapter
                  routes:
                    North: { company: acme }
                """));
        p.put("qbo.sandbox.enabled", "true"); // the demo artifact's default
        p.put("qbo.sandbox.port", "0");
        p.put("qbosync.crypto.key", KEY);
        p.put("source.base-url", "http://127.0.0.1:9");
        assertThat(refusal(p)).contains("user 'admin' has the default password")
                .contains("a real QBO company is configured (qbo.companies.acme.realm-id=9341777)");
        p.put("qbosync.security.admin.password", "a-real-password");
        p.remove("qbosync.crypto.key");
        assertThat(refusal(p)).contains("qbosync.crypto.key is not set while a real QBO company is configured");
        p.put("qbosync.crypto.key", KEY);
        p.put("source.base-url", "");
        assertThat(refusal(p)).contains("realm 9341777 names a real QBO company but the source is the bundled sample");
        p.put("source.base-url", "http://127.0.0.1:9");
        try (ConfigurableApplicationContext context = run(p)) {
            assertThat(context.getBeanNamesForType(QboSandbox.class)).isEmpty();
            assertThat(context.getBeanNamesForType(SampleSourceServer.class)).isEmpty();
        }
    }

    private static final String TWO_COMPANIES = """
            companies:
              by: chapter
              routes:
                North: { company: default, docNumberPrefix: "N-" }
                Pacific: { company: pacific }
            """;

    private String mappings(String companies) throws java.io.IOException {
        Path file = Files.writeString(dir.resolve("companies-" + System.nanoTime() + ".yaml"), companies);
        return "routes/mappings/qbo-mappings.yaml," + file;
    }

    /** The innermost message of a failed start (the one that says why). */
    private static String startFailure(Map<String, Object> properties) {
        try (ConfigurableApplicationContext ignored = run(properties)) {
            return fail("started, but should have failed");
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            return t.getMessage();
        }
    }

    /** A real company configured the way production must be: own source, own admin password, own key. */
    private Map<String, Object> realCompany() {
        Map<String, Object> p = new LinkedHashMap<>(TestContextProperties.lightContext(dir));
        p.put("qbo.company.realm-id", "9341453");
        p.put("qbo.company.client-id", "client");
        p.put("qbo.company.client-secret", "secret");
        p.put("qbo.company.refresh-token", "RT");
        p.put("source.base-url", "http://127.0.0.1:9");
        p.put("qbosync.security.admin.password", "a-real-password");
        p.put("qbosync.crypto.key", KEY);
        return p;
    }

    private static String refusal(Map<String, Object> properties) {
        try (ConfigurableApplicationContext ignored = run(properties)) {
            return fail("started, but should have refused");
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t.getMessage() != null && t.getMessage().startsWith(UnsafeStartException.PREFIX)) {
                    return t.getMessage();
                }
            }
            throw new AssertionError("start-up failed, but not with a refusal", e);
        }
    }

    /** As command-line arguments: they outrank application.yaml (builder properties would not). */
    private static ConfigurableApplicationContext run(Map<String, Object> properties) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(QboSyncApplication.class).web(WebApplicationType.NONE).run(args);
    }
}
