package io.qbosync.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Resolves an invoice's category and type to a QBO item through {@code routes/mappings/qbo-mappings.yaml}: the
 * specific type, then "All Memberships" / "All Events", then the default; and reads the file's {@code customers:}
 * section ({@link #customers()}). Re-reads the file when it changes so that an integration engineer's edit applies to
 * the next record without a restart.
 */
@Component("mappingResolver")
public class MappingResolver {

    private static final Logger LOG = LoggerFactory.getLogger(MappingResolver.class);
    private static final Map<String, String> SECTIONS = Map.of("membership", "memberships", "event", "events");
    private static final Map<String, String> CATCH_ALL = Map.of("membership", "All Memberships", "event", "All Events");

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(FileTime modified, Map<String, Object> rules, CustomerSettings customers) {
    }

    public MappingResolver(@Value("${sync.mappings.file:routes/mappings/qbo-mappings.yaml}") String file) {
        this.file = Path.of(file);
        this.loaded = load();
    }

    /**
     * @param category {@code membership}, {@code event} or {@code other}
     * @param typeName membership type or event name, may be null
     * @return the rule that applies, or empty when neither a specific, catch-all nor default rule exists
     */
    public Optional<MappingRule> resolve(String category, String typeName) {
        Map<String, Object> rules = current();
        String section = SECTIONS.get(category);
        if (section != null && rules.get(section) instanceof Map<?, ?> byType) {
            if (typeName != null && byType.get(typeName) instanceof Map<?, ?> specific && specific.get("itemSku") != null) {
                return Optional.of(new MappingRule(section + "/" + typeName, specific.get("itemSku").toString()));
            }
            String catchAll = CATCH_ALL.get(category);
            if (byType.get(catchAll) instanceof Map<?, ?> fallback && fallback.get("itemSku") != null) {
                return Optional.of(new MappingRule(section + "/" + catchAll + " (fallback)", fallback.get("itemSku").toString()));
            }
        }
        if (rules.get("default") instanceof Map<?, ?> dflt && dflt.get("itemSku") != null) {
            return Optional.of(new MappingRule("default", dflt.get("itemSku").toString()));
        }
        return Optional.empty();
    }

    /** How parties become customers: the file's {@code customers:} section ({@link CustomerSettings}). */
    public CustomerSettings customers() {
        current();
        return loaded.customers();
    }

    private Map<String, Object> current() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(loaded.modified())) {
                loaded = load();
                LOG.info("Reloaded mapping rules from {}", file);
            }
        } catch (IOException | RuntimeException e) {
            // Keep the last good rules: a half-saved file must not fail every invoice.
            LOG.warn("Keeping previous mapping rules; cannot read {}: {}", file, e.getMessage());
        }
        return loaded.rules();
    }

    private Loaded load() {
        try (InputStream in = Files.newInputStream(file)) {
            FileTime modified = Files.getLastModifiedTime(file);
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (!(doc instanceof Map<?, ?> map)) {
                throw new IllegalStateException("Mapping file " + file + " must be a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> rules = (Map<String, Object>) map;
            return new Loaded(modified, rules, CustomerSettings.from(rules.get("customers")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read mapping file " + file.toAbsolutePath(), e);
        }
    }
}
