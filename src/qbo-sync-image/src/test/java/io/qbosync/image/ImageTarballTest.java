package io.qbosync.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three images as {@code mvn verify} built them (Jib, {@code package} of qbo-sync, qbo-sandbox and
 * sample-source): their OCI config (user, entrypoint, ports, labels, env, working dir, volumes) and what their
 * layers hold. Read from the tarballs, as {@code docker load} would. docs/deploy-image.md describes what is asserted.
 */
class ImageTarballTest {

    static final String VERSION = System.getProperty("qbosync.version", "0.1.0-SNAPSHOT");
    static final Path PRODUCT = Path.of("src/qbo-sync/target/jib-image.tar");
    static final Path PRODUCT_JAR = Path.of("src/qbo-sync/target/qbo-sync-" + VERSION + "-exec.jar");
    static final Path SANDBOX = Path.of("src/qbo-sandbox/target/jib-image.tar");
    static final Path SAMPLE = Path.of("src/sample-source/target/jib-image.tar");
    static final List<String> JVM_FLAGS = List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
    static final List<String> LABELS = List.of("org.opencontainers.image.title", "org.opencontainers.image.version",
            "org.opencontainers.image.description", "org.opencontainers.image.source", "org.opencontainers.image.licenses",
            "org.opencontainers.image.vendor");

    static OciImage product;
    static OciImage sandbox;
    static OciImage sample;

    @BeforeAll
    static void readImages() throws IOException {
        product = OciImage.read(PRODUCT);
        sandbox = OciImage.read(SANDBOX);
        sample = OciImage.read(SAMPLE);
    }

    @Test
    void imagesAreNamedWithTheProjectVersion() {
        assertThat(product.refName).isEqualTo("qbo-sync:" + VERSION);
        assertThat(sandbox.refName).isEqualTo("qbo-sandbox:" + VERSION);
        assertThat(sample.refName).isEqualTo("qbo-sample-source:" + VERSION);
    }

    @Test
    void everyImageRunsAsTheNumericNonRootUser() {
        for (OciImage image : List.of(product, sandbox, sample)) {
            String user = image.container().path("User").asText();
            assertThat(user).as(image.refName).matches("[0-9]+(:[0-9]+)?");
            assertThat(Integer.parseInt(user.split(":")[0])).as(image.refName).isEqualTo(10001);
            assertThat(image.container().path("WorkingDir").asText()).as(image.refName).isEqualTo("/app");
            assertThat(fieldNames(image.container().path("Volumes"))).as(image.refName).containsExactly("/app/data");
            assertThat(image.config.path("architecture").asText()).isEqualTo("amd64");
            assertThat(image.config.path("os").asText()).isEqualTo("linux");
        }
    }

    @Test
    void productEntrypointRunsTheMainClassWithTheContainerFlags() {
        assertThat(strings(product.container().path("Entrypoint"))).containsExactly(
                concat(List.of("java"), JVM_FLAGS, List.of("-cp", "@/app/jib-classpath-file", "io.qbosync.QboSyncApplication")));
        assertThat(strings(product.container().path("Cmd"))).isEmpty();
        assertThat(product.files().get("app/jib-main-class-file").content())
                .asString(StandardCharsets.UTF_8).isEqualToIgnoringNewLines("io.qbosync.QboSyncApplication");
    }

    @Test
    void demoImagesRunTheirMainClassOnAllInterfaces() {
        assertThat(strings(sandbox.container().path("Entrypoint"))).containsExactly(
                concat(List.of("java"), JVM_FLAGS, List.of("-cp", "@/app/jib-classpath-file", "io.qbosync.sandbox.QboSandbox")));
        assertThat(strings(sandbox.container().path("Cmd"))).containsExactly("--host=0.0.0.0", "--port=8089", "--data-dir=/app/data");
        assertThat(strings(sample.container().path("Entrypoint"))).containsExactly(
                concat(List.of("java"), JVM_FLAGS, List.of("-cp", "@/app/jib-classpath-file", "io.qbosync.source.sample.SampleSourceServer")));
        assertThat(strings(sample.container().path("Cmd"))).containsExactly("--host=0.0.0.0", "--port=8090", "--data-dir=/app/data");
    }

    @Test
    void exposedPorts() {
        assertThat(fieldNames(product.container().path("ExposedPorts"))).containsExactlyInAnyOrder("8080/tcp", "8081/tcp");
        assertThat(fieldNames(sandbox.container().path("ExposedPorts"))).containsExactly("8089/tcp");
        assertThat(fieldNames(sample.container().path("ExposedPorts"))).containsExactly("8090/tcp");
    }

