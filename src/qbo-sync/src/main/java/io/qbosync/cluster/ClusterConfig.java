package io.qbosync.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The cluster service behind {@code master:} routes, as a bean (the Camel cluster starters are not available, so
 * {@code camel.cluster.*} keys would do nothing): {@code qbosync.cluster.service} picks it, {@link ClusterServices}
 * builds it. It is added to the Camel context as a service, so Camel starts it before the routes and stops it after
 * them; the {@code master} component finds it there.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterConfig {

    /** The master namespace of the singleton routes (source poll, resume sweep, connection check): one leader for all. */
    public static final String POLLER_NAMESPACE = "qbo-sync-poller";

    /** Camel owns the life cycle (destroyMethod "" keeps Spring from calling its inferred shutdown()). */
    @Bean(destroyMethod = "")
    CamelClusterService qboSyncClusterService(ClusterProperties properties,
            @Value("${qbosync.data-dir:./data}") String dataDir) {
        return ClusterServices.create(properties.withDefaultFileRoot(Path.of(dataDir, "cluster")),
                ManagementFactory.getRuntimeMXBean().getName());
    }

    @Bean
    LeadershipMonitor leadershipHealthIndicator(CamelClusterService qboSyncClusterService, ClusterProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        return new LeadershipMonitor(qboSyncClusterService, properties.service(), meters.getIfAvailable());
    }

    @Bean
    CamelContextConfiguration clusterServiceRegistration(CamelClusterService qboSyncClusterService,
            LeadershipMonitor leadershipHealthIndicator) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                ClusterServices.register(camelContext, qboSyncClusterService);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                leadershipHealthIndicator.watchViews();
            }
        };
    }
}
