package io.qbosync.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.qbosync.deploy.StrictManifests.ManifestException;

/** The checks of DeploymentManifestsTest are only as good as the parser's strictness: these show it refuses. */
class StrictParsingTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: x
            spec:
              replicas: 2
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  %s
                  containers:
                    - name: x
                      image: x:1
                      %s
                      resources:
                        limits:
                          memory: %s
            """;

    private static ObjectNode doc(String podField, String containerField, String memory) {
        return StrictManifests.readDocuments(DEPLOYMENT.formatted(podField, containerField, memory)).get(0);
    }

    @Test
    void wellFormedDeploymentParses() {
        Deployment d = StrictManifests.parse(doc("terminationGracePeriodSeconds: 120",
                "readinessProbe: {httpGet: {path: /actuator/health/readiness, port: management}}", "1Gi"), "ok", Deployment.class);
        assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(120L);
    }

    @Test
    void misspeltPodFieldIsRefused() {
        // fabric8 alone accepts this silently: the field goes to additionalProperties and the grace period is unset.
        Deployment lenient = StrictManifests.SERIALIZATION.convertValue(doc("terminationGracePeriodSecond: 120", "", "1Gi"), Deployment.class);
        assertThat(lenient.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isNull();
        assertThat(lenient.getSpec().getTemplate().getSpec().getAdditionalProperties()).containsKey("terminationGracePeriodSecond");
        assertThatThrownBy(() -> StrictManifests.parse(doc("terminationGracePeriodSecond: 120", "", "1Gi"), "bad.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("Deployment.spec.template.spec.terminationGracePeriodSecond");
    }

    @Test
    void misspeltContainerFieldIsRefused() {
        assertThatThrownBy(() -> StrictManifests.parse(doc("",
                "readinesProbe: {httpGet: {path: /actuator/health/readiness, port: 8081}}", "1Gi"), "bad.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("Deployment.spec.template.spec.containers[0].readinesProbe");
    }

    @Test
    void misspeltNestedFieldIsRefused() {
        assertThatThrownBy(() -> StrictManifests.parse(doc("",
                "readinessProbe: {httpGet: {pth: /actuator/health/readiness, port: 8081}}", "1Gi"), "bad.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("containers[0].readinessProbe.httpGet.pth");
    }

    @Test
    void wrongTypeIsRefused() {
        assertThatThrownBy(() -> StrictManifests.parse(doc("terminationGracePeriodSeconds: two minutes", "", "1Gi"), "bad.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("terminationGracePeriodSeconds");
    }

    @Test
    void badQuantityIsRefused() {
        assertThatThrownBy(() -> StrictManifests.parse(doc("", "", "1GB"), "bad.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("resources.limits.memory (not a Kubernetes quantity: '1GB')");
    }

    @Test
    void unknownApiVersionOrKindIsRefused() {
        ObjectNode d = doc("", "", "1Gi");
        d.put("apiVersion", "apps/v2");
        assertThatThrownBy(() -> StrictManifests.parse(d, "bad.yaml"))
                .hasMessageContaining("apps/v2 Deployment is not a Kubernetes API type");
        d.put("apiVersion", "apps/v1").put("kind", "Deploymnet");
        assertThatThrownBy(() -> StrictManifests.parse(d, "bad.yaml"))
                .hasMessageContaining("apps/v1 Deploymnet is not a Kubernetes API type");
    }

    @Test
    void misspeltKustomizationFieldIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resource:
                  - deployment.yaml
                """);
        assertThatThrownBy(() -> KustomizeLite.read(dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("\"resource\"");
    }

    @Test
    void patchOfAResourceTheBaseLacksIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("deployment.yaml"), DEPLOYMENT.formatted("", "", "1Gi"));
        Files.writeString(dir.resolve("patch.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: y
                spec:
                  replicas: 3
                """);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [deployment.yaml]
                patches:
                  - path: patch.yaml
                """);
        assertThatThrownBy(() -> KustomizeLite.build(dir))
                .hasMessageContaining("patch.yaml targets Deployment y, which no resource of the base is");
    }

    @Test
    void fileOutsideTheKustomizationIsRefused(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("k"));
        Files.writeString(dir.resolve("route.camel.yaml"), "- route: {}\n");
        Files.writeString(root.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                configMapGenerator:
                  - name: routes
                    files: [../route.camel.yaml]
                """);
        assertThatThrownBy(() -> KustomizeLite.build(root))
                .hasMessageContaining("is outside the kustomization's folder");
    }
}
