package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Invoice: line validation (6070), computed TotalAmt / SubTotal line / Balance, DocNumber numbering and
 * uniqueness (6140), void and delete rules. Balance = TotalAmt − amounts applied by payments.
 */
final class InvoiceRules extends TransactionRules {
    static final long FIRST_DOC_NUMBER = 1001;
    static final String AUTO_GENERATE = "AUTO_GENERATE";
    private static final Set<String> EMAIL_STATUS = Set.of("NotSet", "NeedToSend", "EmailSent");
    private static final Set<String> PRINT_STATUS = Set.of("NotSet", "NeedToPrint", "PrintComplete");

    InvoiceRules() {
        super("Invoice", "invoices");
        addQueryField(QueryField.ref("CustomerRef"));
        addQueryField(QueryField.plain("DocNumber", QueryField.Kind.STRING));
        addQueryField(QueryField.plain("DueDate", QueryField.Kind.DATE));
        addQueryField(QueryField.ref("SalesTermRef"));
        addQueryField(QueryField.plain("Balance", QueryField.Kind.NUMBER));
        addQueryField(QueryField.plain("TotalAmt", QueryField.Kind.NUMBER));
    }

    @Override
    boolean supportsVoid() {
        return true;
    }

    @Override
    boolean docNumbered() {
        return true;
    }

    @Override
    Set<String> readOnlyFields() {
        return Set.of("TotalAmt", "Balance", "HomeTotalAmt", "HomeBalance", "LinkedTxn");
    }

    @Override
    Contribution balanceContribution(Stored s) {
        String customer = Json.refValue(s.node(), "CustomerRef");
        BigDecimal balance = Money.of(s.node(), "Balance");
        if (s.deleted() || customer == null || balance == null) {
            return null;
        }
        return new Contribution(Long.parseLong(customer), balance);
    }

    @Override
    void prepare(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        Stored customer = ctx.reference(c, "CustomerRef", "Customer", true, faults);
        BigDecimal subtotal = lines(ctx, c, faults);
        BigDecimal tax = BigDecimal.ZERO;
        if (c.path("TxnTaxDetail").isObject()) {
            tax = Money.orZero(decimal(c.get("TxnTaxDetail"), "TotalTax", faults));
        }
        BigDecimal discount = BigDecimal.ZERO;
        JsonNode lines = c.get("Line");
        if (subtotal != null && lines != null) {
            for (JsonNode l : lines) {
                if ("DiscountLineDetail".equals(Json.text(l, "DetailType"))) {
                    discount = discount.add(discountAmount(subtotal, (ObjectNode) l, faults));
                }
            }
            ((ArrayNode) lines).addObject().set("Amount", Money.node(subtotal));
            ObjectNode sub = (ObjectNode) lines.get(lines.size() - 1);
            sub.put("DetailType", "SubTotalLineDetail");
            sub.putObject("SubTotalLineDetail");
        }
        BigDecimal total = Money.cents(Money.orZero(subtotal).subtract(discount).add(tax));
        c.set("TotalAmt", Money.node(total));
        BigDecimal applied = BigDecimal.ZERO;
        if (previous != null) {
            applied = Money.orZero(Money.of(previous, "TotalAmt")).subtract(Money.orZero(Money.of(previous, "Balance")));
            if (previous.has("LinkedTxn")) {
                c.set("LinkedTxn", previous.get("LinkedTxn"));
            }
        }
        BigDecimal balance = total.subtract(applied);
        if (balance.signum() < 0) {
            faults.add(Faults.businessValidation("The invoice total (" + Faults.money(total)
                    + ") is less than the payments applied to it (" + Faults.money(applied) + ")."));
        }
        c.set("Balance", Money.node(balance.max(BigDecimal.ZERO)));

        docNumber(ctx, c, previous, faults);
        LocalDate txnDate = txnDate(ctx, c, faults);
        LocalDate due = date(c, "DueDate", faults);
        if (due == null && !c.hasNonNull("DueDate") && txnDate != null) {
            c.put("DueDate", txnDate.toString());
        }
        enumeration(c, "EmailStatus", EMAIL_STATUS, faults);
        enumeration(c, "PrintStatus", PRINT_STATUS, faults);
        if ("NeedToSend".equals(Json.text(c, "EmailStatus"))
                && isBlank(Json.text(c.path("BillEmail"), "Address"))) {
            faults.add(Faults.businessValidation("Need to send is selected, but there is no BillEmail address."));
        }
        if (previous == null && customer != null) {
            for (String addr : new String[] {"BillAddr", "ShipAddr"}) {
                if (!c.hasNonNull(addr) && customer.node().path(addr).isObject()) {
                    c.set(addr, customer.node().get(addr).deepCopy());
                }
            }
        }
        if (!c.hasNonNull("CurrencyRef")) {
            ObjectNode cur = c.putObject("CurrencyRef");
            cur.put("value", "USD");
            cur.put("name", "United States Dollar");
        }
    }