    @Test
    void ociLabels() {
        for (OciImage image : List.of(product, sandbox, sample)) {
            JsonNode labels = image.container().path("Labels");
            for (String label : LABELS) {
                assertThat(labels.path(label).asText()).as(image.refName + " " + label).isNotBlank();
            }
            assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
            assertThat(labels.path("org.opencontainers.image.title").asText() + ":" + VERSION).isEqualTo(image.refName);
        }
        assertThat(product.container().path("Labels").path("org.opencontainers.image.description").asText())
                .startsWith("The product");
    }

    @Test
    void productEnvironmentForContainers() {
        Map<String, String> env = env(product);
        // Health checks and Prometheus come from outside the container: the management port must not stay on loopback.
        assertThat(env).containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0")
                .containsEntry("QBOSYNC_DATA_DIR", "/app/data")
                .containsEntry("ROUTES_DIR", "/app/routes")
                .containsEntry("JAVA_HOME", "/opt/java")
                .containsEntry("LANG", "C.UTF-8");
        assertThat(env.get("PATH")).startsWith("/opt/java/bin:");
        // The image decides no secrets and no profile: compose files and Kubernetes manifests do.
        assertThat(env.keySet()).noneMatch(k -> k.contains("PASSWORD") || k.contains("SECRET") || k.contains("KEY")
                || k.equals("SPRING_PROFILES_ACTIVE"));
    }

