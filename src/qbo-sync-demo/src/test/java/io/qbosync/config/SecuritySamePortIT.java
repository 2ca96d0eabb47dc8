package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.qbosync.testsupport.TestContextProperties;
import io.qbosync.testsupport.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same rules hold when the actuator, Hawtio and Jolokia share the app's port (no management server). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SecuritySamePortIT {

    private static final String JOLOKIA_READ = "/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestContextProperties.registerLightContext(registry, dataDir);
        // Unset: the management endpoints live on the app server (and the loopback default address does not apply).
        registry.add("management.server.port", () -> "");
        registry.add("management.endpoints.web.exposure.include", () -> "health,info,metrics,prometheus,hawtio,jolokia");
        registry.add("spring.jmx.enabled", () -> "true");
        registry.add("hawtio.authenticationEnabled", () -> "true");
        registry.add("qbosync.security.admin.password", () -> "admin-secret");
        registry.add("qbosync.security.users[0].name", () -> "viewer");
        registry.add("qbosync.security.users[0].password", () -> "viewer-secret");
        registry.add("qbosync.security.users[0].roles", () -> "VIEWER");
    }

    @LocalServerPort
    int port;

    private final TestHttp http = TestHttp.stateless();

    @Test
    void consoleIsAdminOnlyAndProbesAreOpen() {
        assertThat(http.request(url(JOLOKIA_READ)).get().status()).isEqualTo(401);
        assertThat(http.request(url("/actuator/hawtio/")).get().status()).isEqualTo(401);
        assertThat(http.request(url(JOLOKIA_READ)).basicAuth("viewer", "viewer-secret").get().status()).isEqualTo(403);
        assertThat(http.request(url("/actuator/hawtio/")).basicAuth("viewer", "viewer-secret").get().status()).isEqualTo(403);
        assertThat(http.request(url(JOLOKIA_READ)).basicAuth("admin", "admin-secret").get().status()).isEqualTo(200);
        assertThat(http.request(url("/actuator/hawtio/user")).basicAuth("admin", "admin-secret").get().status()).isEqualTo(200);
        assertThat(http.request(url("/actuator/health")).get().status()).isEqualTo(200);
        assertThat(http.request(url("/actuator/metrics")).basicAuth("viewer", "viewer-secret").get().status()).isEqualTo(200);
        assertThat(http.request(url("/api/anything")).get().status()).isEqualTo(401);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
