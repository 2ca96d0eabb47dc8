package io.qbosync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Strict parsing of Kubernetes manifests into fabric8's typed model (the Kubernetes API's own types, generated
 * from its OpenAPI schema). fabric8 is lenient by design: a field it does not know lands in the object's
 * {@code additionalProperties} instead of failing, and so does a value of the wrong type (its
 * UnmatchedFieldTypeModule). Strict here means: the apiVersion/kind must be a registered API type (not
 * {@link GenericKubernetesResource}), Jackson must bind every value, and after binding no object anywhere in the
 * tree may hold an additional property; every quantity ({@code 512Mi}, {@code 500m}) must be one Kubernetes accepts.
 */
final class StrictManifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final YAMLMapper YAML = new YAMLMapper();

    private StrictManifests() {
    }

    /** A manifest that does not parse strictly: the message names the file, the document and the field path. */
    static final class ManifestException extends RuntimeException {
        ManifestException(String message) {
            super(message);
        }

        ManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every non-empty YAML document of a file, as JSON trees. */
    static List<ObjectNode> readDocuments(Path file) {
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (it.hasNext()) {
                JsonNode node = it.next();
                index++;
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!node.isObject()) {
                    throw new ManifestException(file + " document " + index + ": not a YAML mapping");
                }
                docs.add((ObjectNode) node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    static List<ObjectNode> readDocuments(String yaml) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<ObjectNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.isObject()) {
                    docs.add((ObjectNode) node);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one document strictly into its API type; {@code where} prefixes every error. */
    static HasMetadata parse(ObjectNode node, String where) {
        String apiVersion = node.path("apiVersion").asText("");
        String kind = node.path("kind").asText("");
        if (apiVersion.isBlank() || kind.isBlank()) {
            throw new ManifestException(where + ": apiVersion and kind are required");
        }
        Class<? extends KubernetesResource> type = SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || GenericKubernetesResource.class.equals(type) || !HasMetadata.class.isAssignableFrom(type)) {
            throw new ManifestException(where + ": " + apiVersion + " " + kind + " is not a Kubernetes API type");
        }
        KubernetesResource resource;
        try {
            resource = SERIALIZATION.convertValue(node, type);
        } catch (RuntimeException e) {
            throw new ManifestException(where + ": " + kind + " does not bind: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        collect(resource, kind, problems);
        if (!problems.isEmpty()) {
            throw new ManifestException(where + ": " + kind + " has unknown or mistyped field(s) " + problems);
        }
        return (HasMetadata) resource;
    }

    static <T extends HasMetadata> T parse(ObjectNode node, String where, Class<T> type) {
        HasMetadata parsed = parse(node, where);
        if (!type.isInstance(parsed)) {
            throw new ManifestException(where + ": expected " + type.getSimpleName() + ", got " + parsed.getKind());
        }
        return type.cast(parsed);
    }

    /** Walks the typed tree through its getters and reports additional properties and bad quantities by path. */
    private static void collect(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object element : list) {
                collect(element, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, path + "." + k, problems));
            return;
        }
        Class<?> type = value.getClass();
        if (!type.getName().startsWith("io.fabric8.")) {
            return;
        }
        if (value instanceof Quantity quantity) {
            try {
                Quantity.getAmountInBytes(quantity);
            } catch (RuntimeException e) {
                problems.add(path + " (not a Kubernetes quantity: '" + quantity + "')");
            }
            extras(quantity.getAdditionalProperties(), path, problems);
            return;
        }
        for (Method getter : type.getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !name.startsWith("get")
                    || name.equals("getClass") || name.length() == 3) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                extras((Map<?, ?>) child, path, problems);
            } else {
                collect(child, path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), problems);
            }
        }
    }

    private static void extras(Map<?, ?> extra, String path, List<String> problems) {
        if (extra != null) {
            extra.keySet().forEach(k -> problems.add(path + "." + k));
        }
    }
}
