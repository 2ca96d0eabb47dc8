package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Payment: TotalAmt required (6000), lines applied to invoices through LinkedTxn lower their Balance and
 * bump their SyncToken; over-application is refused; UnappliedAmt = TotalAmt − Σ lines. Delete and void
 * give the amounts back to the invoices.
 */
final class PaymentRules extends TransactionRules {
    /** Transaction types a payment line may settle, with the field that holds their open amount. */
    private static final Map<String, String> SETTLEABLE = Map.of("Invoice", "Balance");

    PaymentRules() {
        super("Payment", "payments");
        addQueryField(QueryField.plain("TotalAmt", QueryField.Kind.NUMBER));
        addQueryField(QueryField.ref("CustomerRef"));
        addQueryField(QueryField.ref("PaymentMethodRef"));
        addQueryField(QueryField.plain("PaymentRefNum", QueryField.Kind.STRING));
    }

    @Override
    boolean supportsVoid() {
        return true;
    }

    @Override
    Set<String> readOnlyFields() {
        return Set.of("UnappliedAmt", "HomeTotalAmt");
    }

    @Override
    Contribution balanceContribution(Stored s) {
        String customer = Json.refValue(s.node(), "CustomerRef");
        BigDecimal unapplied = Money.of(s.node(), "UnappliedAmt");
        if (s.deleted() || customer == null || unapplied == null) {
            return null;
        }
        return new Contribution(Long.parseLong(customer), unapplied.negate());
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        Stored customer = ctx.reference(c, "CustomerRef", "Customer", true, faults);
        BigDecimal total = decimal(c, "TotalAmt", faults);
        if (!c.hasNonNull("TotalAmt")) {
            faults.add(Faults.businessValidation("You must set a transaction amount."));
        } else if (total != null && total.signum() < 0) {
            faults.add(Faults.businessValidation("The payment amount cannot be negative."));
        }
        Map<String, BigDecimal> before = previous == null ? Map.of() : applied(previous);
        Map<String, BigDecimal> after = new LinkedHashMap<>();
        BigDecimal sumLines = BigDecimal.ZERO;
        JsonNode lines = c.get("Line");
        if (lines != null && !lines.isNull()) {
            if (!lines.isArray()) {
                faults.add(Faults.invalidProperty("Property Name:Line must be an array", "Line"));
            } else {
                for (JsonNode el : lines) {
                    BigDecimal amount = line(ctx, el, after, faults);
                    if (amount != null) {
                        sumLines = sumLines.add(amount);
                    }
                }
            }
        }
        for (Map.Entry<String, BigDecimal> e : after.entrySet()) {
            String[] key = e.getKey().split(":");
            Stored txn = ctx.find(key[0], key[1]);
            if (txn == null || txn.deleted()) {
                continue; // reported by line()
            }
            String invCustomer = Json.refValue(txn.node(), "CustomerRef");
            if (customer != null && !sameOrAncestor(ctx, customer.id(), invCustomer)) {
                faults.add(Faults.businessValidation(key[0] + " " + key[1]
                        + " belongs to another customer and cannot be paid by this payment."));
                continue;
            }
            BigDecimal open = Money.orZero(Money.of(txn.node(), SETTLEABLE.get(key[0])))
                    .add(before.getOrDefault(e.getKey(), BigDecimal.ZERO));
            if (e.getValue().compareTo(open) > 0) {
                faults.add(Faults.businessValidation("The amount applied to " + key[0] + " " + key[1] + " ("
                        + Faults.money(e.getValue()) + ") exceeds its open balance (" + Faults.money(open) + ")."));
            }
        }
        if (total != null && sumLines.compareTo(total) > 0) {
            faults.add(Faults.businessValidation("The amounts applied (" + Faults.money(sumLines)
                    + ") exceed the payment amount (" + Faults.money(total) + ")."));
        }
        if (total != null) {
            c.set("TotalAmt", Money.node(total));
            c.set("UnappliedAmt", Money.node(total.subtract(sumLines).max(BigDecimal.ZERO)));
        }
        txnDate(ctx, c, faults);
        if (c.hasNonNull("DepositToAccountRef")) {
            ctx.reference(c, "DepositToAccountRef", "Account", false, faults);
        } else {
            Long undeposited = ctx.realm.idByName(AccountRules.NAMESPACE, "Undeposited Funds");
            if (undeposited != null) {
                ObjectNode ref = c.putObject("DepositToAccountRef");
                ref.put("value", undeposited.toString());
                ref.put("name", "Undeposited Funds");
            }
        }
        if (!c.hasNonNull("CurrencyRef")) {
            ObjectNode cur = c.putObject("CurrencyRef");
            cur.put("value", "USD");
            cur.put("name", "United States Dollar");
        }
    }

