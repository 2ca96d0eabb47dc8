package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money and quantities: exact decimals, cents rounded half-up as QBO does. */
final class Money {
    private Money() {
    }

    /** The decimal value of a numeric (or numeric text) field; null when absent or null. */
    static BigDecimal of(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new NumberFormatException(field);
            }
        }
        throw new NumberFormatException(field);
    }

    static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    static BigDecimal cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    static DecimalNode node(BigDecimal v) {
        return (DecimalNode) Json.NODES.numberNode(cents(v));
    }
}
