package io.qbosync.mapping;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code customers:} section of {@code routes/mappings/qbo-mappings.yaml}: how source parties become QBO
 * customers.
 *
 * @param subCustomers   true: a contact who belongs to a company becomes a QBO sub-customer of the company's customer
 *                       ({@code Job} with {@code ParentRef}), synced after it; false: a flat customer with the
 *                       company's name as {@code CompanyName}
 * @param billWithParent QBO {@code BillWithParent} for those sub-customers
 * @param ownedCreated   the QBO fields a source change rewrites on a customer qbo-sync created
 * @param ownedMatched   the QBO fields a source change rewrites on a customer that existed in QBO and was matched
 */
public record CustomerSettings(boolean subCustomers, boolean billWithParent, Set<String> ownedCreated,
        Set<String> ownedMatched) {

    /** Every field the customer mapper writes. */
    public static final List<String> FIELDS = List.of("DisplayName", "GivenName", "FamilyName", "CompanyName",
            "PrimaryEmailAddr", "PrimaryPhone", "BillAddr");

    /** Without a {@code customers:} section: flat customers, all fields owned on created ones, phone and address on matched. */
    public static final CustomerSettings DEFAULTS = new CustomerSettings(false, false, Set.copyOf(FIELDS),
            Set.of("PrimaryPhone", "BillAddr"));

    /** Reads the section; an unknown value or field name fails with the key it came from. */
    static CustomerSettings from(Object section) {
        if (!(section instanceof Map<?, ?> map)) {
            return DEFAULTS;
        }
        Object contacts = map.get("contacts");
        boolean sub;
        if (contacts == null || "flat".equals(contacts)) {
            sub = false;
        } else if ("sub-customers".equals(contacts)) {
            sub = true;
        } else {
            throw new IllegalStateException("customers.contacts must be 'sub-customers' or 'flat', not '" + contacts + "'");
        }
        boolean billWithParent = Boolean.TRUE.equals(map.get("billWithParent"));
        Set<String> created = DEFAULTS.ownedCreated();
        Set<String> matched = DEFAULTS.ownedMatched();
        if (map.get("sourceOwnedFields") instanceof Map<?, ?> owned) {
            created = fields(owned.get("created"), "created", created);
            matched = fields(owned.get("matched"), "matched", matched);
        }
        return new CustomerSettings(sub, billWithParent, created, matched);
    }

    private static Set<String> fields(Object list, String key, Set<String> dflt) {
        if (list == null) {
            return dflt;
        }
        if (!(list instanceof List<?> names)) {
            throw new IllegalStateException("customers.sourceOwnedFields." + key + " must be a list of QBO field names");
        }
        for (Object n : names) {
            if (!FIELDS.contains(String.valueOf(n))) {
                throw new IllegalStateException("customers.sourceOwnedFields." + key + ": unknown field '" + n
                        + "'; known: " + FIELDS);
            }
        }
        return names.stream().map(String::valueOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
