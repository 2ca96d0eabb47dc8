package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Shared by transactions: deletable, TxnDate defaults to today in the company zone, void note handling. */
abstract class TransactionRules extends EntityRules {
    static final String VOIDED = "Voided";

    protected TransactionRules(String name, String plural) {
        super(name, plural);
        addQueryField(QueryField.plain("TxnDate", QueryField.Kind.DATE));
    }

    @Override
    final boolean isList() {
        return false;
    }

    @Override
    String referenceGroup() {
        return "Transactions";
    }

    /** Validates a {@code YYYY-MM-DD} field; returns it or null (absent or invalid, the latter reported). */
    static LocalDate date(ObjectNode c, String field, FaultCollector faults) {
        String text = Json.text(c, field);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            faults.add(Faults.invalidProperty("Property Name:" + field + " has an invalid date; use YYYY-MM-DD", field));
            return null;
        }
    }

    /** Sets TxnDate to today (company zone) when absent; returns the effective date. */
    static LocalDate txnDate(WriteContext ctx, ObjectNode c, FaultCollector faults) {
        LocalDate d = date(c, "TxnDate", faults);
        if (d == null && !c.hasNonNull("TxnDate")) {
            d = ctx.clock.today();
            c.put("TxnDate", d.toString());
        }
        return d;
    }

    /** A decimal field, reporting 2010 when it is not a number. */
    static BigDecimal decimal(JsonNode holder, String field, FaultCollector faults) {
        try {
            return Money.of(holder, field);
        } catch (NumberFormatException e) {
            faults.add(Faults.invalidProperty("Property Name:" + field + " must be a number", field));
            return null;
        }
    }

    /** PrivateNote with {@code Voided} prepended (kept within the 4,000 limit). */
    static String voidedNote(String note) {
        if (note == null || note.isBlank()) {
            return VOIDED;
        }
        if (note.startsWith(VOIDED)) {
            return note;
        }
        String s = VOIDED + " - " + note;
        return s.length() > 4000 ? s.substring(0, 4000) : s;
    }

    /** Removes {@code TxnId/TxnType} from a LinkedTxn array and adds it again when {@code keep}. */
    static ArrayNode relink(JsonNode existing, String txnId, String txnType, boolean keep) {
        ArrayNode out = Json.array();
        if (existing != null && existing.isArray()) {
            for (JsonNode l : existing) {
                if (!(txnId.equals(Json.text(l, "TxnId")) && txnType.equals(Json.text(l, "TxnType")))) {
                    out.add(l);
                }
            }
        }
        if (keep) {
            ObjectNode l = out.addObject();
            l.put("TxnId", txnId);
            l.put("TxnType", txnType);
        }
        return out;
    }
}
