package io.qbosync.sandbox;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The entity types the sandbox serves, in dependency order (the order seeding applies them). Adding
 * CreditMemo, RefundReceipt or Purchase means writing its {@link EntityRules} and listing it here.
 */
final class EntityCatalog {
    private final Map<String, EntityRules> byLowerName = new LinkedHashMap<>();

    EntityCatalog() {
        for (EntityRules r : List.of(new AccountRules(), new ItemRules(), new VendorRules(), new EmployeeRules(),
                new CustomerRules(), new InvoiceRules(), new PaymentRules())) {
            byLowerName.put(r.name().toLowerCase(Locale.ROOT), r);
        }
    }

    /** Rules by entity name or URL segment, case-insensitive; null when unknown. */
    EntityRules find(String nameOrPath) {
        return nameOrPath == null ? null : byLowerName.get(nameOrPath.toLowerCase(Locale.ROOT));
    }

    /** Rules by exact name; fails for an unknown type (a programming error). */
    EntityRules byName(String name) {
        EntityRules r = find(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown entity " + name);
        }
        return r;
    }

    Collection<EntityRules> all() {
        return byLowerName.values();
    }
}
