package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qbosync.testsupport.TestContextProperties;
import io.qbosync.testsupport.TestUsers;
import io.qbosync.testsupport.TestHttp;
import io.qbosync.testsupport.TestHttp.Response;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Issue 8 "secure by default" over real HTTP on both ports: what Jolokia lets an ADMIN do (jolokia-access.xml),
 * how it may be asked (POST only for anything but reads, same origin only), CSRF however a state change arrives,
 * SameSite session cookies, the closed webhooks, and the role limits on every write the app has.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SecurityHardeningIT {

    private static final String ADMIN_PASSWORD = TestUsers.ADMIN_PASSWORD;
    private static final String VIEWER_PASSWORD = TestUsers.VIEWER_PASSWORD;
    private static final String OPERATOR_PASSWORD = TestUsers.OPERATOR_PASSWORD;
    private static final String PROBE_ROUTE = "hardening-probe";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @TempDir
    Path target;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestContextProperties.registerLightContext(registry, dataDir);
        registry.add("management.server.port", () -> "0");
        registry.add("management.endpoints.web.exposure.include", () -> "health,info,metrics,prometheus,hawtio,jolokia");
        registry.add("spring.jmx.enabled", () -> "true");
        registry.add("hawtio.authenticationEnabled", () -> "true");
        TestUsers.register(registry);
    }

    /** A route to suspend and resume through Jolokia (the light context has no routes of its own). */
    @TestConfiguration
    static class ProbeRoute {
        @Bean
        RouteBuilder hardeningProbeRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:" + PROBE_ROUTE + "?period=3600000&delay=3600000").routeId(PROBE_ROUTE).log("probe");
                }
            };
        }
    }

    @LocalServerPort
    int appPort;

    @LocalManagementPort
    int managementPort;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping appMappings;

    @Autowired
    ManagementServerProperties managementServer;

    private final TestHttp http = TestHttp.stateless();

    // --- Jolokia: what may be invoked ----------------------------------------------------------------------------

    @Test
    void sendingAMessageThroughTheCamelContextIsDeniedAndWritesNoFile() throws IOException {
        String context = onlyName("org.apache.camel:type=context,*");
        assertThat(operations("org.apache.camel", "type=context")).as("the CamelContext MBean offers them").contains("sendBody", "sendStringBody",
                "sendBodyAndHeaders", "requestBody", "requestStringBody", "requestBodyAndHeaders");
        Path written = target.resolve("pwned.txt");
        String uri = "file:" + target + "?fileName=pwned.txt";

        for (String operation : List.of("sendBody(java.lang.String,java.lang.Object)", "sendBody", "sendStringBody",
                "requestBody(java.lang.String,java.lang.Object)", "requestStringBody")) {
            JsonNode answer = exec(context, operation, uri, "written through Jolokia");
            assertThat(answer.path("status").asInt()).as(operation + ": " + answer).isEqualTo(403);
            assertThat(answer.path("error").asText()).as(operation).contains("forbidden");
        }
        assertThat(exec(context, "sendBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)", uri, "x",
                Map.of()).path("status").asInt()).isEqualTo(403);
        assertThat(written).doesNotExist();
        assertThat(Files.list(target)).isEmpty();
    }

    @Test
    void heapDumpsDiagnosticCommandsAndOtherJvmOperationsAreDenied() throws IOException {
        Path heap = target.resolve("heap.hprof");
        assertThat(exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                heap.toString(), true).path("status").asInt()).isEqualTo(403);
        assertThat(exec("com.sun.management:type=DiagnosticCommand", "gcHeapDump(java.lang.String[])",
                List.of(target.resolve("gc.hprof").toString())).path("status").asInt()).isEqualTo(403);
        assertThat(exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()").path("status").asInt())
                .isEqualTo(403);
        assertThat(exec("jdk.management.jfr:type=FlightRecorder", "newRecording()").path("status").asInt())
                .isEqualTo(403);
        assertThat(exec("java.lang:type=Memory", "gc()").path("status").asInt()).isEqualTo(403);
        assertThat(exec("java.lang:type=Threading", "resetPeakThreadCount()").path("status").asInt()).isEqualTo(403);
        assertThat(Files.list(target)).isEmpty();
    }

    @Test
    void attributesCannotBeWritten() {
        JsonNode answer = post("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                + "\"value\":true}");
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(403);
        assertThat(read("java.lang:type=Memory", "Verbose").path("value").asBoolean()).isFalse();
    }

    @Test
    void placeholderResolvingDumpsAreDeniedWhileHawtiosOwnDumpsWork() {
        String context = onlyName("org.apache.camel:type=context,*");
        assertThat(exec(context, "dumpRoutesAsXml()").path("status").asInt()).isEqualTo(200);
        assertThat(exec(context, "dumpRoutesAsXml(boolean)", true).path("status").asInt()).isEqualTo(403);
        assertThat(exec(context, "dumpRoutesStatsAsXml(boolean,boolean)", true, true).path("status").asInt())
                .isEqualTo(200);
        String route = routeName();
        assertThat(exec(route, "dumpRouteAsXml()").path("status").asInt()).isEqualTo(200);
        assertThat(exec(route, "dumpRouteAsXml(boolean)", true).path("status").asInt()).isEqualTo(403);
    }

    @Test
    void allowedOperationsWork() {
        String issues = onlyName("qbosync:type=Issues,*");
        JsonNode newest = exec(issues, "newestOpen(int)", 5);
        assertThat(newest.path("status").asInt()).as(newest.toString()).isEqualTo(200);

        String route = routeName();
        assertThat(exec(route, "suspend()").path("status").asInt()).isEqualTo(200);
        assertThat(read(route, "State").path("value").asText()).isEqualTo("Suspended");
        assertThat(exec(route, "resume").path("status").asInt()).isEqualTo(200);
        assertThat(read(route, "State").path("value").asText()).isEqualTo("Started");

        assertThat(exec("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", false, false)
                .path("status").asInt()).isEqualTo(200);
        List<String> queues = names("org.apache.activemq.artemis:component=addresses,subcomponent=queues,*");
        assertThat(queues).as("the embedded broker's queues").isNotEmpty();
        for (String queue : queues) {
            assertThat(exec(queue, "countMessages()").path("status").asInt()).as(queue).isEqualTo(200);
        }
    }

    @Test
    void theJsr160ProxyIsOffSoNoRequestMakesTheServerConnectAnywhere() throws IOException {
        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(1500);
            post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\",\"target\":{\"url\":"
                    + "\"service:jmx:rmi:///jndi/rmi://127.0.0.1:" + listener.getLocalPort() + "/jmxrmi\"}}");
            try {
                listener.accept().close();
                throw new AssertionError("Jolokia opened a connection to the proxy target");
            } catch (SocketTimeoutException expected) {
                // nothing connected
            }
        }
    }

    // --- Jolokia: how it may be asked ----------------------------------------------------------------------------

    @Test
    void execAndWriteOverGetAreRefusedWhereverTheyHide() {
        String issues = onlyName("qbosync:type=Issues,*");
        for (String path : List.of(
                "/actuator/jolokia/exec/" + issues + "/newestOpen/5",
                "/actuator/jolokia/EXEC/" + issues + "/newestOpen/5",
                "/actuator/jolokia/?p=/exec/" + issues + "/newestOpen/5",
                "/actuator/jolokia?p=exec/" + issues + "/newestOpen/5",
                "/actuator/hawtio/jolokia/exec/" + issues + "/newestOpen/5",
                "/actuator/hawtio/jolokia/?p=/exec/" + issues + "/newestOpen/5",
                "/actuator/jolokia/write/java.lang:type=Memory/Verbose/true",
                "/actuator/jolokia/notification/register",
                "/actuator/jolokia/nonsense/x")) {
            assertThat(http.request(management(path)).basicAuth("admin", ADMIN_PASSWORD).get().status())
                    .as("GET " + path).isEqualTo(405);
            assertThat(http.request(management(path)).basicAuth("admin", ADMIN_PASSWORD).send("HEAD", null).status())
                    .as("HEAD " + path).isEqualTo(405);
        }
        // Reads still work over GET, directly and through Hawtio.
        for (String path : List.of("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage",
                "/actuator/jolokia/?p=/read/java.lang:type=Runtime/Uptime", "/actuator/jolokia/",
                "/actuator/jolokia/version", "/actuator/jolokia/search/qbosync:*", "/actuator/jolokia/list/qbosync",
                "/actuator/hawtio/jolokia/read/java.lang:type=Runtime/Uptime")) {
            Response response = http.request(management(path)).basicAuth("admin", ADMIN_PASSWORD).get();
            assertThat(response.status()).as("GET " + path).isEqualTo(200);
            assertThat(response.body()).as(path).contains("\"status\":200");
        }
    }

    @Test
    void crossOriginJolokiaRequestsAreRefusedAndNeverGetCorsHeaders() {
        String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}";
        for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + appPort,
                "https://127.0.0.1:" + managementPort)) {
            Response response = http.request(management("/actuator/jolokia")).basicAuth("admin", ADMIN_PASSWORD)
                    .header("Origin", origin).header("Content-Type", "application/json").post(read);
            assertThat(response.status()).as(origin).isEqualTo(403);
            assertThat(response.header("Access-Control-Allow-Origin")).as(origin).isEmpty();
            Response preflight = http.request(management("/actuator/jolokia")).header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST").send("OPTIONS", null);
            assertThat(preflight.header("Access-Control-Allow-Origin")).as("preflight " + origin).isEmpty();
        }
        Response sameOrigin = http.request(management("/actuator/jolokia")).basicAuth("admin", ADMIN_PASSWORD)
                .header("Origin", "http://127.0.0.1:" + managementPort).header("Content-Type", "application/json")
                .post(read);
        assertThat(sameOrigin.status()).isEqualTo(200);
        assertThat(sameOrigin.body()).contains("\"status\":200");
        assertThat(sameOrigin.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void hawtiosProxyIsDisabled() {
        Response response = http.request(management("/actuator/hawtio/proxy/http/127.0.0.1/" + managementPort
                + "/actuator/health")).basicAuth("admin", ADMIN_PASSWORD).get();
        assertThat(response.status()).as(response.toString()).isNotEqualTo(200);
        assertThat(response.body()).doesNotContain("\"UP\"");
    }

    // --- CSRF ----------------------------------------------------------------------------------------------------

    @Test
    void aStateChangeWithTheSessionCookieAndNoTokenIsRefusedOnBothPorts() {
        TestHttp browser = TestHttp.withCookies();
        browser.formLogin(app("/login"), "operator", OPERATOR_PASSWORD);
        browser.formLogin(management("/login"), "admin", ADMIN_PASSWORD);
        String exec = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Threading\",\"operation\":\"findDeadlockedThreads()\"}";

        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            assertThat(browser.request(app("/api/records/1/resync")).send(method, "").status())
                    .as(method + " on the app with the session").isEqualTo(403);
            assertThat(browser.request(app("/api/records/1/resync")).header("Origin", "http://evil.example")
                    .header("Sec-Fetch-Site", "cross-site").send(method, "").status())
                    .as(method + " cross-site on the app").isEqualTo(403);
            assertThat(browser.request(management("/actuator/jolokia")).header("Content-Type", "application/json")
                    .send(method, exec).status()).as(method + " to Jolokia with the session").isIn(403, 405);
        }
        assertThat(browser.request(management("/actuator/jolokia")).header("Content-Type", "application/json")
                .post(exec).status()).isEqualTo(403);
        assertThat(browser.request(management("/actuator/hawtio/jolokia")).header("Content-Type", "application/json")
                .post(exec).status()).isEqualTo(403);
        // With the token the same session may act: the refusals above were CSRF, not roles.
        String token = browser.cookie(management("/"), "XSRF-TOKEN").orElseThrow();
        Response withToken = browser.request(management("/actuator/jolokia")).header("X-XSRF-TOKEN", token)
                .header("Content-Type", "application/json").post(exec);
        assertThat(withToken.status()).as(withToken.toString()).isEqualTo(200);
    }

    @Test
    void basicCredentialsAreExemptOnlyWithoutCookiesAndWhenNotCrossSite() {
        String exec = "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Threading\",\"operation\":\"findDeadlockedThreads()\"}";
        // A script: Basic, no cookie, no browser headers.
        Response script = http.request(app("/api/no-such-endpoint/1/resync")).basicAuth("operator", OPERATOR_PASSWORD)
                .post("");
        assertThat(script.status()).isEqualTo(404);
        assertThat(script.headers().getOrDefault("set-cookie", List.of())).as("a script is given no cookie").isEmpty();
        assertThat(jolokiaAs("admin", ADMIN_PASSWORD, exec, Map.of()).status()).isEqualTo(200);

        for (Map<String, String> browserish : List.of(
                Map.of("Cookie", "QBOSYNC_SESSION=anything"),
                Map.of("Cookie", "XSRF-TOKEN=abc"),
                Map.of("Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "same-site"),
                Map.of("Origin", "http://evil.example"))) {
            TestHttp.Request app = http.request(app("/api/no-such-endpoint/1/resync")).basicAuth("operator", OPERATOR_PASSWORD);
            browserish.forEach(app::header);
            assertThat(app.post("").status()).as("app " + browserish).isEqualTo(403);
            assertThat(jolokiaAs("admin", ADMIN_PASSWORD, exec, browserish).status()).as("jolokia " + browserish)
                    .isEqualTo(403);
        }
    }

    // --- roles ---------------------------------------------------------------------------------------------------

    @Test
    void viewerIsRefusedEveryWriteOfTheApi() {
        List<String[]> writes = apiWrites();
        assertThat(writes).as("the app's write endpoints").hasSizeGreaterThanOrEqualTo(4);
        for (String[] write : writes) {
            Response response = http.request(app(write[1])).basicAuth("viewer", VIEWER_PASSWORD)
                    .header("Content-Type", "application/json").send(write[0], "{}");
            assertThat(response.status()).as("viewer " + write[0] + " " + write[1]).isEqualTo(403);
            // ADMIN gets through, so the 403 above is the role, not CSRF or a missing route.
            Response asAdmin = http.request(app(write[1])).basicAuth("admin", ADMIN_PASSWORD)
                    .header("Content-Type", "application/json").send(write[0], "{}");
            assertThat(asAdmin.status()).as("admin " + write[0] + " " + write[1]).isNotIn(401, 403);
        }
        // The Camel REST route (routes/sync-api.camel.yaml) is not in the light context, but its path is guarded.
        assertThat(http.request(app("/api/sync/poll")).basicAuth("viewer", VIEWER_PASSWORD).post("").status())
                .isEqualTo(403);
        // Key handling is ADMIN's, not an operator's.
        assertThat(http.request(app("/api/connections/re-encrypt")).basicAuth("operator", OPERATOR_PASSWORD).post("")
                .status()).isEqualTo(403);
        Response byAdmin = http.request(app("/api/connections/re-encrypt")).basicAuth("admin", ADMIN_PASSWORD).post("");
        assertThat(byAdmin.status()).isEqualTo(200);
        assertThat(byAdmin.body()).contains("\"keyId\"").contains("\"failed\":[]");
    }

    @Test
    void operatorIsRefusedActuatorWritesHawtioAndJolokia() {
        String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}";
        for (String path : List.of("/actuator/health", "/actuator/metrics", "/actuator/prometheus", "/actuator/info")) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                assertThat(http.request(management(path)).basicAuth("operator", OPERATOR_PASSWORD)
                        .header("Content-Type", "application/json").send(method, "{}").status())
                        .as(method + " " + path).isIn(403, 405);
            }
        }
        assertThat(jolokiaAs("operator", OPERATOR_PASSWORD, read, Map.of()).status()).isEqualTo(403);
        assertThat(jolokiaAs("viewer", VIEWER_PASSWORD, read, Map.of()).status()).isEqualTo(403);
        assertThat(http.request(management("/actuator/jolokia/read/java.lang:type=Runtime/Uptime"))
                .basicAuth("operator", OPERATOR_PASSWORD).get().status()).isEqualTo(403);
        assertThat(http.request(management("/actuator/hawtio/jolokia")).basicAuth("operator", OPERATOR_PASSWORD)
                .header("Content-Type", "application/json").post(read).status()).isEqualTo(403);
        assertThat(http.request(management("/actuator/hawtio/")).basicAuth("operator", OPERATOR_PASSWORD).get().status())
                .isEqualTo(403);
    }

    // --- bind ----------------------------------------------------------------------------------------------------

    @Test
    void theManagementServerListensOnLoopbackOnlyWhileTheAppListensEverywhere() throws IOException {
        assertThat(managementServer.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        InetAddress external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
        assertThat(connects(external, appPort)).as("app port on " + external).isTrue();
        assertThat(connects(external, managementPort)).as("management port on " + external).isFalse();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // --- cookies and webhooks ------------------------------------------------------------------------------------

    @Test
    void sessionAndCsrfCookiesAreSameSiteLaxAndHttpOnlyWhereTheyCanBe() {
        for (String[] port : List.of(new String[] {app("/login"), SecurityConfig.APP_SESSION_COOKIE},
                new String[] {management("/login"), "JSESSIONID"})) {
            TestHttp browser = TestHttp.withCookies();
            // Forwarded headers are not trusted by default (server.forward-headers-strategy=none): still plain HTTP.
            Response page = browser.request(port[0]).header("X-Forwarded-Proto", "https").accept("text/html").get();
            assertThat(setCookie(page, "XSRF-TOKEN")).as(port[0]).containsIgnoringCase("SameSite=Lax");
            Response login = browser.request(port[0]).header("X-Forwarded-Proto", "https")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-XSRF-TOKEN", browser.cookie(port[0], "XSRF-TOKEN").orElseThrow())
                    .post("username=operator&password=" + OPERATOR_PASSWORD);
            assertThat(login.status()).isEqualTo(302);
            String session = setCookie(login, port[1]);
            assertThat(session).as(port[1]).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly");
            // Plain HTTP here; over TLS (TlsSessionCookieIT) or behind a trusted proxy (ForwardedHeadersIT) Secure.
            assertThat(session).doesNotContainIgnoringCase("Secure");
        }
    }

    @Test
    void webhooksAreClosedOnEveryMethodAndForEveryone() {
        for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
            for (String path : List.of("/webhooks", "/webhooks/", "/webhooks/qbo", "/webhooks/qbo/x?signature=y")) {
                assertThat(http.request(app(path)).send(method, "{}").status()).as(method + " " + path).isEqualTo(404);
                assertThat(http.request(app(path)).basicAuth("admin", ADMIN_PASSWORD).send(method, "{}").status())
                        .as("admin " + method + " " + path).isEqualTo(404);
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** Method and a concrete path for every non-GET mapping under /api in the app's MVC mappings. */
    private List<String[]> apiWrites() {
        List<String[]> writes = new ArrayList<>();
        for (RequestMappingInfo info : appMappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api")) {
                    continue;
                }
                String path = pattern.replace("{queue}", "qbo.customers").replaceAll("\\{[^}]+}", "1");
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.POST) : methods) {
                    if (method != RequestMethod.GET && method != RequestMethod.HEAD && method != RequestMethod.OPTIONS) {
                        writes.add(new String[] {method.name(), path});
                    }
                }
            }
        }
        return writes;
    }

    private Response jolokiaAs(String user, String password, String body, Map<String, String> headers) {
        TestHttp.Request request = http.request(management("/actuator/jolokia")).basicAuth(user, password)
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return request.post(body);
    }

    private JsonNode post(String body) {
        Response response = jolokiaAs("admin", ADMIN_PASSWORD, body, Map.of());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return parse(response.body());
    }

    private JsonNode exec(String mbean, String operation, Object... arguments) {
        Map<String, Object> request = Map.of("type", "exec", "mbean", mbean, "operation", operation,
                "arguments", List.of(arguments));
        return post(write(request));
    }

    private JsonNode read(String mbean, String attribute) {
        return post(write(Map.of("type", "read", "mbean", mbean, "attribute", attribute)));
    }

    private List<String> names(String pattern) {
        JsonNode answer = post(write(Map.of("type", "search", "mbean", pattern)));
        List<String> names = new ArrayList<>();
        answer.path("value").forEach(n -> names.add(n.asText()));
        return names;
    }

    private String onlyName(String pattern) {
        List<String> names = names(pattern);
        assertThat(names).as(pattern).hasSize(1);
        return names.get(0);
    }

    private String routeName() {
        return names("org.apache.camel:type=routes,*").stream().filter(n -> n.contains(PROBE_ROUTE)).findFirst()
                .orElseThrow(() -> new AssertionError("no MBean for route " + PROBE_ROUTE));
    }

    /** Operation names of the MBean in {@code domain} whose key properties contain {@code keys}. */
    private Set<String> operations(String domain, String keys) {
        JsonNode list = post(write(Map.of("type", "list", "path", domain)));
        Set<String> operations = new TreeSet<>();
        list.path("value").fields().forEachRemaining(mbean -> {
            if (mbean.getKey().contains(keys)) {
                mbean.getValue().path("op").fieldNames().forEachRemaining(operations::add);
            }
        });
        return operations;
    }

    private static String setCookie(Response response, String name) {
        return response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + response.headers()));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String app(String path) {
        return "http://127.0.0.1:" + appPort + path;
    }

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }
}
