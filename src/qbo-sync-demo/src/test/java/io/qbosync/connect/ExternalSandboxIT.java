package io.qbosync.connect;

import io.qbosync.connect.BundledSandbox;
import io.qbosync.connect.SandboxCompanySeed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.QboSyncApplication;
import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import io.qbosync.source.sample.SampleQboSeed;
import io.qbosync.source.BundledSource;
import io.qbosync.store.QboCompanyRepository;
import io.qbosync.store.QboConnectionRepository;
import io.qbosync.testsupport.TestContextProperties;

/**
 * {@code qbo.sandbox.external-url}: with the bundled sandbox off, the app provisions its company on a sandbox that
 * runs apart from it (here started by the test, as bench/chaos.sh starts one as its own process): the realm is created
 * through the admin API and seeded with the sample's QBO data; a later start reuses that realm, and follows the
 * sandbox to a new port.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ExternalSandboxIT {

    @TempDir
    static Path data;
    @TempDir
    static Path sandboxData;
    static QboSandbox external;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    ApplicationContext context;
    @Autowired
    ActiveRealm activeRealm;
    @Autowired
    QboConnectionRepository connections;

    /** Before the Spring context: SpringExtension loads it when the first test instance is prepared. */
    @BeforeAll
    static void startExternalSandbox() {
        external = QboSandbox.start(SandboxSettings.ephemeral(sandboxData));
    }

    @AfterAll
    static void stopExternalSandbox() {
        if (external != null) {
            external.close();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("qbosync.data-dir", () -> data.toString());
        registry.add("qbo.sandbox.enabled", () -> "false");
        registry.add("qbo.sandbox.external-url", () -> external.baseUrl() + "/");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        // Provisioning only: no routes (no poll, no push), so nothing talks to the sandbox while the test moves it.
        registry.add("camel.main.routes-include-pattern", () -> TestContextProperties.NO_ROUTES);
    }

    @Test
    @Order(1)
    void createsAndSeedsTheRealmOnTheExternalSandbox() {
        assertThat(context.getBeanProvider(QboSandbox.class).getIfAvailable())
                .as("no sandbox inside the app").isNull();
        assertThat(activeRealm.isConnected()).isTrue();
        String realmId = activeRealm.realmId();
        assertThat(realmIds()).containsExactly(realmId);

        QboConnection c = connections.find(realmId).orElseThrow();
        assertThat(c.environment()).isEqualTo(RealmProvisioner.LOCAL);
        assertThat(c.apiBaseUrl()).isEqualTo(external.baseUrl());
        assertThat(c.tokenUrl()).isEqualTo(external.baseUrl() + "/oauth2/v1/tokens/bearer");

        List<String> items = names(realmId, "Item", "Name");
        for (SampleQboSeed.SeedItem item : SampleQboSeed.ITEMS) {
            assertThat(items).as("seeded items").contains(item.name());
        }
        List<String> accounts = names(realmId, "Account", "Name");
        for (SampleQboSeed.SeedAccount account : SampleQboSeed.ACCOUNTS) {
            assertThat(accounts).as("seeded accounts").contains(account.name());
        }
        assertThat(names(realmId, "Customer", "DisplayName")).hasSize(io.qbosync.source.sample.SampleQboSeed.create().get("Customer").size());
        assertThat(names(realmId, "Invoice", "DocNumber")).hasSize(1);
    }

    @Test
    @Order(2)
    void aLaterStartReusesTheRealm() {
        String realmId = activeRealm.realmId();
        int customers = names(realmId, "Customer", "DisplayName").size();

        restart(external.baseUrl());

        assertThat(activeRealm.realmId()).isEqualTo(realmId);
        assertThat(realmIds()).as("no second realm").containsExactly(realmId);
        assertThat(names(realmId, "Customer", "DisplayName")).as("not seeded twice").hasSize(customers);
    }

    @Test
    @Order(3)
    void followsTheSandboxToAnotherPort() {
        String realmId = activeRealm.realmId();
        external.close();
        external = QboSandbox.start(SandboxSettings.ephemeral(sandboxData));

        restart(external.baseUrl());

        assertThat(activeRealm.realmId()).isEqualTo(realmId);
        assertThat(realmIds()).containsExactly(realmId);
        assertThat(connections.find(realmId).orElseThrow().apiBaseUrl()).isEqualTo(external.baseUrl());
    }

    /** What a restart of the app does before its routes start, on the same store, pointed at {@code url}. */
    private void restart(String url) {
        ObjectProvider<BundledSandbox> none = context.getBeanProvider(BundledSandbox.class);
        new RealmProvisioner(connections, context.getBean(QboCompanyRepository.class), none,
                context.getBeanProvider(SandboxCompanySeed.class), context.getBean(QboCompanies.class),
                context.getBean(io.qbosync.connect.RoutedCompanies.class), "", "", true, url, "", false,
                context.getBeanProvider(BundledSource.class), context.getEnvironment())
                .afterSingletonsInstantiated();
    }

    private List<String> realmIds() {
        List<String> ids = new ArrayList<>();
        get("/sandbox/realms").path("realms").forEach(r -> ids.add(r.path("realmId").asText()));
        return ids;
    }

    private List<String> names(String realmId, String entity, String field) {
        List<String> out = new ArrayList<>();
        get("/sandbox/realms/" + realmId + "/entities/" + entity).path(entity).forEach(e -> out.add(e.path(field).asText()));
        return out;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(external.baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
