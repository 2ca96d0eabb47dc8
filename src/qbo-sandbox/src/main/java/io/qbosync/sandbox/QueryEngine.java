package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs parsed queries against a realm's in-memory tables. List entities are active-only unless the query
 * filters on Active; deleted transactions never match. Equality on Id, the unique name or DocNumber uses
 * the realm's indexes instead of a scan.
 */
final class QueryEngine {
    static final int DEFAULT_MAX = 100;
    static final int MAX_MAX = 1000;

    private final EntityCatalog catalog;
    private final CompanyClock clock;
    private final Function<RealmState, ObjectNode> companyInfo;

    QueryEngine(EntityCatalog catalog, CompanyClock clock, Function<RealmState, ObjectNode> companyInfo) {
        this.catalog = catalog;
        this.clock = clock;
        this.companyInfo = companyInfo;
    }

    /** Parses and runs {@code query}; returns the {@code QueryResponse} object. Caller holds the read lock. */
    ObjectNode run(RealmState realm, String query) {
        QueryStatement q = QueryParser.parse(query);
        ObjectNode response = Json.object();
        String entityLower = q.entity().toLowerCase(Locale.ROOT);
        if (entityLower.equals("companyinfo") || entityLower.equals("preferences")) {
            ObjectNode single = entityLower.equals("companyinfo") ? companyInfo.apply(realm) : realm.preferences();
            String name = entityLower.equals("companyinfo") ? "CompanyInfo" : "Preferences";
            if (q.count()) {
                response.put("totalCount", 1);
            } else {
                response.putArray(name).add(single);
                response.put("startPosition", 1);
                response.put("maxResults", 1);
            }
            return response;
        }
        EntityRules type = catalog.find(q.entity());
        if (type == null) {
            throw Faults.fault(Faults.queryValidation("Invalid entity name : " + q.entity()));
        }
        List<Predicate> predicates = new ArrayList<>();
        boolean filtersActive = false;
        for (QueryStatement.Condition c : q.where()) {
            QueryField f = field(type, c.field());
            if (f.name().equals("Active")) {
                filtersActive = true;
            }
            predicates.add(predicate(f, c));
        }
        List<Comparator<Stored>> order = new ArrayList<>();
        for (QueryStatement.Order o : q.orderBy()) {
            QueryField f = field(type, o.field());
            Comparator<Stored> cmp = Comparator.comparing(s -> sortKey(f, f.read(realm, s.node())),
                    Comparator.nullsFirst(QueryEngine::compareKeys));
            order.add(o.descending() ? cmp.reversed() : cmp);
        }
        boolean activeOnly = type.isList() && !filtersActive;

        List<Stored> matches = new ArrayList<>();
        for (Stored s : candidates(realm, type, q)) {
            if (s.deleted() || (activeOnly && !Json.bool(s.node(), "Active", true))) {
                continue;
            }
            boolean ok = true;
            for (Predicate p : predicates) {
                if (!p.test(realm, s.node())) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                matches.add(s);
            }
        }
        if (q.count()) {
            response.put("totalCount", matches.size());
            return response;
        }
        if (!order.isEmpty()) {
            Comparator<Stored> all = order.get(0);
            for (int i = 1; i < order.size(); i++) {
                all = all.thenComparing(order.get(i));
            }
            matches.sort(all.thenComparingLong(Stored::id));
        }
        int start = Math.max(1, q.startPosition() == null ? 1 : q.startPosition());
        int max = q.maxResults() == null ? DEFAULT_MAX : Math.min(MAX_MAX, Math.max(0, q.maxResults()));
        int from = Math.min(matches.size(), start - 1);
        int to = Math.min(matches.size(), from + max);
        if (from >= to) {
            return response; // QBO answers {} without the entity key when nothing matches
        }
        ArrayNode rows = response.putArray(type.name());
        for (Stored s : matches.subList(from, to)) {
            rows.add(type.render(realm, s.node()));
        }
        response.put("startPosition", start);
        response.put("maxResults", to - from);
        return response;
    }

