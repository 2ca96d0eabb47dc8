package io.qbosync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code qbosync.cluster.service=kubernetes} against a Kubernetes API server (fabric8's mock server in CRUD mode: it
 * stores and serves what clients create and update). Two replicas, each a Camel context with the real source-poll
 * route and the cluster service the app's factory builds, elect one leader through a Lease; the Lease names it as
 * holderIdentity. When the leader's process ends and its pod goes, the other takes over: Camel's election treats a
 * holder that is not a running, ready pod (selected by the labels) as gone, and a new leader waits one lease duration
 * before it acts.
 */
class KubernetesLeaseLeadershipTest {

    static final String NAMESPACE = "qbo";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "qbo-sync");
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration RENEW = Duration.ofMillis(1500);
    static final Duration RETRY = Duration.ofMillis(300);

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        client = server.createClient();
        // Only running, ready pods with the labels take part in the election (as in a cluster).
        for (String pod : List.of("qbo-sync-a", "qbo-sync-b")) {
            client.pods().inNamespace(NAMESPACE).resource(readyPod(pod)).create();
        }
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    ClusterProperties lease(String podName) {
        return new ClusterProperties(ClusterProperties.Service.KUBERNETES, null,
                new ClusterProperties.Kubernetes(server.url("/"), NAMESPACE, "qbo-sync-leaders", podName, LABELS,
                        LEASE, RENEW, RETRY));
    }

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherTakesOverWhenItStops() throws Exception {
        try (PollerReplica a = new PollerReplica("qbo-sync-a", lease("qbo-sync-a"), 100);
                PollerReplica b = new PollerReplica("qbo-sync-b", lease("qbo-sync-b"), 100)) {
            long started = System.nanoTime();
            a.start();
            b.start();
            long deadline = started + TimeUnit.SECONDS.toNanos(30);
            while (a.polls.isEmpty() && b.polls.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(a.polls.size() + b.polls.size()).as("a first poll on one replica").isGreaterThan(0);
            System.out.printf("kubernetes lease: first poll %d ms after start%n",
                    TimeUnit.NANOSECONDS.toMillis(Math.max(first(a), first(b)) - started));
            // Several lease renewals later the other replica has still not polled.
            Thread.sleep(LEASE.toMillis() * 2);
            PollerReplica leader = a.polls.isEmpty() ? b : a;
            PollerReplica passive = leader == a ? b : a;
            assertThat(leader.isLeader()).isTrue();
            assertThat(passive.isLeader()).isFalse();
            assertThat(passive.polls).as("polls of the passive replica").isEmpty();
            assertThat(leader.polls).hasSize(1);
            assertThat(holder()).as("holderIdentity of the Lease").isEqualTo(leader.name);

            // The leader's process ends and Kubernetes removes its pod. Camel's election takes the lease over from a
            // holder that is no longer a running, ready member; it does not expire a lease by time alone.
            leader.close();
            long stopped = System.nanoTime();
            client.pods().inNamespace(NAMESPACE).withName(leader.name).delete();
            deadline = stopped + TimeUnit.SECONDS.toNanos(30);
            while (passive.polls.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(passive.polls).as("polls of the replica left").hasSize(1);
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(passive.polls.get(0) - stopped);
            System.out.printf("kubernetes lease: %s stopped, %s polled %d ms later (lease %d ms)%n", leader.name,
                    passive.name, takeoverMs, LEASE.toMillis());
            assertThat(holder()).isEqualTo(passive.name);
            assertThat(passive.isLeader()).isTrue();
            // One retry period to notice, one lease duration that a new leader waits before it acts, the start delay.
            assertThat(takeoverMs).isLessThan(LEASE.toMillis() + RETRY.toMillis() * 2 + 2_000);
        }
    }

    @Test
    void theFactoryRefusesAReplicaWithoutPodName() {
        ClusterProperties noPod = new ClusterProperties(ClusterProperties.Service.KUBERNETES, null,
                new ClusterProperties.Kubernetes("", "", "qbo-sync-leaders", "", Map.of(), LEASE, RENEW, RETRY));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterServices.create(noPod, "x"))
                .hasMessageContaining("pod-name");
        ClusterProperties badTimes = new ClusterProperties(ClusterProperties.Service.KUBERNETES, null,
                new ClusterProperties.Kubernetes("", "", "qbo-sync-leaders", "p", Map.of(), RENEW, LEASE, RETRY));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterServices.create(badTimes, "x"))
                .hasMessageContaining("renew-deadline < lease-duration");
    }

    private static long first(PollerReplica replica) {
        return replica.polls.isEmpty() ? Long.MIN_VALUE : replica.polls.get(0);
    }

    private String holder() {
        List<Lease> leases = client.leases().inNamespace(NAMESPACE).list().getItems();
        assertThat(leases).as("Lease objects in %s", NAMESPACE).hasSize(1);
        assertThat(leases.get(0).getMetadata().getName()).isEqualTo("qbo-sync-leaders-" + ClusterConfig.POLLER_NAMESPACE);
        return leases.get(0).getSpec().getHolderIdentity();
    }

    private static Pod readyPod(String name) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(LABELS).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus()
                .build();
    }
}
