package io.qbosync.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Builds the cluster service {@code qbosync.cluster.service} selects. The app's bean ({@link ClusterConfig}) and the
 * tests that elect between several replicas use this same code, so a test exercises the app's wiring.
 */
public final class ClusterServices {

    private ClusterServices() {
    }

    /** A new, not yet started, cluster service for {@code properties}; {@code localId} names this replica in logs. */
    public static CamelClusterService create(ClusterProperties properties, String localId) {
        return switch (properties.service()) {
            case NONE -> new SingleNodeClusterService();
            case FILE -> fileLock(properties.file(), localId);
            case KUBERNETES -> kubernetes(properties.kubernetes());
        };
    }

    /**
     * Adds {@code service} to {@code camel} before it starts, where the {@code master} component looks for it; Camel
     * then starts it before the routes and stops it after them. It is initialised here, not when the context starts:
     * the Kubernetes service applies its settings in its init, and the routes' views copy them when they are created.
     */
    public static void register(CamelContext camel, CamelClusterService service) {
        service.setCamelContext(camel);
        ServiceHelper.initService(service);
        try {
            camel.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the cluster service to Camel", e);
        }
    }

    static FileLockClusterService fileLock(ClusterProperties.File file, String localId) {
        if (file.root() == null || file.root().isBlank()) {
            throw new IllegalStateException("qbosync.cluster.file.root is empty: the file lock needs a folder that every "
                    + "replica sees (default ${qbosync.data-dir}/cluster)");
        }
        FileLockClusterService service = new FileLockClusterService();
        service.setId("file-" + localId);
        service.setRoot(file.root());
        service.setAcquireLockDelay(positiveMillis(file.acquireLockDelay(), "file.acquire-lock-delay"), TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(positiveMillis(file.acquireLockInterval(), "file.acquire-lock-interval"),
                TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(file.heartbeatTimeoutMultiplier());
        return service;
    }

    static KubernetesClusterService kubernetes(ClusterProperties.Kubernetes k8s) {
        if (k8s.podName() == null || k8s.podName().isBlank()) {
            throw new IllegalStateException("qbosync.cluster.kubernetes.pod-name is empty: set POD_NAME from the pod's "
                    + "metadata.name (downward API); HOSTNAME is used when POD_NAME is unset");
        }
        long lease = positiveMillis(k8s.leaseDuration(), "kubernetes.lease-duration");
        long renew = positiveMillis(k8s.renewDeadline(), "kubernetes.renew-deadline");
        long retry = positiveMillis(k8s.retryPeriod(), "kubernetes.retry-period");
        if (!(retry < renew && renew < lease)) {
            throw new IllegalStateException("qbosync.cluster.kubernetes: retry-period < renew-deadline < lease-duration "
                    + "is required (got " + retry + " ms, " + renew + " ms, " + lease + " ms)");
        }
        // The client settings go in through a KubernetesConfiguration: Camel 4.18's no-argument service applies
        // masterUrl and namespace set on it only when it was given a configuration (its doInit skips them otherwise).
        KubernetesConfiguration client = new KubernetesConfiguration();
        KubernetesClusterService service = new KubernetesClusterService(client);
        service.setId("kubernetes-" + k8s.podName());
        if (k8s.masterUrl() != null && !k8s.masterUrl().isBlank()) {
            service.setMasterUrl(k8s.masterUrl());
        }
        if (k8s.namespace() != null && !k8s.namespace().isBlank()) {
            service.setNamespace(k8s.namespace());
            service.setKubernetesResourcesNamespace(k8s.namespace());
        }
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(k8s.leaseName());
        service.setPodName(k8s.podName());
        if (k8s.podLabels() != null && !k8s.podLabels().isEmpty()) {
            service.setClusterLabels(k8s.podLabels());
        }
        service.setLeaseDurationMillis(lease);
        service.setRenewDeadlineMillis(renew);
        service.setRetryPeriodMillis(retry);
        return service;
    }

    private static long positiveMillis(Duration d, String key) {
        if (d == null || d.toMillis() <= 0) {
            throw new IllegalStateException("qbosync.cluster." + key + " must be positive, got " + d);
        }
        return d.toMillis();
    }
}
