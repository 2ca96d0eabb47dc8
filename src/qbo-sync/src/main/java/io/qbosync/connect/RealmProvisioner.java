package io.qbosync.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.component.qbo.client.QboClientSettings;
import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.config.DeploymentMode;
import io.qbosync.config.UnsafeStartException;
import io.qbosync.source.BundledSource;
import io.qbosync.store.QboCompanyRepository;
import io.qbosync.store.QboConnectionRepository;

/**
 * Decides, at start-up and before any route runs, which QBO companies this node syncs into: one per company key the
 * mapping file routes invoices to ({@code companies:} in {@code routes/mappings/qbo-mappings.yaml}; just
 * {@code default} without that section), each connected as
 * <ul>
 * <li>a real company when any is configured: {@code qbo.companies.<key>.realm-id} (and client-id, client-secret,
 * refresh-token), or {@code qbo.company.*} for key {@code default}. Its first refresh token and client credentials
 * come from configuration once; afterwards the stored, rotated ones are used. A routed key without configuration
 * stops the start-up;</li>
 * <li>otherwise a QBO sandbox company: on the sandbox at {@code qbo.sandbox.external-url} when set (a sandbox running
 * as its own process, e.g. for bench/chaos.sh, which kills the app but not "QBO"), else the bundled one in this JVM.
 * The realm recorded for the key on an earlier run, or a new one created through the sandbox's admin API and seeded
 * with the sample's QBO data (accounts, items, the vendors and employee whose names collide with sample contacts, a
 * pre-existing invoice number).</li>
 * </ul>
 */
