package io.qbosync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.qbosync.deploy.StrictManifests.ManifestException;

/**
 * What this repository's overlays use of kustomize, re-done in the test because CI has no kustomize binary: the
 * kustomization file itself (strictly: an unknown or misspelt field fails), {@code resources} (files and
 * directories), strategic-merge {@code patches} (each must match exactly one resource by kind and name),
 * {@code configMapGenerator} / {@code secretGenerator} (files, env files, literals; create / merge / replace),
 * {@code images} and {@code namespace}. Anything else kustomize offers fails here as unsupported, so a new
 * feature in the overlays comes with its check. Generated names keep no hash suffix (kustomize rewrites the
 * references to them; the check is on the names as written).
 */
final class KustomizeLite {

    static final YAMLMapper STRICT = (YAMLMapper) new YAMLMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** kustomize.config.k8s.io/v1beta1 Kustomization: the fields kustomize knows, used or not. */
    record Kustomization(String apiVersion, String kind, String namespace, String namePrefix, String nameSuffix,
            List<String> resources, List<String> components, List<String> bases, List<Patch> patches,
            List<String> patchesStrategicMerge, List<Object> patchesJson6902, List<Generator> configMapGenerator,
            List<Generator> secretGenerator, GeneratorOptions generatorOptions, List<Image> images,
            List<Labels> labels, Map<String, String> commonLabels, Map<String, String> commonAnnotations,
            List<Replica> replicas, List<Object> replacements, List<Object> vars, List<String> transformers,
            List<String> generators, List<String> crds, List<Object> openapi, Object helmCharts,
            Map<String, Object> buildMetadata, List<Object> sortOptions) {
    }

    record Patch(String path, String patch, Target target, Map<String, Boolean> options) {
    }

    record Target(String group, String version, String kind, String name, String namespace, String labelSelector,
            String annotationSelector) {
    }

    record Generator(String name, String namespace, String behavior, List<String> files, List<String> envs,
            String env, List<String> literals, GeneratorOptions options, String type) {
    }

    record GeneratorOptions(Map<String, String> labels, Map<String, String> annotations,
            Boolean disableNameSuffixHash, Boolean immutable) {
    }

    record Image(String name, String newName, String newTag, String digest) {
    }

    record Labels(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates,
            List<Object> fields) {
    }

    record Replica(String name, Integer count) {
    }

    /** One resource of the build: its JSON tree (after patches) and where it came from. */
    static final class Resource {
        final String origin;
        ObjectNode node;
        HasMetadata typed;

        Resource(String origin, ObjectNode node) {
            this.origin = origin;
            this.node = node;
            this.typed = StrictManifests.parse(node, origin);
        }

        String kind() {
            return typed.getKind();
        }

        String name() {
            return typed.getMetadata().getName();
        }
    }

    /** A generated ConfigMap or Secret: its keys and values, and the files they came from. */
    record Generated(String kind, String name, Map<String, String> data, List<Path> sources) {
    }

    /** The result of building one kustomization directory. */
    static final class Build {
        final Path dir;
        final List<Resource> resources = new ArrayList<>();
        final Map<String, Generated> generated = new LinkedHashMap<>();
        String namespace;

        Build(Path dir) {
            this.dir = dir;
        }

        List<Resource> ofKind(String kind) {
            return resources.stream().filter(r -> r.kind().equals(kind)).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            return resources.stream().map(r -> r.typed).filter(type::isInstance)
                    .filter(r -> r.getMetadata().getName().equals(name)).map(type::cast).findFirst()
                    .orElseThrow(() -> new AssertionError(dir + ": no " + type.getSimpleName() + " " + name));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources.stream().map(r -> r.typed).filter(type::isInstance).map(type::cast).toList();
        }

        Optional<Generated> generated(String kind, String name) {
            return Optional.ofNullable(generated.get(kind + "/" + name));
        }
    }

    private KustomizeLite() {
    }

