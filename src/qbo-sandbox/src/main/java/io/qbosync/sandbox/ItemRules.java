package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/** Item: Name unique among items, Type enumeration, income account for sales items, inventory requirements. */
final class ItemRules extends EntityRules {
    static final String NAMESPACE = "item";
    static final Set<String> TYPES = Set.of("Service", "NonInventory", "Inventory", "Category", "Group", "Bundle");
    private static final Set<String> SALES_TYPES = Set.of("Service", "NonInventory", "Inventory");

    ItemRules() {
        super("Item", "items");
        addQueryField(QueryField.plain("Name", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("Type", QueryField.Kind.STRING));
        addQueryField(new QueryField("Active", QueryField.Kind.BOOLEAN,
                (r, n) -> n.has("Active") ? n.get("Active") : Json.NODES.booleanNode(true)));
        addQueryField(new QueryField("Taxable", QueryField.Kind.BOOLEAN,
                (r, n) -> n.has("Taxable") ? n.get("Taxable") : Json.NODES.booleanNode(false)));
        addQueryField(new QueryField("SubItem", QueryField.Kind.BOOLEAN,
                (r, n) -> n.has("SubItem") ? n.get("SubItem") : Json.NODES.booleanNode(false)));
        addQueryField(new QueryField("FullyQualifiedName", QueryField.Kind.STRING,
                (r, n) -> Json.NODES.textNode(qualifiedName(r, "Item", n, "Name"))));
        addQueryField(QueryField.plain("Sku", QueryField.Kind.STRING));
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
    Set<String> readOnlyFields() {
        return Set.of("FullyQualifiedName", "Level");
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        if (!c.hasNonNull("Active")) {
            c.put("Active", true);
        }
        String name = requireText(c, "Name", faults);
        if (name != null) {
            Long clash = ctx.realm.idByName(NAMESPACE, name);
            String self = previous == null ? null : Json.text(previous, "Id");
            if (clash != null && !clash.toString().equals(self)) {
                faults.add(Faults.duplicateName(clash.toString()));
            }
        }
        String type = Json.text(c, "Type");
        if (type == null) {
            type = previous == null ? "Service" : Json.text(previous, "Type");
            c.put("Type", type);
        }
        if (!TYPES.contains(type)) {
            faults.add(Faults.invalidEnumeration(type, "Type"));
            return;
        }
        if (previous != null && "Inventory".equals(Json.text(previous, "Type")) && !"Inventory".equals(type)) {
            faults.add(Faults.businessValidation("You can't change the type of an inventory item."));
        }
        if ("Inventory".equals(type)) {
            for (String f : new String[] {"AssetAccountRef", "InvStartDate", "QtyOnHand", "TrackQtyOnHand"}) {
                if (!c.hasNonNull(f)) {
                    faults.add(Faults.requiredParam(f));
                }
            }
        }
        Stored income = ctx.reference(c, "IncomeAccountRef", "Account", SALES_TYPES.contains(type), faults);
        if (income != null && "Accounts Receivable".equals(Json.text(income.node(), "AccountType"))) {
            faults.add(Faults.businessValidation("An Accounts Receivable account cannot be an item's income account."));
        }
        ctx.reference(c, "ExpenseAccountRef", "Account", "Inventory".equals(type), faults);
        ctx.reference(c, "AssetAccountRef", "Account", false, faults);
        boolean sub = Json.bool(c, "SubItem", false);
        if (sub) {
            ctx.reference(c, "ParentRef", "Item", true, faults);
        } else if (c.has("ParentRef") && !c.get("ParentRef").isNull()) {
            faults.add(Faults.parentRefRequired());
        }
        c.put("FullyQualifiedName", qualifiedName(ctx.realm, "Item", c, "Name"));
    }

    @Override
    ObjectNode render(RealmState realm, ObjectNode stored) {
        if (!Json.bool(stored, "SubItem", false)) {
            return stored;
        }
        ObjectNode out = stored.deepCopy();
        out.put("FullyQualifiedName", qualifiedName(realm, "Item", stored, "Name"));
        out.put("Level", level(realm, "Item", stored));
        return out;
    }
}
