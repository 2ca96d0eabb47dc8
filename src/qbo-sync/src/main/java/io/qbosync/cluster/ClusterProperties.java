package io.qbosync.cluster;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which cluster service decides the one active poller ({@code qbosync.cluster.*}, docs/configuration.md): the routes
 * that must run on one replica only consume from {@code master:qbo-sync-poller:...}, and this service says which
 * replica holds that namespace.
 *
 * @param service    {@code file} (a file lock under {@code file.root}: one host, or a volume every replica shares),
 *                   {@code kubernetes} (a Lease object in the pod's namespace) or {@code none} (this process is always
 *                   the leader: one process only, or tests)
 * @param file       the file-lock settings
 * @param kubernetes the Lease settings
 */
@ConfigurationProperties("qbosync.cluster")
public record ClusterProperties(
        @DefaultValue("file") Service service,
        @DefaultValue File file,
        @DefaultValue Kubernetes kubernetes) {

    /** These properties, with {@code root} as the file-lock folder when none is set. */
    public ClusterProperties withDefaultFileRoot(java.nio.file.Path root) {
        if (file != null && file.root() != null && !file.root().isBlank()) {
            return this;
        }
        File f = file != null ? file : new File(null, Duration.ofMillis(200), Duration.ofSeconds(1), 5);
        return new ClusterProperties(service,
                new File(root.toString(), f.acquireLockDelay(), f.acquireLockInterval(), f.heartbeatTimeoutMultiplier()),
                kubernetes);
    }

    /** The cluster service kinds {@code qbosync.cluster.service} selects. */
    public enum Service {
        FILE, KUBERNETES, NONE
    }

    /**
     * @param root                       folder of the lock files (one per namespace); every replica must see the same
     *                                   one. Empty: {@code ${qbosync.data-dir}/cluster}
     * @param acquireLockDelay           wait before the first attempt to take the lock
     * @param acquireLockInterval        time between attempts; also the leader's heartbeat period. Every replica must
     *                                   use the same value
     * @param heartbeatTimeoutMultiplier a leader silent for {@code acquireLockInterval} times this is considered gone
     */
    public record File(
            String root,
            @DefaultValue("200ms") Duration acquireLockDelay,
            @DefaultValue("1s") Duration acquireLockInterval,
            @DefaultValue("5") int heartbeatTimeoutMultiplier) {
    }

    /**
     * @param masterUrl     API server URL; empty: the in-cluster service account (or ~/.kube/config) decides
     * @param namespace     namespace of the Lease and of the pods that take part; empty: the service account's own
     * @param leaseName     name (prefix) of the Lease object; Camel appends {@code -<master namespace>}
     * @param podName       this replica's identity, written as the Lease's holderIdentity; must be the pod's name,
     *                      since only running, ready pods (listed by {@code podLabels}) may take the lease
     * @param podLabels     labels that select the replicas' pods; empty: every pod of the namespace
     * @param leaseDuration how long a lease holds without renewal; also how long a new leader waits before it starts
     * @param renewDeadline how long the leader keeps acting without a successful renewal
     * @param retryPeriod   how often each replica looks at (and the leader renews) the Lease
     */
    public record Kubernetes(
            String masterUrl,
            String namespace,
            @DefaultValue("qbo-sync-leaders") String leaseName,
            String podName,
            Map<String, String> podLabels,
            @DefaultValue("15s") Duration leaseDuration,
            @DefaultValue("10s") Duration renewDeadline,
            @DefaultValue("2s") Duration retryPeriod) {
    }
}
