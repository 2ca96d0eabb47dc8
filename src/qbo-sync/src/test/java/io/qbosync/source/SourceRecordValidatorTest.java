package io.qbosync.source;

import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourcePayment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SourceRecordValidatorTest {
    private final SourceRecordValidator validator = new SourceRecordValidator();

    static final String CONTACT = """
            {"id":"C-0042","firstName":"Margaret","lastName":"O'Brien","email":"margaret.obrien@example.org",
             "phone":"+1-202-555-0142","companyId":"CO-0007",
             "address":{"line1":"12 Main St","line2":null,"city":"Madison","region":"WI","postalCode":"53703","country":"US"},
             "updatedAt":"2025-07-01T08:00:00Z"}""";
    static final String COMPANY = """
            {"id":"CO-0007","name":"O'Reilly & Daughters Catering","email":"billing@oreilly.example.net","phone":null,
             "address":null,"updatedAt":"2025-07-01T08:01:00Z"}""";
    static final String INVOICE = """
            {"id":"I-0007","number":"GU-10007","billToType":"contact","billToId":"C-0042","category":"event",
             "typeName":"Spring Conference","issueDate":"2025-07-02","dueDate":"2025-08-01","currency":"USD",
             "lines":[{"description":"Spring Conference — registration","quantity":1,"unitPrice":289.50,"amount":289.50},
                      {"description":"Spring Conference — group rate","quantity":3,"unitPrice":96.6667,"amount":290.00}],
             "total":579.50,"status":"open","memo":"Line one\\nline two","updatedAt":"2025-07-02T09:00:00Z"}""";
    static final String PAYMENT = """
            {"id":"P-0009","invoiceId":"I-0007","amount":100.00,"paidOn":"2025-07-10","method":"check",
             "reference":"CHK-1042","updatedAt":"2025-07-10T10:00:00Z"}""";

    @Test
    void goodRecordsPassAndKeepTheirValues() {
        SourceItem contact = validator.contact(json(CONTACT));
        assertThat(contact.errors()).isEmpty();
        SourceContact c = contact.recordAs(SourceContact.class);
        assertThat(c.lastName()).isEqualTo("O'Brien");
        assertThat(c.address().postalCode()).isEqualTo("53703");
        assertThat(c.address().line2()).isNull();

        SourceItem company = validator.company(json(COMPANY));
        assertThat(company.errors()).isEmpty();
        assertThat(company.recordAs(SourceCompany.class).name()).isEqualTo("O'Reilly & Daughters Catering");

        SourceItem invoice = validator.invoice(json(INVOICE));
        assertThat(invoice.errors()).isEmpty();
        SourceInvoice i = invoice.recordAs(SourceInvoice.class);
        assertThat(i.total()).isEqualByComparingTo("579.50");
        assertThat(i.total().scale()).isEqualTo(2);
        assertThat(i.lines()).hasSize(2);
        assertThat(i.lines().get(1).unitPrice()).isEqualByComparingTo("96.6667");
        assertThat(i.memo()).isEqualTo("Line one\nline two");

        SourceItem payment = validator.payment(json(PAYMENT));
        assertThat(payment.errors()).isEmpty();
        assertThat(payment.recordAs(SourcePayment.class).amount()).isEqualTo(new BigDecimal("100.00"));
        assertThat(payment.sourceId()).isEqualTo("P-0009");
    }

    static Stream<Arguments> malformed() {
        String long501 = "x".repeat(501);
        return Stream.of(
                // contact
                arguments(SourceKind.CONTACT, "email", "\"x@\"", "contact C-0042: email \"x@\" is not a valid address"),
                arguments(SourceKind.CONTACT, "email", "\"no-at.example.com\"", "contact C-0042: email \"no-at.example.com\" is not a valid address"),
                arguments(SourceKind.CONTACT, "email", "\"a b@example.com\"", "contact C-0042: email \"a b@example.com\" is not a valid address"),
                arguments(SourceKind.CONTACT, "email", "\"user@localhost\"", "contact C-0042: email \"user@localhost\" is not a valid address"),
                arguments(SourceKind.CONTACT, "email", "\"a@@example.com\"", "contact C-0042: email \"a@@example.com\" is not a valid address"),
                arguments(SourceKind.CONTACT, "email", "42", "contact C-0042: email: expected a string, got 42"),
                arguments(SourceKind.CONTACT, "email", "\"" + "a".repeat(95) + "@example.org\"",
                        "contact C-0042: email is 107 characters long (max 100)"),
                arguments(SourceKind.CONTACT, "firstName", "\"" + long501 + "\"", "contact C-0042: firstName is 501 characters long (max 500)"),
                arguments(SourceKind.CONTACT, "lastName", "\"Smi\\u0007th\"", "contact C-0042: lastName contains a control character U+0007 at position 3"),
                arguments(SourceKind.CONTACT, "lastName", "\"O'Br\\tien\"", "contact C-0042: lastName contains a control character U+0009 at position 4"),
                arguments(SourceKind.CONTACT, "firstName", "\"Marg\uFFFDret\"",
                        "contact C-0042: firstName contains invalid UTF-8 (replacement character U+FFFD at position 4)"),
                arguments(SourceKind.CONTACT, "firstName", "\"Ma\\ud800rgaret\"",
                        "contact C-0042: firstName contains an unpaired surrogate U+D800 at position 2 (not valid Unicode)"),
                arguments(SourceKind.CONTACT, "firstName", "[\"Margaret\"]", "contact C-0042: firstName: expected a string, got an array"),
                arguments(SourceKind.CONTACT, "phone", "\"" + "1".repeat(31) + "\"", "contact C-0042: phone is 31 characters long (max 30)"),
                arguments(SourceKind.CONTACT, "companyId", "7", "contact C-0042: companyId: expected a string, got 7"),
                arguments(SourceKind.CONTACT, "updatedAt", "\"yesterday\"",
                        "contact C-0042: updatedAt \"yesterday\" is not a timestamp (ISO-8601 with offset, e.g. 2026-01-05T09:00:00Z)"),
                arguments(SourceKind.CONTACT, "updatedAt", null, "contact C-0042: updatedAt is missing"),
                arguments(SourceKind.CONTACT, "address", "\"12 Main St\"", "contact C-0042: address: expected an object, got \"12 Main St\""),
                arguments(SourceKind.CONTACT, "address/postalCode", "\"" + "9".repeat(31) + "\"",
                        "contact C-0042: address.postalCode is 31 characters long (max 30)"),
                arguments(SourceKind.CONTACT, "address/city", "false", "contact C-0042: address.city: expected a string, got false"),
                arguments(SourceKind.CONTACT, "id", "\"" + "C".repeat(101) + "\"",
                        "contact \"" + "C".repeat(40) + "…\": id is 101 characters long (max 100)"),
                // company
                arguments(SourceKind.COMPANY, "name", null, "company CO-0007: name is missing"),
                arguments(SourceKind.COMPANY, "name", "\"   \"", "company CO-0007: name is blank"),
                arguments(SourceKind.COMPANY, "name", "\"" + "N".repeat(600) + "\"", "company CO-0007: name is 600 characters long (max 500)"),
                arguments(SourceKind.COMPANY, "email", "\"billing@acme\"", "company CO-0007: email \"billing@acme\" is not a valid address"),
                arguments(SourceKind.COMPANY, "name", "\"Acme\\nLtd\"", "company CO-0007: name contains a control character U+000A at position 4"),
                // invoice
                arguments(SourceKind.INVOICE, "lines/1/quantity", "\"abc\"", "invoice GU-10007: lines[1].quantity: expected a number, got \"abc\""),
                arguments(SourceKind.INVOICE, "lines/0/quantity", "0", "invoice GU-10007: lines[0].quantity must be > 0 (got 0)"),
                arguments(SourceKind.INVOICE, "lines/0/quantity", "null", "invoice GU-10007: lines[0].quantity is missing"),
                arguments(SourceKind.INVOICE, "lines/0/unitPrice", "-5.00", "invoice GU-10007: lines[0].unitPrice must be ≥ 0 (got -5.00)"),
                arguments(SourceKind.INVOICE, "lines/0/unitPrice", "NaN", "invoice GU-10007: lines[0].unitPrice: expected a finite number, got NaN"),
                arguments(SourceKind.INVOICE, "lines/0/unitPrice", "289.123456", "invoice GU-10007: lines[0].unitPrice 289.123456 has more than 4 decimals"),
                arguments(SourceKind.INVOICE, "lines/0/amount", "289.55",
                        "invoice GU-10007: lines[0].amount 289.55 does not equal quantity × unitPrice (1 × 289.50 = 289.50)"),
                arguments(SourceKind.INVOICE, "lines/1/amount", "290.0001", "invoice GU-10007: lines[1].amount 290.0001 has more than 2 decimals"),
                arguments(SourceKind.INVOICE, "lines/0/description", "\"" + "d".repeat(4001) + "\"",
                        "invoice GU-10007: lines[0].description is 4001 characters long (max 4000)"),
                arguments(SourceKind.INVOICE, "lines/0", "5", "invoice GU-10007: lines[0]: expected an object, got 5"),
                arguments(SourceKind.INVOICE, "lines", "[]", "invoice GU-10007: lines is empty (an invoice needs at least one line)"),
                arguments(SourceKind.INVOICE, "lines", "\"none\"", "invoice GU-10007: lines: expected an array, got \"none\""),
                arguments(SourceKind.INVOICE, "lines", null, "invoice GU-10007: lines is missing"),
                arguments(SourceKind.INVOICE, "total", "999.00", "invoice GU-10007: total 999.00 does not equal the sum of line amounts (579.50)"),
                arguments(SourceKind.INVOICE, "total", "579.501", "invoice GU-10007: total 579.501 has more than 2 decimals"),
                arguments(SourceKind.INVOICE, "total", "2000000000", "invoice GU-10007: total 2000000000 is out of range (more than 1000000000 in size)"),
                arguments(SourceKind.INVOICE, "total", "-1.00", "invoice GU-10007: total must be ≥ 0 (got -1.00)"),
                arguments(SourceKind.INVOICE, "total", "\"579.50\"", "invoice GU-10007: total: expected a number, got \"579.50\""),
                arguments(SourceKind.INVOICE, "issueDate", "\"2026-13-40\"", "invoice GU-10007: issueDate \"2026-13-40\" is not a date (YYYY-MM-DD)"),
                arguments(SourceKind.INVOICE, "issueDate", "\"2026-02-30\"", "invoice GU-10007: issueDate \"2026-02-30\" is not a date (YYYY-MM-DD)"),
                arguments(SourceKind.INVOICE, "issueDate", "\"07/02/2025\"", "invoice GU-10007: issueDate \"07/02/2025\" is not a date (YYYY-MM-DD)"),
                arguments(SourceKind.INVOICE, "dueDate", "\"2025-06-01\"", "invoice GU-10007: dueDate 2025-06-01 is before issueDate 2025-07-02"),
                arguments(SourceKind.INVOICE, "category", "\"sports\"", "invoice GU-10007: category \"sports\" is not one of membership, event, other"),
                arguments(SourceKind.INVOICE, "category", null, "invoice GU-10007: category is missing"),
                arguments(SourceKind.INVOICE, "billToType", "\"person\"", "invoice GU-10007: billToType \"person\" is not one of contact, company"),
                arguments(SourceKind.INVOICE, "billToId", "\"\"", "invoice GU-10007: billToId is blank"),
                arguments(SourceKind.INVOICE, "status", "\"paid\"", "invoice GU-10007: status \"paid\" is not one of open, voided"),
                arguments(SourceKind.INVOICE, "number", "\"GU-10007-CHAPTER-NORTH\"", "invoice GU-10007-CHAPTER-NORTH: number is 22 characters long (max 21)"),
                arguments(SourceKind.INVOICE, "currency", "\"usd\"", "invoice GU-10007: currency \"usd\" is not an ISO 4217 code (three capital letters)"),
                arguments(SourceKind.INVOICE, "memo", "\"" + "m".repeat(4001) + "\"", "invoice GU-10007: memo is 4001 characters long (max 4000)"),
                arguments(SourceKind.INVOICE, "memo", "\"nul\\u0000here\"", "invoice GU-10007: memo contains a control character U+0000 at position 3"),
                arguments(SourceKind.INVOICE, "typeName", "{\"name\":\"Gala\"}", "invoice GU-10007: typeName: expected a string, got an object"),
                // payment
                arguments(SourceKind.PAYMENT, "amount", "-5.00", "payment P-0009: amount must be > 0 (got -5.00)"),
                arguments(SourceKind.PAYMENT, "amount", "0", "payment P-0009: amount must be > 0 (got 0)"),
                arguments(SourceKind.PAYMENT, "amount", "\"12.50\"", "payment P-0009: amount: expected a number, got \"12.50\""),
                arguments(SourceKind.PAYMENT, "amount", "1.005", "payment P-0009: amount 1.005 has more than 2 decimals"),
                arguments(SourceKind.PAYMENT, "amount", "1e12", "payment P-0009: amount 1000000000000 is out of range (more than 1000000000 in size)"),
                arguments(SourceKind.PAYMENT, "amount", "Infinity", "payment P-0009: amount: expected a finite number, got Infinity"),
                arguments(SourceKind.PAYMENT, "paidOn", "\"10/07/2025\"", "payment P-0009: paidOn \"10/07/2025\" is not a date (YYYY-MM-DD)"),
                arguments(SourceKind.PAYMENT, "invoiceId", null, "payment P-0009: invoiceId is missing"),
                arguments(SourceKind.PAYMENT, "invoiceId", "12", "payment P-0009: invoiceId: expected a string, got 12"),
                arguments(SourceKind.PAYMENT, "reference", "\"" + "r".repeat(101) + "\"", "payment P-0009: reference is 101 characters long (max 100)"));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("malformed")
    void eachProblemGetsItsOwnSpecificMessage(SourceKind kind, String field, String valueJson, String expected) {
        ObjectNode raw = (ObjectNode) json(base(kind));
        set(raw, field, valueJson);

        SourceItem item = validator.validate(kind, raw);

        assertThat(item.errors()).containsExactly(expected);
        assertThat(item.record()).isNull();
        assertThat(item.raw()).isSameAs(raw);
        assertThat(item.kind()).isEqualTo(kind);
    }

    @Test
    void missingIdGetsAStablePlaceholderAndIsNamedInTheMessage() {
        ObjectNode raw = (ObjectNode) json(PAYMENT);
        raw.remove("id");
        SourceItem first = validator.payment(raw);
        SourceItem again = validator.payment(json(raw.toString()));

        assertThat(first.sourceId()).matches("missing-id-[0-9a-f]{16}").isEqualTo(again.sourceId());
        assertThat(first.errors()).containsExactly("payment " + first.sourceId() + ": id is missing");

        raw.put("amount", 7);
        assertThat(validator.payment(raw).sourceId()).isNotEqualTo(first.sourceId());
    }

    @Test
    void aRecordThatIsNotAnObjectIsReportedAsSuch() {
        SourceItem item = validator.invoice(json("\"just text\""));
        assertThat(item.errors()).containsExactly("invoice " + item.sourceId() + ": expected a JSON object, got \"just text\"");
        assertThat(validator.contact(json("[1,2]")).errors().get(0)).endsWith(": expected a JSON object, got an array");
    }

    @Test
    void severalProblemsInOneRecordAreAllListed() {
        ObjectNode raw = (ObjectNode) json(INVOICE);
        raw.put("category", "sports");
        raw.put("issueDate", "2026-13-40");
        ((ObjectNode) raw.get("lines").get(1)).put("quantity", "abc");
        raw.remove("updatedAt");

        assertThat(validator.invoice(raw).errors()).containsExactly(
                "invoice GU-10007: category \"sports\" is not one of membership, event, other",
                "invoice GU-10007: issueDate \"2026-13-40\" is not a date (YYYY-MM-DD)",
                "invoice GU-10007: lines[1].quantity: expected a number, got \"abc\"",
                "invoice GU-10007: updatedAt is missing");
    }

    @Test
    void blankOptionalFieldsReadAsAbsentAndTypedRecordsCanBeChecked() {
        ObjectNode raw = (ObjectNode) json(CONTACT);
        raw.put("email", "");
        raw.put("firstName", " ");
        SourceContact c = validator.contact(raw).recordAs(SourceContact.class);
        assertThat(c.email()).isNull();
        assertThat(c.firstName()).isNull();
        assertThat(c.lastName()).isEqualTo("O'Brien");

        assertThat(validator.check(c).errors()).isEmpty();
        SourcePayment bad = new SourcePayment("P-1", "I-1", new BigDecimal("-1.00"), "2025-07-10", null, null, "2025-07-10T10:00:00Z");
        assertThat(validator.check(bad).errors()).containsExactly("payment P-1: amount must be > 0 (got -1.00)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.co", "margaret.obrien@example.org", "o'brien+dues@mail.example.co.uk", "Zoë@exämple.org"})
    void qboShapedEmailsAreAccepted(String email) {
        assertThat(SourceRecordValidator.isQboEmail(email)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x@", "@example.org", "a@b", "a.b.c", "a@b.", "a@.b", "a b@c.d", "a@b@c.d", "a@b..c"})
    void malformedEmailsAreRefused(String email) {
        assertThat(SourceRecordValidator.isQboEmail(email)).isFalse();
    }

    private static String base(SourceKind kind) {
        return switch (kind) {
            case CONTACT -> CONTACT;
            case COMPANY -> COMPANY;
            case INVOICE -> INVOICE;
            case PAYMENT -> PAYMENT;
        };
    }

    /** Sets (or with null removes) the value at a slash path such as {@code lines/1/quantity}. */
    private static void set(ObjectNode root, String path, String valueJson) {
        String[] parts = path.split("/");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        JsonNode value = valueJson == null ? null : json(valueJson);
        if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), value);
        } else if (value == null) {
            ((ObjectNode) parent).remove(last);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static JsonNode json(String text) {
        try {
            return SourceJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