    static Kustomization read(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new ManifestException(dir + ": no kustomization.yaml");
        }
        Kustomization k;
        try {
            k = STRICT.readValue(file.toFile(), Kustomization.class);
        } catch (IOException e) {
            throw new ManifestException(file + ": " + e.getMessage(), e);
        }
        if (!"kustomize.config.k8s.io/v1beta1".equals(k.apiVersion()) || !"Kustomization".equals(k.kind())) {
            throw new ManifestException(file + ": apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization");
        }
        unsupported(file, "namePrefix", k.namePrefix());
        unsupported(file, "nameSuffix", k.nameSuffix());
        unsupported(file, "components", k.components());
        unsupported(file, "bases (deprecated, use resources)", k.bases());
        unsupported(file, "patchesStrategicMerge (deprecated, use patches)", k.patchesStrategicMerge());
        unsupported(file, "patchesJson6902", k.patchesJson6902());
        unsupported(file, "labels", k.labels());
        unsupported(file, "commonLabels", k.commonLabels());
        unsupported(file, "commonAnnotations", k.commonAnnotations());
        unsupported(file, "replicas", k.replicas());
        unsupported(file, "replacements", k.replacements());
        unsupported(file, "vars", k.vars());
        unsupported(file, "transformers", k.transformers());
        unsupported(file, "generators", k.generators());
        unsupported(file, "crds", k.crds());
        unsupported(file, "openapi", k.openapi());
        unsupported(file, "helmCharts", k.helmCharts());
        unsupported(file, "generatorOptions", k.generatorOptions());
        return k;
    }

    private static void unsupported(Path file, String field, Object value) {
        if (value != null) {
            throw new ManifestException(file + ": '" + field + "' is valid kustomize but DeploymentManifestsTest does"
                    + " not check it yet; teach KustomizeLite what it does first");
        }
    }

    static Build build(Path dir) {
        dir = dir.toAbsolutePath().normalize();
        Kustomization k = read(dir);
        Build build = new Build(dir);
        for (String entry : list(k.resources())) {
            Path p = dir.resolve(entry).normalize();
            if (Files.isDirectory(p)) {
                Build base = build(p);
                build.resources.addAll(base.resources);
                build.generated.putAll(base.generated);
            } else {
                Path file = inside(dir, entry, "resources");
                List<ObjectNode> docs = StrictManifests.readDocuments(file);
                for (int i = 0; i < docs.size(); i++) {
                    build.resources.add(new Resource(dir.relativize(file) + " #" + (i + 1) + " (" + dir + ")", docs.get(i)));
                }
            }
        }
        for (Generator g : list(k.configMapGenerator())) {
            generate(build, "ConfigMap", g, false);
        }
        for (Generator g : list(k.secretGenerator())) {
            generate(build, "Secret", g, true);
        }
        for (Patch patch : list(k.patches())) {
            applyPatch(build, patch);
        }
        for (Image image : list(k.images())) {
            setImage(build, image);
        }
        if (k.namespace() != null) {
            build.namespace = k.namespace();
            for (Resource r : build.resources) {
                if (!Set.of("Namespace", "ClusterRole", "ClusterRoleBinding").contains(r.kind())) {
                    ((ObjectNode) r.node.withObject("/metadata")).put("namespace", k.namespace());
                }
                if (r.kind().equals("RoleBinding")) {
                    for (JsonNode s : r.node.path("subjects")) {
                        if (s.path("kind").asText().equals("ServiceAccount") && s.path("namespace").asText("default").equals("default")) {
                            ((ObjectNode) s).put("namespace", k.namespace());
                        }
                    }
                }
                r.typed = StrictManifests.parse(r.node, r.origin);
            }
        }
        return build;
    }

    /** A file a kustomization reads: kustomize's load restrictor allows only files in or below its folder. */
    static Path inside(Path dir, String entry, String field) {
        String path = entry.contains("=") ? entry.substring(entry.indexOf('=') + 1) : entry;
        Path p = dir.resolve(path).normalize();
        if (!p.startsWith(dir)) {
            throw new ManifestException(dir + ": " + field + " entry " + entry + " is outside the kustomization's"
                    + " folder; kustomize refuses it (load restrictor) and `kubectl apply -k` cannot lift that");
        }
        if (!Files.isRegularFile(p)) {
            throw new ManifestException(dir + ": " + field + " entry " + entry + " does not exist");
        }
        return p;
    }

    private static void generate(Build build, String kind, Generator g, boolean secret) {
        Path dir = build.dir;
        if (g.name() == null || g.name().isBlank()) {
            throw new ManifestException(dir + ": a " + kind + " generator without a name");
        }
        if (g.env() != null || g.options() != null || g.namespace() != null || (g.type() != null && !secret)) {
            throw new ManifestException(dir + ": generator " + g.name() + " uses a field the test does not check");
        }
        Map<String, String> data = new LinkedHashMap<>();
        List<Path> sources = new ArrayList<>();
        for (String entry : list(g.files())) {
            Path file = inside(dir, entry, kind + " generator " + g.name() + " files");
            String key = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : file.getFileName().toString();
            put(data, key, text(file), dir + ": generator " + g.name());
            sources.add(file);
        }
        for (String entry : list(g.envs())) {
            Path file = envFile(dir, entry, kind, g.name(), secret);
            readEnv(file).forEach((key, value) -> put(data, key, value, dir + ": generator " + g.name()));
            sources.add(file);
        }
        for (String literal : list(g.literals())) {
            int eq = literal.indexOf('=');
            if (eq <= 0) {
                throw new ManifestException(dir + ": generator " + g.name() + " literal without key=value: " + literal);
            }
            put(data, literal.substring(0, eq), literal.substring(eq + 1), dir + ": generator " + g.name());
        }
        String id = kind + "/" + g.name();
        String behavior = g.behavior() == null ? "create" : g.behavior();
        Generated existing = build.generated.get(id);
        switch (behavior) {
            case "create" -> {
                if (existing != null) {
                    throw new ManifestException(dir + ": " + id + " is generated by a base already; use behavior merge or replace");
                }
                build.generated.put(id, new Generated(kind, g.name(), data, sources));
            }
            case "merge", "replace" -> {
                if (existing == null) {
                    throw new ManifestException(dir + ": " + id + " has behavior " + behavior + " but no base generates it");
                }
                Map<String, String> merged = new LinkedHashMap<>(behavior.equals("merge") ? existing.data() : Map.of());
                merged.putAll(data);
                List<Path> allSources = new ArrayList<>(behavior.equals("merge") ? existing.sources() : List.of());
                allSources.addAll(sources);
                build.generated.put(id, new Generated(kind, g.name(), merged, allSources));
            }
            default -> throw new ManifestException(dir + ": generator " + g.name() + " behavior " + behavior);
        }
    }

    /**
     * An env file of a generator. A secret's env file is never in git: when it is absent, its committed
     * {@code .example} stands in for it (same keys), provided git ignores the real file.
     */
    private static Path envFile(Path dir, String entry, String kind, String name, boolean secret) {
        Path p = dir.resolve(entry).normalize();
        if (secret && !Files.exists(p)) {
            Path example = p.resolveSibling(p.getFileName() + ".example");
            if (!Files.isRegularFile(example)) {
                throw new ManifestException(dir + ": secretGenerator " + name + " reads " + entry
                        + ", which does not exist, and there is no " + example.getFileName() + " to document it");
            }
            if (!gitIgnored(p)) {
                throw new ManifestException(dir + ": " + entry + " holds secrets but no .gitignore under k8s/ ignores it");
            }
            return inside(dir, entry + ".example", kind + " generator " + name + " envs");
        }
        return inside(dir, entry, kind + " generator " + name + " envs");
    }

    /** Whether a .gitignore in the file's folder or above (up to the repository) has a glob matching it. */
    static boolean gitIgnored(Path file) {
        for (Path d = file.getParent(); d != null; d = d.getParent()) {
            Path ignore = d.resolve(".gitignore");
            if (Files.isRegularFile(ignore)) {
                for (String line : text(ignore).split("\n")) {
                    String pattern = line.strip();
                    if (pattern.isEmpty() || pattern.startsWith("#")) {
                        continue;
                    }
                    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceFirst("^/", ""));
                    Path relative = d.relativize(file);
                    if (m.matches(relative) || m.matches(file.getFileName())) {
                        return true;
                    }
                }
            }
            if (Files.exists(d.resolve(".git"))) {
                break;
            }
        }
        return false;
    }

    /** kustomize's env file: KEY=VALUE lines, # comments and blank lines skipped, the value taken literally. */
    static Map<String, String> readEnv(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text(file).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new ManifestException(file + ": not KEY=VALUE: " + l);
            }
            put(env, l.substring(0, eq), l.substring(eq + 1), file.toString());
        }
        return env;
    }

    private static void put(Map<String, String> data, String key, String value, String where) {
        if (!key.matches("[-._a-zA-Z0-9]+")) {
            throw new ManifestException(where + ": '" + key + "' is not a valid ConfigMap/Secret key");
        }
        if (data.put(key, value) != null) {
            throw new ManifestException(where + ": key " + key + " given twice");
        }
    }

    private static void applyPatch(Build build, Patch patch) {
        Path dir = build.dir;
        if (patch.options() != null) {
            throw new ManifestException(dir + ": patch options are not checked by the test");
        }
        String source;
        String text;
        if (patch.path() != null) {
            Path file = inside(dir, patch.path(), "patches");
            source = dir.relativize(file).toString();
            text = text(file);
        } else if (patch.patch() != null) {
            source = "inline patch";
            text = patch.patch();
        } else {
            throw new ManifestException(dir + ": a patch needs path or patch");
        }
        List<ObjectNode> docs = StrictManifests.readDocuments(text);
        if (docs.size() != 1) {
            throw new ManifestException(dir + ": " + source + ": one strategic-merge patch document expected"
                    + " (JSON 6902 patches are not checked by the test)");
        }
        ObjectNode doc = docs.get(0);
        // The patch itself is a partial resource of a real API type: strict parsing catches a misspelt field in it.
        HasMetadata typedPatch = StrictManifests.parse(doc, source + " (" + dir + ")");
        String kind = patch.target() != null && patch.target().kind() != null ? patch.target().kind() : typedPatch.getKind();
        String name = patch.target() != null && patch.target().name() != null ? patch.target().name()
                : typedPatch.getMetadata() == null ? null : typedPatch.getMetadata().getName();
        List<Resource> matches = build.resources.stream()
                .filter(r -> r.kind().equals(kind) && r.name().equals(name)).toList();
        if (matches.size() != 1) {
            throw new ManifestException(dir + ": " + source + " targets " + kind + " " + name + ", which "
                    + (matches.isEmpty() ? "no resource of the base is" : "is not unique"));
        }
        Resource target = matches.get(0);
        ObjectNode merged = target.node.deepCopy();
        strategicMerge(merged, doc, "");
        target.node = merged;
        target.typed = StrictManifests.parse(merged, target.origin + " patched by " + source);
    }

    /** The list fields whose items Kubernetes' strategic merge patch merges by a key (the rest are replaced). */
    private static final Map<String, List<String>> MERGE_KEYS = Map.of(
            "containers", List.of("name"), "initContainers", List.of("name"), "volumes", List.of("name"),
            "env", List.of("name"), "imagePullSecrets", List.of("name"), "volumeMounts", List.of("mountPath"),
            "ports", List.of("containerPort"),
            // Two keys, as kustomize does: a patch entry with another whenUnsatisfiable is added, not merged.
            "topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable"));

    static void strategicMerge(ObjectNode target, ObjectNode patch, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = target.get(field);
            if (field.startsWith("$")) {
                throw new ManifestException("patch directive " + field + " at " + path + " is not checked by the test");
            }
            if (value.isNull()) {
                target.remove(field);
            } else if (value.isObject() && current != null && current.isObject()) {
                strategicMerge((ObjectNode) current, (ObjectNode) value, path + "/" + field);
            } else if (value.isArray() && current != null && current.isArray() && MERGE_KEYS.containsKey(field)) {
                List<String> keys = MERGE_KEYS.get(field);
                ArrayNode list = (ArrayNode) current;
                for (JsonNode item : value) {
                    JsonNode existing = null;
                    for (JsonNode c : list) {
                        if (keys.stream().allMatch(key -> c.path(key).equals(item.path(key)))) {
                            existing = c;
                        }
                    }
                    if (existing != null && existing.isObject() && item.isObject()) {
                        strategicMerge((ObjectNode) existing, (ObjectNode) item, path + "/" + field);
                    } else {
                        list.add(item.deepCopy());
                    }
                }
            } else {
                target.set(field, value.deepCopy());
            }
        }
    }

    private static void setImage(Build build, Image image) {
        boolean used = false;
        for (Resource r : build.resources) {
            for (JsonNode c : r.node.path("spec").path("template").path("spec").path("containers")) {
                String ref = c.path("image").asText();
                String repo = ref.replaceFirst("@.*$", "").replaceFirst(":[^:/]+$", "");
                if (repo.equals(image.name())) {
                    String tag = image.newTag() != null ? ":" + image.newTag()
                            : ref.substring(repo.length()).replaceFirst("@.*$", "");
                    String newRef = (image.newName() != null ? image.newName() : repo)
                            + (image.digest() != null ? "@" + image.digest() : tag);
                    ((ObjectNode) c).put("image", newRef);
                    used = true;
                }
            }
            r.typed = StrictManifests.parse(r.node, r.origin);
        }
        if (!used) {
            throw new ManifestException(build.dir + ": images entry " + image.name() + " matches no container");
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
