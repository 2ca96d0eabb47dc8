package io.qbosync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.source.SourceItem;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.SourceRecordValidator;
import io.qbosync.source.sample.SampleDataGenerator;

/**
 * The validator rules the fuzz corpus showed missing: numbers whose plain form is enormous, ids that cannot be a
 * sync-store key, and strings within the sanity caps but over the QBO field they end up in.
 */
class ValidatorFuzzRulesTest {

    private final SourceRecordValidator validator = new SourceRecordValidator();

    static final String CONTACT = """
            {"id":"C-1","firstName":"Ana","lastName":"Okafor","email":"ana@example.org","updatedAt":"2025-07-01T08:00:00Z"}""";
    static final String COMPANY = """
            {"id":"CO-1","name":"Okafor Design","updatedAt":"2025-07-01T08:00:00Z"}""";
    static final String INVOICE = """
            {"id":"I-1","number":"GU-1","billToType":"contact","billToId":"C-1","category":"event","typeName":"Annual Gala",
             "issueDate":"2025-07-02","lines":[{"quantity":1,"unitPrice":125.00,"amount":125.00}],"total":125.00,
             "status":"open","updatedAt":"2025-07-02T09:00:00Z"}""";
    static final String PAYMENT = """
            {"id":"P-1","invoiceId":"I-1","amount":25.00,"paidOn":"2025-07-10","reference":"CHK-1042","updatedAt":"2025-07-10T10:00:00Z"}""";

    static Stream<Arguments> hugeExponents() {
        return Stream.of(
                Arguments.of(SourceKind.PAYMENT, PAYMENT, "amount", "1e-999999999", "payment P-1: amount 1E-999999999 has more than 2 decimals"),
                Arguments.of(SourceKind.PAYMENT, PAYMENT, "amount", "1e999999999", "payment P-1: amount 1E+999999999 is out of range (more than 1000000000 in size)"),
                Arguments.of(SourceKind.PAYMENT, PAYMENT, "amount", "-1E+400", "payment P-1: amount -1E+400 is out of range (more than 1000000000 in size)"),
                Arguments.of(SourceKind.INVOICE, INVOICE, "total", "12.5e-300", "invoice GU-1: total 1.25E-299 has more than 2 decimals"),
                // Short enough to read plainly: unchanged.
                Arguments.of(SourceKind.PAYMENT, PAYMENT, "amount", "1e12", "payment P-1: amount 1000000000000 is out of range (more than 1000000000 in size)"),
                Arguments.of(SourceKind.PAYMENT, PAYMENT, "amount", "0.000000000000000000000000000000000001",
                        "payment P-1: amount 0.000000000000000000000000000000000001 has more than 2 decimals"));
    }

    @ParameterizedTest(name = "{2} = {3}")
    @MethodSource("hugeExponents")
    void aNumberWithAHugeExponentIsShownInScientificNotation(SourceKind kind, String base, String field, String token, String expected) {
        // Before: toPlainString() of 1e-999999999 built a billion-digit string and ran out of heap.
        String text = base.replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":" + token);
        SourceItem item = validator.validate(kind, json(text));
        assertThat(item.errors()).containsExactly(expected);
    }

    @Test
    void anIdTooLongForTheStoreKeyIsFiledUnderAHashButNamedByItsText() {
        ObjectNode raw = (ObjectNode) json(CONTACT);
        String longId = "C-" + "9".repeat(298);
        raw.put("id", longId);
        SourceItem item = validator.contact(raw);
        assertThat(item.sourceId()).matches("invalid-id-[0-9a-f]{16}");
        assertThat(item.errors()).containsExactly("contact \"C-" + "9".repeat(38) + "…\": id is 300 characters long (max 100)");
        assertThat(validator.contact(json(raw.toString())).sourceId()).isEqualTo(item.sourceId());

        raw.put("id", "C-" + "9".repeat(98)); // 100 characters: still an id
        assertThat(validator.contact(raw).sourceId()).isEqualTo("C-" + "9".repeat(98));
    }

    @Test
    void anIdHoldingCharactersAKeyCannotHoldIsFiledUnderAHash() {
        for (String bad : new String[] {"C-1\u0000", "C-1\u001b", "C-\ufffd1", "C-\ud800"}) {
            ObjectNode raw = (ObjectNode) json(CONTACT);
            raw.put("id", bad);
            SourceItem item = validator.contact(raw);
            assertThat(item.sourceId()).as("id %s", bad.codePoints().boxed().toList()).startsWith("invalid-id-");
            assertThat(item.errors()).hasSize(1);
            assertThat(item.errors().get(0)).startsWith("contact \"C-").contains(": id contains ");
        }
        // A number too long for the key, too.
        ObjectNode numeric = (ObjectNode) json(PAYMENT);
        numeric.set("id", json("1" + "0".repeat(150)));
        assertThat(validator.payment(numeric).sourceId()).startsWith("invalid-id-");
        // Emoji and accents are fine in a key.
        ObjectNode ok = (ObjectNode) json(CONTACT);
        ok.put("id", "C-Zoë-\ud83d\ude00");
        assertThat(validator.contact(ok).sourceId()).isEqualTo("C-Zoë-\ud83d\ude00");
        assertThat(validator.contact(ok).errors()).isEmpty();
    }

    static Stream<Arguments> qboLimits() {
        return Stream.of(
                // Over the sanity cap, the cap's message alone (as before).
                Arguments.of(SourceKind.CONTACT, "firstName", 100, 501, "contact C-1: firstName is 501 characters long (max 500)"),
                Arguments.of(SourceKind.INVOICE, "memo", 3987, 4001, "invoice GU-1: memo is 4001 characters long (max 4000)"));
    }

    @ParameterizedTest(name = "{0} {1}: {2} fits, {3} does not")
    @MethodSource("qboLimits")
    void aFieldOverItsQboLimitIsRefusedBeforeQboRefusesIt(SourceKind kind, String field, int fits, int tooLong, String expected) {
        ObjectNode raw = (ObjectNode) json(switch (kind) {
            case CONTACT -> CONTACT;
            case COMPANY -> COMPANY;
            case INVOICE -> INVOICE;
            case PAYMENT -> PAYMENT;
        });
        raw.put(field, "a".repeat(fits));
        assertThat(validator.validate(kind, raw).errors()).as("%s of %s characters", field, fits).isEmpty();
        raw.put(field, "a".repeat(tooLong));
        assertThat(validator.validate(kind, raw).errors()).containsExactly(expected);
    }

    @Test
    void theGeneratedSampleDataStillPassesEveryRule() {
        for (int size : new int[] {0, 10_000}) {
            var data = new SampleDataGenerator(42, size).generate();
            Stream.of(data.contacts(), data.companies(), data.invoices(), data.payments()).flatMap(java.util.List::stream)
                    .forEach(r -> assertThat(validator.check(r).errors()).as(r.toString()).isEmpty());
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
