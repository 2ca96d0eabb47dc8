package io.qbosync.component.qbo.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.qbosync.component.qbo.QboComponent;
import io.qbosync.component.qbo.QboConfiguration;
import io.qbosync.component.qbo.QboConstants;
import io.qbosync.component.qbo.client.QboTokenProvider;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.junit.QboSandboxExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter in a minimal Spring Boot + Camel application (auto-configuration found through the
 * AutoConfiguration.imports file): the keys land on the component, and a qbo: call without headers goes where they say.
 */
@ExtendWith(QboSandboxExtension.class)
class QboStarterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    /** An app that wires the component itself, as qbo-sync's QboComponentConfig does. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AppWithOwnComponent {
        @Bean
        QboComponent qbo() {
            QboComponent qbo = new QboComponent();
            qbo.getConfiguration().setMinorVersion(73);
            qbo.getConfiguration().setRequestTimeout(4321);
            return qbo;
        }
    }

    private static ConfigurableApplicationContext start(Class<?> app, Consumer<ConfigurableApplicationContext> beans,
                                                        String... properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .initializers(ctx -> beans.accept((ConfigurableApplicationContext) ctx))
                .properties(properties).run();
    }

    private static QboConfiguration componentConfiguration(ConfigurableApplicationContext ctx) {
        return ctx.getBean(CamelContext.class).getComponent("qbo", QboComponent.class).getConfiguration();
    }

    @Test
    void everyKeyReachesTheComponent() {
        QboTokenProvider first = tokens(Map.of());
        QboTokenProvider second = tokens(Map.of());
        try (ConfigurableApplicationContext ctx = start(App.class, c -> {
                    c.getBeanFactory().registerSingleton("firstTokens", first);
                    c.getBeanFactory().registerSingleton("secondTokens", second);
                },
                "camel.component.qbo.realm-id=9130",
                "camel.component.qbo.base-url=http://qbo.test:9",
                "camel.component.qbo.minor-version=70",
                "camel.component.qbo.connect-timeout=1234",
                "camel.component.qbo.request-timeout=4321",
                "camel.component.qbo.sparse=false",
                "camel.component.qbo.allow-duplicate-doc-number=true",
                "camel.component.qbo.max-results=50",
                "camel.component.qbo.fetch-all=false",
                "camel.component.qbo.entities=Invoice,Payment",
                "camel.component.qbo.token-provider=#secondTokens",
                "camel.component.qbo.lazy-start-producer=true",
                "camel.component.qbo.autowired-enabled=false")) {
            QboComponent qbo = ctx.getBean(CamelContext.class).getComponent("qbo", QboComponent.class);
            QboConfiguration cfg = qbo.getConfiguration();
            assertThat(cfg.getRealmId()).isEqualTo("9130");
            assertThat(cfg.getBaseUrl()).isEqualTo("http://qbo.test:9");
            assertThat(cfg.getMinorVersion()).isEqualTo(70);
            assertThat(cfg.getConnectTimeout()).isEqualTo(1234);
            assertThat(cfg.getRequestTimeout()).isEqualTo(4321);
            assertThat(cfg.isSparse()).isFalse();
            assertThat(cfg.isAllowDuplicateDocNumber()).isTrue();
            assertThat(cfg.getMaxResults()).isEqualTo(50);
            assertThat(cfg.isFetchAll()).isFalse();
            assertThat(cfg.getEntities()).isEqualTo("Invoice,Payment");
            assertThat(cfg.getTokenProvider()).as("the referenced bean of two").isSameAs(second);
            assertThat(qbo.isLazyStartProducer()).isTrue();
            assertThat(qbo.isAutowiredEnabled()).isFalse();
            // Endpoints start from these defaults.
            assertThat(ctx.getBean(CamelContext.class).getEndpoint("qbo:query:Customer",
                    io.qbosync.component.qbo.QboEndpoint.class).getConfiguration().getMinorVersion()).isEqualTo(70);
        }
    }

    @Test
    void aCallWithoutHeadersGoesWhereTheKeysSay(QboSandbox sandbox) throws IOException {
        JsonNode realm = admin(sandbox, "POST", "/sandbox/realms", "{}");
        String realmId = realm.get("realmId").asText();
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer proxy = recordingProxy(sandbox.baseUrl(), seen);
        try (ConfigurableApplicationContext ctx = start(App.class,
                c -> c.getBeanFactory().registerSingleton("tokens",
                        tokens(Map.of(realmId, realm.get("accessToken").asText()))),
                "camel.component.qbo.realm-id=" + realmId,
                "camel.component.qbo.base-url=http://127.0.0.1:" + proxy.getAddress().getPort(),
                "camel.component.qbo.minor-version=70")) {
            Exchange reply = ctx.getBean(ProducerTemplate.class).request("qbo:create:Customer",
                    ex -> ex.getMessage().setBody(Map.of("DisplayName", "Starter Ltd")));
            assertThat(reply.getException()).isNull();
            String id = reply.getMessage().getHeader(QboConstants.ID, String.class);
            assertThat(id).isNotBlank();
            // Through the base-url (the proxy), into the realm-id's company, with the minor-version.
            assertThat(seen).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("POST /v3/company/" + realmId + "/customer?").contains("minorversion=70"));
            JsonNode stored = admin(sandbox, "GET", "/sandbox/realms/" + realmId + "/entities/Customer", null);
            assertThat(stored.get("Customer").findValuesAsText("DisplayName")).contains("Starter Ltd");
        } finally {
            proxy.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"camel.component.qbo.enabled=false", "camel.component.enabled=false",
            "camel.component.qbo.customizer.enabled=false"})
    void switchedOffTheComponentKeepsItsDefaults(String off) {
        try (ConfigurableApplicationContext ctx = start(App.class, c -> { }, off,
                "camel.component.qbo.realm-id=9130", "camel.component.qbo.minor-version=70")) {
            QboConfiguration cfg = componentConfiguration(ctx);
            assertThat(cfg.getRealmId()).isNull();
            assertThat(cfg.getMinorVersion()).isEqualTo(75);
        }
    }

    @Test
    void theAppsOwnComponentGetsTheKeysItSetsAndKeepsTheRest() {
        try (ConfigurableApplicationContext ctx = start(AppWithOwnComponent.class, c -> { },
                "camel.component.qbo.realm-id=9130")) {
            QboConfiguration cfg = componentConfiguration(ctx);
            assertThat(ctx.getBean(CamelContext.class).getComponent("qbo")).isSameAs(ctx.getBean("qbo"));
            assertThat(cfg.getRealmId()).isEqualTo("9130");
            // Unset keys: the app's values, not the component's defaults (75, 60000).
            assertThat(cfg.getMinorVersion()).isEqualTo(73);
            assertThat(cfg.getRequestTimeout()).isEqualTo(4321);
            assertThat(cfg.isSparse()).isTrue();
        }
    }

    /** Tokens by realm, as an OAuth token manager would hand them out. */
    private static QboTokenProvider tokens(Map<String, String> byRealm) {
        return new QboTokenProvider() {
            @Override
            public String accessToken(String realmId) {
                return byRealm.get(realmId);
            }

            @Override
            public String refreshAfterRejection(String realmId, String rejectedAccessToken) {
                return byRealm.get(realmId);
            }
        };
    }

    /** Forwards to the sandbox and records each request line, so the test sees what went over the wire. */
    private static HttpServer recordingProxy(String target, List<String> seen) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                        .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                                ex.getRequestBody().readAllBytes()));
                for (String h : List.of("Authorization", "Content-Type", "Accept", "Content-Encoding")) {
                    String v = ex.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        req.header(h, v);
                    }
                }
                HttpResponse<byte[]> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                for (String h : List.of("Content-Type", "Content-Encoding", "intuit_tid")) {
                    resp.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
                }
                ex.sendResponseHeaders(resp.statusCode(), resp.body().length == 0 ? -1 : resp.body().length);
                ex.getResponseBody().write(resp.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    private static JsonNode admin(QboSandbox sandbox, String method, String path, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode() / 100).as(method + " " + path + ": " + resp.body()).isEqualTo(2);
            return JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
