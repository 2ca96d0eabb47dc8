package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one table of string-length limits (fact sheet §2) and the 2050 check over it. Paths are dotted;
 * {@code Line[]} walks every element of an array. The 2050 {@code element} is the path without brackets.
 */
final class FieldLimits {
    record Limit(String path, int max) {
    }

    private static final List<Limit> ADDRESS = List.of(
            new Limit("Line1", 500), new Limit("Line2", 500), new Limit("Line3", 500), new Limit("Line4", 500),
            new Limit("Line5", 500), new Limit("City", 255), new Limit("CountrySubDivisionCode", 255),
            new Limit("Country", 255), new Limit("PostalCode", 30));

    private static final Map<String, List<Limit>> TABLE = Map.of(
            "Customer", concat(List.of(
                    new Limit("DisplayName", 500), new Limit("Title", 16), new Limit("Suffix", 16),
                    new Limit("GivenName", 100), new Limit("MiddleName", 100), new Limit("FamilyName", 100),
                    new Limit("CompanyName", 100), new Limit("PrintOnCheckName", 110), new Limit("Notes", 2000),
                    new Limit("ResaleNum", 16), new Limit("PrimaryEmailAddr.Address", 100),
                    new Limit("PrimaryPhone.FreeFormNumber", 30), new Limit("Mobile.FreeFormNumber", 30),
                    new Limit("Fax.FreeFormNumber", 30), new Limit("AlternatePhone.FreeFormNumber", 30)),
                    address("BillAddr"), address("ShipAddr")),
            "Vendor", concat(List.of(
                    new Limit("DisplayName", 500), new Limit("Title", 16), new Limit("Suffix", 16),
                    new Limit("GivenName", 100), new Limit("MiddleName", 100), new Limit("FamilyName", 100),
                    new Limit("CompanyName", 100), new Limit("PrintOnCheckName", 100), new Limit("AcctNum", 100),
                    new Limit("TaxIdentifier", 20), new Limit("PrimaryEmailAddr.Address", 100),
                    new Limit("PrimaryPhone.FreeFormNumber", 30), new Limit("Mobile.FreeFormNumber", 30),
                    new Limit("Fax.FreeFormNumber", 30)),
                    address("BillAddr")),
            "Employee", concat(List.of(
                    new Limit("DisplayName", 500), new Limit("Title", 16), new Limit("Suffix", 16),
                    new Limit("GivenName", 100), new Limit("MiddleName", 100), new Limit("FamilyName", 100),
                    new Limit("PrintOnCheckName", 100), new Limit("PrimaryEmailAddr.Address", 100),
                    new Limit("PrimaryPhone.FreeFormNumber", 20), new Limit("Mobile.FreeFormNumber", 20)),
                    address("PrimaryAddr")),
            "Item", List.of(new Limit("Name", 100), new Limit("Sku", 100), new Limit("Description", 4000),
                    new Limit("PurchaseDesc", 1000)),
            "Account", List.of(new Limit("Name", 100), new Limit("AcctNum", 7), new Limit("Description", 100)),
            "Invoice", concat(List.of(
                    new Limit("DocNumber", 21), new Limit("PrivateNote", 4000), new Limit("CustomerMemo.value", 1000),
                    new Limit("Line[].Description", 4000), new Limit("BillEmail.Address", 100)),
                    address("BillAddr"), address("ShipAddr")),
            "Payment", List.of(new Limit("PrivateNote", 4000), new Limit("PaymentRefNum", 21)));

    private FieldLimits() {
    }

    static List<Limit> forEntity(String entity) {
        return TABLE.getOrDefault(entity, List.of());
    }

    /** Adds one 2050 error per over-long string of {@code node}. */
    static void check(String entity, JsonNode node, FaultCollector faults) {
        for (Limit limit : forEntity(entity)) {
            checkPath(node, limit.path().split("\\."), 0, limit, faults);
        }
    }

    private static void checkPath(JsonNode node, String[] parts, int i, Limit limit, FaultCollector faults) {
        if (node == null || node.isNull()) {
            return;
        }
        if (i == parts.length) {
            if (node.isValueNode()) {
                String s = node.asText();
                int len = s.codePointCount(0, s.length());
                if (len > limit.max()) {
                    faults.add(Faults.stringLength(limit.path().replace("[]", ""), limit.max(), len));
                }
            }
            return;
        }
        String part = parts[i];
        if (part.endsWith("[]")) {
            JsonNode arr = node.get(part.substring(0, part.length() - 2));
            if (arr != null && arr.isArray()) {
                for (JsonNode el : arr) {
                    checkPath(el, parts, i + 1, limit, faults);
                }
            }
        } else {
            checkPath(node.get(part), parts, i + 1, limit, faults);
        }
    }

    private static List<Limit> address(String field) {
        List<Limit> out = new ArrayList<>();
        for (Limit l : ADDRESS) {
            out.add(new Limit(field + "." + l.path(), l.max()));
        }
        return out;
    }

    @SafeVarargs
    private static List<Limit> concat(List<Limit>... parts) {
        List<Limit> out = new ArrayList<>();
        for (List<Limit> p : parts) {
            out.addAll(p);
        }
        return List.copyOf(out);
    }
}