@Component("realmProvisioner")
public class RealmProvisioner implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(RealmProvisioner.class);
    static final String LOCAL = "local";

    /** One company's connection settings: {@code qbo.companies.<key>.*}, or {@code qbo.company.*}. */
    public record CompanySettings(String realmId, String clientId, String clientSecret, String refreshToken) {
    }

    private final QboConnectionRepository connections;
    private final QboCompanyRepository companyKeys;
    private final ObjectProvider<BundledSandbox> sandbox;
    private final ObjectProvider<SandboxCompanySeed> seed;
    private final QboCompanies companies;
    private final RoutedCompanies routed;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, CompanySettings> configured;
    private final String apiBaseUrl;
    private final String tokenUrl;
    private final String externalSandboxUrl;

    public RealmProvisioner(QboConnectionRepository connections, QboCompanyRepository companyKeys,
            ObjectProvider<BundledSandbox> sandbox, ObjectProvider<SandboxCompanySeed> seed,
            QboCompanies companies, RoutedCompanies routed,
            @Value("${qbo.api.base-url:}") String apiBaseUrl,
            @Value("${qbo.api.token-url:}") String tokenUrl,
            @Value("${source.sample.enabled:true}") boolean sampleEnabled,
            @Value("${qbo.sandbox.external-url:}") String externalSandboxUrl,
            @Value("${source.base-url:}") String sourceBaseUrl,
            @Value("${qbosync.safety.allow-sample-into-real-company:false}") boolean allowSampleIntoRealCompany,
            ObjectProvider<BundledSource> bundledSource, Environment environment) {
        this.configured = configuredCompanies(environment);
        if (!configured.isEmpty() && !allowSampleIntoRealCompany) {
            refuseSampleSource(String.join(", ", configured.values().stream().map(CompanySettings::realmId).toList()),
                    sampleEnabled, sourceBaseUrl);
        }
        if (DeploymentMode.productionProfile(environment)) {
            refuseDemoParts(sandbox.getIfAvailable() != null, bundledSource.getIfAvailable() != null, environment);
        }
        this.connections = connections;
        this.companyKeys = companyKeys;
        this.sandbox = sandbox;
        this.seed = seed;
        this.companies = companies;
        this.routed = routed;
        this.apiBaseUrl = apiBaseUrl;
        this.tokenUrl = tokenUrl;
        this.externalSandboxUrl = externalSandboxUrl == null ? "" : externalSandboxUrl.strip().replaceAll("/+$", "");
    }

    /** {@code qbo.companies.<key>.*} with a realm id, plus {@code qbo.company.*} as key {@code default}. */
    static Map<String, CompanySettings> configuredCompanies(Environment environment) {
        Map<String, CompanySettings> out = new LinkedHashMap<>();
        Binder binder = Binder.get(environment);
        binder.bind("qbo.company", CompanySettings.class).ifBound(c -> {
            if (c.realmId() != null && !c.realmId().isBlank()) {
                out.put(QboCompanies.DEFAULT_KEY, c);
            }
        });
        binder.bind("qbo.companies", Bindable.mapOf(String.class, CompanySettings.class)).ifBound(map -> map.forEach(
                (key, c) -> {
                    if (c.realmId() != null && !c.realmId().isBlank()) {
                        if (out.containsKey(key)) {
                            throw new IllegalStateException("Company '" + key + "' is configured twice: by qbo.company.*"
                                    + " and by qbo.companies." + key + ".*; keep one");
                        }
                        out.put(key, c);
                    }
                }));
        return out;
    }

    /**
     * A production profile runs against real systems only: the bundled QBO emulator or sample source starting in it
     * (the demo artifact with its defaults) means the node was started from the wrong artifact or configuration.
     */
    static void refuseDemoParts(boolean bundledSandbox, boolean bundledSample, Environment environment) {
        if (!bundledSandbox && !bundledSample) {
            return;
        }
        String which = bundledSandbox && bundledSample ? "the bundled QBO sandbox and the bundled sample source"
                : bundledSandbox ? "the bundled QBO sandbox" : "the bundled sample source";
        throw new UnsafeStartException(which + " would start while " + DeploymentMode.productionReason(environment)
                + ". Production syncs a real source into a real company: run the product artifact (qbo-sync-…-exec.jar"
                + " or the image), or set QBO_SANDBOX_ENABLED=false and SOURCE_SAMPLE_ENABLED=false with"
                + " QBO_COMPANY_REALM_ID and SOURCE_BASE_URL.");
    }

    /**
     * A real company must never be fed the bundled sample: its few hundred made-up customers, invoices and payments
     * would land in a live ledger. The sample is in play when it runs in this app or when no source URL is set (the
     * client then reads the sample or its default address).
     */
    static void refuseSampleSource(String realmId, boolean sampleEnabled, String sourceBaseUrl) {
        boolean noSource = sourceBaseUrl == null || sourceBaseUrl.isBlank();
        if (!sampleEnabled && !noSource) {
            return;
        }
        String which = sampleEnabled && noSource ? "source.sample.enabled=true and source.base-url is empty"
                : sampleEnabled ? "source.sample.enabled=true" : "source.base-url is empty";
        throw new UnsafeStartException("realm " + realmId.strip() + " names a real QBO company but the"
                + " source is the bundled sample (" + which + "): its made-up customers, invoices and payments would be"
                + " written into that company's books. Set SOURCE_BASE_URL to your source system and"
                + " SOURCE_SAMPLE_ENABLED=false, or, for a demo company only, QBOSYNC_SAFETY_ALLOW_SAMPLE_INTO_REAL_COMPANY=true.");
    }

    /** After every singleton (Flyway's migration included) exists, before the Camel routes start. */
    @Override
    public void afterSingletonsInstantiated() {
        Set<String> routed = this.routed.companyKeys();
        try {
            if (!configured.isEmpty()) {
                useConfiguredCompanies(routed);
            } else {
                for (String key : routed) {
                    useSandbox(key);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach the QBO sandbox's admin API at " + sandboxBaseUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void useConfiguredCompanies(Set<String> routed) {
        List<String> missing = routed.stream().filter(k -> !configured.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The mapping file routes invoices to company " + String.join(", ", missing)
                    + " but " + missing.stream().map(k -> QboCompanies.DEFAULT_KEY.equals(k) ? "qbo.company.realm-id"
                            : "qbo.companies." + k + ".realm-id").collect(Collectors.joining(", "))
                    + " is not set (configured: " + String.join(", ", configured.keySet()) + ")");
        }
        Map<String, String> keyOfRealm = new HashMap<>();
        for (String key : routed) {
            String other = keyOfRealm.putIfAbsent(configured.get(key).realmId().strip(), key);
            if (other != null) {
                throw new IllegalStateException("Companies '" + other + "' and '" + key + "' are both QBO company "
                        + configured.get(key).realmId() + ": route both to one company key, so that their DocNumber"
                        + " prefixes are checked against each other");
            }
        }
        configured.keySet().stream().filter(k -> !routed.contains(k)).forEach(k -> LOG.warn(
                "Company '{}' is configured but the mapping file routes no invoice to it: it is not connected", k));
        for (String key : routed) {
            CompanySettings c = configured.get(key);
            useConfiguredCompany(key, c.realmId().strip(), nz(c.clientId()), nz(c.clientSecret()), nz(c.refreshToken()));
        }
    }

    private void useConfiguredCompany(String key, String realmId, String clientId, String clientSecret,
            String refreshToken) {
        Optional<QboConnection> stored = connections.find(realmId);
        if (stored.isEmpty()) {
            if (clientId.isBlank() || clientSecret.isBlank() || refreshToken.isBlank()) {
                throw new IllegalStateException("Company '" + key + "' (realm " + realmId + ") is configured but its"
                        + " client-id, client-secret or refresh-token is missing; they are needed once to connect it");
            }
            boolean first = connections.insertIfAbsent(QboConnection.connected(realmId, "production",
                    QboClientSettings.apiUrlOrProduction(apiBaseUrl), QboClientSettings.tokenUrlOrProduction(tokenUrl),
                    clientId, clientSecret, refreshToken, null, null, null));
            LOG.info(first ? "Connected QBO company {} ({}) from configuration"
                    : "QBO company {} ({}) was connected by another replica starting at the same time", realmId, key);
        } else if (stored.get().status() != QboConnectionStatus.CONNECTED) {
            LOG.warn("QBO company {} ({}) is {}: {}. Reconnect it; its records wait meanwhile.", realmId, key,
                    stored.get().status(), stored.get().statusReason());
        }
        companyKeys.put(key, realmId);
        companies.connect(key, realmId);
    }

    private void useSandbox(String key) throws IOException, InterruptedException {
        String base = sandboxBaseUrl();
        if (base == null) {
            // The node still starts (ops API, Hawtio, queues); polls wait until a company is connected.
            LOG.warn("No QBO company configured (qbo.company.realm-id or qbo.companies.*), the bundled sandbox is"
                    + " disabled (qbo.sandbox.enabled=false) and no qbo.sandbox.external-url is set:"
                    + " nothing is synced until a company is connected");
            return;
        }
        List<String> known = knownSandboxRealms(base);
        Optional<String> recorded = companyKeys.realmOf(key).filter(known::contains);
        if (recorded.isEmpty() && QboCompanies.DEFAULT_KEY.equals(key)) {
            // A data directory from before company keys: its one sandbox company is the default one.
            recorded = connections.findAll().stream().filter(c -> LOCAL.equals(c.environment()))
                    .map(QboConnection::realmId).filter(known::contains)
                    .filter(r -> !companyKeys.all().containsValue(r)).findFirst();
        }
        if (recorded.isPresent()) {
            QboConnection c = connections.find(recorded.get()).orElse(null);
            if (c != null) {
                if (!base.equals(c.apiBaseUrl())) {
                    // Same sandbox data on another port (e.g. a test or benchmark run): follow it.
                    connections.save(withBaseUrl(c, base));
                }
                companyKeys.put(key, c.realmId());
                companies.connect(key, c.realmId());
                LOG.info("Syncing company '{}' into QBO sandbox company {} at {}", key, c.realmId(), base);
                return;
            }
        }
        String name = QboCompanies.DEFAULT_KEY.equals(key) ? "qbo-sync sample company" : "qbo-sync " + key;
        JsonNode realm = post(base + "/sandbox/realms", json.createObjectNode().put("name", name).toString());
        String realmId = realm.get("realmId").asText();
        connections.save(QboConnection.connected(realmId, LOCAL, base, base + "/oauth2/v1/tokens/bearer",
                realm.get("clientId").asText(), realm.get("clientSecret").asText(), realm.get("refreshToken").asText(),
                realm.get("accessToken").asText(),
                Instant.now().plusSeconds(realm.path("expiresIn").asLong(3600)), null));
        SandboxCompanySeed companySeed = seed.getIfAvailable();
        if (companySeed != null) {
            post(base + "/sandbox/realms/" + realmId + "/seed", companySeed.json());
        }
        companyKeys.put(key, realmId);
        companies.connect(key, realmId);
        LOG.info("Created QBO sandbox company {} for company '{}' at {}{}", realmId, key, base,
                companySeed != null ? ", seeded with the sample's QBO data" : "");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * The sandbox to provision on: {@code qbo.sandbox.external-url} when set, else the bundled one's URL, else null.
     */
    private String sandboxBaseUrl() {
        if (!externalSandboxUrl.isEmpty()) {
            return externalSandboxUrl;
        }
        BundledSandbox box = sandbox.getIfAvailable();
        return box == null ? null : box.baseUrl();
    }

    private List<String> knownSandboxRealms(String base) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/realms")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("QBO sandbox admin call " + base + "/sandbox/realms answered " + r.statusCode()
                    + ": " + r.body());
        }
        JsonNode body = json.readTree(r.body());
        JsonNode list = body.isArray() ? body : body.path("realms");
        return java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .map(n -> n.path("realmId").asText()).toList();
    }

    private JsonNode post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("QBO sandbox admin call " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    private static QboConnection withBaseUrl(QboConnection c, String base) {
        return new QboConnection(c.realmId(), c.environment(), base, base + "/oauth2/v1/tokens/bearer", c.clientId(),
                c.clientSecret(), c.refreshToken(), c.accessToken(), c.accessExpiresAt(), c.refreshExpiresAt(),
                c.refreshHardExpiresAt(), c.status(), c.statusReason(), c.createdAt(), c.updatedAt(), c.lastRefreshedAt());
    }
}
