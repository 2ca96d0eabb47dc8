package io.qbosync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The app's wiring of {@code qbosync.cluster.*}: the property picks the cluster service, Camel gets it, a
 * {@code master:qbo-sync-poller:} route runs under it, and the {@code leadership} health component and the
 * {@code qbosync.cluster.leader} gauge show the state. Two app contexts on one data directory: one runs the route.
 */
class ClusterConfigTest {

    @TempDir
    Path dir;

    /** Runs of the probe route, per Spring context (identified by its Camel context name). */
    private final Map<String, List<Long>> runs = new java.util.concurrent.ConcurrentHashMap<>();

    private ApplicationContextRunner runner(String name) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class))
                .withUserConfiguration(ClusterConfig.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("probeRoute", RouteBuilder.class, () -> new RouteBuilder() {
                    @Override
                    public void configure() {
                        List<Long> mine = runs.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
                        from("master:" + ClusterConfig.POLLER_NAMESPACE + ":scheduler:probe?initialDelay=0&delay=600000")
                                .routeId("probe").process(e -> mine.add(System.nanoTime()));
                    }
                })
                .withPropertyValues("qbosync.data-dir=" + dir, "camel.main.name=" + name,
                        "qbosync.cluster.file.acquire-lock-delay=100ms", "qbosync.cluster.file.acquire-lock-interval=500ms");
    }

    @Test
    void noneRunsTheSingletonRoutesAtOnce() {
        runner("solo").withPropertyValues("qbosync.cluster.service=none").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(CamelContext.class).hasService(SingleNodeClusterService.class)).isNotNull();
            await(() -> !runs.getOrDefault("solo", List.of()).isEmpty(), 5);
            Health health = ctx.getBean(LeadershipMonitor.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("service", "none")
                    .containsEntry("namespaces", Map.of(ClusterConfig.POLLER_NAMESPACE, "active"));
            assertThat(ctx.getBean(MeterRegistry.class).get("qbosync.cluster.leader").gauge().value()).isEqualTo(1.0);
        });
    }

    @Test
    void theDefaultIsAFileLockUnderTheDataDirAndASecondInstanceOnItStaysPassive() {
        runner("first").run(first -> {
            assertThat(first).hasNotFailed();
            await(() -> !runs.getOrDefault("first", List.of()).isEmpty(), 10);
            assertThat(dir.resolve("cluster").resolve(ClusterConfig.POLLER_NAMESPACE)).exists();
            runner("second").run(second -> {
                assertThat(second).hasNotFailed();
                Thread.sleep(3_000);
                assertThat(runs.getOrDefault("second", List.of())).as("runs of the second instance").isEmpty();
                Health passive = second.getBean(LeadershipMonitor.class).health();
                assertThat(passive.getStatus()).as("a passive replica is healthy").isEqualTo(Status.UP);
                assertThat(passive.getDetails()).containsEntry("service", "file")
                        .containsEntry("namespaces", Map.of(ClusterConfig.POLLER_NAMESPACE, "passive"));
                assertThat(second.getBean(MeterRegistry.class).get("qbosync.cluster.leader").gauge().value()).isZero();
                assertThat(first.getBean(LeadershipMonitor.class).health().getDetails())
                        .containsEntry("namespaces", Map.of(ClusterConfig.POLLER_NAMESPACE, "active"));
            });
        });
    }

    @Test
    void kubernetesNeedsThePodName() {
        runner("k8s").withPropertyValues("qbosync.cluster.service=kubernetes", "qbosync.cluster.kubernetes.pod-name=")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("pod-name"));
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("within %d s", seconds).isTrue();
    }
}
