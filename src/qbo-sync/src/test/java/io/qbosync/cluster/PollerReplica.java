package io.qbosync.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * One replica's poll schedule, as in the app: the real {@code routes/source-poll.camel.yaml} (its {@code source-poll}
 * route, {@code master:qbo-sync-poller:quartz:...}) in its own Camel context, with the cluster service the app's
 * factory builds from {@link ClusterProperties}. The poll pipeline behind {@code direct:poll-source} is replaced by a
 * recorder of when each poll started, so the tests see which replica polls and when.
 */
final class PollerReplica implements AutoCloseable {

    final String name;
    final CamelClusterService service;
    final List<Long> polls = new CopyOnWriteArrayList<>();
    private final DefaultCamelContext camel;

    PollerReplica(String name, ClusterProperties cluster, long startDelayMs) throws Exception {
        this.name = name;
        this.camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName(name);
        Properties properties = new Properties();
        properties.setProperty("sync.poll.interval-ms", "600000");
        properties.setProperty("sync.poll.start-delay-ms", Long.toString(startDelayMs));
        camel.getPropertiesComponent().setInitialProperties(properties);
        this.service = ClusterServices.create(cluster, name);
        ClusterServices.register(camel, service);

        Path file = Path.of("routes", "source-poll.camel.yaml");
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(file.getFileName().toString(),
                Files.readString(file)));
        ModelCamelContext model = camel;
        RouteDefinition pages = model.getRouteDefinition("source-poll-pages");
        model.removeRouteDefinition(pages);
        // The on-demand poll (POST /api/sync/poll) as the app has it, reached through direct:api-poll here.
        Path api = Path.of("routes", "sync-api.camel.yaml");
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(api.getFileName().toString(),
                Files.readString(api)));
        for (RouteDefinition route : List.copyOf(model.getRouteDefinitions())) {
            if (route.getRouteId().startsWith("sync-api-") && !route.getRouteId().equals("sync-api-poll")) {
                model.removeRouteDefinition(route);
            }
        }
        model.getRouteDefinition("sync-api-poll").getInput().setUri("direct:api-poll");
        camel.getRegistry().bind("leadershipHealthIndicator",
                new LeadershipMonitor(service, cluster.service(), null));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:poll-source").routeId("poll-recorder").process(e -> polls.add(System.nanoTime()));
            }
        });
    }

    /** The schedule route's endpoint, as Camel resolved it from the YAML. */
    String scheduleUri() {
        return camel.getRoute("source-poll").getEndpoint().getEndpointUri();
    }

    /** {@code POST /api/sync/poll} on this replica: the HTTP status the route answers. */
    int onDemandPoll() {
        return camel.createFluentProducerTemplate().to("direct:api-poll").request(org.apache.camel.Exchange.class)
                .getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    PollerReplica start() {
        camel.start();
        return this;
    }

    boolean isLeader() {
        return service.isLeader(ClusterConfig.POLLER_NAMESPACE);
    }

    @Override
    public void close() {
        camel.stop();
    }
}
