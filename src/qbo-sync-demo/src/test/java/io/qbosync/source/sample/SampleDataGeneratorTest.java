package io.qbosync.source.sample;

import io.qbosync.source.SourceRecordValidator;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourceInvoiceLine;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourcePayment;
import io.qbosync.source.feed.SourceIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SampleDataGeneratorTest {
    private static final SampleDataSet STANDARD = new SampleDataGenerator(42, 0).generate();

    @Test
    void sameSeedSameDataOtherSeedOtherData() throws Exception {
        String a = SourceJson.mapper().writeValueAsString(new SampleDataGenerator(42, 0).generate());
        String b = SourceJson.mapper().writeValueAsString(new SampleDataGenerator(42, 0).generate());
        String c = SourceJson.mapper().writeValueAsString(new SampleDataGenerator(7, 0).generate());
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
        // The hand-made cases do not depend on the seed.
        SampleDataSet other = new SampleDataGenerator(7, 0).generate();
        assertThat(other.contacts().subList(0, 9)).isEqualTo(STANDARD.contacts().subList(0, 9));
        assertThat(other.companies().subList(0, 4)).isEqualTo(STANDARD.companies().subList(0, 4));
        assertThat(other.invoices().subList(0, 16)).isEqualTo(STANDARD.invoices().subList(0, 16));
        assertThat(other.payments().subList(0, 3)).isEqualTo(STANDARD.payments().subList(0, 3));
    }

    @Test
    void standardSetHasTheDocumentedSize() {
        assertThat(STANDARD.contacts()).hasSize(120);
        assertThat(STANDARD.companies()).hasSize(30);
        assertThat(STANDARD.invoices()).hasSize(200);
        assertThat(STANDARD.payments()).hasSize(120);
        assertThat(STANDARD.invoices().stream().filter(i -> i.status().equals("voided"))).hasSize(2);
    }

    @Test
    void sizedSetKeepsTheProportions() {
        SampleDataSet big = new SampleDataGenerator(42, 10_000).generate();
        assertThat(big.size()).isEqualTo(10_000);
        assertThat(big.contacts()).hasSize(2553);
        assertThat(big.companies()).hasSize(638);
        assertThat(big.invoices()).hasSize(4255);
        assertThat(big.payments()).hasSize(2554);
        assertThat(big.invoices().stream().filter(i -> i.status().equals("voided")).count()).isEqualTo(43);
        checkInvariants(big);

        SampleDataSet tiny = new SampleDataGenerator(1, 5).generate();
        assertThat(tiny.contacts()).hasSizeGreaterThanOrEqualTo(9);
        assertThat(tiny.companies()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(tiny.invoices()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(tiny.payments()).hasSizeGreaterThanOrEqualTo(3);
        checkInvariants(tiny);
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 2024, -9})
    void invariantsHoldForAnySeed(long seed) {
        checkInvariants(new SampleDataGenerator(seed, 0).generate());
    }

    @Test
    void categoriesAndTypeNamesAreExactlyTheDocumentedOnes() {
        Map<String, Set<String>> types = new HashMap<>();
        for (SourceInvoice i : STANDARD.invoices()) {
            types.computeIfAbsent(i.category(), k -> new HashSet<>()).add(String.valueOf(i.typeName()));
        }
        assertThat(types.get("membership")).containsExactlyInAnyOrderElementsOf(SampleCases.MEMBERSHIP_TYPES);
        assertThat(types.get("event")).containsExactlyInAnyOrderElementsOf(SampleCases.EVENT_TYPES);
        assertThat(types.get("other")).containsExactly("null");
        assertThat(types).containsOnlyKeys("membership", "event", "other");
    }

    @Test
    void specialCasesArePresentAsDocumented() {
        Map<String, SourceContact> contacts = byId(STANDARD.contacts(), SourceContact::id);
        Map<String, SourceCompany> companies = byId(STANDARD.companies(), SourceCompany::id);
        Map<String, SourceInvoice> invoices = byId(STANDARD.invoices(), SourceInvoice::id);

        assertThat(displayName(contacts.get(SampleCases.APOSTROPHE_CONTACT_ID))).isEqualTo("Margaret O'Brien");
        assertThat(displayName(contacts.get(SampleCases.APOSTROPHE_ACCENT_CONTACT_ID))).isEqualTo("Siobhán O'Neill");
        assertThat(companies.get(SampleCases.APOSTROPHE_COMPANY_ID).name()).contains("'");
        assertThat(displayName(contacts.get(SampleCases.VENDOR_NAME_CONTACT_ID))).isEqualTo(SampleCases.VENDOR_NAME);
        assertThat(displayName(contacts.get(SampleCases.INACTIVE_VENDOR_NAME_CONTACT_ID))).isEqualTo(SampleCases.INACTIVE_VENDOR_NAME);
        assertThat(displayName(contacts.get(SampleCases.EMPLOYEE_NAME_CONTACT_ID))).isEqualTo(SampleCases.EMPLOYEE_NAME);
        assertThat(contacts.get(SampleCases.NO_EMAIL_CONTACT_ID).email()).isNull();
        assertThat(STANDARD.contacts().stream().filter(c -> c.email() == null).map(SourceContact::id))
                .contains(SampleCases.NO_EMAIL_CONTACT_ID);
        assertThat(contacts.get(SampleCases.EMAIL_MATCH_CONTACT_ID).email()).isEqualTo(SampleCases.EMAIL_MATCH_CONTACT_EMAIL);
        assertThat(companies.get(SampleCases.EMAIL_MATCH_COMPANY_ID).email()).isEqualTo(SampleCases.EMAIL_MATCH_COMPANY_EMAIL);

        // Each special party is billed by its invoice.
        Map<String, String> billed = Map.of(
                SampleCases.APOSTROPHE_INVOICE_ID, SampleCases.APOSTROPHE_CONTACT_ID,
                SampleCases.VENDOR_NAME_INVOICE_ID, SampleCases.VENDOR_NAME_CONTACT_ID,
                SampleCases.INACTIVE_VENDOR_NAME_INVOICE_ID, SampleCases.INACTIVE_VENDOR_NAME_CONTACT_ID,
                SampleCases.EMPLOYEE_NAME_INVOICE_ID, SampleCases.EMPLOYEE_NAME_CONTACT_ID,
                SampleCases.NO_EMAIL_INVOICE_ID, SampleCases.NO_EMAIL_CONTACT_ID,
                SampleCases.EMAIL_MATCH_CONTACT_INVOICE_ID, SampleCases.EMAIL_MATCH_CONTACT_ID,
                SampleCases.EMAIL_MATCH_COMPANY_INVOICE_ID, SampleCases.EMAIL_MATCH_COMPANY_ID,
                SampleCases.APOSTROPHE_COMPANY_INVOICE_ID, SampleCases.APOSTROPHE_COMPANY_ID);
        billed.forEach((invoiceId, partyId) -> assertThat(invoices.get(invoiceId).billToId()).as(invoiceId).isEqualTo(partyId));
        assertThat(invoices.get(SampleCases.EMAIL_MATCH_COMPANY_INVOICE_ID).billToType()).isEqualTo("company");

        // The ambiguous and near-identical parties, each billed so that it becomes a customer record.
        SourceContact shared = contacts.get(SampleCases.SHARED_EMAIL_CONTACT_ID);
        assertThat(shared.email()).isEqualTo(SampleCases.SHARED_EMAIL);
        assertThat(shared.companyId()).isNull();
        assertThat(companies.get(SampleCases.AMBIGUOUS_NAME_COMPANY_ID).name()).isEqualTo(SampleCases.AMBIGUOUS_NAME_COMPANY);
        assertThat(companies.get(SampleCases.NEAR_NAME_COMPANY_ID).name()).isEqualTo(SampleCases.NEAR_NAME_COMPANY);
        Map.of(SampleCases.SHARED_EMAIL_INVOICE_ID, "contact:" + SampleCases.SHARED_EMAIL_CONTACT_ID,
                SampleCases.AMBIGUOUS_NAME_INVOICE_ID, "company:" + SampleCases.AMBIGUOUS_NAME_COMPANY_ID,
                SampleCases.NEAR_NAME_INVOICE_ID, "company:" + SampleCases.NEAR_NAME_COMPANY_ID)
                .forEach((invoiceId, party) -> assertThat(invoices.get(invoiceId).billToType() + ":"
                        + invoices.get(invoiceId).billToId()).as(invoiceId).isEqualTo(party));

        SourceInvoice dup = invoices.get(SampleCases.DUPLICATE_NUMBER_INVOICE_ID);
        assertThat(dup.number()).isEqualTo(SampleCases.DUPLICATE_DOC_NUMBER);
        assertThat(dup.total()).isNotEqualByComparingTo(SampleQboSeed.DUPLICATE_INVOICE_AMOUNT);
        assertThat(invoices.get(SampleCases.UNMAPPED_EVENT_INVOICE_ID).typeName()).isEqualTo("Networking Breakfast");
        assertThat(invoices.get(SampleCases.UNMAPPED_EVENT_INVOICE_ID).category()).isEqualTo("event");
        assertThat(invoices.get(SampleCases.UNMAPPED_MEMBERSHIP_INVOICE_ID).typeName()).isEqualTo("Student Membership");
        assertThat(invoices.get(SampleCases.UNMAPPED_MEMBERSHIP_INVOICE_ID).category()).isEqualTo("membership");
        SampleCases.VOIDED_INVOICE_IDS.forEach(id -> assertThat(invoices.get(id).status()).isEqualTo("voided"));

        Map<String, SourcePayment> payments = byId(STANDARD.payments(), SourcePayment::id);
        assertThat(payments.get(SampleCases.FULL_PAYMENT_ID).amount())
                .isEqualByComparingTo(invoices.get(SampleCases.APOSTROPHE_INVOICE_ID).total());
        assertThat(payments.get(SampleCases.PARTIAL_PAYMENT_ID).amount())
                .isLessThan(invoices.get(SampleCases.EMAIL_MATCH_CONTACT_INVOICE_ID).total());
        assertThat(payments.get(SampleCases.NEAR_NAME_PAYMENT_ID).invoiceId()).isEqualTo(SampleCases.NEAR_NAME_INVOICE_ID);
        assertThat(payments.get(SampleCases.NEAR_NAME_PAYMENT_ID).amount())
                .isEqualByComparingTo(invoices.get(SampleCases.NEAR_NAME_INVOICE_ID).total());
    }

    @Test
    void someInvoicesNeedHalfUpRoundingAndSomeArePartlyPaid() {
        assertThat(STANDARD.invoices().stream().flatMap(i -> i.lines().stream())
                .anyMatch(l -> l.unitPrice().scale() > 2)).isTrue();
        Map<String, BigDecimal> paid = STANDARD.payments().stream()
                .collect(Collectors.groupingBy(SourcePayment::invoiceId, Collectors.reducing(BigDecimal.ZERO, SourcePayment::amount, BigDecimal::add)));
        long full = STANDARD.invoices().stream().filter(i -> paid.containsKey(i.id()) && paid.get(i.id()).compareTo(i.total()) == 0).count();
        long partial = STANDARD.invoices().stream().filter(i -> paid.containsKey(i.id()) && paid.get(i.id()).compareTo(i.total()) < 0).count();
        assertThat(full).isGreaterThan(20);
        assertThat(partial).isGreaterThan(5);
    }

    /** The promises of the generator's javadoc, checked record by record. */
    static void checkInvariants(SampleDataSet data) {
        SourceRecordValidator validator = new SourceRecordValidator();
        Stream.of(data.contacts(), data.companies(), data.invoices(), data.payments()).flatMap(List::stream)
                .forEach(r -> assertThat(validator.check(r).errors()).as(r.toString()).isEmpty());

        Map<String, SourceContact> contacts = byId(data.contacts(), SourceContact::id);
        Map<String, SourceCompany> companies = byId(data.companies(), SourceCompany::id);
        Map<String, SourceInvoice> invoices = byId(data.invoices(), SourceInvoice::id);
        byId(data.payments(), SourcePayment::id);

        Set<String> names = new HashSet<>();
        for (SourceContact c : data.contacts()) {
            assertThat(names.add(displayName(c))).as("unique display name " + displayName(c)).isTrue();
            if (c.companyId() != null) {
                SourceCompany co = companies.get(c.companyId());
                assertThat(co).as(c.id() + " works for an existing company").isNotNull();
                assertThat(Instant.parse(co.updatedAt())).isBefore(Instant.parse(c.updatedAt()));
            }
        }
        Set<String> numbers = new HashSet<>();
        for (SourceInvoice i : data.invoices()) {
            assertThat(numbers.add(i.number())).isTrue();
            assertThat(i.number()).matches("GU-\\d{5,}").hasSizeLessThanOrEqualTo(21);
            String partyUpdated = i.billToType().equals("contact")
                    ? contacts.get(i.billToId()).updatedAt() : companies.get(i.billToId()).updatedAt();
            assertThat(Instant.parse(partyUpdated)).as(i.id() + " after its party").isBefore(Instant.parse(i.updatedAt()));
            BigDecimal sum = BigDecimal.ZERO;
            for (SourceInvoiceLine l : i.lines()) {
                assertThat(l.amount()).isEqualTo(l.quantity().multiply(l.unitPrice()).setScale(2, RoundingMode.HALF_UP));
                sum = sum.add(l.amount());
            }
            assertThat(i.total()).isEqualByComparingTo(sum);
            assertThat(i.total().scale()).isEqualTo(2);
        }
        Map<String, BigDecimal> paid = new HashMap<>();
        for (SourcePayment p : data.payments()) {
            SourceInvoice i = invoices.get(p.invoiceId());
            assertThat(i).as(p.id() + " pays an existing invoice").isNotNull();
            assertThat(i.status()).isEqualTo("open");
            assertThat(Instant.parse(i.updatedAt())).as(p.id() + " after its invoice").isBefore(Instant.parse(p.updatedAt()));
            assertThat(p.paidOn()).isGreaterThanOrEqualTo(i.issueDate());
            BigDecimal total = paid.merge(p.invoiceId(), p.amount(), BigDecimal::add);
            assertThat(total).as("never overpaid: " + i.id()).isLessThanOrEqualTo(i.total());
        }
    }

    static String displayName(SourceContact c) {
        return c.firstName() + " " + c.lastName();
    }

    private static <T> Map<String, T> byId(List<T> list, Function<T, String> id) {
        Map<String, T> map = list.stream().collect(Collectors.toMap(id, Function.identity()));
        assertThat(map).as("ids are unique").hasSize(list.size());
        return map;
    }
}