    /** Validates and renumbers lines; returns the subtotal of item lines, or null when lines are unusable. */
    private BigDecimal lines(WriteContext ctx, ObjectNode c, FaultCollector faults) {
        JsonNode in = c.get("Line");
        if (in == null || !in.isArray() || in.isEmpty()) {
            faults.add(Faults.requiredParam("Line"));
            c.remove("Line");
            return null;
        }
        ArrayNode out = Json.array();
        BigDecimal subtotal = BigDecimal.ZERO;
        int n = 0;
        for (JsonNode el : in) {
            if (!el.isObject()) {
                faults.add(Faults.invalidProperty("Property Name:Line must be an array of objects", "Line"));
                continue;
            }
            ObjectNode line = (ObjectNode) el;
            String type = Json.text(line, "DetailType");
            if (type == null) {
                faults.add(Faults.requiredParam("DetailType"));
                continue;
            }
            switch (type) {
                case "SubTotalLineDetail" -> {
                    continue; // computed by the server
                }
                case "SalesItemLineDetail" -> subtotal = subtotal.add(Money.orZero(salesLine(ctx, line, faults)));
                case "GroupLineDetail" -> subtotal = subtotal.add(groupLine(ctx, line, faults));
                case "DescriptionOnly" -> {
                    if (!line.path("DescriptionLineDetail").isObject()) {
                        line.putObject("DescriptionLineDetail");
                    }
                }
                case "DiscountLineDetail" -> {
                    if (!line.path("DiscountLineDetail").isObject()) {
                        line.putObject("DiscountLineDetail");
                    }
                }
                default -> {
                    faults.add(Faults.invalidEnumeration(type, "DetailType"));
                    continue;
                }
            }
            n++;
            ObjectNode numbered = out.addObject();
            numbered.put("Id", Integer.toString(n));
            numbered.put("LineNum", n);
            line.remove("Id");
            line.remove("LineNum");
            numbered.setAll(line);
        }
        c.set("Line", out);
        return subtotal;
    }

    /** Checks one SalesItemLineDetail line; returns its Amount (rounded to cents in place). */
    private BigDecimal salesLine(WriteContext ctx, ObjectNode line, FaultCollector faults) {
        BigDecimal amount = decimal(line, "Amount", faults);
        if (amount == null && !line.has("Amount")) {
            faults.add(Faults.requiredParam("Amount"));
        }
        JsonNode detailNode = line.get("SalesItemLineDetail");
        ObjectNode detail;
        if (detailNode == null || detailNode.isNull()) {
            detail = line.putObject("SalesItemLineDetail");
        } else if (detailNode.isObject()) {
            detail = (ObjectNode) detailNode;
        } else {
            faults.add(Faults.invalidProperty("Property Name:SalesItemLineDetail must be an object", "SalesItemLineDetail"));
            return amount;
        }
        ctx.reference(detail, "ItemRef", "Item", false, faults);
        BigDecimal qty = decimal(detail, "Qty", faults);
        BigDecimal price = decimal(detail, "UnitPrice", faults);
        if (amount != null && qty != null && price != null) {
            BigDecimal expected = Money.cents(qty.multiply(price));
            if (amount.compareTo(expected) != 0) {
                faults.add(Faults.amountCalculation(amount));
            }
        }
        if (amount != null) {
            line.set("Amount", Money.node(amount));
            return Money.cents(amount);
        }
        return null;
    }

    private BigDecimal groupLine(WriteContext ctx, ObjectNode line, FaultCollector faults) {
        JsonNode inner = line.path("GroupLineDetail").path("Line");
        BigDecimal sum = BigDecimal.ZERO;
        if (inner.isArray()) {
            for (JsonNode l : inner) {
                if (l.isObject() && "SalesItemLineDetail".equals(Json.text(l, "DetailType"))) {
                    sum = sum.add(Money.orZero(salesLine(ctx, (ObjectNode) l, faults)));
                }
            }
        }
        JsonNode group = line.get("GroupLineDetail");
        if (group != null && group.isObject()) {
            ctx.reference((ObjectNode) group, "GroupItemRef", "Item", false, faults);
        }
        line.set("Amount", Money.node(sum));
        return sum;
    }

