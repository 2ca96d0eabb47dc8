package io.qbosync.connect;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The QBO companies this node syncs into, by the company key the mapping file routes invoices to
 * ({@code companies:} in {@code routes/mappings/qbo-mappings.yaml}; {@code default} without it). Filled once by
 * {@link RealmProvisioner} before the routes start; read on every registration, so reads take no lock.
 */
@Component("qboCompanies")
public class QboCompanies {

    /** The company key of a node without routing: {@code qbo.company.*} or the sandbox's one company. */
    public static final String DEFAULT_KEY = "default";

    private volatile Map<String, String> realms = Map.of();

    /** The realm of a company key, empty when that key is not connected. */
    public Optional<String> realmOf(String companyKey) {
        return Optional.ofNullable(realms.get(companyKey));
    }

    /** Company key → realm, in the order they were connected. */
    public Map<String, String> all() {
        return realms;
    }

    public Collection<String> realmIds() {
        return realms.values();
    }

    public boolean anyConnected() {
        return !realms.isEmpty();
    }

    /** The company ops views and actions use when none is named: the only one, else the first connected. */
    public Optional<String> firstRealm() {
        List<String> ids = List.copyOf(realms.values());
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    synchronized void connect(String companyKey, String realmId) {
        Map<String, String> next = new LinkedHashMap<>(realms);
        next.put(companyKey, realmId);
        realms = java.util.Collections.unmodifiableMap(next);
    }
}
