package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Set;

/** Customer: sub-customers (Job + ParentRef, 6150, at most 4 levels), derived Balance and FullyQualifiedName. */
final class CustomerRules extends PartyRules {
    static final int MAX_SUB_LEVELS = 4;

    CustomerRules() {
        super("Customer", "customers");
        addQueryField(QueryField.plain("CompanyName", QueryField.Kind.STRING));
        addQueryField(new QueryField("PrimaryEmailAddr", QueryField.Kind.STRING,
                (r, n) -> Json.path(n, "PrimaryEmailAddr.Address")));
        addQueryField(QueryField.plain("PrintOnCheckName", QueryField.Kind.STRING));
        addQueryField(new QueryField("FullyQualifiedName", QueryField.Kind.STRING,
                (r, n) -> Json.NODES.textNode(qualifiedName(r, "Customer", n, "DisplayName"))));
        addQueryField(new QueryField("Balance", QueryField.Kind.NUMBER,
                (r, n) -> Money.node(r.customerBalance(n.get("Id").asLong()))));
    }

    @Override
    Set<String> readOnlyFields() {
        return Set.of("Balance", "BalanceWithJobs", "FullyQualifiedName", "Level");
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        preparePartyFields(ctx, c, previous, faults);
        boolean job = Json.bool(c, "Job", false);
        boolean hasParent = Json.refValue(c, "ParentRef") != null || c.path("ParentRef").has("name");
        if (job != hasParent) {
            faults.add(Faults.parentRefRequired());
        } else if (job) {
            Stored parent = ctx.reference(c, "ParentRef", "Customer", true, faults);
            if (parent != null) {
                String self = previous == null ? null : Json.text(previous, "Id");
                int level = 1;
                JsonNode p = parent.node();
                boolean cycle = false;
                while (p != null) {
                    if (self != null && self.equals(Json.text(p, "Id"))) {
                        cycle = true;
                        break;
                    }
                    String up = Json.refValue(p, "ParentRef");
                    Stored s = up == null ? null : ctx.find("Customer", up);
                    if (s != null) {
                        level++;
                    }
                    p = s == null ? null : s.node();
                }
                if (cycle) {
                    faults.add(Faults.businessValidation("A customer cannot be its own parent or ancestor."));
                } else if (level > MAX_SUB_LEVELS) {
                    faults.add(Faults.businessValidation("Sub-customers can be nested at most "
                            + MAX_SUB_LEVELS + " levels below the top-level customer."));
                }
            }
            if (!c.has("BillWithParent")) {
                c.put("BillWithParent", false);
            }
        }
        if (previous != null && Json.bool(previous, "Active", true) && !Json.bool(c, "Active", true)) {
            BigDecimal open = ctx.realm.customerBalance(previous.get("Id").asLong());
            if (open.signum() != 0) {
                faults.add(Faults.businessValidation("Delete List Has Balance Error: The entity you are trying to "
                        + "delete has an open balance. Settle or move the balance before making it inactive."));
            }
        }
        c.put("FullyQualifiedName", qualifiedName(ctx.realm, "Customer", c, "DisplayName"));
    }

    @Override
    ObjectNode render(RealmState realm, ObjectNode stored) {
        ObjectNode out = stored.deepCopy();
        long id = stored.get("Id").asLong();
        BigDecimal own = realm.customerBalance(id);
        out.set("Balance", Money.node(own));
        out.set("BalanceWithJobs", Money.node(own.add(jobsBalance(realm, id, 0))));
        if (Json.bool(stored, "Job", false)) {
            out.put("FullyQualifiedName", qualifiedName(realm, "Customer", stored, "DisplayName"));
            out.put("Level", level(realm, "Customer", stored));
        }
        return out;
    }

    private static BigDecimal jobsBalance(RealmState realm, long id, int depth) {
        BigDecimal sum = BigDecimal.ZERO;
        if (depth > MAX_SUB_LEVELS + 1) {
            return sum;
        }
        for (long child : realm.children(id)) {
            sum = sum.add(realm.customerBalance(child)).add(jobsBalance(realm, child, depth + 1));
        }
        return sum;
    }

    @Override
    Long parentId(JsonNode node) {
        String p = Json.bool(node, "Job", false) ? Json.refValue(node, "ParentRef") : null;
        try {
            return p == null ? null : Long.parseLong(p);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