    private static BigDecimal discountAmount(BigDecimal subtotal, ObjectNode line, FaultCollector faults) {
        JsonNode d = line.path("DiscountLineDetail");
        if (Json.bool(d, "PercentBased", false)) {
            BigDecimal pct = decimal(d, "DiscountPercent", faults);
            if (pct == null) {
                faults.add(Faults.requiredParam("DiscountPercent"));
                return BigDecimal.ZERO;
            }
            BigDecimal amount = subtotal.multiply(pct).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            line.set("Amount", Money.node(amount));
            return amount;
        }
        BigDecimal amount = decimal(line, "Amount", faults);
        if (amount == null) {
            faults.add(Faults.requiredParam("Amount"));
            return BigDecimal.ZERO;
        }
        line.set("Amount", Money.node(amount));
        return Money.cents(amount);
    }

    private void docNumber(WriteContext ctx, ObjectNode c, ObjectNode previous, FaultCollector faults) {
        String doc = Json.text(c, "DocNumber");
        boolean generate = AUTO_GENERATE.equals(doc)
                || (isBlank(doc) && previous == null && !ctx.realm.customTxnNumbers());
        if (generate) {
            long next = Math.max(ctx.realm.maxNumericDocNumber(name()) + 1, FIRST_DOC_NUMBER);
            c.put("DocNumber", Long.toString(next));
            return;
        }
        if (isBlank(doc)) {
            c.remove("DocNumber");
            return;
        }
        String before = previous == null ? null : Json.text(previous, "DocNumber");
        if (doc.equalsIgnoreCase(before == null ? "" : before) || ctx.allowDuplicateDocNumber) {
            return;
        }
        String self = previous == null ? "" : Json.text(previous, "Id");
        for (Long other : ctx.realm.idsByDocNumber(name(), doc)) {
            if (!other.toString().equals(self)) {
                faults.add(Faults.duplicateDocNumber(doc, name(), other.toString()));
                return;
            }
        }
    }

    private static void enumeration(ObjectNode c, String field, Set<String> allowed, FaultCollector faults) {
        String v = Json.text(c, field);
        if (v != null && !allowed.contains(v)) {
            faults.add(Faults.invalidEnumeration(v, field));
        }
    }

    private static boolean hasPayments(JsonNode invoice) {
        for (JsonNode l : invoice.path("LinkedTxn")) {
            if ("Payment".equals(Json.text(l, "TxnType"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    void checkDelete(WriteContext ctx, Stored current) {
        if (hasPayments(current.node())) {
            throw Faults.fault(Faults.businessValidation("This invoice has payments linked to it. "
                    + "Delete or unlink those payments before deleting the invoice."));
        }
    }

    @Override
    ObjectNode voided(WriteContext ctx, ObjectNode current) {
        if (hasPayments(current)) {
            throw Faults.fault(Faults.businessValidation("This invoice has payments linked to it. "
                    + "Delete or unlink those payments before voiding the invoice."));
        }
        ObjectNode v = current.deepCopy();
        List<JsonNode> lines = new ArrayList<>();
        v.path("Line").forEach(lines::add);
        for (JsonNode l : lines) {
            zeroLine((ObjectNode) l);
            for (JsonNode inner : l.path("GroupLineDetail").path("Line")) {
                zeroLine((ObjectNode) inner);
            }
        }
        if (v.path("TxnTaxDetail").isObject()) {
            ((ObjectNode) v.get("TxnTaxDetail")).set("TotalTax", Money.node(BigDecimal.ZERO));
        }
        v.set("TotalAmt", Money.node(BigDecimal.ZERO));
        v.set("Balance", Money.node(BigDecimal.ZERO));
        v.put("PrivateNote", voidedNote(Json.text(current, "PrivateNote")));
        return v;
    }

    private static void zeroLine(ObjectNode l) {
        if (l.has("Amount")) {
            l.set("Amount", Money.node(BigDecimal.ZERO));
        }
        JsonNode d = l.get("SalesItemLineDetail");
        if (d != null && d.isObject() && d.has("Qty")) {
            ((ObjectNode) d).put("Qty", 0);
        }
    }
}