    private static QueryField field(EntityRules type, String name) {
        QueryField f = type.queryFields().get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw Faults.fault(Faults.queryValidation("property '" + name + "' is not queryable"));
        }
        return f;
    }

    /** Index look-ups for selective equality conditions; otherwise the whole table in Id order. */
    private static Collection<Stored> candidates(RealmState realm, EntityRules type, QueryStatement q) {
        for (QueryStatement.Condition c : q.where()) {
            String field = c.field().toLowerCase(Locale.ROOT);
            if (!c.op().equals("=") && !c.op().equals("IN")) {
                continue;
            }
            Set<Long> ids = new LinkedHashSet<>();
            if (field.equals("id")) {
                for (QueryStatement.Value v : c.values()) {
                    try {
                        ids.add(Long.parseLong(v.text().trim()));
                    } catch (NumberFormatException e) {
                        // an id that is not a number matches nothing
                    }
                }
            } else if (type.nameNamespace() != null && isUniqueNameField(type, field)) {
                for (QueryStatement.Value v : c.values()) {
                    Long id = realm.idByName(type.nameNamespace(), v.text());
                    if (id != null) {
                        ids.add(id);
                    }
                }
            } else if (type.docNumbered() && field.equals("docnumber")) {
                for (QueryStatement.Value v : c.values()) {
                    ids.addAll(realm.idsByDocNumber(type.name(), v.text()));
                }
            } else {
                continue;
            }
            List<Stored> out = new ArrayList<>();
            for (Long id : new java.util.TreeSet<>(ids)) {
                Stored s = realm.get(type.name(), id);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }
        return realm.all(type.name());
    }

    private static boolean isUniqueNameField(EntityRules type, String lowerField) {
        return type instanceof PartyRules ? lowerField.equals("displayname") : lowerField.equals("name");
    }

    @FunctionalInterface
    private interface Predicate {
        boolean test(RealmState realm, ObjectNode node);
    }

    private Predicate predicate(QueryField f, QueryStatement.Condition c) {
        String op = c.op();
        if (f.kind() == QueryField.Kind.ID && !op.equals("=") && !op.equals("IN")) {
            throw Faults.fault(Faults.queryValidation("operator '" + op + "' is not supported for property 'Id'"));
        }
        if (op.equals("LIKE") && f.kind() != QueryField.Kind.STRING) {
            throw Faults.fault(Faults.queryValidation("operator 'LIKE' is not supported for property '" + f.name() + "'"));
        }
        List<Object> values = new ArrayList<>();
        for (QueryStatement.Value v : c.values()) {
            values.add(literal(f, v));
        }
        if (op.equals("LIKE")) {
            String pattern = ((String) values.get(0)).toLowerCase(Locale.ROOT);
            return (realm, node) -> {
                JsonNode actual = f.read(realm, node);
                return actual != null && like(actual.asText().toLowerCase(Locale.ROOT), pattern);
            };
        }
        return (realm, node) -> {
            Object actual = sortKey(f, f.read(realm, node));
            if (actual == null) {
                return false;
            }
            if (op.equals("IN") || op.equals("=")) {
                for (Object v : values) {
                    if (compareKeys(actual, v) == 0) {
                        return true;
                    }
                }
                return false;
            }
            int cmp = compareKeys(actual, values.get(0));
            return switch (op) {
                case "<" -> cmp < 0;
                case ">" -> cmp > 0;
                case "<=" -> cmp <= 0;
                case ">=" -> cmp >= 0;
                default -> false;
            };
        };
    }

    /** Converts a literal to the comparable form of the field's kind (4001 when it cannot be). */
    private Object literal(QueryField f, QueryStatement.Value v) {
        String text = v.text();
        try {
            return switch (f.kind()) {
                case STRING -> text.toLowerCase(Locale.ROOT);
                case ID, REF -> idKey(text);
                case NUMBER -> new BigDecimal(text.trim());
                case BOOLEAN -> {
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException(text);
                    }
                    yield Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
                }
                case DATE -> text.trim().length() >= 10 ? text.trim().substring(0, 10) : text.trim();
                case DATETIME -> clock.parseInstant(text);
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw Faults.fault(Faults.queryValidation("value '" + text + "' is not valid for property '" + f.name() + "'"));
        }
    }

    /** The comparable form of a stored value, or null when absent. */
    private Object sortKey(QueryField f, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        return switch (f.kind()) {
            case STRING -> v.asText().toLowerCase(Locale.ROOT);
            case ID, REF -> idKey(v.asText());
            case NUMBER -> v.isNumber() ? v.decimalValue() : parseDecimal(v.asText());
            case BOOLEAN -> v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
            case DATE -> v.asText();
            case DATETIME -> {
                try {
                    yield clock.parseInstant(v.asText());
                } catch (DateTimeParseException e) {
                    yield null;
                }
            }
        };
    }

    private static Object idKey(String text) {
        String t = text.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return t.toLowerCase(Locale.ROOT);
        }
    }

    private static BigDecimal parseDecimal(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    /** SQL-style LIKE with {@code %} only (every other character is literal). */
    static boolean like(String text, String pattern) {
        String[] parts = pattern.split("%", -1);
        if (parts.length == 1) {
            return text.equals(pattern);
        }
        int pos = 0;
        if (!text.startsWith(parts[0])) {
            return false;
        }
        pos = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int at = text.indexOf(parts[i], pos);
            if (at < 0) {
                return false;
            }
            pos = at + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return text.length() - pos >= last.length() && text.endsWith(last);
    }
}
