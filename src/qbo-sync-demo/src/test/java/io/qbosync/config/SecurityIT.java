package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.qbosync.testsupport.TestContextProperties;
import io.qbosync.testsupport.TestHttp;
import io.qbosync.testsupport.TestHttp.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application over real HTTP, with the app and the management server on separate random ports:
 * who gets in where (app, actuator, Hawtio, Jolokia), and CSRF for browsers versus scripts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // Spring Boot tests switch the Prometheus endpoint off otherwise
@DirtiesContext
class SecurityIT {

    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final String VIEWER_PASSWORD = "viewer-secret";
    private static final String OPERATOR_PASSWORD = "operator-secret";
    private static final String JOLOKIA_READ = "/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage";
    /** An operation jolokia-access.xml allows (read-only); java.lang's gc is refused since that policy exists. */
    private static final String JOLOKIA_EXEC =
            "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Threading\",\"operation\":\"findDeadlockedThreads()\"}";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestContextProperties.registerLightContext(registry, dataDir);
        registry.add("management.server.port", () -> "0");
        registry.add("management.endpoints.web.exposure.include", () -> "health,info,metrics,prometheus,hawtio,jolokia");
        registry.add("management.endpoint.health.probes.enabled", () -> "true");
        registry.add("spring.jmx.enabled", () -> "true");
        registry.add("hawtio.authenticationEnabled", () -> "true");
        registry.add("qbosync.security.admin.password", () -> ADMIN_PASSWORD);
        registry.add("qbosync.security.users[0].name", () -> "viewer");
        registry.add("qbosync.security.users[0].password", () -> VIEWER_PASSWORD);
        registry.add("qbosync.security.users[0].roles", () -> "VIEWER");
        registry.add("qbosync.security.users[1].name", () -> "operator");
        // {bcrypt} form of "operator-secret"
        registry.add("qbosync.security.users[1].password",
                () -> "{bcrypt}$2a$10$QUe113fzM.9.DBGChrP0pO6VIWlBcfP48iOCvrunfvaT8JVv1gLPW");
        registry.add("qbosync.security.users[1].roles", () -> "OPERATOR");
    }

    @LocalServerPort
    int appPort;

    @LocalManagementPort
    int managementPort;

    private final TestHttp http = TestHttp.stateless();

    @BeforeEach
    void portsDiffer() {
        assertThat(managementPort).isNotEqualTo(appPort);
    }

    // --- anonymous -----------------------------------------------------------------------------------------------

    @Test
    void anonymousScriptsGetABasicChallengeOnBothPorts() {
        for (String url : new String[] {app("/api/anything"), app("/"), management("/actuator/metrics"),
                management("/actuator/hawtio"), management("/actuator/hawtio/"), management(JOLOKIA_READ)}) {
            Response response = http.request(url).accept("application/json").get();
            assertThat(response.status()).as(url).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).as(url).contains("Basic realm=\"qbo-sync\"");
        }
        assertThat(http.request(app("/api/anything")).post("{}").status()).isEqualTo(401);
        assertThat(http.request(management("/actuator/jolokia")).post(JOLOKIA_EXEC).status()).isEqualTo(401);
    }

    @Test
    void anonymousBrowserIsSentToTheLoginForm() {
        Response response = http.request(management("/actuator/hawtio/")).accept("text/html,application/xhtml+xml").get();
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    }

    @Test
    void javascriptGetsABare401WithoutTriggeringTheBrowserDialog() {
        Response response = http.request(app("/api/no-such-endpoint")).header("X-Requested-With", "XMLHttpRequest").get();
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEmpty();
    }

    @Test
    void probesAreOpen() {
        assertThat(http.request(management("/actuator/health")).get().status()).isEqualTo(200);
        assertThat(http.request(management("/actuator/health/liveness")).get().status()).isEqualTo(200);
        assertThat(http.request(management("/actuator/info")).get().status()).isEqualTo(200);
    }

    @Test
    void webhooksAnswer404ToEveryoneUntilASignedHandlerExists() {
        for (String path : new String[] {"/webhooks", "/webhooks/qbo", "/webhooks/qbo/realm-1"}) {
            assertThat(http.request(app(path)).header("Content-Type", "application/json").post("{}").status())
                    .as("anonymous POST " + path).isEqualTo(404);
            assertThat(http.request(app(path)).get().status()).as("anonymous GET " + path).isEqualTo(404);
            Response asAdmin = http.request(app(path)).basicAuth("admin", ADMIN_PASSWORD)
                    .header("Content-Type", "application/json").post("{}");
            assertThat(asAdmin.status()).as("admin POST " + path).isEqualTo(404);
            assertThat(asAdmin.header("WWW-Authenticate")).isEmpty();
        }
    }

    @Test
    void wrongPasswordIsRejected() {
        assertThat(http.request(management(JOLOKIA_READ)).basicAuth("admin", "wrong").get().status()).isEqualTo(401);
        assertThat(http.request(app("/api/anything")).basicAuth("viewer", "wrong").get().status()).isEqualTo(401);
        assertThat(http.request(app("/api/anything")).basicAuth("nobody", "x").get().status()).isEqualTo(401);
    }

    // --- ADMIN ---------------------------------------------------------------------------------------------------

    @Test
    void adminReadsJolokiaWithGet() {
        Response response = http.request(management(JOLOKIA_READ)).basicAuth("admin", ADMIN_PASSWORD).get();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":200").contains("\"used\"");
        // A script's Basic login leaves no server session behind.
        assertThat(response.headers().getOrDefault("set-cookie", java.util.List.of()))
                .noneMatch(cookie -> cookie.startsWith("JSESSIONID") || cookie.startsWith(SecurityConfig.APP_SESSION_COOKIE));
    }

    @Test
    void adminExecutesThroughJolokiaWithPostAndNoCsrfToken() {
        Response response = http.request(management("/actuator/jolokia"))
                .basicAuth("admin", ADMIN_PASSWORD)
                .header("Content-Type", "application/json")
                .post(JOLOKIA_EXEC);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":200");
    }

    @Test
    void hawtioKnowsTheSpringSecurityUser() {
        // Without HawtioSpringSecurityLoginModule Hawtio answers 403 here even for a valid admin.
        Response user = http.request(management("/actuator/hawtio/user")).basicAuth("admin", ADMIN_PASSWORD).get();
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        assertThat(user.body()).contains("admin");

        Response viaHawtio = http.request(management("/actuator/hawtio/jolokia/read/java.lang:type=Runtime/Uptime"))
                .basicAuth("admin", ADMIN_PASSWORD).get();
        assertThat(viaHawtio.status()).as(viaHawtio.toString()).isEqualTo(200);
        assertThat(viaHawtio.body()).contains("\"status\":200");
    }

    @Test
    void adminGetsTheHawtioConsole() {
        Response console = http.request(management("/actuator/hawtio/")).basicAuth("admin", ADMIN_PASSWORD)
                .accept("text/html").get();
        assertThat(console.status()).as(console.toString()).isEqualTo(200);
        assertThat(console.body()).containsIgnoringCase("<html");
    }

    // --- VIEWER and OPERATOR -------------------------------------------------------------------------------------

    @Test
    void viewerMayNotUseHawtioOrJolokia() {
        assertThat(http.request(management(JOLOKIA_READ)).basicAuth("viewer", VIEWER_PASSWORD).get().status()).isEqualTo(403);
        assertThat(http.request(management("/actuator/jolokia")).basicAuth("viewer", VIEWER_PASSWORD)
                .header("Content-Type", "application/json").post(JOLOKIA_EXEC).status()).isEqualTo(403);
        assertThat(http.request(management("/actuator/hawtio/")).basicAuth("viewer", VIEWER_PASSWORD).get().status())
                .isEqualTo(403);
        assertThat(http.request(management("/actuator/hawtio/jolokia/read/java.lang:type=Runtime/Uptime"))
                .basicAuth("viewer", VIEWER_PASSWORD).get().status()).isEqualTo(403);
        assertThat(http.request(management("/actuator/hawtio/user")).basicAuth("operator", OPERATOR_PASSWORD).get().status())
                .isEqualTo(403);
    }

    @Test
    void viewerReadsButMayNotAct() {
        assertThat(http.request(management("/actuator/metrics")).basicAuth("viewer", VIEWER_PASSWORD).get().status())
                .isEqualTo(200);
        assertThat(http.request(management("/actuator/prometheus")).basicAuth("viewer", VIEWER_PASSWORD).get().status())
                .isEqualTo(200);
        // Authorised but nothing there yet: 404, not 401/403.
        assertThat(http.request(app("/api/no-such-endpoint")).basicAuth("viewer", VIEWER_PASSWORD).get().status()).isEqualTo(404);
        assertThat(http.request(app("/api/no-such-endpoint/1/retry")).basicAuth("viewer", VIEWER_PASSWORD).post("").status())
                .isEqualTo(403);
    }

    @Test
    void operatorActsOnTheApiButNotOnTheActuator() {
        assertThat(http.request(app("/api/no-such-endpoint/1/retry")).basicAuth("operator", OPERATOR_PASSWORD).post("").status())
                .isEqualTo(404);
        assertThat(http.request(management("/actuator/metrics")).basicAuth("operator", OPERATOR_PASSWORD).get().status())
                .isEqualTo(200);
        assertThat(http.request(management("/actuator/health")).basicAuth("operator", OPERATOR_PASSWORD)
                .header("Content-Type", "application/json").post("{}").status()).isIn(403, 405);
    }

    @Test
    void adminInheritsOperatorAndViewerRights() {
        assertThat(http.request(app("/api/no-such-endpoint/1/retry")).basicAuth("admin", ADMIN_PASSWORD).post("").status())
                .isEqualTo(404);
        assertThat(http.request(app("/api/no-such-endpoint")).basicAuth("admin", ADMIN_PASSWORD).get().status()).isEqualTo(404);
    }

    // --- CSRF ----------------------------------------------------------------------------------------------------

    @Test
    void basicAuthFromABrowserCrossSiteStillNeedsTheCsrfToken() {
        Response response = http.request(app("/api/no-such-endpoint/1/retry"))
                .basicAuth("operator", OPERATOR_PASSWORD)
                .header("Sec-Fetch-Site", "cross-site")
                .post("");
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void browserSessionNeedsTheCsrfTokenFromTheCookie() {
        TestHttp browser = TestHttp.withCookies();
        String login = app("/login");
        assertThat(browser.request(login).accept("text/html").get().status()).isEqualTo(200);
        String token = browser.cookie(login, "XSRF-TOKEN").orElseThrow();

        Response loggedIn = browser.request(login)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", token)
                .post("username=operator&password=" + OPERATOR_PASSWORD);
        assertThat(loggedIn.status()).isEqualTo(302);
        assertThat(loggedIn.header("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));

        // The session alone is not enough for a state-changing request...
        assertThat(browser.request(app("/api/no-such-endpoint/1/retry")).post("").status()).isEqualTo(403);
        // ...the token the page's JavaScript copies from the cookie is.
        String fresh = browser.cookie(login, "XSRF-TOKEN").orElseThrow();
        assertThat(browser.request(app("/api/no-such-endpoint/1/retry")).header("X-XSRF-TOKEN", fresh).post("").status())
                .isEqualTo(404);
    }

    @Test
    void sessionsOnBothPortsLiveSideBySide() {
        // Cookies ignore ports: with one cookie name, the second login would log the first one out.
        TestHttp browser = TestHttp.withCookies();
        browser.formLogin(app("/login"), "operator", OPERATOR_PASSWORD);
        browser.formLogin(management("/login"), "admin", ADMIN_PASSWORD);

        assertThat(browser.request(app("/api/no-such-endpoint")).get().status()).isEqualTo(404);
        Response hawtioUser = browser.request(management("/actuator/hawtio/user")).get();
        assertThat(hawtioUser.status()).isEqualTo(200);
        assertThat(hawtioUser.body()).contains("admin");
        assertThat(browser.cookie(app("/"), SecurityConfig.APP_SESSION_COOKIE)).isPresent();
        assertThat(browser.cookie(app("/"), "JSESSIONID")).isPresent();
    }

    @Test
    void loginFormRejectsAWrongPassword() {
        TestHttp browser = TestHttp.withCookies();
        String login = management("/login");
        assertThat(browser.request(login).accept("text/html").get().status()).isEqualTo(200);
        String token = browser.cookie(login, "XSRF-TOKEN").orElseThrow();
        Response response = browser.request(login)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", token)
                .post("username=admin&password=wrong");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).hasValueSatisfying(l -> assertThat(l).contains("error"));
    }

    private String app(String path) {
        return "http://127.0.0.1:" + appPort + path;
    }

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }
}
