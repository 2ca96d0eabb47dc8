package io.qbosync.source;

import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceAddress;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourceInvoiceLine;
import io.qbosync.source.feed.SourcePayment;
import com.fasterxml.jackson.databind.JsonNode;
import io.qbosync.source.feed.SourceIds;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns one raw source record into a typed record, or into a list of specific messages. Each record is
 * checked on its own (no look-ups of other records), so one bad record never affects its neighbours.
 *
 * <p>Limits are those QuickBooks Online enforces where a field ends up in QBO (DocNumber 21, e-mail 100,
 * phone 30, memo 4000), and generous sanity caps elsewhere (names 500, the QBO DisplayName limit). Name parts,
 * company names, payment references and memos that fit those caps but not QBO's narrower field are left to the
 * {@code qbo-errors-string-length} policy (truncate or fail, per field, as the integration engineer chooses).
 * Thread-safe and stateless.
 */
public class SourceRecordValidator {
    public static final int MAX_ID = SourceIds.MAX_ID;
    public static final int MAX_NAME = 500;
    public static final int MAX_EMAIL = 100;
    public static final int MAX_PHONE = 30;
    public static final int MAX_ADDRESS_LINE = 500;
    public static final int MAX_ADDRESS_PART = 255;
    public static final int MAX_POSTAL_CODE = 30;
    public static final int MAX_DOC_NUMBER = 21;
    /** A chapter or subsidiary name: a key of the mapping file's company routes. */
    static final int MAX_CHAPTER = 100;
    public static final int MAX_TYPE_NAME = 100;
    public static final int MAX_TEXT = 4000;
    public static final int MAX_SHORT_TEXT = 100;

    public static final List<String> BILL_TO_TYPES = List.of("contact", "company");
    public static final List<String> CATEGORIES = List.of("membership", "event", "other");
    public static final List<String> INVOICE_STATUSES = List.of("open", "voided");

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    /** Validates a record of the given kind. */
    public SourceItem validate(SourceKind kind, JsonNode raw) {
        return switch (kind) {
            case CONTACT -> contact(raw);
            case COMPANY -> company(raw);
            case INVOICE -> invoice(raw);
            case PAYMENT -> payment(raw);
        };
    }

    /** A contact: id, a first or last name, optional QBO-shaped e-mail, phone, company id and address. */
    public SourceItem contact(JsonNode raw) {
        Start s = start(SourceKind.CONTACT, raw);
        if (s.reader == null) {
            return s.invalid();
        }
        FieldReader r = s.reader;
        String id = r.string(raw, "id", "id", true, MAX_ID, false);
        String first = r.string(raw, "firstName", "firstName", false, MAX_NAME, false);
        String last = r.string(raw, "lastName", "lastName", false, MAX_NAME, false);
        if (absentOrBlank(raw, "firstName") && absentOrBlank(raw, "lastName")) {
            r.error("firstName and lastName are both missing or blank (a contact needs a name)");
        }
        if (first != null && last != null && (first + " " + last).length() > MAX_NAME) {
            r.error("display name \"firstName lastName\" is " + (first.length() + 1 + last.length())
                    + " characters long (max " + MAX_NAME + ")");
        }
        String email = email(r, raw);
        String phone = r.string(raw, "phone", "phone", false, MAX_PHONE, false);
        String companyId = r.string(raw, "companyId", "companyId", false, MAX_ID, false);
        SourceAddress address = address(r, raw);
        String updatedAt = r.timestamp(raw, "updatedAt", "updatedAt", true);
        return s.finish(() -> new SourceContact(id, first, last, email, phone, companyId, address, updatedAt));
    }

    /** A company: id, name, optional QBO-shaped e-mail, phone and address. */
    public SourceItem company(JsonNode raw) {
        Start s = start(SourceKind.COMPANY, raw);
        if (s.reader == null) {
            return s.invalid();
        }
        FieldReader r = s.reader;
        String id = r.string(raw, "id", "id", true, MAX_ID, false);
        String name = r.string(raw, "name", "name", true, MAX_NAME, false);
        String email = email(r, raw);
        String phone = r.string(raw, "phone", "phone", false, MAX_PHONE, false);
        SourceAddress address = address(r, raw);
        String updatedAt = r.timestamp(raw, "updatedAt", "updatedAt", true);
        return s.finish(() -> new SourceCompany(id, name, email, phone, address, updatedAt));
    }

