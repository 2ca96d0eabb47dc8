package io.qbosync.source.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.feed.SourceJson;

import java.math.BigDecimal;
import java.util.List;

/**
 * The QuickBooks Online data a fresh sandbox realm needs for the sample source: the chart of accounts and
 * items the mappings point at, plus the pre-existing Vendor, Employee, Customer and Invoice records that make
 * the {@link SampleCases} collide (6240, 6140), match (e-mail, normalised name) or match ambiguously (an e-mail
 * or a normalised name shared by two customers).
 *
 * <p>Shape: the sandbox seed format {@code {"Account":[…],"Item":[…],"Vendor":[…],"Employee":[…],
 * "Customer":[…],"Invoice":[…]}} with QBO JSON fields; references are given by {@code {"name": …}} only and
 * the sandbox resolves them by name. POST it to {@code /sandbox/realms/{id}/seed}.
 */
public final class SampleQboSeed {
    private SampleQboSeed() {
    }

    /** An income account, asset account or bank, by QBO Name, AccountType and AccountSubType. */
    public record SeedAccount(String name, String type, String subType) {
    }

    /** A Service item with its SKU, the income account it posts to (by name) and a list price. */
    public record SeedItem(String sku, String name, String description, BigDecimal unitPrice, String incomeAccount) {
    }

    public static final String MEMBERSHIP_INCOME = "Membership Income";
    public static final String EVENT_INCOME = "Event Income";
    public static final String OTHER_INCOME = "Other Income";
    public static final String UNDEPOSITED_FUNDS = "Undeposited Funds";
    public static final String CHECKING = "Checking";

    /**
     * Accounts the sample adds. Undeposited Funds and Checking are not among them: every QBO company (and every new
     * sandbox realm) already has them, and a second one would be a 6240.
     */
    public static final List<SeedAccount> ACCOUNTS = List.of(
            new SeedAccount(MEMBERSHIP_INCOME, "Income", "ServiceFeeIncome"),
            new SeedAccount(EVENT_INCOME, "Income", "ServiceFeeIncome"),
            new SeedAccount(OTHER_INCOME, "Income", "OtherPrimaryIncome"));

    public static final List<SeedItem> ITEMS = List.of(
            new SeedItem("MEM-GOLD", "Gold Membership Dues", "Annual dues, Gold membership", new BigDecimal("450.00"), MEMBERSHIP_INCOME),
            new SeedItem("MEM-SILVER", "Silver Membership Dues", "Annual dues, Silver membership", new BigDecimal("275.00"), MEMBERSHIP_INCOME),
            new SeedItem("MEM-ALL", "Membership Dues", "Annual membership dues (any type)", null, MEMBERSHIP_INCOME),
            new SeedItem("EVT-GALA", "Annual Gala Registration", "Annual Gala ticket", new BigDecimal("125.00"), EVENT_INCOME),
            new SeedItem("EVT-CONF", "Spring Conference Registration", "Spring Conference registration", new BigDecimal("289.50"), EVENT_INCOME),
            new SeedItem("EVT-ALL", "Event Registration", "Event registration (any event)", null, EVENT_INCOME),
            new SeedItem("GEN-OTHER", "Other Income Item", "Donations and other income", null, OTHER_INCOME));

    /** The pre-existing QBO invoice carrying {@link SampleCases#DUPLICATE_DOC_NUMBER}: 2 × 40.00 = 80.00. */
    public static final BigDecimal DUPLICATE_INVOICE_AMOUNT = new BigDecimal("80.00");

