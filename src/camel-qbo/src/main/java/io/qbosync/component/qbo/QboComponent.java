package io.qbosync.component.qbo;

import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.QboClientSettings;
import io.qbosync.component.qbo.client.QboTokenProvider;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code qbo:} component: QuickBooks Online Accounting API calls from Camel routes through a shared
 * {@link QboClient}. In the application the Spring bean {@code qbo} (see {@code io.qbosync.config.QboComponentConfig}) is this
 * component wired to the {@code qboClient} bean. Standalone (plain CamelContext), it builds its own client from its
 * configuration, its token provider and its rate governor; Camel autowires those options (and the client) from a
 * single bean of their type in the registry, through the generated {@code QboComponentConfigurer}.
 */
@org.apache.camel.spi.annotations.Component("qbo")
public class QboComponent extends DefaultComponent {

    /** Default options copied into every endpoint. */
    @Metadata(label = "advanced")
    private QboConfiguration configuration = new QboConfiguration();

    /** The client to use (bean qboClient in the application). Built on first use when unset. */
    @Metadata(label = "advanced", autowired = true)
    private QboClient client;

    /**
     * Per-realm rate governor of the client that the component builds when no client is set. When unset, the component creates
     * one for Intuit's limits: 500 requests a minute per realm of which 95 percent are used, 8 in flight, and a 60
     * second pause after a 429 reply.
     */
    @Metadata(label = "advanced", autowired = true)
    private RealmRateGovernor rateGovernor;

    private final Map<Long, QboClient> clientsByConnectTimeout = new ConcurrentHashMap<>();

    public QboComponent() {
    }

    /** A component over an existing client, whose settings become the endpoint defaults. */
    public QboComponent(QboClient client) {
        setClient(client);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String[] parts = remaining.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("qbo URI must be qbo:operation[:entity], was qbo:" + remaining);
        }
        QboOperation operation = QboOperation.fromUri(parts[0]);
        String entity = parts.length > 1 && !parts[1].isBlank() ? parts[1].trim() : null;
        if (operation.isEntityRequired() && entity == null) {
            throw new IllegalArgumentException("qbo:" + operation.uriName() + " needs an entity, e.g. qbo:"
                    + operation.uriName() + ":Customer");
        }
        QboConfiguration copy = configuration.copy();
        QboEndpoint endpoint = new QboEndpoint(uri, this, operation, entity, copy);
        // The options live on the configuration; what is left are generic endpoint options (lazyStartProducer).
        setProperties(copy, parameters);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** The client for an endpoint: the shared one, or a sibling with the endpoint's own connect timeout. */
    QboClient clientFor(QboConfiguration cfg) {
        QboClient base = getOrCreateClient();
        Duration connect = Duration.ofMillis(cfg.getConnectTimeout());
        if (connect.equals(base.settings().connectTimeout())) {
            return base;
        }
        return clientsByConnectTimeout.computeIfAbsent(cfg.getConnectTimeout(), ms -> base.withConnectTimeout(connect));
    }

    private synchronized QboClient getOrCreateClient() {
        if (client == null) {
            // tokenProvider and rateGovernor are autowired options: no registry lookups here.
            QboTokenProvider tokens = configuration.getTokenProvider();
            RealmRateGovernor governor = rateGovernor;
            if (governor == null) {
                governor = new RealmRateGovernor(500, 0.99, 8, Duration.ofSeconds(60));
            }
            String baseUrl = QboClientSettings.apiUrlOrProduction(configuration.getBaseUrl());
            client = new QboClient(new QboClientSettings(baseUrl, configuration.getMinorVersion(),
                    Duration.ofMillis(configuration.getConnectTimeout()),
                    Duration.ofMillis(configuration.getRequestTimeout()), 32, 1), tokens, governor);
        }
        return client;
    }

    public QboConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(QboConfiguration configuration) {
        this.configuration = configuration;
    }

    public RealmRateGovernor getRateGovernor() {
        return rateGovernor;
    }

    public void setRateGovernor(RealmRateGovernor rateGovernor) {
        this.rateGovernor = rateGovernor;
    }

    public QboClient getClient() {
        return client;
    }

    /** Uses the client and adopts its minor version and timeouts as endpoint defaults. */
    public void setClient(QboClient client) {
        this.client = client;
        clientsByConnectTimeout.clear();
        if (client != null) {
            configuration.setMinorVersion(client.settings().minorVersion());
            configuration.setConnectTimeout(client.settings().connectTimeout().toMillis());
            configuration.setRequestTimeout(client.settings().requestTimeout().toMillis());
        }
    }
}