    /** Validates one payment line and adds its amount to {@code applied} (key {@code Type:Id}). */
    private BigDecimal line(WriteContext ctx, JsonNode el, Map<String, BigDecimal> applied, FaultCollector faults) {
        if (!el.isObject()) {
            faults.add(Faults.invalidProperty("Property Name:Line must be an array of objects", "Line"));
            return null;
        }
        ObjectNode line = (ObjectNode) el;
        BigDecimal amount = decimal(line, "Amount", faults);
        if (amount == null) {
            if (!line.has("Amount")) {
                faults.add(Faults.requiredParam("Amount"));
            }
            return null;
        }
        if (amount.signum() < 0) {
            faults.add(Faults.businessValidation("A payment line amount cannot be negative."));
            return null;
        }
        line.set("Amount", Money.node(amount));
        JsonNode links = line.get("LinkedTxn");
        if (links == null || !links.isArray() || links.isEmpty()) {
            faults.add(Faults.requiredParam("LinkedTxn"));
            return amount;
        }
        ObjectNode link = (ObjectNode) links.get(0);
        String type = Json.text(link, "TxnType");
        String txnId = Json.text(link, "TxnId");
        if (type == null) {
            faults.add(Faults.requiredParam("TxnType"));
            return amount;
        }
        if (!SETTLEABLE.containsKey(type)) {
            faults.add(Faults.businessValidation("The sandbox cannot apply a payment to TxnType " + type + " yet."));
            return amount;
        }
        if (txnId == null && ctx.resolveNames && Json.text(link, "DocNumber") != null) {
            Set<Long> ids = ctx.realm.idsByDocNumber(type, Json.text(link, "DocNumber"));
            if (!ids.isEmpty()) {
                txnId = ids.iterator().next().toString();
                link.put("TxnId", txnId);
                link.remove("DocNumber");
            }
        }
        if (txnId == null) {
            faults.add(Faults.requiredParam("TxnId"));
            return amount;
        }
        Stored txn = ctx.find(type, txnId);
        if (txn == null || txn.deleted()) {
            faults.add(Faults.invalidReference(ctx.catalog.byName(type).referenceGroup(), txnId, "LinkedTxn"));
            return amount;
        }
        applied.merge(type + ":" + txn.id(), Money.cents(amount), BigDecimal::add);
        return amount;
    }

    private static boolean sameOrAncestor(WriteContext ctx, long payer, String invoiceCustomer) {
        String cur = invoiceCustomer;
        for (int guard = 0; cur != null && guard < 10; guard++) {
            if (cur.equals(Long.toString(payer))) {
                return true;
            }
            Stored s = ctx.find("Customer", cur);
            cur = s == null || !Json.bool(s.node(), "Job", false) ? null : Json.refValue(s.node(), "ParentRef");
        }
        return false;
    }

    /** Amounts a stored payment applies, keyed {@code Type:Id}. */
    static Map<String, BigDecimal> applied(JsonNode payment) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (payment == null) {
            return out;
        }
        for (JsonNode line : payment.path("Line")) {
            JsonNode link = line.path("LinkedTxn").path(0);
            String type = Json.text(link, "TxnType");
            String id = Json.text(link, "TxnId");
            BigDecimal amount = Money.of(line, "Amount");
            if (type != null && id != null && amount != null && SETTLEABLE.containsKey(type)) {
                out.merge(type + ":" + id.trim(), amount, BigDecimal::add);
            }
        }
        return out;
    }

    @Override
    List<Change> linkedChanges(WriteContext ctx, ObjectNode before, ObjectNode after) {
        Map<String, BigDecimal> old = applied(before);
        Map<String, BigDecimal> now = applied(after);
        Set<String> keys = new HashSet<>(old.keySet());
        keys.addAll(now.keySet());
        String paymentId = Json.text(after != null ? after : before, "Id");
        List<Change> changes = new ArrayList<>();
        for (String key : keys) {
            BigDecimal delta = now.getOrDefault(key, BigDecimal.ZERO).subtract(old.getOrDefault(key, BigDecimal.ZERO));
            boolean linkedBefore = old.getOrDefault(key, BigDecimal.ZERO).signum() > 0;
            boolean linkedAfter = now.getOrDefault(key, BigDecimal.ZERO).signum() > 0;
            if (delta.signum() == 0 && linkedBefore == linkedAfter) {
                continue;
            }
            String[] k = key.split(":");
            EntityRules rules = ctx.catalog.byName(k[0]);
            Stored txn = ctx.find(k[0], k[1]);
            if (txn == null || txn.deleted()) {
                continue;
            }
            ObjectNode n = txn.node().deepCopy();
            String field = SETTLEABLE.get(k[0]);
            n.set(field, Money.node(Money.orZero(Money.of(n, field)).subtract(delta)));
            n.set("LinkedTxn", relink(n.get("LinkedTxn"), paymentId, "Payment", linkedAfter));
            n.put("SyncToken", nextSyncToken(txn.syncToken()));
            ((ObjectNode) n.get("MetaData")).put("LastUpdatedTime", ctx.clock.metaTime(ctx.now));
            changes.add(new Change(rules, new Stored(n, false, ctx.now)));
        }
        return changes;
    }

    @Override
    ObjectNode voided(WriteContext ctx, ObjectNode current) {
        ObjectNode v = current.deepCopy();
        for (JsonNode l : v.path("Line")) {
            ((ObjectNode) l).set("Amount", Money.node(BigDecimal.ZERO));
        }
        v.set("TotalAmt", Money.node(BigDecimal.ZERO));
        v.set("UnappliedAmt", Money.node(BigDecimal.ZERO));
        v.put("PrivateNote", voidedNote(Json.text(current, "PrivateNote")));
        return v;
    }
}
