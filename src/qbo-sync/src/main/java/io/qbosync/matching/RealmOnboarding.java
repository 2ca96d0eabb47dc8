package io.qbosync.matching;

import io.qbosync.source.feed.NameKeys;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.qbosync.connect.QboCompanies;
import io.qbosync.gateway.QboGateway;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.IndexedCustomer;
import io.qbosync.store.QboIndexRepository.IndexedItem;
import io.qbosync.store.QboIndexRepository.Onboarding;

/**
 * Onboarding, match first: before anything is created in a newly connected QBO company, its active customers and
 * items are imported into the sync store ({@link QboIndexRepository}); from then on {@link CustomerMatcher} and
 * {@link ItemResolver} read that index, so a record costs no lookup request and a customer made by hand in QBO before
 * the connection is linked rather than duplicated. Runs once per company from the poll route ({@link #ensureOnboarded})
 * and again on demand ({@link #onboard}), which refreshes the index (upsert) without touching existing links.
 */
@Component("realmOnboarding")
public class RealmOnboarding {

    private static final Logger LOG = LoggerFactory.getLogger(RealmOnboarding.class);
    static final int PAGE = 1000;

    private final QboGateway qbo;
    private final QboIndexRepository index;
    private final QboCompanies companies;
    private final Set<String> onboarded = ConcurrentHashMap.newKeySet();

    public RealmOnboarding(QboGateway qbo, QboIndexRepository index, QboCompanies companies) {
        this.qbo = qbo;
        this.index = index;
        this.companies = companies;
    }

    /**
     * The poll route's first step: imports each connected company once, before its first page is registered. A
     * company known to be onboarded is not asked again: with many companies per node that would be one store query
     * per company per poll.
     */
    public void ensureOnboarded() {
        for (String realmId : companies.realmIds()) {
            if (!onboarded.contains(realmId)) {
                if (index.onboarding(realmId).isEmpty()) {
                    onboard(realmId, "qbo-sync");
                }
                onboarded.add(realmId);
            }
        }
    }

    /** Imports (or refreshes) the company's active customers and items; returns what was imported. */
    public synchronized Onboarding onboard(String realmId, String requestedBy) {
        long start = System.nanoTime();
        int[] requests = {0};
        int customers = page(realmId, "Customer", requests, c -> index.upsertCustomer(customer(realmId, c),
                NameKeys.email(text(c.get("PrimaryEmailAddr"), "Address")), NameKeys.name(str(c.get("DisplayName"))),
                NameKeys.name(str(c.get("CompanyName")))));
        int items = page(realmId, "Item", requests, i -> index.upsertItem(new IndexedItem(realmId, str(i.get("Id")),
                str(i.get("Name")), str(i.get("Sku"))), NameKeys.sku(str(i.get("Sku"))), NameKeys.name(str(i.get("Name")))));
        Onboarding done = new Onboarding(realmId, customers, items, requests[0], requestedBy, OffsetDateTime.now(ZoneOffset.UTC));
        index.recordOnboarding(done);
        LOG.info("Onboarded QBO company {}: {} active customers and {} items imported for matching in {} QBO requests"
                + " ({} ms, requested by {})", realmId, customers, items, requests[0],
                (System.nanoTime() - start) / 1_000_000, requestedBy);
        return done;
    }

    private int page(String realmId, String entity, int[] requests, Consumer<Map<String, Object>> each) {
        int n = 0;
        for (int position = 1;; position += PAGE) {
            List<Map<String, Object>> rows = qbo.query(realmId, "SELECT * FROM " + entity + " STARTPOSITION " + position
                    + " MAXRESULTS " + PAGE);
            requests[0]++;
            rows.forEach(each);
            n += rows.size();
            if (rows.size() < PAGE) {
                return n;
            }
        }
    }

    private static IndexedCustomer customer(String realmId, Map<String, Object> c) {
        boolean person = !str(c.get("GivenName"), "").isBlank() || !str(c.get("FamilyName"), "").isBlank();
        boolean job = Boolean.TRUE.equals(c.get("Job"));
        return new IndexedCustomer(realmId, str(c.get("Id")), str(c.get("DisplayName"), ""), str(c.get("CompanyName")),
                text(c.get("PrimaryEmailAddr"), "Address"), person, job ? text(c.get("ParentRef"), "value") : null,
                str(c.get("SyncToken")));
    }

    private static String text(Object node, String field) {
        return node instanceof Map<?, ?> m && m.get(field) != null ? m.get(field).toString() : null;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String str(Object o, String dflt) {
        return o == null ? dflt : o.toString();
    }
}
