package io.qbosync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.qbosync.deploy.KustomizeLite.Build;
import io.qbosync.deploy.KustomizeLite.Generated;

/**
 * k8s/ checked offline, since CI has no cluster and no kustomize: every manifest parses strictly against the
 * Kubernetes API types ({@link StrictManifests}), every overlay builds ({@link KustomizeLite}: files, patch
 * targets, generator sources), and the built Deployment agrees with the app (application.yaml, its sources, the
 * routes) on ports, probes, shutdown, secrets, properties and RBAC.
 */
class DeploymentManifestsTest {

    static final Path K8S = AppFacts.ROOT.resolve("k8s");
    static final String APP = "qbo-sync";
    static final AppFacts FACTS = new AppFacts();

    static Build build(String overlay) {
        return KustomizeLite.build(K8S.resolve("overlays").resolve(overlay));
    }

    static Deployment deployment(Build b) {
        return b.one(Deployment.class, APP);
    }

    static Container app(Build b) {
        return deployment(b).getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(APP)).findFirst().orElseThrow();
    }

    @Test
    void everyManifestParsesStrictly() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(K8S)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int manifests = 0;
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                KustomizeLite.read(file.getParent());
                continue;
            }
            for (var doc : StrictManifests.readDocuments(file)) {
                StrictManifests.parse(doc, K8S.relativize(file).toString());
                manifests++;
            }
        }
        assertThat(manifests).as("manifests under k8s/").isGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayBuildsWithEveryPieceTheIssueAsksFor(String overlay) {
        Build b = build(overlay);
        Set<String> kinds = new TreeSet<>();
        b.resources.forEach(r -> kinds.add(r.kind()));
        assertThat(kinds).contains("Deployment", "Service", "ServiceAccount", "Role", "RoleBinding",
                "PodDisruptionBudget", "NetworkPolicy");
        assertThat(b.generated.keySet()).contains("ConfigMap/qbo-sync-config", "ConfigMap/qbo-sync-routes",
                "ConfigMap/qbo-sync-mappings", "Secret/qbo-sync-secrets");
        assertThat(b.namespace).as(overlay + " namespace").isNotBlank();
        b.resources.forEach(r -> assertThat(r.typed.getMetadata().getLabels())
                .as(r.origin + " labels").containsKey("app.kubernetes.io/part-of"));
        if (overlay.equals("dev")) {
            assertThat(b.all(StatefulSet.class)).extracting(s -> s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .containsExactlyInAnyOrder("apache/activemq-artemis:2.40.0", "postgres:16");
            for (StatefulSet s : b.all(StatefulSet.class)) {
                assertThat(s.getSpec().getVolumeClaimTemplates()).as(s.getMetadata().getName() + " PVC").isNotEmpty();
                assertThat(b.one(Service.class, s.getSpec().getServiceName())).isNotNull();
            }
        }
    }

    @Test
    void routesConfigMapIsTheRepositorysRoutes() throws IOException {
        Build base = KustomizeLite.build(K8S.resolve("base"));
        Map<String, String> expected = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(AppFacts.ROOT.resolve("routes"))) {
            s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted()
                    .forEach(p -> expected.put(p.getFileName().toString(), KustomizeLite.text(p)));
        }
        Map<String, String> mappings = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(AppFacts.ROOT.resolve("routes/mappings"))) {
            s.sorted().forEach(p -> mappings.put(p.getFileName().toString(), KustomizeLite.text(p)));
        }
        String fix = " (list every route file in routes/kustomization.yaml)";
        assertThat(base.generated("ConfigMap", "qbo-sync-routes").orElseThrow().data()).as("routes ConfigMap" + fix)
                .isEqualTo(expected);
        assertThat(base.generated("ConfigMap", "qbo-sync-mappings").orElseThrow().data()).as("mappings ConfigMap" + fix)
                .isEqualTo(mappings);
        int size = expected.values().stream().mapToInt(String::length).sum();
        assertThat(size).as("ConfigMap data must stay under 1 MiB").isLessThan(1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void replicasImageAndServiceAccount(String overlay) {
        Build b = build(overlay);
        Deployment d = deployment(b);
        assertThat(d.getSpec().getReplicas()).as("replicas").isGreaterThanOrEqualTo(2);
        assertThat(app(b).getImage()).isEqualTo("qbo-sync:" + System.getProperty("qbosync.version", "0.1.0-SNAPSHOT"));
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        ServiceAccount sa = b.one(ServiceAccount.class, pod.getServiceAccountName());
        assertThat(pod.getAutomountServiceAccountToken()).as("the Lease client needs the token").isNotEqualTo(false);

        // The Role grants what Camel's KubernetesClusterService needs, and it is bound to that ServiceAccount.
        RoleBinding binding = b.all(RoleBinding.class).stream()
                .filter(rb -> rb.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                        && s.getName().equals(sa.getMetadata().getName()) && b.namespace.equals(s.getNamespace())))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for ServiceAccount " + sa.getMetadata().getName()
                        + " in namespace " + b.namespace));
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        Role role = b.one(Role.class, binding.getRoleRef().getName());
        assertThat(verbs(role, "coordination.k8s.io", "leases"))
                .containsAll(List.of("get", "list", "watch", "create", "update", "patch", "delete"));
        assertThat(verbs(role, "", "pods")).containsAll(List.of("get", "list", "watch"));
    }

    private static Set<String> verbs(Role role, String group, String resource) {
        Set<String> verbs = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            if (rule.getApiGroups().contains(group) && rule.getResources().contains(resource)
                    && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty())) {
                verbs.addAll(rule.getVerbs());
            }
        }
        return verbs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesAreTheActuatorProbesOnTheManagementPort(String overlay) {
        // What the app serves: probes on, health exposed, on management.server.port, anonymous (SecurityConfig).
        assertThat(FACTS.property("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(FACTS.property("management.endpoints.web.exposure.include").split(",")).contains("health");
        assertThat(FACTS.properties).doesNotContainKey("management.endpoints.web.base-path");
        assertThat(FACTS.properties.get("management.endpoint.health.group.liveness.include")).isEqualTo("livenessState");
        assertThat(FACTS.javaSources).as("SecurityConfig lets the health endpoint in without a login")
                .containsPattern("requestMatchers\\(EndpointRequest\\.to\\(HealthEndpoint\\.class[^)]*\\)\\)\\.permitAll\\(\\)");
        int management = Integer.parseInt(FACTS.property("management.server.port"));
        int http = Integer.parseInt(FACTS.property("server.port"));

        Build b = build(overlay);
        Container c = app(b);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort p : c.getPorts()) {
            ports.put(p.getName(), p.getContainerPort());
        }
        assertThat(ports).containsEntry("http", http).containsEntry("management", management);
        checkProbe(c.getLivenessProbe(), "/actuator/health/liveness", ports, management);
        checkProbe(c.getReadinessProbe(), "/actuator/health/readiness", ports, management);
        checkProbe(c.getStartupProbe(), "/actuator/health/liveness", ports, management);
        // The management server binds 127.0.0.1 unless told otherwise: the kubelet could not reach the probes.
        assertThat(env(b, c)).containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
        // The readiness probe must outlast the slowest health check behind it (Hikari's connection timeout).
        String hikari = env(b, c).get("SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT");
        assertThat(hikari).as("a Hikari connection timeout below the readiness timeout").isNotNull();
        assertThat(Long.parseLong(hikari)).isLessThan(c.getReadinessProbe().getTimeoutSeconds() * 1000L);
    }

    private static void checkProbe(Probe probe, String path, Map<String, Integer> ports, int management) {
        assertThat(probe).as(path + " probe").isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getPath()).isEqualTo(path);
        IntOrString port = get.getPort();
        int number = port.getIntVal() != null ? port.getIntVal() : ports.getOrDefault(port.getStrVal(), -1);
        assertThat(number).as(path + " port").isEqualTo(management);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void gracePeriodOutlastsCamelShutdownAndAQboCall(String overlay) {
        Build b = build(overlay);
        Container c = app(b);
        Map<String, String> env = env(b, c);
        long shutdown = Long.parseLong(env.getOrDefault("CAMEL_MAIN_SHUTDOWN_TIMEOUT", FACTS.property("camel.main.shutdown-timeout")));
        long requestMs = Long.parseLong(env.getOrDefault("QBO_API_REQUEST_TIMEOUT_MS",
                FACTS.properties.getOrDefault("qbo.api.request-timeout-ms", String.valueOf(FACTS.javaDefault("qbo.api.request-timeout-ms")))));
        long preStop = c.getLifecycle() != null && c.getLifecycle().getPreStop() != null && c.getLifecycle().getPreStop().getSleep() != null
                ? c.getLifecycle().getPreStop().getSleep().getSeconds() : 0;
        long grace = deployment(b).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).as("terminationGracePeriodSeconds > preStop %d s + Camel shutdown-timeout %d s + QBO request timeout %d s",
                preStop, shutdown, requestMs / 1000).isGreaterThan(preStop + shutdown + (requestMs + 999) / 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyReferenceNamesAKeyThatExists(String overlay) {
        Build b = build(overlay);
        // Each pod with the volume names it may mount: its volumes, and a StatefulSet's claim templates.
        Map<PodSpec, Set<String>> pods = new LinkedHashMap<>();
        b.all(Deployment.class).forEach(d -> pods.put(d.getSpec().getTemplate().getSpec(), new TreeSet<>()));
        b.all(StatefulSet.class).forEach(s -> pods.put(s.getSpec().getTemplate().getSpec(), new TreeSet<>(
                s.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList())));
        for (PodSpec pod : pods.keySet()) {
            Set<String> volumes = new TreeSet<>(pods.get(pod));
            pod.getVolumes().forEach(v -> volumes.add(v.getName()));
            for (Container c : pod.getContainers()) {
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() == null) {
                        continue;
                    }
                    var s = e.getValueFrom().getSecretKeyRef();
                    if (s != null) {
                        assertThat(b.generated("Secret", s.getName())).as(c.getName() + " " + e.getName() + ": Secret " + s.getName()).isPresent();
                        assertThat(b.generated("Secret", s.getName()).get().data()).as(c.getName() + " " + e.getName()
                                + ": Secret " + s.getName() + " (secrets.env.example)").containsKey(s.getKey());
                        assertThat(s.getOptional()).as(e.getName() + " optional").isNotEqualTo(true);
                    }
                    var m = e.getValueFrom().getConfigMapKeyRef();
                    if (m != null) {
                        assertThat(b.generated("ConfigMap", m.getName()).map(Generated::data).orElseThrow())
                                .as(c.getName() + " " + e.getName()).containsKey(m.getKey());
                    }
                }
                for (EnvFromSource from : c.getEnvFrom()) {
                    assertThat(from.getConfigMapRef()).as("envFrom: ConfigMaps only (secrets key by key)").isNotNull();
                    assertThat(b.generated("ConfigMap", from.getConfigMapRef().getName())).isPresent();
                }
                for (VolumeMount mount : c.getVolumeMounts()) {
                    assertThat(volumes).as(c.getName() + " mount " + mount.getMountPath()).contains(mount.getName());
                }
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getProjected() != null) {
                    for (VolumeProjection p : v.getProjected().getSources()) {
                        if (p.getConfigMap() != null) {
                            Generated cm = b.generated("ConfigMap", p.getConfigMap().getName()).orElseThrow();
                            if (p.getConfigMap().getItems() != null) {
                                p.getConfigMap().getItems().forEach(i -> assertThat(cm.data()).containsKey(i.getKey()));
                            }
                        }
                    }
                }
            }
        }
        // Nothing secret-looking in a ConfigMap, nothing real in a committed example.
        Map<String, String> config = b.generated("ConfigMap", "qbo-sync-config").orElseThrow().data();
        assertThat(config.keySet()).noneMatch(k -> k.matches(".*(PASSWORD|SECRET|TOKEN|KEY).*"));
        Generated secrets = b.generated("Secret", "qbo-sync-secrets").orElseThrow();
        for (Path source : secrets.sources()) {
            if (source.toString().endsWith(".example")) {
                assertThat(KustomizeLite.readEnv(source).values()).as(source + " values").allMatch("change-me"::equals);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableIsOneTheAppReads(String overlay) {
        Build b = build(overlay);
        Set<String> unknown = new TreeSet<>();
        for (String name : env(b, app(b)).keySet()) {
            if (!FACTS.reads(name) && !AppFacts.LIBRARY_ENV.contains(name)) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("env vars no application.yaml key, ${placeholder}, {{placeholder}} or"
                + " @ConfigurationProperties prefix of the app matches (relaxed binding); a typo binds to nothing").isEmpty();
        assertThat(FACTS.reads("QBO_COMPANY_CLIENT_SECRET")).isTrue();
        assertThat(FACTS.reads("QBO_COMPANY_CLIENT_SECRTE")).as("the check can fail").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void productionSettingsAreComplete(String overlay) {
        Build b = build(overlay);
        Map<String, String> env = env(b, app(b));
        // What a production node refuses to start without (docs/security.md "Start-up refusals").
        assertThat(env).containsKeys("QBOSYNC_CRYPTO_KEY", "QBOSYNC_ADMIN_PASSWORD", "QBO_COMPANY_CLIENT_ID",
                "QBO_COMPANY_CLIENT_SECRET", "QBO_COMPANY_REFRESH_TOKEN", "QBO_COMPANY_REALM_ID", "SOURCE_BASE_URL");
        assertThat(env).containsEntry("SOURCE_SAMPLE_ENABLED", "false").containsEntry("QBO_SANDBOX_ENABLED", "false");
        assertThat(env.get("SOURCE_BASE_URL")).startsWith("http");
        // External broker and database, never the embedded H2 / broker inside a pod with an emptyDir.
        assertThat(env).containsEntry("SPRING_ARTEMIS_MODE", "native").containsEntry("SPRING_ARTEMIS_EMBEDDED_ENABLED", "false");
        assertThat(env.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://");
        assertThat(env).containsKeys("SPRING_ARTEMIS_BROKER_URL", "SPRING_ARTEMIS_USER", "SPRING_ARTEMIS_PASSWORD",
                "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "QBOSYNC_CLUSTER_SERVICE", "POD_NAME",
                "KUBERNETES_NAMESPACE");
        assertThat(env.get("QBOSYNC_CLUSTER_SERVICE")).isEqualTo("kubernetes");
        if (overlay.equals("prod")) {
            assertThat(env.get("SPRING_PROFILES_ACTIVE")).contains("prod");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void selectorsMatchThePods(String overlay) {
        Build b = build(overlay);
        Deployment d = deployment(b);
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsKeys("app.kubernetes.io/name", "app.kubernetes.io/instance",
                "app.kubernetes.io/component", "app.kubernetes.io/part-of");
        Service svc = b.one(Service.class, APP);
        assertThat(podLabels).as("Service selector").containsAllEntriesOf(svc.getSpec().getSelector());
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal()).containsExactly("http");
        PodDisruptionBudget pdb = b.one(PodDisruptionBudget.class, APP);
        assertThat(podLabels).as("PDB selector").containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isLessThan(d.getSpec().getReplicas());
        NetworkPolicy np = b.one(NetworkPolicy.class, APP);
        assertThat(podLabels).as("NetworkPolicy podSelector").containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
        // The management port is open only to selected peers, the app port to the cluster.
        np.getSpec().getIngress().forEach(rule -> rule.getPorts().forEach(p -> {
            if ("management".equals(p.getPort().getStrVal())) {
                assertThat(rule.getFrom()).as("8081 peers").isNotEmpty();
            }
        }));
        for (var spread : d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()) {
            assertThat(podLabels).containsAllEntriesOf(spread.getLabelSelector().getMatchLabels());
        }
        assertThat(d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).as("one spread rule per key").hasSize(1);
        for (StatefulSet s : b.all(StatefulSet.class)) {
            Service governing = b.one(Service.class, s.getSpec().getServiceName());
            assertThat(s.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(governing.getSpec().getSelector());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void securityContextAndWritableFolders(String overlay) {
        Build b = build(overlay);
        List<PodTemplateSpec> templates = new ArrayList<>();
        b.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        b.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
        for (PodTemplateSpec t : templates) {
            PodSpec pod = t.getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
                assertThat(c.getResources().getLimits()).as(c.getName() + " memory limit").containsKey("memory");
            }
        }
        Container c = app(b);
        PodSpec pod = deployment(b).getSpec().getTemplate().getSpec();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        Map<String, String> env = env(b, c);
        String dataDir = env.get("QBOSYNC_DATA_DIR");
        for (String path : List.of("/tmp", dataDir)) {
            VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                    .orElseThrow(() -> new AssertionError("no writable mount at " + path));
            Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertThat(v.getEmptyDir()).as(path).isNotNull();
            assertThat(mount.getReadOnly()).isNotEqualTo(true);
        }
        // Routes and mappings where the app reads them: ${ROUTES_DIR}/*.camel.yaml and ${ROUTES_DIR}/mappings/qbo-mappings.yaml.
        assertThat(FACTS.property("camel.main.routes-include-pattern")).isEqualTo("file:${ROUTES_DIR:routes}/*.camel.yaml");
        assertThat(FACTS.property("sync.mappings.file")).isEqualTo("${ROUTES_DIR:routes}/mappings/qbo-mappings.yaml");
        String routesDir = env.get("ROUTES_DIR");
        VolumeMount routes = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(routesDir)).findFirst().orElseThrow();
        Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(routes.getName())).findFirst().orElseThrow();
        List<VolumeProjection> sources = v.getProjected().getSources();
        assertThat(sources).extracting(p -> p.getConfigMap().getName()).containsExactly("qbo-sync-routes", "qbo-sync-mappings");
        assertThat(sources.get(1).getConfigMap().getItems()).extracting(i -> i.getPath())
                .contains("mappings/qbo-mappings.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void heapFitsTheMemoryLimit(String overlay) {
        Build b = build(overlay);
        Container c = app(b);
        Quantity limit = c.getResources().getLimits().get("memory");
        Quantity request = c.getResources().getRequests().get("memory");
        assertThat(Quantity.getAmountInBytes(request)).as("memory request = limit").isEqualTo(Quantity.getAmountInBytes(limit));
        Matcher m = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(env(b, c).getOrDefault("JAVA_TOOL_OPTIONS", ""));
        assertThat(m.find()).as("JAVA_TOOL_OPTIONS sets -XX:MaxRAMPercentage").isTrue();
        double percent = Double.parseDouble(m.group(1));
        BigDecimal bytes = Quantity.getAmountInBytes(limit);
        double nonHeap = bytes.doubleValue() * (100 - percent) / 100;
        assertThat(percent).isBetween(50.0, 80.0);
        assertThat(nonHeap).as("memory left beside the heap (metaspace, threads, buffers)").isGreaterThanOrEqualTo(200.0 * 1024 * 1024);
    }

    /** The container's environment as the app sees it: literal values, envFrom ConfigMap entries, refs by name. */
    static Map<String, String> env(Build b, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                env.putAll(b.generated("ConfigMap", from.getConfigMapRef().getName()).orElseThrow().data());
            }
        }
        for (EnvVar e : c.getEnv()) {
            String value = e.getValue();
            if (e.getValueFrom() != null) {
                var f = e.getValueFrom();
                value = f.getSecretKeyRef() != null ? "<secret " + f.getSecretKeyRef().getName() + "/" + f.getSecretKeyRef().getKey() + ">"
                        : f.getConfigMapKeyRef() != null ? b.generated("ConfigMap", f.getConfigMapKeyRef().getName())
                                .map(g -> g.data().get(f.getConfigMapKeyRef().getKey())).orElse(null)
                        : "<field " + (f.getFieldRef() != null ? f.getFieldRef().getFieldPath() : "?") + ">";
            }
            env.put(e.getName(), value);
        }
        return env;
    }
}
