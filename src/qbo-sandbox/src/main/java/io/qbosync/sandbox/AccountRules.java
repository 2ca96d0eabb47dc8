package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/** Account: Name unique among accounts (no {@code "} or {@code :}), AccountType enumeration, derived Classification. */
final class AccountRules extends EntityRules {
    static final String NAMESPACE = "account";
    static final Map<String, String> CLASSIFICATION = Map.ofEntries(
            Map.entry("Bank", "Asset"), Map.entry("Accounts Receivable", "Asset"),
            Map.entry("Other Current Asset", "Asset"), Map.entry("Fixed Asset", "Asset"),
            Map.entry("Other Asset", "Asset"), Map.entry("Accounts Payable", "Liability"),
            Map.entry("Credit Card", "Liability"), Map.entry("Other Current Liability", "Liability"),
            Map.entry("Long Term Liability", "Liability"), Map.entry("Equity", "Equity"),
            Map.entry("Income", "Revenue"), Map.entry("Other Income", "Revenue"),
            Map.entry("Cost of Goods Sold", "Expense"), Map.entry("Expense", "Expense"),
            Map.entry("Other Expense", "Expense"));

    AccountRules() {
        super("Account", "accounts");
        addQueryField(QueryField.plain("Name", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("AccountType", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("AccountSubType", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("Classification", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("AcctNum", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("CurrentBalance", QueryField.Kind.NUMBER));
        addQueryField(new QueryField("Active", QueryField.Kind.BOOLEAN,
                (r, n) -> n.has("Active") ? n.get("Active") : Json.NODES.booleanNode(true)));
        addQueryField(new QueryField("SubAccount", QueryField.Kind.BOOLEAN,
                (r, n) -> n.has("SubAccount") ? n.get("SubAccount") : Json.NODES.booleanNode(false)));
        addQueryField(new QueryField("FullyQualifiedName", QueryField.Kind.STRING,
                (r, n) -> Json.NODES.textNode(qualifiedName(r, "Account", n, "Name"))));
    }

    @Override
    boolean isList() {
        return true;
    }

    @Override
    String nameNamespace() {
        return NAMESPACE;
    }

    @Override
    String uniqueName(JsonNode node) {
        return Json.text(node, "Name");
    }

    @Override
    String referenceGroup() {
        return "Accounts";
    }

    @Override
    Set<String> readOnlyFields() {
        return Set.of("FullyQualifiedName", "Classification", "CurrentBalance", "CurrentBalanceWithSubAccounts");
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        if (!c.hasNonNull("Active")) {
            c.put("Active", true);
        }
        String name = requireText(c, "Name", faults);
        if (name != null) {
            if (name.indexOf('"') >= 0 || name.indexOf(':') >= 0) {
                faults.add(new QboError("6000", "A business validation error has occurred while processing your request",
                        "Business Validation Error: An account name cannot contain double quotes (\") or a colon (:).",
                        "Name"));
            }
            Long clash = ctx.realm.idByName(NAMESPACE, name);
            String self = previous == null ? null : Json.text(previous, "Id");
            if (clash != null && !clash.toString().equals(self)) {
                faults.add(Faults.duplicateName(clash.toString()));
            }
        }
        String type = requireText(c, "AccountType", faults);
        if (type != null) {
            String cls = CLASSIFICATION.get(type);
            if (cls == null) {
                faults.add(Faults.invalidEnumeration(type, "AccountType"));
            } else {
                c.put("Classification", cls);
            }
        }
        if (Json.bool(c, "SubAccount", false)) {
            ctx.reference(c, "ParentRef", "Account", true, faults);
        }
        c.set("CurrentBalance", previous != null && previous.has("CurrentBalance")
                ? previous.get("CurrentBalance") : Json.NODES.numberNode(0));
        c.put("FullyQualifiedName", qualifiedName(ctx.realm, "Account", c, "Name"));
    }
}
