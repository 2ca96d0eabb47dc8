package io.qbosync.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Makes this replica's leadership visible: the {@code leadership} health component (always UP: a passive replica is
 * healthy; it is not part of readiness), the gauge {@code qbosync.cluster.leader} (1 on the active poller, 0 on a
 * passive replica) and one INFO line whenever the replica becomes active or passive. In Hawtio each {@code master:}
 * consumer also shows its {@code Master} attribute.
 */
public class LeadershipMonitor implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipMonitor.class);

    private final CamelClusterService service;
    private final ClusterProperties.Service kind;
    private final Map<String, Boolean> lastLogged = new ConcurrentHashMap<>();

    LeadershipMonitor(CamelClusterService service, ClusterProperties.Service kind, MeterRegistry meters) {
        this.service = service;
        this.kind = kind;
        if (meters != null) {
            Gauge.builder("qbosync.cluster.leader", () -> service.isLeader(ClusterConfig.POLLER_NAMESPACE) ? 1 : 0)
                    .tag("namespace", ClusterConfig.POLLER_NAMESPACE)
                    .description("1 while this replica runs the singleton routes (source poll, resume sweep, connection check)")
                    .register(meters);
        }
    }

    /** Whether this replica runs the singleton routes now ({@code POST /api/sync/poll} polls only then). */
    public boolean isActivePoller() {
        return kind == ClusterProperties.Service.NONE || service.isLeader(ClusterConfig.POLLER_NAMESPACE);
    }

    /** Whether this replica leads {@code namespace} now (false when no route uses it). */
    public boolean isLeader(String namespace) {
        return service.isLeader(namespace);
    }

    @Override
    public Health health() {
        Map<String, Object> namespaces = new LinkedHashMap<>();
        for (String namespace : service.getNamespaces()) {
            namespaces.put(namespace, service.isLeader(namespace) ? "active" : "passive");
        }
        return Health.up()
                .withDetail("service", kind.name().toLowerCase())
                .withDetail("member", String.valueOf(service.getId()))
                .withDetail("namespaces", namespaces)
                .build();
    }

    /** Logs each change of the views the routes opened (called once Camel has started the routes). */
    void watchViews() {
        for (String namespace : service.getNamespaces()) {
            try {
                CamelClusterView view = service.getView(namespace);
                view.addEventListener((CamelClusterEventListener.Leadership) this::leadershipChanged);
            } catch (Exception e) {
                LOG.warn("Cannot watch leadership of {}: {}", namespace, e.toString());
            }
        }
    }

    private void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        boolean local = view.getLocalMember().isLeader();
        Boolean previous = lastLogged.put(view.getNamespace(), local);
        if (previous != null && previous == local) {
            return;
        }
        if (local) {
            LOG.info("Leadership of {} taken by this replica ({}, {}): the singleton routes run here",
                    view.getNamespace(), kind.name().toLowerCase(), service.getId());
        } else {
            LOG.info("This replica ({}, {}) is passive for {} (leader: {}): the singleton routes wait",
                    kind.name().toLowerCase(), service.getId(), view.getNamespace(),
                    leader != null ? leader.getId() : "none known");
        }
    }
}
