package io.qbosync.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.connect.QboCompanies;

/**
 * The {@code companies:} section of {@code routes/mappings/qbo-mappings.yaml}: which QBO company an invoice goes to,
 * chosen by one field of the source invoice (chapter, subsidiary, tenant…), and the DocNumber prefix of each route.
 * Without the section every invoice goes to company {@value #DEFAULT_COMPANY} with {@code sync.invoice.doc-number-prefix}.
 *
 * <p>Invoice numbers of routes that share a company must never collide in QBO, so within one company no prefix may
 * be a prefix of another (equal ones included): "N-" and "N-W" would turn North's "W100" and North-West's "100" into
 * the same DocNumber. Such a file is refused with the routes and prefixes named.
 *
 * @param field     the source invoice field read, e.g. {@code chapter}; null without the section
 * @param routes    field value → route, in file order
 * @param otherwise the route of an invoice whose field is empty or not listed; empty: such an invoice fails
 */
public record CompanyRouting(String field, Map<String, Route> routes, Optional<Route> otherwise) {

    /** The company key of a node without routing: {@code qbo.company.*} or the sandbox's one company. */
    public static final String DEFAULT_COMPANY = QboCompanies.DEFAULT_KEY;

    /**
     * Where one group of invoices goes.
     *
     * @param name            the field value, or {@code otherwise}
     * @param company         a company key: {@code qbo.companies.<key>.*} in the configuration, or a sandbox company
     * @param docNumberPrefix put before the source's invoice number in QBO's DocNumber
     */
    public record Route(String name, String company, String docNumberPrefix) {
    }

    /** Routing of a node without a {@code companies:} section. */
    public static CompanyRouting single(String docNumberPrefix) {
        return new CompanyRouting(null, Map.of(), Optional.of(new Route("otherwise", DEFAULT_COMPANY, docNumberPrefix)));
    }

    /** The route of a source invoice (its raw JSON), or empty when its field names no route and there is no otherwise. */
    public Optional<Route> routeOf(JsonNode invoice) {
        if (field == null) {
            return otherwise;
        }
        JsonNode value = invoice.path(field);
        if (value.isValueNode() && !value.asText().isBlank()) {
            Route route = routes.get(value.asText().strip());
            if (route != null) {
                return Optional.of(route);
            }
        }
        return otherwise;
    }

    /** Every company key an invoice can be routed to, in file order. */
    public Set<String> companies() {
        Set<String> keys = new LinkedHashSet<>();
        routes.values().forEach(r -> keys.add(r.company()));
        otherwise.ifPresent(r -> keys.add(r.company()));
        return keys;
    }

    /** Reads the section; a missing key or overlapping prefixes fail with what to change. */
    static CompanyRouting from(Object section, String defaultPrefix, String file) {
        if (section == null) {
            return single(defaultPrefix);
        }
        if (!(section instanceof Map<?, ?> map)) {
            throw new IllegalStateException(file + ": companies must be a mapping with by, routes and otherwise");
        }
        Object by = map.get("by");
        if (!(by instanceof String field) || field.isBlank()) {
            throw new IllegalStateException(file + ": companies.by must name the source invoice field that picks the"
                    + " company, e.g. by: chapter");
        }
        Map<String, Route> routes = new LinkedHashMap<>();
        if (map.get("routes") instanceof Map<?, ?> byValue) {
            byValue.forEach((value, spec) -> routes.put(value.toString().strip(),
                    route(value.toString().strip(), spec, file + ": companies.routes." + value)));
        } else if (map.get("routes") != null) {
            throw new IllegalStateException(file + ": companies.routes must map each " + field + " to a company");
        }
        Optional<Route> otherwise = map.get("otherwise") == null ? Optional.empty()
                : Optional.of(route("otherwise", map.get("otherwise"), file + ": companies.otherwise"));
        if (routes.isEmpty() && otherwise.isEmpty()) {
            throw new IllegalStateException(file + ": companies lists no routes and no otherwise: no invoice could go anywhere");
        }
        CompanyRouting routing = new CompanyRouting(field.strip(), java.util.Collections.unmodifiableMap(routes), otherwise);
        routing.refuseOverlappingPrefixes(file);
        return routing;
    }

    private static Route route(String name, Object spec, String where) {
        if (!(spec instanceof Map<?, ?> m) || !(m.get("company") instanceof String company) || company.isBlank()) {
            throw new IllegalStateException(where + " must name its company, e.g. { company: main, docNumberPrefix: \"N-\" }");
        }
        Object prefix = m.get("docNumberPrefix");
        if (prefix != null && !(prefix instanceof String)) {
            throw new IllegalStateException(where + ".docNumberPrefix must be text (quote it), was " + prefix);
        }
        for (Object key : m.keySet()) {
            if (!"company".equals(key) && !"docNumberPrefix".equals(key)) {
                throw new IllegalStateException(where + ": unknown key " + key + " (company, docNumberPrefix)");
            }
        }
        return new Route(name, company.strip(), prefix == null ? "" : (String) prefix);
    }

    private void refuseOverlappingPrefixes(String file) {
        Map<String, List<Route>> byCompany = new TreeMap<>();
        routes.values().forEach(r -> byCompany.computeIfAbsent(r.company(), k -> new ArrayList<>()).add(r));
        otherwise.ifPresent(r -> byCompany.computeIfAbsent(r.company(), k -> new ArrayList<>()).add(r));
        List<String> clashes = new ArrayList<>();
        byCompany.forEach((company, shared) -> {
            for (int i = 0; i < shared.size(); i++) {
                for (int j = i + 1; j < shared.size(); j++) {
                    Route a = shared.get(i);
                    Route b = shared.get(j);
                    if (a.docNumberPrefix().startsWith(b.docNumberPrefix()) || b.docNumberPrefix().startsWith(a.docNumberPrefix())) {
                        clashes.add(a.name() + " ('" + a.docNumberPrefix() + "') and " + b.name() + " ('"
                                + b.docNumberPrefix() + "') in company " + company);
                    }
                }
            }
        });
        if (!clashes.isEmpty()) {
            throw new IllegalStateException(file + ": invoice numbers of routes sharing a QBO company could collide: "
                    + String.join("; ", clashes) + ". Give each route of a company its own docNumberPrefix, none the"
                    + " start of another (e.g. \"N-\" and \"S-\").");
        }
    }
}