    /**
     * An invoice: number ≤ 21 chars, bill-to, known category and status, dates, at least one line whose amount
     * is quantity × unitPrice rounded half-up to cents, and a total equal to the sum of the line amounts.
     */
    public SourceItem invoice(JsonNode raw) {
        Start s = start(SourceKind.INVOICE, raw);
        if (s.reader == null) {
            return s.invalid();
        }
        FieldReader r = s.reader;
        String id = r.string(raw, "id", "id", true, MAX_ID, false);
        String number = r.string(raw, "number", "number", true, MAX_DOC_NUMBER, false);
        String billToType = r.oneOf(raw, "billToType", "billToType", true, BILL_TO_TYPES);
        String billToId = r.string(raw, "billToId", "billToId", true, MAX_ID, false);
        String category = r.oneOf(raw, "category", "category", true, CATEGORIES);
        String typeName = r.string(raw, "typeName", "typeName", false, MAX_TYPE_NAME, false);
        LocalDate issue = r.date(raw, "issueDate", "issueDate", true);
        LocalDate due = r.date(raw, "dueDate", "dueDate", false);
        if (issue != null && due != null && due.isBefore(issue)) {
            r.error("dueDate " + due + " is before issueDate " + issue);
        }
        String currency = r.string(raw, "currency", "currency", false, 3, false);
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            r.error("currency " + FieldReader.quote(currency) + " is not an ISO 4217 code (three capital letters)");
        }
        List<SourceInvoiceLine> lines = lines(r, raw);
        BigDecimal total = r.decimal(raw, "total", "total", true, 2);
        if (total != null && total.signum() < 0) {
            r.error("total must be ≥ 0 (got " + total.toPlainString() + ")");
        } else if (total != null && lines != null) {
            BigDecimal sum = lines.stream().map(SourceInvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (sum.compareTo(total) != 0) {
                r.error("total " + total.toPlainString() + " does not equal the sum of line amounts ("
                        + sum.setScale(2, RoundingMode.HALF_UP).toPlainString() + ")");
            }
        }
        String status = r.oneOf(raw, "status", "status", true, INVOICE_STATUSES);
        String memo = r.string(raw, "memo", "memo", false, MAX_TEXT, true);
        String updatedAt = r.timestamp(raw, "updatedAt", "updatedAt", true);
        String chapter = r.string(raw, "chapter", "chapter", false, MAX_CHAPTER, false);
        return s.finish(() -> new SourceInvoice(id, number, billToType, billToId, category, typeName,
                issue.toString(), due == null ? null : due.toString(), currency, lines, total, status, memo, updatedAt,
                chapter));
    }

    /** A payment: the invoice it pays, an amount > 0 with at most 2 decimals, the date paid. */
    public SourceItem payment(JsonNode raw) {
        Start s = start(SourceKind.PAYMENT, raw);
        if (s.reader == null) {
            return s.invalid();
        }
        FieldReader r = s.reader;
        String id = r.string(raw, "id", "id", true, MAX_ID, false);
        String invoiceId = r.string(raw, "invoiceId", "invoiceId", true, MAX_ID, false);
        BigDecimal amount = r.decimal(raw, "amount", "amount", true, 2);
        if (amount != null && amount.signum() <= 0) {
            r.error("amount must be > 0 (got " + amount.toPlainString() + ")");
        }
        LocalDate paidOn = r.date(raw, "paidOn", "paidOn", true);
        String method = r.string(raw, "method", "method", false, MAX_SHORT_TEXT, false);
        String reference = r.string(raw, "reference", "reference", false, MAX_SHORT_TEXT, false);
        String updatedAt = r.timestamp(raw, "updatedAt", "updatedAt", true);
        return s.finish(() -> new SourcePayment(id, invoiceId, amount, paidOn.toString(), method, reference, updatedAt));
    }

    /** Validates an already typed record by its JSON form (used for records built in code). */
    public SourceItem check(Object record) {
        SourceKind kind;
        if (record instanceof SourceContact) {
            kind = SourceKind.CONTACT;
        } else if (record instanceof SourceCompany) {
            kind = SourceKind.COMPANY;
        } else if (record instanceof SourceInvoice) {
            kind = SourceKind.INVOICE;
        } else if (record instanceof SourcePayment) {
            kind = SourceKind.PAYMENT;
        } else {
            throw new IllegalArgumentException("not a source record: " + record);
        }
        return validate(kind, SourceJson.mapper().valueToTree(record));
    }

    /**
     * The e-mail rule QBO applies to PrimaryEmailAddr (contains {@code @} and {@code .}), tightened to the
     * shape of a real address: one {@code @}, no spaces, a dot inside the domain, at most 100 characters.
     */
    public static boolean isQboEmail(String s) {
        return s != null && s.length() <= MAX_EMAIL && s.indexOf('@') > 0 && s.indexOf('.') >= 0
                && EMAIL.matcher(s).matches();
    }

    /**
     * A field within the sanity cap but over the limit of the QBO field it becomes: QBO would refuse the record with
     * 2050 on every attempt, so it is refused here, before anything is queued. Returns the value when it fits.
     */
    private static boolean absentOrBlank(JsonNode raw, String field) {
        JsonNode n = FieldReader.child(raw, field);
        return n == null || (n.isTextual() && n.textValue().isBlank());
    }

    private String email(FieldReader r, JsonNode raw) {
        String email = r.string(raw, "email", "email", false, MAX_EMAIL, false);
        if (email != null && !isQboEmail(email)) {
            r.error("email " + FieldReader.quote(email) + " is not a valid address");
            return null;
        }
        return email;
    }