    /** A fresh, mutable copy of the seed. */
    public static ObjectNode create() {
        ObjectNode root = SourceJson.mapper().createObjectNode();
        ArrayNode accounts = root.putArray("Account");
        for (SeedAccount a : ACCOUNTS) {
            accounts.addObject().put("Name", a.name()).put("AccountType", a.type()).put("AccountSubType", a.subType());
        }
        ArrayNode items = root.putArray("Item");
        for (SeedItem i : ITEMS) {
            ObjectNode item = items.addObject().put("Name", i.name()).put("Sku", i.sku()).put("Type", "Service")
                    .put("Description", i.description());
            if (i.unitPrice() != null) {
                item.put("UnitPrice", i.unitPrice());
            }
            item.putObject("IncomeAccountRef").put("name", i.incomeAccount());
        }

        ArrayNode vendors = root.putArray("Vendor");
        person(vendors.addObject(), SampleCases.VENDOR_NAME, "Daniel", "Whitfield", "bookings@whitfield-av.example.com")
                .put("CompanyName", "Whitfield Audio Visual").put("Active", true);
        // Inactive on purpose: QBO still refuses the name (6240) though default queries do not show the vendor.
        person(vendors.addObject(), SampleCases.INACTIVE_VENDOR_NAME, "Priya", "Raman", "priya@raman-print.example.net")
                .put("CompanyName", "Raman Print Works").put("Active", false);
        ArrayNode employees = root.putArray("Employee");
        employees.addObject().put("DisplayName", SampleCases.EMPLOYEE_NAME).put("GivenName", "Tomasz")
                .put("FamilyName", "Nowak").put("Active", true);

        ArrayNode customers = root.putArray("Customer");
        person(customers.addObject(), SampleCases.EMAIL_MATCH_CONTACT_QBO_NAME, "Lucia", "Fernandez",
                SampleCases.EMAIL_MATCH_CONTACT_EMAIL).put("CompanyName", SampleCases.EMAIL_MATCH_CONTACT_QBO_NAME).put("Active", true);
        customers.addObject().put("DisplayName", SampleCases.EMAIL_MATCH_COMPANY_QBO_NAME)
                .put("CompanyName", SampleCases.EMAIL_MATCH_COMPANY_QBO_NAME).put("Active", true)
                .putObject("PrimaryEmailAddr").put("Address", SampleCases.EMAIL_MATCH_COMPANY_EMAIL);
        customers.addObject().put("DisplayName", SampleCases.DUPLICATE_NUMBER_QBO_CUSTOMER)
                .put("CompanyName", SampleCases.DUPLICATE_NUMBER_QBO_CUSTOMER).put("Active", true)
                .putObject("PrimaryEmailAddr").put("Address", "friends@westbrook-library.example.org");
        // Two customers sharing one e-mail (a household): the contact with that e-mail is ambiguous.
        person(customers.addObject(), SampleCases.SHARED_EMAIL_QBO_NAMES.get(0), "Theo", "Quist",
                SampleCases.SHARED_EMAIL).put("Active", true);
        person(customers.addObject(), SampleCases.SHARED_EMAIL_QBO_NAMES.get(1), "Annika", "Quist",
                SampleCases.SHARED_EMAIL).put("Active", true);
        // Two company-style customers whose names normalise like the source company's: ambiguous by name. The second
        // also carries the name as CompanyName, so it ranks first.
        customers.addObject().put("DisplayName", SampleCases.AMBIGUOUS_NAME_QBO_NAMES.get(0)).put("Active", true)
                .putObject("PrimaryEmailAddr").put("Address", "orders@northwindtrading.example.net");
        customers.addObject().put("DisplayName", SampleCases.AMBIGUOUS_NAME_QBO_NAMES.get(1))
                .put("CompanyName", SampleCases.AMBIGUOUS_NAME_QBO_NAMES.get(1)).put("Active", true)
                .putObject("PrimaryEmailAddr").put("Address", "accounts@northwind-llc.example.org");
        // One customer whose name normalises like a source company's ("The", "Ltd." and the dot dropped): a link.
        customers.addObject().put("DisplayName", SampleCases.NEAR_NAME_QBO_NAME)
                .put("CompanyName", SampleCases.NEAR_NAME_QBO_NAME).put("Active", true)
                .putObject("PrimaryEmailAddr").put("Address", "hello@the-maple-leaf.example.net");

        ArrayNode invoices = root.putArray("Invoice");
        ObjectNode inv = invoices.addObject().put("DocNumber", SampleCases.DUPLICATE_DOC_NUMBER)
                .put("TxnDate", "2025-06-14").put("DueDate", "2025-07-14")
                .put("PrivateNote", "Entered by hand in QuickBooks before the sync was set up");
        inv.putObject("CustomerRef").put("name", SampleCases.DUPLICATE_NUMBER_QBO_CUSTOMER);
        ObjectNode line = inv.putArray("Line").addObject().put("DetailType", "SalesItemLineDetail")
                .put("Amount", DUPLICATE_INVOICE_AMOUNT).put("Description", "Book sale table, summer fair");
        ObjectNode detail = line.putObject("SalesItemLineDetail").put("Qty", 2).put("UnitPrice", new BigDecimal("40.00"));
        detail.putObject("ItemRef").put("name", "Event Registration");
        return root;
    }

    /** The seed as pretty-printed JSON text. */
    public static String json() {
        try {
            return SourceJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(create());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }

    private static ObjectNode person(ObjectNode node, String displayName, String given, String family, String email) {
        node.put("DisplayName", displayName).put("GivenName", given).put("FamilyName", family);
        node.putObject("PrimaryEmailAddr").put("Address", email);
        return node;
    }
}
