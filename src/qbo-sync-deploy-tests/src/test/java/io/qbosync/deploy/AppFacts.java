package io.qbosync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the app really reads, taken from its sources as files (this module depends on no other): the keys and
 * values of {@code application.yaml} (every document), the {@code ${key}} placeholders of its Java sources and
 * YAML, the {@code {{key}}} placeholders of the routes, and the prefixes of its {@code @ConfigurationProperties}.
 */
final class AppFacts {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path APPLICATION_YAML = ROOT.resolve("src/qbo-sync/src/main/resources/application.yaml");

    /**
     * Spring Boot and JVM settings the manifests use that the app's files do not name (Spring Boot binds them
     * itself); each with why it is set. Keep this short: a name here is trusted without a check.
     */
    static final Map<String, String> PLATFORM = Map.of(
            "JAVA_TOOL_OPTIONS", "read by the JVM itself (heap sizing flags)",
            "SPRING_PROFILES_ACTIVE", "spring.profiles.active: prod marks a production node (DeploymentMode)",
            "MANAGEMENT_SERVER_ADDRESS", "management.server.address (ManagementLoopbackDefault reads it too)",
            "SPRING_ARTEMIS_BROKER_URL", "spring.artemis.broker-url, external broker (docs/operations-infra.md)",
            "SPRING_ARTEMIS_USER", "spring.artemis.user",
            "SPRING_ARTEMIS_PASSWORD", "spring.artemis.password",
            "SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT", "spring.datasource.hikari.connection-timeout (docs/operations-infra.md)");

    /**
     * Read by a library rather than by an app property: the fabric8 Kubernetes client takes its namespace from
     * {@code KUBERNETES_NAMESPACE} when {@code qbosync.cluster.kubernetes.namespace} is empty.
     */
    static final Set<String> LIBRARY_ENV = Set.of("KUBERNETES_NAMESPACE");

    private static final Pattern DOLLAR = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)");
    private static final Pattern BRACES = Pattern.compile("\\{\\{([A-Za-z0-9_.\\-]+)");
    private static final Pattern CONFIG_PROPERTIES = Pattern.compile("@ConfigurationProperties\\(\\s*(?:prefix\\s*=\\s*|value\\s*=\\s*)?\"([^\"]+)\"");

    final Map<String, String> properties = new LinkedHashMap<>();
    final Set<String> keys = new TreeSet<>();
    final Set<String> prefixes = new TreeSet<>();
    final String javaSources;

    AppFacts() {
        for (ObjectNode doc : StrictManifests.readDocuments(APPLICATION_YAML)) {
            flatten(doc, "", properties);
        }
        keys.addAll(properties.keySet());
        StringBuilder java = new StringBuilder();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src"))) {
            files.filter(p -> p.toString().contains("/src/main/")).filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".yaml"))
                    .forEach(p -> {
                        String text = KustomizeLite.text(p);
                        scan(DOLLAR, text, keys);
                        scan(CONFIG_PROPERTIES, text, prefixes);
                        if (p.toString().endsWith(".java")) {
                            java.append(text).append('\n');
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> routes = Files.walk(ROOT.resolve("routes"))) {
            routes.filter(Files::isRegularFile).forEach(p -> scan(BRACES, KustomizeLite.text(p), keys));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        javaSources = java.toString();
    }

    private static void scan(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
            }
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    /** Spring Boot's relaxed binding from a property name to its environment variable (qbo.api.base-url → QBO_API_BASEURL). */
    static String envForm(String key) {
        return key.replace("-", "").replace('.', '_').replace("[", "_").replace("]", "").toUpperCase(Locale.ROOT);
    }

    /** Whether an environment variable set in a manifest is one the app (or Spring Boot, or the JVM) reads. */
    boolean reads(String env) {
        String e = env.replace("_", "");
        for (String key : keys) {
            // Spring Boot also binds QBO_API_BASE_URL to qbo.api.base-url: compare without the separators.
            if (key.equals(env) || envForm(key).replace("_", "").equals(e)) {
                return true;
            }
        }
        for (String prefix : prefixes) {
            if (env.startsWith(envForm(prefix) + "_")) {
                return true;
            }
        }
        return PLATFORM.containsKey(env);
    }

    String property(String key) {
        String value = properties.get(key);
        if (value == null) {
            throw new AssertionError("application.yaml has no " + key);
        }
        return value;
    }

    /** The default of a {@code @Value("${key:default}")} in the app's Java sources. */
    long javaDefault(String key) {
        Matcher m = Pattern.compile("\\$\\{" + Pattern.quote(key) + ":(\\d+)}").matcher(javaSources);
        if (!m.find()) {
            throw new AssertionError("no @Value default for " + key + " in the app's sources");
        }
        return Long.parseLong(m.group(1));
    }
}