    @Test
    void layeredAsJibDoesWithTheBaseBelow() {
        assertThat(product.layers).extracting(OciImage.Layer::comment).containsExactly(
                "docker/base/build-base.sh: jlink Java " + product.container().path("Labels").path("io.qbosync.base.java").asText()
                        + ", Debian libc6 libgcc-s1 libstdc++6 zlib1g",
                "dependencies", "project dependencies", "resources", "classes", "jvm arg files", "extra files");
        // Same base layer in all three images: one download, one copy on disk.
        String base = product.config.path("rootfs").path("diff_ids").get(0).asText();
        assertThat(sandbox.config.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(base);
        assertThat(sample.config.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(base);
        assertThat(names(product.layer("dependencies"))).allMatch(p -> p.startsWith("app/libs/")).noneMatch(p -> p.contains("SNAPSHOT"));
        // The build's own libraries change with every commit: a layer of their own, above the third-party ones.
        assertThat(names(product.layer("project dependencies"))).filteredOn(p -> p.endsWith(".jar"))
                .containsExactlyInAnyOrder("app/libs/camel-qbo-" + VERSION + ".jar", "app/libs/camel-qbo-starter-" + VERSION + ".jar",
                        "app/libs/source-feed-" + VERSION + ".jar");
    }

    @Test
    void productHoldsExactlyTheProductJarsClassesAndLibraries() throws IOException {
        Set<String> jarClasses = new TreeSet<>();
        Set<String> jarLibs = new TreeSet<>();
        try (JarFile jar = new JarFile(PRODUCT_JAR.toFile())) {
            jar.stream().map(e -> e.getName()).forEach(n -> {
                if (n.startsWith("BOOT-INF/classes/") && n.endsWith(".class")) {
                    jarClasses.add(n.substring("BOOT-INF/classes/".length()));
                } else if (n.startsWith("BOOT-INF/lib/") && n.endsWith(".jar")
                        && !n.startsWith("BOOT-INF/lib/spring-boot-jarmode-tools-")) {
                    jarLibs.add(n.substring("BOOT-INF/lib/".length()));
                }
            });
        }
        Set<String> imageClasses = product.layer("classes").entries().keySet().stream()
                .filter(p -> p.startsWith("app/classes/") && p.endsWith(".class"))
                .map(p -> p.substring("app/classes/".length())).collect(Collectors.toCollection(TreeSet::new));
        Set<String> imageLibs = product.files().keySet().stream()
                .filter(p -> p.startsWith("app/libs/") && p.endsWith(".jar"))
                .map(p -> p.substring("app/libs/".length()))
                // Spring Boot's repackaging leaves out the starters: jars with a pom and no classes.
                .filter(l -> !l.matches("spring-boot-starter(-[a-z]+)?-[0-9.]+\\.jar"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(imageClasses).contains("io/qbosync/QboSyncApplication.class").isEqualTo(jarClasses);
        assertThat(imageLibs).isEqualTo(jarLibs);
        assertThat(imageLibs).anyMatch(l -> l.startsWith("camel-core-engine-")).anyMatch(l -> l.startsWith("postgresql-"))
                .anyMatch(l -> l.startsWith("hawtio-springboot-")).anyMatch(l -> l.startsWith("artemis-jakarta-client-"));
    }

    @Test
    void productHoldsNoEmulatorSampleDemoFuzzOrBenchCode() {
        Set<String> paths = product.files().keySet();
        assertThat(paths).noneMatch(p -> p.startsWith("app/classes/io/qbosync/sandbox/")
                || p.startsWith("app/classes/io/qbosync/source/sample/")
                || p.startsWith("app/classes/io/qbosync/demo/")
                || p.matches("app/classes/.*(?i)(fuzz|bench).*"));
        assertThat(paths).filteredOn(p -> p.startsWith("app/libs/"))
                .noneMatch(p -> p.matches("app/libs/(qbo-sandbox|sample-source|qbo-sync-demo|qbo-sync-test-support|qbo-sync)-.*")
                        || p.contains("junit") || p.contains("ipp-v3-java-devkit") || p.contains("archunit"));
    }

    @Test
    void demoImagesHoldOnlyTheirOwnCode() {
        assertThat(sandbox.files().keySet()).contains("app/classes/io/qbosync/sandbox/QboSandbox.class")
                .noneMatch(p -> p.startsWith("app/classes/io/qbosync/QboSyncApplication") || p.startsWith("app/classes/io/qbosync/source/")
                        || p.startsWith("app/routes/") || p.startsWith("app/libs/qbo-sync"));
        assertThat(sample.files().keySet()).contains("app/classes/io/qbosync/source/sample/SampleSourceServer.class")
                .noneMatch(p -> p.startsWith("app/classes/io/qbosync/sandbox/") || p.startsWith("app/classes/io/qbosync/QboSyncApplication")
                        || p.startsWith("app/routes/") || p.startsWith("app/libs/qbo-sandbox"));
    }

    @Test
    void defaultRoutesAndMappingsAreInsideByteForByte() throws IOException {
        Map<String, OciImage.Entry> layer = product.layer("extra files").entries();
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                expected.put("app/" + f.toString().replace('\\', '/'), OciImage.sha256(Files.readAllBytes(f)));
            }
        }
        assertThat(expected).containsKey("app/routes/mappings/qbo-mappings.yaml").containsKey("app/routes/source-poll.camel.yaml");
        Map<String, String> actual = new TreeMap<>();
        layer.values().stream().filter(e -> !e.directory()).forEach(e -> actual.put(e.path(), OciImage.sha256(e.content())));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void baseFileSystem() {
        Map<String, OciImage.Entry> files = product.files();
        assertThat(files).containsKeys("opt/java/bin/java", "opt/java/lib/server/libjvm.so", "opt/java/lib/security/cacerts",
                "opt/qbosync/healthcheck/HealthCheck.class", "lib/x86_64-linux-gnu/libc.so.6", "lib64/ld-linux-x86-64.so.2",
                "etc/nsswitch.conf", "proc");
        // Debian's JDK has a symlink there; the image needs the keystore itself.
        assertThat(files.get("opt/java/lib/security/cacerts").symlink()).isFalse();
        assertThat(files.get("opt/java/lib/security/cacerts").size()).isGreaterThan(50_000);
        // No shell, no package manager: nothing to run but Java.
        assertThat(files.keySet()).noneMatch(p -> p.matches("(usr/)?s?bin/.*") || p.contains("/apt") || p.contains("dpkg"));
        assertThat(new String(files.get("etc/passwd").content(), StandardCharsets.UTF_8))
                .contains("qbosync:x:10001:10001:").doesNotContain("/bin/sh");
        assertThat(new String(files.get("etc/group").content(), StandardCharsets.UTF_8)).contains("qbosync:x:10001:");
        OciImage.Entry tmp = files.get("tmp");
        assertThat(tmp.directory()).isTrue();
        assertThat(tmp.mode() & 01777).isEqualTo(01777);
        // The data volume is the app user's (a named volume copies this owner); everything else is root's and not writable by it.
        OciImage.Entry data = files.get("app/data");
        assertThat(data.directory()).isTrue();
        assertThat(data.uid()).isEqualTo(10001);
        assertThat(data.gid()).isEqualTo(10001);
        List<String> writableByApp = new ArrayList<>();
        files.values().forEach(e -> {
            boolean othersWrite = (e.mode() & 0002) != 0 && !e.symlink() && !e.path().equals("tmp");
            if (!e.path().equals("app/data") && (e.uid() != 0 || othersWrite)) {
                writableByApp.add(e.path() + " uid=" + e.uid() + " mode=" + Integer.toOctalString(e.mode()));
            }
        });
        assertThat(writableByApp).isEmpty();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static Map<String, String> env(OciImage image) {
        Map<String, String> env = new TreeMap<>();
        image.container().path("Env").forEach(n -> {
            String s = n.asText();
            env.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        });
        return env;
    }

    static Set<String> names(OciImage.Layer layer) {
        return layer.entries().values().stream().filter(e -> !e.directory()).map(OciImage.Entry::path)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @SafeVarargs
    static String[] concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toArray(String[]::new);
    }
}
