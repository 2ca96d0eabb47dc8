package io.qbosync.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.qbosync.connect.RoutedCompanies;

/**
 * Resolves an invoice's category and type to a QBO item through {@code routes/mappings/qbo-mappings.yaml}: the
 * specific type, then "All Memberships" / "All Events", then the default; and reads the file's {@code customers:}
 * section ({@link #customers()}) and its {@code companies:} section ({@link #companies()}). Re-reads the file when it changes so that an integration engineer's edit applies to
 * the next record without a restart.
 */
@Component("mappingResolver")
public class MappingResolver implements RoutedCompanies {

    private static final Logger LOG = LoggerFactory.getLogger(MappingResolver.class);
    private static final Map<String, String> SECTIONS = Map.of("membership", "memberships", "event", "events");
    private static final Map<String, String> CATCH_ALL = Map.of("membership", "All Memberships", "event", "All Events");

    private final List<Path> files;
    private final String docNumberPrefix;
    private volatile Loaded loaded;

    private record Loaded(List<FileTime> modified, Map<String, Object> rules, CustomerSettings customers,
            CompanyRouting companies) {
    }

    /**
     * Reads the file now, so that a file the node cannot work with (overlapping DocNumber prefixes, a route without
     * a company) stops the start-up with its reason instead of failing invoices one by one.
     */
    public MappingResolver(@Value("${sync.mappings.file:routes/mappings/qbo-mappings.yaml}") String file,
            @Value("${sync.invoice.doc-number-prefix:}") String docNumberPrefix) {
        // Several files, comma-separated, add up section by section (e.g. the item rules plus a companies: file).
        this.files = Arrays.stream(file.split(",")).map(String::strip).filter(f -> !f.isEmpty()).map(Path::of).toList();
        this.docNumberPrefix = docNumberPrefix;
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

    /** Which QBO company each invoice goes to: the file's {@code companies:} section ({@link CompanyRouting}). */
    public CompanyRouting companies() {
        current();
        return loaded.companies();
    }

    @Override
    public java.util.Set<String> companyKeys() {
        return companies().companies();
    }

    private Map<String, Object> current() {
        try {
            if (!modifiedTimes().equals(loaded.modified())) {
                loaded = load();
                LOG.info("Reloaded mapping rules from {}", files);
            }
        } catch (IOException | RuntimeException e) {
            // Keep the last good rules: a half-saved file must not fail every invoice.
            LOG.warn("Keeping previous mapping rules; cannot read {}: {}", files, e.getMessage());
        }
        return loaded.rules();
    }

    private List<FileTime> modifiedTimes() throws IOException {
        List<FileTime> times = new ArrayList<>(files.size());
        for (Path f : files) {
            times.add(Files.getLastModifiedTime(f));
        }
        return times;
    }

    private Loaded load() {
        try {
            List<FileTime> modified = modifiedTimes();
            Map<String, Object> rules = new LinkedHashMap<>();
            Map<String, Path> from = new LinkedHashMap<>();
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
                    if (!(doc instanceof Map<?, ?> map)) {
                        throw new IllegalStateException("Mapping file " + f + " must be a YAML mapping");
                    }
                    for (Map.Entry<?, ?> section : map.entrySet()) {
                        String key = section.getKey().toString();
                        Path earlier = from.putIfAbsent(key, f);
                        if (earlier != null) {
                            throw new IllegalStateException("Mapping files " + earlier + " and " + f + " both have a "
                                    + key + ": section; keep it in one");
                        }
                        rules.put(key, section.getValue());
                    }
                }
            }
            String companiesFile = from.containsKey("companies") ? from.get("companies").toString() : files.toString();
            return new Loaded(modified, rules, CustomerSettings.from(rules.get("customers")),
                    CompanyRouting.from(rules.get("companies"), docNumberPrefix, companiesFile));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read mapping file " + e.getMessage(), e);
        }
    }
}
