package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One company's entities in memory, with the indexes that keep uniqueness checks and queries cheap.
 * Writers hold the write lock (and commit to H2 before releasing it); readers hold the read lock only
 * while collecting node references, which are immutable.
 */
final class RealmState {
    private final String id;
    /** Key prefix of this realm's rows in the database. */
    private final int seq;
    private final long createdMs;
    private volatile String name;
    private volatile String clientId;
    private volatile ObjectNode preferences;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final Map<String, TreeMap<Long, Stored>> tables = new HashMap<>();
    private long nextId = 1;
    /** namespace → lower-case unique name → entity id. */
    private final Map<String, Map<String, Long>> names = new HashMap<>();
    /** entity type + lower-case DocNumber → ids of live transactions carrying it. */
    private final Map<String, TreeSet<Long>> docNumbers = new HashMap<>();
    private final Map<String, Long> maxNumericDocNumber = new HashMap<>();
    /** customer id → open A/R derived from invoices and unapplied payments. */
    private final Map<Long, BigDecimal> customerBalance = new HashMap<>();
    /** parent id → child ids (sub-customers). */
    private final Map<Long, Set<Long>> children = new HashMap<>();

    /** Keys of request ids logged for replay; a miss here spares the database look-up. Guarded by the write lock. */
    final LongSet requestKeys = new LongSet();

    RealmState(String id, int seq, String name, String clientId, long createdMs, ObjectNode preferences) {
        this.id = id;
        this.seq = seq;
        this.name = name;
        this.clientId = clientId;
        this.createdMs = createdMs;
        this.preferences = preferences;
    }

    String id() {
        return id;
    }

    int seq() {
        return seq;
    }

    String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }

    String clientId() {
        return clientId;
    }

    long createdMs() {
        return createdMs;
    }

    ObjectNode preferences() {
        return preferences;
    }

    void preferences(ObjectNode prefs) {
        this.preferences = prefs;
    }

    boolean customTxnNumbers() {
        return Json.bool(preferences.path("SalesFormsPrefs"), "CustomTxnNumbers", false);
    }

    Stored get(String type, long entityId) {
        TreeMap<Long, Stored> t = tables.get(type);
        return t == null ? null : t.get(entityId);
    }

    NavigableMap<Long, Stored> table(String type) {
        return tables.computeIfAbsent(type, k -> new TreeMap<>());
    }

    Collection<Stored> all(String type) {
        return table(type).values();
    }

    long allocateId() {
        return nextId++;
    }

    Long idByName(String namespace, String uniqueName) {
        Map<String, Long> ns = names.get(namespace);
        return ns == null || uniqueName == null ? null : ns.get(key(uniqueName));
    }

    /** Live transactions of {@code type} that carry {@code docNumber} (case-insensitive). */
    Set<Long> idsByDocNumber(String type, String docNumber) {
        TreeSet<Long> ids = docNumbers.get(type + '\u0000' + key(docNumber));
        return ids == null ? Set.of() : ids;
    }

    long maxNumericDocNumber(String type) {
        return maxNumericDocNumber.getOrDefault(type, 0L);
    }

    BigDecimal customerBalance(long customerId) {
        return customerBalance.getOrDefault(customerId, BigDecimal.ZERO);
    }

    Set<Long> children(long parentId) {
        return children.getOrDefault(parentId, Set.of());
    }

    /** Replaces (or inserts) one entity and keeps every index in step. */
    void put(EntityRules rules, Stored next) {
        long entityId = next.id();
        NavigableMap<Long, Stored> t = table(rules.name());
        Stored prev = t.put(entityId, next);
        unindex(rules, prev);
        index(rules, next);
        if (entityId >= nextId) {
            nextId = entityId + 1;
        }
    }

    void clear() {
        tables.clear();
        names.clear();
        docNumbers.clear();
        maxNumericDocNumber.clear();
        customerBalance.clear();
        children.clear();
        nextId = 1;
    }

    Map<String, Integer> counts() {
        Map<String, Integer> out = new TreeMap<>();
        tables.forEach((type, rows) -> {
            int n = 0;
            for (Stored s : rows.values()) {
                if (!s.deleted()) {
                    n++;
                }
            }
            out.put(type, n);
        });
        return out;
    }

    private void index(EntityRules rules, Stored s) {
        if (s == null) {
            return;
        }
        long entityId = s.id();
        String ns = rules.nameNamespace();
        String uniqueName = rules.uniqueName(s.node());
        if (ns != null && uniqueName != null && !s.deleted()) {
            names.computeIfAbsent(ns, k -> new HashMap<>()).put(key(uniqueName), entityId);
        }
        if (rules.docNumbered()) {
            String doc = Json.text(s.node(), "DocNumber");
            if (doc != null) {
                if (!s.deleted()) {
                    docNumbers.computeIfAbsent(rules.name() + '\u0000' + key(doc), k -> new TreeSet<>()).add(entityId);
                }
                // Deleted transactions still count, so numbers are never handed out twice (also after a restart).
                long numeric = numeric(doc);
                if (numeric > maxNumericDocNumber(rules.name())) {
                    maxNumericDocNumber.put(rules.name(), numeric);
                }
            }
        }
        EntityRules.Contribution c = rules.balanceContribution(s);
        if (c != null) {
            customerBalance.merge(c.customerId(), c.amount(), BigDecimal::add);
        }
        Long parent = rules.parentId(s.node());
        if (parent != null) {
            children.computeIfAbsent(parent, k -> new HashSet<>()).add(entityId);
        }
    }

    private void unindex(EntityRules rules, Stored s) {
        if (s == null) {
            return;
        }
        long entityId = s.id();
        String ns = rules.nameNamespace();
        String uniqueName = rules.uniqueName(s.node());
        if (ns != null && uniqueName != null) {
            Map<String, Long> m = names.get(ns);
            if (m != null) {
                m.remove(key(uniqueName), entityId);
            }
        }
        if (rules.docNumbered()) {
            String doc = Json.text(s.node(), "DocNumber");
            if (doc != null) {
                TreeSet<Long> ids = docNumbers.get(rules.name() + '\u0000' + key(doc));
                if (ids != null) {
                    ids.remove(entityId);
                }
            }
        }
        EntityRules.Contribution c = rules.balanceContribution(s);
        if (c != null) {
            customerBalance.merge(c.customerId(), c.amount().negate(), BigDecimal::add);
        }
        Long parent = rules.parentId(s.node());
        if (parent != null) {
            Set<Long> kids = children.get(parent);
            if (kids != null) {
                kids.remove(entityId);
            }
        }
    }

    static String key(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }

    /** The value of an all-digit DocNumber (for auto-numbering); 0 otherwise. */
    static long numeric(String doc) {
        String d = doc.trim();
        if (d.isEmpty() || d.length() > 18) {
            return 0;
        }
        for (int i = 0; i < d.length(); i++) {
            if (!Character.isDigit(d.charAt(i))) {
                return 0;
            }
        }
        return Long.parseLong(d);
    }
}
