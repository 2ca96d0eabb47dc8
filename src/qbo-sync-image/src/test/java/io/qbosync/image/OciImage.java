package io.qbosync.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An OCI image archive as Jib's {@code buildTar} writes it ({@code oci-layout}, {@code index.json}, {@code blobs/}),
 * read the way a runtime would: index → manifest → config and layers, every blob checked against its digest.
 */
final class OciImage {

    /** One file of a layer: its tar entry (owner, mode, type) and, for small regular files, the bytes. */
    record Entry(String path, int uid, int gid, int mode, boolean directory, boolean symlink, long size, byte[] content) {
    }

    /** One layer: its Jib history comment ("dependencies", "classes", …) and its entries by path (no leading '/'). */
    record Layer(String comment, Map<String, Entry> entries) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long KEEP_CONTENT_BELOW = 1 << 20;

    final Path tarball;
    final String refName;
    final JsonNode config;
    final List<Layer> layers;

    private OciImage(Path tarball, String refName, JsonNode config, List<Layer> layers) {
        this.tarball = tarball;
        this.refName = refName;
        this.config = config;
        this.layers = layers;
    }

    static OciImage read(Path tarball) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    files.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        require(files.containsKey("oci-layout"), tarball + " is not an OCI image layout (no oci-layout)");
        JsonNode index = JSON.readTree(files.get("index.json"));
        require(index.path("manifests").size() == 1, "one manifest expected in index.json: " + index);
        JsonNode manifestRef = index.path("manifests").get(0);
        String refName = manifestRef.path("annotations").path("org.opencontainers.image.ref.name").asText();
        JsonNode manifest = JSON.readTree(blob(files, manifestRef.path("digest").asText()));
        JsonNode config = JSON.readTree(blob(files, manifest.path("config").path("digest").asText()));

        List<String> comments = new ArrayList<>();
        config.path("history").forEach(h -> {
            if (!h.path("empty_layer").asBoolean(false)) {
                comments.add(h.path("comment").asText(h.path("created_by").asText()));
            }
        });
        JsonNode layerRefs = manifest.path("layers");
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        require(layerRefs.size() == diffIds.size() && layerRefs.size() == comments.size(),
                "manifest layers, diff_ids and history disagree in " + tarball);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerRefs.size(); i++) {
            byte[] compressed = blob(files, layerRefs.get(i).path("digest").asText());
            byte[] plain;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                plain = in.readAllBytes();
            }
            require(("sha256:" + sha256(plain)).equals(diffIds.get(i).asText()), "layer " + i + " does not match its diff_id");
            layers.add(new Layer(comments.get(i), entries(plain)));
        }
        return new OciImage(tarball, refName, config, layers);
    }

    private static Map<String, Entry> entries(byte[] layerTar) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(layerTar))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String path = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
                if (path.isEmpty() || path.equals(".")) {
                    continue;
                }
                byte[] content = null;
                if (e.isFile() && e.getSize() < KEEP_CONTENT_BELOW) {
                    content = tar.readAllBytes();
                }
                entries.put(path, new Entry(path, (int) e.getLongUserId(), (int) e.getLongGroupId(), e.getMode(),
                        e.isDirectory(), e.isSymbolicLink(), e.getSize(), content));
            }
        }
        return entries;
    }

    private static byte[] blob(Map<String, byte[]> files, String digest) {
        require(digest.startsWith("sha256:"), "unexpected digest " + digest);
        byte[] bytes = files.get("blobs/sha256/" + digest.substring(7));
        require(bytes != null, "missing blob " + digest);
        require(sha256(bytes).equals(digest.substring(7)), "blob " + digest + " does not match its digest");
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** The container settings ({@code config.config}). */
    JsonNode container() {
        return config.path("config");
    }

    /** Every path of every layer (later layers win). */
    Map<String, Entry> files() {
        Map<String, Entry> all = new LinkedHashMap<>();
        layers.forEach(l -> all.putAll(l.entries()));
        return all;
    }

    Layer layer(String comment) {
        return layers.stream().filter(l -> l.comment().equals(comment)).findFirst()
                .orElseThrow(() -> new AssertionError("no layer '" + comment + "' in " + tarball + ": "
                        + layers.stream().map(Layer::comment).toList()));
    }

    /** Writes every layer into {@code root}, in order (regular files, folders and symbolic links; owners are not applied). */
    void extractTo(Path root) throws IOException {
        // Read the archive again: Entry keeps only small files' bytes.
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            Map<String, byte[]> blobs = new HashMap<>();
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    blobs.put(e.getName(), tar.readAllBytes());
                }
            }
            JsonNode index = JSON.readTree(blobs.get("index.json"));
            JsonNode manifest = JSON.readTree(blobs.get("blobs/sha256/"
                    + index.path("manifests").get(0).path("digest").asText().substring(7)));
            for (JsonNode layerRef : manifest.path("layers")) {
                byte[] compressed = blobs.get("blobs/sha256/" + layerRef.path("digest").asText().substring(7));
                try (TarArchiveInputStream layer = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(compressed)))) {
                    for (TarArchiveEntry e; (e = layer.getNextEntry()) != null; ) {
                        String path = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                        if (path.isEmpty() || path.equals("./")) {
                            continue;
                        }
                        Path target = root.resolve(path).normalize();
                        if (!target.startsWith(root)) {
                            throw new IOException("entry outside the root: " + e.getName());
                        }
                        if (e.isDirectory()) {
                            Files.createDirectories(target);
                        } else if (e.isSymbolicLink()) {
                            Files.createDirectories(target.getParent());
                            Files.deleteIfExists(target);
                            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                        } else if (e.isFile()) {
                            Files.createDirectories(target.getParent());
                            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                            layer.transferTo(bytes);
                            Files.deleteIfExists(target);
                            Files.write(target, bytes.toByteArray());
                            target.toFile().setExecutable((e.getMode() & 0111) != 0, false);
                        }
                    }
                }
            }
        }
        Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(root.resolve("tmp"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }
}
