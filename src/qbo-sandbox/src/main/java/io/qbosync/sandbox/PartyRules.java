package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Customer, Vendor and Employee share one DisplayName namespace (6240 across all three, inactive included,
 * case-insensitive), the name-part rules and the DisplayName-from-parts default.
 */
abstract class PartyRules extends EntityRules {
    static final String NAMESPACE = "party";
    private static final List<String> NAME_PARTS = List.of("Title", "GivenName", "MiddleName", "FamilyName", "Suffix");
    private static final List<String> NAME_FIELDS =
            List.of("DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "PrintOnCheckName");

    protected PartyRules(String name, String plural) {
        super(name, plural);
        addQueryField(QueryField.plain("DisplayName", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("GivenName", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("MiddleName", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("FamilyName", QueryField.Kind.STRING));
        addQueryField(new QueryField("Active", QueryField.Kind.BOOLEAN,
                (r, n) -> n.has("Active") ? n.get("Active") : Json.NODES.booleanNode(true)));
    }

    @Override
    final boolean isList() {
        return true;
    }

    @Override
    final String nameNamespace() {
        return NAMESPACE;
    }

    @Override
    final String uniqueName(JsonNode node) {
        return Json.text(node, "DisplayName");
    }

    @Override
    final String referenceGroup() {
        return "Names";
    }

    /** Common party checks; subclasses call this first from {@link #prepare}. */
    protected void preparePartyFields(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        if (!c.hasNonNull("Active")) {
            c.put("Active", true);
        }
        for (String f : NAME_FIELDS) {
            String v = Json.text(c, f);
            if (v != null && (v.indexOf(':') >= 0 || v.indexOf('\t') >= 0 || v.indexOf('\n') >= 0)) {
                faults.add(new QboError("6000", "A business validation error has occurred while processing your request",
                        "Business Validation Error: " + f + " cannot contain a colon (:), a tab or a new line.", f));
            }
        }
        String display = Json.text(c, "DisplayName");
        if (isBlank(display)) {
            StringBuilder sb = new StringBuilder();
            for (String part : NAME_PARTS) {
                String v = Json.text(c, part);
                if (!isBlank(v)) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(v.trim());
                }
            }
            if (sb.length() > 0) {
                display = sb.toString();
            } else if (previous != null) {
                display = Json.text(previous, "DisplayName");
            }
            if (isBlank(display)) {
                faults.add(Faults.requiredParam("DisplayName"));
                return;
            }
            c.put("DisplayName", display);
        }
        Long clash = ctx.realm.idByName(NAMESPACE, display);
        String self = previous == null ? null : Json.text(previous, "Id");
        if (clash != null && !clash.toString().equals(self)) {
            faults.add(Faults.duplicateName(clash.toString()));
        }
        String email = Json.text(c.path("PrimaryEmailAddr"), "Address");
        if (email != null && !email.isEmpty() && (email.indexOf('@') < 0 || email.indexOf('.') < 0)) {
            faults.add(new QboError("6000", "A business validation error has occurred while processing your request",
                    "Business Validation Error: Invalid e-mail address; it must contain @ and a dot.",
                    "PrimaryEmailAddr.Address"));
        }
    }
}
