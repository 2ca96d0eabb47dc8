package io.qbosync.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker/compose.yaml and docker/compose.demo.yaml, checked offline: every image is one this build makes (with its
 * version) or a pinned upstream one; every service has a health check; the app's environment names real
 * properties (relaxed binding against application.yaml and the Spring Boot / Camel metadata on the class path);
 * ports follow the conventions, management and demo tools on loopback only; secrets come from docker/.env.
 */
class ComposeFilesTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> OWN_IMAGES = Set.of("qbo-sync", "qbo-sandbox", "qbo-sample-source");
    static final Pattern UPSTREAM = Pattern.compile("postgres:16(\\.[0-9]+)?|apache/activemq-artemis:2\\.[0-9]+\\.[0-9]+");
    /** Read by the app, but not as a Spring property of application.yaml or a library's metadata. */
    static final Set<String> ENV_ONLY = Set.of("ROUTES_DIR", "QBOSYNC_ADMIN_PASSWORD", "JAVA_TOOL_OPTIONS");
    /** What each own image listens on. */
    static final Map<String, Set<Integer>> PORTS = Map.of("qbo-sync", Set.of(8080, 8081), "qbo-sandbox", Set.of(8089),
            "qbo-sample-source", Set.of(8090));

    static Set<String> properties;

    @BeforeAll
    static void knownProperties() throws IOException {
        properties = new HashSet<>();
        // Every key of the app's application.yaml (all documents).
        try (InputStream in = Files.newInputStream(Path.of("src/qbo-sync/src/main/resources/application.yaml"))) {
            for (JsonNode doc : YAML.readValues(YAML.getFactory().createParser(in), JsonNode.class).readAll()) {
                flatten("", doc, properties);
            }
        }
        // Every property the libraries document (spring.datasource.*, spring.artemis.*, management.*, ...).
        Enumeration<URL> metadata = ComposeFilesTest.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        ObjectMapper json = new ObjectMapper();
        while (metadata.hasMoreElements()) {
            try (InputStream in = metadata.nextElement().openStream()) {
                json.readTree(in).path("properties").forEach(p -> properties.add(p.path("name").asText()));
            }
        }
        assertThat(properties).contains("spring.datasource.url", "spring.artemis.broker-url", "qbosync.data-dir");
    }

    static void flatten(String prefix, JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else {
            out.add(prefix);
        }
    }

    /** Spring Boot's relaxed binding: SPRING_ARTEMIS_BROKER_URL binds spring.artemis.broker-url. */
    static boolean isProperty(String env) {
        String wanted = env.replace("_", "").toLowerCase(Locale.ROOT);
        return properties.stream().anyMatch(p -> p.replace(".", "").replace("-", "").toLowerCase(Locale.ROOT).equals(wanted));
    }

    static JsonNode compose(String file) throws IOException {
        return YAML.readTree(Path.of("docker", file).toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.demo.yaml"})
    void everyImageIsBuiltHereOrAPinnedUpstreamOne(String file) throws IOException {
        compose(file).path("services").fields().forEachRemaining(s -> {
            String image = s.getValue().path("image").asText();
            String name = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
            if (OWN_IMAGES.contains(name)) {
                assertThat(image).as(file + " " + s.getKey()).isEqualTo(name + ":" + ImageTarballTest.VERSION);
            } else {
                assertThat(image).as(file + " " + s.getKey() + ": upstream images are pinned").matches(UPSTREAM);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.demo.yaml"})
    void everyServiceHasAHealthCheckAndTheAppWaitsForHealthyDependencies(String file) throws IOException {
        JsonNode services = compose(file).path("services");
        services.fields().forEachRemaining(s -> {
            JsonNode test = s.getValue().path("healthcheck").path("test");
            assertThat(test.isArray() && test.size() > 1).as(file + " " + s.getKey() + " healthcheck").isTrue();
            if (OWN_IMAGES.contains(imageName(s.getValue()))) {
                // Own images have no shell: exec form, running the helper the base image ships.
                assertThat(test.get(0).asText()).isEqualTo("CMD");
                assertThat(ImageTarballTest.strings(test)).containsSubsequence("java", "-cp", "/opt/qbosync/healthcheck", "HealthCheck");
                String url = test.get(test.size() - 1).asText();
                assertThat(url).startsWith("http://127.0.0.1:");
                int port = Integer.parseInt(url.replaceAll("^http://127\\.0\\.0\\.1:([0-9]+)/.*$", "$1"));
                assertThat(PORTS.get(imageName(s.getValue()))).contains(port);
            }
        });
        JsonNode app = services.path("qbo-sync");
        assertThat(app.path("healthcheck").path("test").toString()).contains("/actuator/health/readiness");
        List<String> others = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> {
            if (!n.equals("qbo-sync")) {
                others.add(n);
            }
        });
        for (String other : others) {
            assertThat(app.path("depends_on").path(other).path("condition").asText()).as(file + " depends_on " + other)
                    .isEqualTo("service_healthy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.demo.yaml"})
    void theAppsEnvironmentNamesRealProperties(String file) throws IOException {
        JsonNode env = compose(file).path("services").path("qbo-sync").path("environment");
        assertThat(env.isObject()).isTrue();
        List<String> unknown = new ArrayList<>();
        env.fieldNames().forEachRemaining(k -> {
            if (!ENV_ONLY.contains(k) && !isProperty(k)) {
                unknown.add(k);
            }
        });
        assertThat(unknown).as("environment keys of %s that bind no property", file).isEmpty();
        assertThat(env.path("MANAGEMENT_SERVER_ADDRESS").asText()).isEqualTo("0.0.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.demo.yaml"})
    void portsFollowTheConventionsAndManagementStaysOnLoopback(String file) throws IOException {
        compose(file).path("services").fields().forEachRemaining(s -> {
            for (JsonNode p : s.getValue().path("ports")) {
                // bind:host:container; the bind address may itself be a ${VAR:-default} with a colon.
                Matcher m = Pattern.compile("^(.+):([0-9]+):([0-9]+)$").matcher(p.asText());
                assertThat(m.matches()).as(file + " " + s.getKey() + " " + p + ": bind address:host port:container port").isTrue();
                String bind = m.group(1);
                int host = Integer.parseInt(m.group(2));
                int container = Integer.parseInt(m.group(3));
                assertThat(host).as("host port = container port").isEqualTo(container);
                String image = imageName(s.getValue());
                if (PORTS.containsKey(image)) {
                    assertThat(PORTS.get(image)).as(file + " " + s.getKey()).contains(container);
                }
                if (container == 8080) {
                    // The API port may be published wider on purpose (QBOSYNC_HTTP_BIND), loopback unless told.
                    assertThat(bind).isIn("127.0.0.1", "${QBOSYNC_HTTP_BIND:-127.0.0.1}");
                } else {
                    assertThat(bind).as(file + " " + s.getKey() + " " + p + ": loopback only").isEqualTo("127.0.0.1");
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.demo.yaml"})
    void dataIsAVolumeAndRoutesCanBeReplacedByAMountedFolder(String file) throws IOException {
        JsonNode app = compose(file).path("services").path("qbo-sync");
        List<String> volumes = ImageTarballTest.strings(app.path("volumes"));
        assertThat(volumes).anyMatch(v -> v.endsWith(":/app/data"));
        assertThat(volumes).contains("${QBOSYNC_ROUTES_DIR:-../routes}:/app/routes:ro");
        assertThat(Path.of("docker", "../routes/mappings/qbo-mappings.yaml")).exists();
    }

    @Test
    void productionSecretsComeFromTheEnvFileAndAreRequired() throws IOException {
        String text = Files.readString(Path.of("docker/compose.yaml"));
        String example = Files.readString(Path.of("docker/.env.example"));
        JsonNode env = compose("compose.yaml").path("services").path("qbo-sync").path("environment");
        assertThat(env.path("SPRING_PROFILES_ACTIVE").asText()).isEqualTo("prod");
        assertThat(env.path("SOURCE_SAMPLE_ENABLED").asText()).isEqualTo("false");
        for (String secret : List.of("QBOSYNC_CRYPTO_KEY", "QBOSYNC_ADMIN_PASSWORD", "SOURCE_BASE_URL", "POSTGRES_PASSWORD", "ARTEMIS_PASSWORD")) {
            // ${X:?message}: compose refuses to start without it.
            assertThat(text).as(secret).contains("${" + secret + ":?");
            assertThat(example).as(".env.example names " + secret).containsPattern("(?m)^" + secret + "=");
        }
        // No literal secret in the file: every password-like value is a ${...} reference.
        List<String> literal = new ArrayList<>();
        compose("compose.yaml").path("services").forEach(s -> s.path("environment").fields().forEachRemaining(e -> {
            if (e.getKey().matches(".*(PASSWORD|SECRET|KEY|TOKEN).*") && !e.getValue().asText().startsWith("${")) {
                literal.add(e.getKey());
            }
        }));
        assertThat(literal).isEmpty();
        Matcher m = Pattern.compile("(?m)^[A-Z_]+=(.+)$").matcher(example);
        while (m.find()) {
            assertThat(m.group(1)).as("the example holds no real secret").isIn("https://your-source.example");
        }
    }

    @Test
    void demoIsNotProductionAndRunsTheSandboxAndSampleAsTheirOwnContainers() throws IOException {
        JsonNode services = compose("compose.demo.yaml").path("services");
        assertThat(imageName(services.path("qbo-sandbox"))).isEqualTo("qbo-sandbox");
        assertThat(imageName(services.path("sample-source"))).isEqualTo("qbo-sample-source");
        JsonNode env = services.path("qbo-sync").path("environment");
        assertThat(env.path("SPRING_PROFILES_ACTIVE").asText()).isNotIn("prod", "production");
        assertThat(env.path("QBO_SANDBOX_ENABLED").asText()).isEqualTo("false");
        assertThat(env.path("QBO_SANDBOX_EXTERNAL_URL").asText()).isEqualTo("http://qbo-sandbox:8089");
        assertThat(env.path("SOURCE_BASE_URL").asText()).isEqualTo("http://sample-source:8090");
        assertThat(env.path("SOURCE_SAMPLE_ENABLED").asText()).isEqualTo("false");
    }

    static String imageName(JsonNode service) {
        String image = service.path("image").asText();
        return image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    }
}