    private SourceAddress address(FieldReader r, JsonNode raw) {
        JsonNode a = FieldReader.child(raw, "address");
        if (a == null) {
            return null;
        }
        if (!a.isObject()) {
            r.error("address: expected an object, got " + FieldReader.describe(a));
            return null;
        }
        return new SourceAddress(
                r.string(a, "line1", "address.line1", false, MAX_ADDRESS_LINE, false),
                r.string(a, "line2", "address.line2", false, MAX_ADDRESS_LINE, false),
                r.string(a, "city", "address.city", false, MAX_ADDRESS_PART, false),
                r.string(a, "region", "address.region", false, MAX_ADDRESS_PART, false),
                r.string(a, "postalCode", "address.postalCode", false, MAX_POSTAL_CODE, false),
                r.string(a, "country", "address.country", false, MAX_ADDRESS_PART, false));
    }

    /** Reads the lines; returns null when any line is unusable, so that the total check is skipped. */
    private List<SourceInvoiceLine> lines(FieldReader r, JsonNode raw) {
        JsonNode arr = FieldReader.child(raw, "lines");
        if (arr == null) {
            r.error("lines is missing");
            return null;
        }
        if (!arr.isArray()) {
            r.error("lines: expected an array, got " + FieldReader.describe(arr));
            return null;
        }
        if (arr.isEmpty()) {
            r.error("lines is empty (an invoice needs at least one line)");
            return null;
        }
        List<SourceInvoiceLine> lines = new ArrayList<>();
        boolean allGood = true;
        for (int i = 0; i < arr.size(); i++) {
            String p = "lines[" + i + "]";
            JsonNode line = arr.get(i);
            if (!line.isObject()) {
                r.error(p + ": expected an object, got " + FieldReader.describe(line));
                allGood = false;
                continue;
            }
            int before = r.errors().size();
            String description = r.string(line, "description", p + ".description", false, MAX_TEXT, true);
            BigDecimal qty = r.decimal(line, "quantity", p + ".quantity", true, 4);
            BigDecimal price = r.decimal(line, "unitPrice", p + ".unitPrice", true, 4);
            BigDecimal amount = r.decimal(line, "amount", p + ".amount", true, 2);
            if (qty != null && qty.signum() <= 0) {
                r.error(p + ".quantity must be > 0 (got " + qty.toPlainString() + ")");
            }
            if (price != null && price.signum() < 0) {
                r.error(p + ".unitPrice must be ≥ 0 (got " + price.toPlainString() + ")");
            }
            if (r.errors().size() == before) {
                BigDecimal expected = qty.multiply(price).setScale(2, RoundingMode.HALF_UP);
                if (expected.compareTo(amount) != 0) {
                    r.error(p + ".amount " + amount.toPlainString() + " does not equal quantity × unitPrice ("
                            + qty.toPlainString() + " × " + price.toPlainString() + " = " + expected.toPlainString() + ")");
                }
            }
            if (r.errors().size() == before) {
                lines.add(new SourceInvoiceLine(description, qty, price, amount));
            } else {
                allGood = false;
            }
        }
        return allGood ? lines : null;
    }

    /** Common opening: the label used in messages, the source id, and the not-an-object case. */
    private Start start(SourceKind kind, JsonNode raw) {
        String sourceId = SourceIds.of(raw);
        String idText = SourceIds.idText(raw);
        String labelId = idText != null ? idText : sourceId;
        if (kind == SourceKind.INVOICE && raw != null && raw.isObject()) {
            JsonNode number = raw.get("number");
            if (number != null && number.isTextual() && !number.textValue().isBlank()) {
                labelId = number.textValue();
            }
        }
        String label = kind.wire() + " " + labelFor(labelId);
        if (raw == null || !raw.isObject()) {
            String got = raw == null || raw.isMissingNode() ? "nothing" : FieldReader.describe(raw);
            return new Start(kind, sourceId, raw, null, List.of(label + ": expected a JSON object, got " + got));
        }
        return new Start(kind, sourceId, raw, new FieldReader(label), null);
    }

    /** The id as it appears in messages: cut to 40 characters, odd characters escaped. */
    private static String labelFor(String id) {
        String quoted = FieldReader.quote(id);
        String inner = quoted.substring(1, quoted.length() - 1);
        return inner.equals(id) ? id : quoted;
    }

    private record Start(SourceKind kind, String sourceId, JsonNode raw, FieldReader reader, List<String> early) {
        SourceItem invalid() {
            return new SourceItem(kind, sourceId, raw, null, early);
        }

        SourceItem finish(java.util.function.Supplier<Object> build) {
            if (!reader.ok()) {
                return new SourceItem(kind, sourceId, raw, null, reader.errors());
            }
            return new SourceItem(kind, sourceId, raw, build.get(), List.of());
        }
    }
}
