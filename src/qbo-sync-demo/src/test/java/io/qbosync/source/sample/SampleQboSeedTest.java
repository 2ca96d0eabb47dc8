package io.qbosync.source.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.feed.NameKeys;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.SourceRecordValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SampleQboSeedTest {
    private static final SampleDataSet DATA = new SampleDataGenerator(42, 0).generate();
    private final ObjectNode seed = SampleQboSeed.create();

    @Test
    void hasTheSandboxSeedShape() {
        assertThat(iterable(seed.fieldNames())).containsExactly("Account", "Item", "Vendor", "Employee", "Customer", "Invoice");
        seed.fields().forEachRemaining(e -> assertThat(e.getValue().isArray()).as(e.getKey()).isTrue());
        assertThat(SampleQboSeed.create()).isEqualTo(seed).isNotSameAs(seed);
    }

    @Test
    void accountsAndItemsAreTheDocumentedOnes() {
        assertThat(names(seed.get("Account"), "Name"))
                .as("every QBO company already has Undeposited Funds and Checking; the seed must not add them again")
                .containsExactly("Membership Income", "Event Income", "Other Income");
        assertThat(find(seed.get("Account"), "Name", "Event Income").get("AccountType").asText()).isEqualTo("Income");

        assertThat(names(seed.get("Item"), "Sku"))
                .containsExactly("MEM-GOLD", "MEM-SILVER", "MEM-ALL", "EVT-GALA", "EVT-CONF", "EVT-ALL", "GEN-OTHER");
        assertThat(names(seed.get("Item"), "Name")).containsExactly("Gold Membership Dues", "Silver Membership Dues",
                "Membership Dues", "Annual Gala Registration", "Spring Conference Registration", "Event Registration",
                "Other Income Item");
        Set<String> accountNames = new HashSet<>(names(seed.get("Account"), "Name"));
        for (JsonNode item : seed.get("Item")) {
            assertThat(item.get("Type").asText()).isEqualTo("Service");
            String account = item.get("IncomeAccountRef").get("name").asText();
            assertThat(accountNames).contains(account);
            assertThat(find(seed.get("Account"), "Name", account).get("AccountType").asText()).isEqualTo("Income");
            assertThat(item.get("Name").asText()).hasSizeLessThanOrEqualTo(100);
        }
    }

    @Test
    void vendorsAndEmployeeCollideWithSampleContactNames() {
        Set<String> contactNames = DATA.contacts().stream().map(SampleDataGeneratorTest::displayName).collect(Collectors.toSet());
        List<String> vendors = names(seed.get("Vendor"), "DisplayName");
        assertThat(vendors).containsExactlyInAnyOrder(SampleCases.VENDOR_NAME, SampleCases.INACTIVE_VENDOR_NAME);
        assertThat(contactNames).containsAll(vendors);
        assertThat(find(seed.get("Vendor"), "DisplayName", SampleCases.INACTIVE_VENDOR_NAME).get("Active").asBoolean()).isFalse();
        List<String> employees = names(seed.get("Employee"), "DisplayName");
        assertThat(employees).containsExactly(SampleCases.EMPLOYEE_NAME);
        assertThat(contactNames).containsAll(employees);
        for (JsonNode e : seed.get("Employee")) {
            assertThat(e.hasNonNull("GivenName") || e.hasNonNull("FamilyName")).isTrue();
        }
        // Only the planned names collide: no QBO customer is named like any sample contact or company.
        Set<String> partyNames = new HashSet<>(contactNames);
        DATA.companies().forEach(c -> partyNames.add(c.name()));
        assertThat(names(seed.get("Customer"), "DisplayName")).doesNotContainAnyElementsOf(partyNames);
    }

    @Test
    void customersShareEmailsWithSampleParties() {
        SourceContact lucia = DATA.contacts().stream().filter(c -> c.id().equals(SampleCases.EMAIL_MATCH_CONTACT_ID)).findFirst().orElseThrow();
        String companyEmail = DATA.companies().stream().filter(c -> c.id().equals(SampleCases.EMAIL_MATCH_COMPANY_ID))
                .findFirst().orElseThrow().email();
        List<String> emails = new ArrayList<>();
        for (JsonNode c : seed.get("Customer")) {
            String email = c.get("PrimaryEmailAddr").get("Address").asText();
            assertThat(SourceRecordValidator.isQboEmail(email)).isTrue();
            emails.add(email);
        }
        assertThat(emails).contains(lucia.email(), companyEmail, SampleCases.SHARED_EMAIL);
        assertThat(find(seed.get("Customer"), "DisplayName", SampleCases.EMAIL_MATCH_CONTACT_QBO_NAME)
                .get("PrimaryEmailAddr").get("Address").asText()).isEqualTo(lucia.email());
        assertThat(emails.stream().filter(SampleCases.SHARED_EMAIL::equals)).as("one e-mail, two customers").hasSize(2);
    }

    /**
     * Which seeded QBO customers each sample party would be matched against (same e-mail, or same name once
     * normalised as {@link NameKeys} does: DisplayName, and a company-style customer's CompanyName for a company):
     * exactly the planned ones, whatever the seed or size, and nothing for every other party.
     */
    @ParameterizedTest
    @CsvSource({"42,0", "1,0", "2024,0", "42,10000"})
    void onlyThePlannedPartiesHaveCandidatesAmongTheSeededCustomers(long seedValue, int size) {
        SampleDataSet data = new SampleDataGenerator(seedValue, size).generate();
        Map<String, Set<String>> candidates = new TreeMap<>();
        for (SourceContact c : data.contacts()) {
            Set<String> found = candidates(c.email(), SampleDataGeneratorTest.displayName(c), false);
            if (!found.isEmpty()) {
                candidates.put("contact:" + c.id(), found);
            }
        }
        for (SourceCompany c : data.companies()) {
            Set<String> found = candidates(c.email(), c.name(), true);
            if (!found.isEmpty()) {
                candidates.put("company:" + c.id(), found);
            }
        }
        assertThat(candidates).isEqualTo(Map.of(
                "contact:" + SampleCases.EMAIL_MATCH_CONTACT_ID, Set.of(SampleCases.EMAIL_MATCH_CONTACT_QBO_NAME),
                "company:" + SampleCases.EMAIL_MATCH_COMPANY_ID, Set.of(SampleCases.EMAIL_MATCH_COMPANY_QBO_NAME),
                "contact:" + SampleCases.SHARED_EMAIL_CONTACT_ID, Set.copyOf(SampleCases.SHARED_EMAIL_QBO_NAMES),
                "company:" + SampleCases.AMBIGUOUS_NAME_COMPANY_ID, Set.copyOf(SampleCases.AMBIGUOUS_NAME_QBO_NAMES),
                "company:" + SampleCases.NEAR_NAME_COMPANY_ID, Set.of(SampleCases.NEAR_NAME_QBO_NAME)));
        // The near-identical names really are different strings: only normalisation makes them meet.
        assertThat(SampleCases.AMBIGUOUS_NAME_QBO_NAMES).doesNotContain(SampleCases.AMBIGUOUS_NAME_COMPANY)
                .allMatch(n -> NameKeys.name(n).equals(NameKeys.name(SampleCases.AMBIGUOUS_NAME_COMPANY)));
        assertThat(NameKeys.name(SampleCases.NEAR_NAME_QBO_NAME)).isEqualTo(NameKeys.name(SampleCases.NEAR_NAME_COMPANY));
    }

    private Set<String> candidates(String email, String name, boolean company) {
        Set<String> found = new HashSet<>();
        String emailKey = NameKeys.email(email);
        String nameKey = NameKeys.name(name);
        for (JsonNode c : seed.get("Customer")) {
            String displayName = c.get("DisplayName").asText();
            boolean person = c.hasNonNull("GivenName") || c.hasNonNull("FamilyName");
            if (emailKey != null && emailKey.equals(NameKeys.email(c.path("PrimaryEmailAddr").path("Address").asText(null)))
                    || nameKey != null && nameKey.equals(NameKeys.name(displayName))
                    || company && !person && nameKey != null && nameKey.equals(NameKeys.name(c.path("CompanyName").asText(null)))) {
                found.add(displayName);
            }
        }
        return found;
    }

    @Test
    void preExistingInvoiceCarriesTheSourceNumberForAnotherCustomerAndAmount() {
        JsonNode invoices = seed.get("Invoice");
        assertThat(invoices).hasSize(1);
        JsonNode qbo = invoices.get(0);
        SourceInvoice source = DATA.invoices().stream().filter(i -> i.id().equals(SampleCases.DUPLICATE_NUMBER_INVOICE_ID)).findFirst().orElseThrow();
        assertThat(qbo.get("DocNumber").asText()).isEqualTo(source.number());

        String customer = qbo.get("CustomerRef").get("name").asText();
        assertThat(names(seed.get("Customer"), "DisplayName")).contains(customer);
        SourceContact billed = DATA.contacts().stream().filter(c -> c.id().equals(source.billToId())).findFirst().orElseThrow();
        assertThat(customer).isNotEqualTo(SampleDataGeneratorTest.displayName(billed));

        BigDecimal sum = BigDecimal.ZERO;
        Set<String> itemNames = new HashSet<>(names(seed.get("Item"), "Name"));
        for (JsonNode line : qbo.get("Line")) {
            JsonNode d = line.get("SalesItemLineDetail");
            assertThat(itemNames).contains(d.get("ItemRef").get("name").asText());
            assertThat(line.get("Amount").decimalValue()).isEqualByComparingTo(d.get("Qty").decimalValue().multiply(d.get("UnitPrice").decimalValue()));
            sum = sum.add(line.get("Amount").decimalValue());
        }
        assertThat(sum).isEqualByComparingTo(SampleQboSeed.DUPLICATE_INVOICE_AMOUNT).isNotEqualByComparingTo(source.total());
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError(value + " not found");
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
