package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import io.qbosync.testsupport.TestContextProperties;
import io.qbosync.testsupport.TestUsers;
import io.qbosync.testsupport.TestHttp;
import io.qbosync.testsupport.TestHttp.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Behind a TLS-terminating reverse proxy ({@code server.forward-headers-strategy=native}; the proxy here is the
 * test on 127.0.0.1, which Tomcat trusts as an internal proxy): both ports take the scheme from
 * {@code X-Forwarded-Proto}, so the session cookies are Secure and Hawtio's {@code https://} origin is its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ForwardedHeadersIT {

    private static final String PASSWORD = TestUsers.OPERATOR_PASSWORD;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestContextProperties.registerLightContext(registry, dataDir);
        registry.add("management.server.port", () -> "0");
        registry.add("server.forward-headers-strategy", () -> "native");
        TestUsers.register(registry);
    }

    @LocalServerPort
    int appPort;

    @LocalManagementPort
    int managementPort;

    @Test
    void sessionCookiesAreSecureWhenTheProxySaysHttpsOnBothPorts() {
        for (Object[] port : List.of(new Object[] {appPort, SecurityConfig.APP_SESSION_COOKIE},
                new Object[] {managementPort, "JSESSIONID"})) {
            String login = "http://127.0.0.1:" + port[0] + "/login";
            // A stateless client: Java's cookie manager would not send a Secure cookie back over http.
            TestHttp http = TestHttp.stateless();
            Response page = http.request(login).header("X-Forwarded-Proto", "https").accept("text/html").get();
            String xsrf = setCookie(page, "XSRF-TOKEN");
            assertThat(xsrf).containsIgnoringCase("; Secure");
            String token = xsrf.substring("XSRF-TOKEN=".length(), xsrf.indexOf(';'));
            Response response = http.request(login).header("X-Forwarded-Proto", "https")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", "XSRF-TOKEN=" + token).header("X-XSRF-TOKEN", token)
                    .post("username=operator&password=" + PASSWORD);
            assertThat(response.status()).isEqualTo(302);
            assertThat(setCookie(response, (String) port[1])).as(login).containsIgnoringCase("; Secure")
                    .containsIgnoringCase("SameSite=Lax");
        }
    }

    @Test
    void jolokiasSameOriginRuleSeesTheOriginTheBrowserSaw() {
        String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}";
        TestHttp http = TestHttp.stateless();
        String jolokia = "http://127.0.0.1:" + managementPort + "/actuator/jolokia";
        Response viaProxy = http.request(jolokia).basicAuth("admin", "admin-secret")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "console.example")
                .header("Origin", "https://console.example").header("Content-Type", "application/json").post(read);
        assertThat(viaProxy.status()).as(viaProxy.toString()).isEqualTo(200);
        Response otherSite = http.request(jolokia).basicAuth("admin", "admin-secret")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "console.example")
                .header("Origin", "https://evil.example").header("Content-Type", "application/json").post(read);
        assertThat(otherSite.status()).isEqualTo(403);
    }

    private static String setCookie(Response response, String name) {
        return response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + response.headers()));
    }
}
