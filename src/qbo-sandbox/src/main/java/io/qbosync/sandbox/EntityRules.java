package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one QBO entity type allows and computes. The {@link EntityService} runs the generic
 * create / update / delete / void flow and asks the rules for everything type-specific, so a new
 * entity (CreditMemo, RefundReceipt, Purchase) is one more subclass registered in {@link EntityCatalog}.
 */
abstract class EntityRules {
    /** A transaction's share of a customer's open balance. */
    record Contribution(long customerId, BigDecimal amount) {
    }

    /** Fields the server owns on every entity; stripped from input. */
    static final Set<String> SERVER_FIELDS = Set.of("Id", "SyncToken", "MetaData", "domain", "sparse", "status");

    private final String name;
    private final String plural;
    private final Map<String, QueryField> queryFields = new LinkedHashMap<>();

    protected EntityRules(String name, String plural) {
        this.name = name;
        this.plural = plural;
        addQueryField(new QueryField("Id", QueryField.Kind.ID, (r, n) -> n.get("Id")));
        addQueryField(QueryField.plain("MetaData.CreateTime", QueryField.Kind.DATETIME));
        addQueryField(QueryField.plain("MetaData.LastUpdatedTime", QueryField.Kind.DATETIME));
    }

    /** Entity name as in JSON envelopes and queries: {@code Customer}. */
    final String name() {
        return name;
    }

    /** URL path segment: {@code customer}. */
    final String path() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Lower-case plural used in 610 details: {@code customers}. */
    final String plural() {
        return plural;
    }

    /** List entities (Customer, Item…) are never deleted, only made inactive, and are queried active-only. */
    abstract boolean isList();

    boolean supportsDelete() {
        return !isList();
    }

    boolean supportsVoid() {
        return false;
    }

    /** Read-only fields of this type besides {@link #SERVER_FIELDS}: dropped from input, kept or recomputed. */
    Set<String> readOnlyFields() {
        return Set.of();
    }

    protected final void addQueryField(QueryField f) {
        queryFields.put(f.name().toLowerCase(Locale.ROOT), f);
    }

    /** Queryable properties keyed by lower-case name. */
    final Map<String, QueryField> queryFields() {
        return queryFields;
    }

    /**
     * Validates {@code candidate} (a private copy, server fields removed) and fills computed fields.
     * {@code previous} is the stored version on update, null on create. Adds errors, never throws them.
     */
    abstract void prepare(WriteContext ctx, ObjectNode candidate, ObjectNode previous, FaultCollector faults);

    /** Changes to other entities caused by this write ({@code after} null = delete). */
    List<Change> linkedChanges(WriteContext ctx, ObjectNode before, ObjectNode after) {
        return List.of();
    }

    /** Refuses a delete that QBO would refuse (e.g. an invoice with payments). */
    void checkDelete(WriteContext ctx, Stored current) {
    }

    /** Voided copy of {@code current} (amounts zeroed, note prefixed); SyncToken and MetaData are stamped later. */
    ObjectNode voided(WriteContext ctx, ObjectNode current) {
        throw Faults.fault(Faults.unsupported("Operation void is not supported for " + name + "."));
    }

    /** The node as the API shows it (derived fields filled in). Must not mutate {@code stored}. */
    ObjectNode render(RealmState realm, ObjectNode stored) {
        return stored;
    }

    /** Namespace of the unique name (6240), or null when names need not be unique. */
    String nameNamespace() {
        return null;
    }

    String uniqueName(JsonNode node) {
        return null;
    }

    /** Whether DocNumber is unique per type (6140) and auto-numbered. */
    boolean docNumbered() {
        return false;
    }

    Contribution balanceContribution(Stored s) {
        return null;
    }

    /** The parent id for hierarchies (sub-customers), or null. */
    Long parentId(JsonNode node) {
        return null;
    }

    /** Field used by the 2500 message for references to this type: "Names", "Accounts", "Items"… */
    String referenceGroup() {
        return name + "s";
    }

    // ---- helpers shared by subclasses ----

    /** A required string field: adds 2020 when absent or blank. */
    static String requireText(ObjectNode node, String field, FaultCollector faults) {
        String v = Json.text(node, field);
        if (v == null || v.isBlank()) {
            faults.add(Faults.requiredParam(field));
            return null;
        }
        return v;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Bumps a SyncToken string: "3" → "4". */
    static String nextSyncToken(String token) {
        try {
            return Long.toString(Long.parseLong(token) + 1);
        } catch (NumberFormatException e) {
            return "1";
        }
    }

    /** FullyQualifiedName through the ParentRef chain: {@code Parent:Child}. */
    static String qualifiedName(RealmState realm, String type, ObjectNode node, String nameField) {
        StringBuilder sb = new StringBuilder(Json.text(node, nameField) == null ? "" : Json.text(node, nameField));
        String parent = Json.refValue(node, "ParentRef");
        int guard = 0;
        while (parent != null && guard++ < 10) {
            Stored p;
            try {
                p = realm.get(type, Long.parseLong(parent));
            } catch (NumberFormatException e) {
                break;
            }
            if (p == null) {
                break;
            }
            sb.insert(0, Json.text(p.node(), nameField) + ":");
            parent = Json.refValue(p.node(), "ParentRef");
        }
        return sb.toString();
    }

    /** Depth below the top of the ParentRef chain (0 = top). */
    static int level(RealmState realm, String type, JsonNode node) {
        int level = 0;
        String parent = Json.refValue(node, "ParentRef");
        while (parent != null && level < 20) {
            Stored p;
            try {
                p = realm.get(type, Long.parseLong(parent));
            } catch (NumberFormatException e) {
                break;
            }
            if (p == null) {
                break;
            }
            level++;
            parent = Json.refValue(p.node(), "ParentRef");
        }
        return level;
    }
}
