package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Everything one write needs besides the entity: the realm (write-locked), time, and request options. */
final class WriteContext {
    final RealmState realm;
    final EntityCatalog catalog;
    final CompanyClock clock;
    /** One timestamp for the whole write, so linked changes share the main entity's LastUpdatedTime. */
    final long now;
    final boolean allowDuplicateDocNumber;
    /** Seeding: a reference with only {@code name} is resolved by name within the realm. */
    final boolean resolveNames;

    WriteContext(RealmState realm, EntityCatalog catalog, CompanyClock clock, boolean allowDuplicateDocNumber,
                 boolean resolveNames) {
        this.realm = realm;
        this.catalog = catalog;
        this.clock = clock;
        this.now = clock.nowMillis();
        this.allowDuplicateDocNumber = allowDuplicateDocNumber;
        this.resolveNames = resolveNames;
    }

    /**
     * Checks the reference {@code holder.field} to an entity of {@code targetType}: 2020 when required and
     * missing, 2500 for an unknown id, 610 for an inactive list object. Fills in the reference's {@code name}.
     * Returns the referenced entity, or null when absent or invalid.
     */
    Stored reference(ObjectNode holder, String field, String targetType, boolean required, FaultCollector faults) {
        JsonNode ref = holder.get(field);
        if (ref == null || ref.isNull()) {
            if (required) {
                faults.add(Faults.requiredParam(field));
            }
            return null;
        }
        EntityRules target = catalog.byName(targetType);
        if (!ref.isObject()) {
            faults.add(Faults.invalidProperty("Property Name:" + field + " must be an object with a value", field));
            return null;
        }
        ObjectNode refObj = (ObjectNode) ref;
        String value = Json.text(refObj, "value");
        if (isEmpty(value)) {
            String byName = Json.text(refObj, "name");
            if (resolveNames && !isEmpty(byName)) {
                Long found = lookupByName(target, byName);
                if (found == null) {
                    faults.add(Faults.invalidReferenceName(target.referenceGroup(), byName, field));
                    return null;
                }
                value = Long.toString(found);
                refObj.put("value", value);
            } else {
                if (required) {
                    faults.add(Faults.requiredParam(field));
                }
                return null;
            }
        }
        Stored stored = find(targetType, value);
        if (stored == null || stored.deleted()) {
            faults.add(Faults.invalidReference(target.referenceGroup(), value, field));
            return null;
        }
        if (target.isList() && !Json.bool(stored.node(), "Active", true)) {
            faults.add(Faults.inactiveReference(field));
            return null;
        }
        String display = target.uniqueName(stored.node());
        if (display != null) {
            refObj.put("name", display);
        }
        return stored;
    }

    Stored find(String type, String idText) {
        if (idText == null) {
            return null;
        }
        try {
            return realm.get(type, Long.parseLong(idText.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Long lookupByName(EntityRules target, String name) {
        String ns = target.nameNamespace();
        if (ns == null) {
            return null;
        }
        Long id = realm.idByName(ns, name);
        if (id == null || realm.get(target.name(), id) == null) {
            return null;
        }
        return id;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }
}
