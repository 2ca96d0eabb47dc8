package io.qbosync.e2e;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The data of {@link OnboardingIT}: a QBO company that already holds a few hundred customers and items, and source
 * parties that overlap them in every way matching must handle — one customer by e-mail, one by normalised name (case,
 * accents, punctuation, a leading "The", legal suffixes; DisplayName or a company's CompanyName), two at once
 * (ambiguous), none — plus QBO customers no party stands for. Every party is billed by one invoice; some contacts
 * belong to a company (sub-customers), one of them to a company that is never billed itself.
 *
 * <p>Each party carries a unique invented word ({@link #token}) in its name and e-mail, so that no two parties, and
 * no party and an unrelated QBO customer, meet by accident: only the planned overlaps exist.
 */
final class OnboardingFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What matching must do with a party. */
    enum Expect { EMAIL, DISPLAY_NAME, COMPANY_NAME, AMBIGUOUS, UNMATCHED }

    /** One source contact or company and what it must become. */
    static final class Party {
        final String kind;
        final String id;
        final String firstName;
        final String lastName;
        final String name;
        final String email;
        final String companyId;
        final Expect expect;
        /** Indexes into {@link #customers} of the QBO customer(s) it must be linked to or offered. */
        final List<Integer> qbo = new ArrayList<>();
        /** Its invoice, null for the company that is never billed. */
        String invoiceId;
        InvoiceType invoiceType;

        private Party(String kind, String id, String firstName, String lastName, String name, String email,
                String companyId, Expect expect) {
            this.kind = kind;
            this.id = id;
            this.firstName = firstName;
            this.lastName = lastName;
            this.name = name;
            this.email = email;
            this.companyId = companyId;
            this.expect = expect;
        }

        String key() {
            return kind + ":" + id;
        }

        String displayName() {
            return "company".equals(kind) ? name : firstName + " " + lastName;
        }

        boolean contact() {
            return "contact".equals(kind);
        }
    }

    /** An invoice type the source bills, and how the mapping file finds its QBO item: by SKU or by name. */
    record InvoiceType(String category, String typeName, String description, BigDecimal price, String itemSku,
            String itemName) {
    }

    /** Items this test adds: found by SKU, except the breakfast seat, which has none and is found by its name. */
    static final String GOLD_SKU = "OB-MEM-GOLD";
    static final String BRONZE_SKU = "OB-MEM-BRONZE";
    static final String DONATION_SKU = "OB-GEN-DONATION";
    static final String BREAKFAST_ITEM_NAME = "Networking Breakfast Seat";

    static final List<InvoiceType> INVOICE_TYPES = List.of(
            new InvoiceType("membership", "Gold Membership", "Gold Membership — annual dues", new BigDecimal("450.00"),
                    GOLD_SKU, null),
            new InvoiceType("membership", "Bronze Membership", "Bronze Membership — annual dues",
                    new BigDecimal("150.00"), BRONZE_SKU, null),
            new InvoiceType("event", "Networking Breakfast", "Networking Breakfast — seat", new BigDecimal("35.00"),
                    null, BREAKFAST_ITEM_NAME),
            // An item of the sample's own QBO seed, by its SKU.
            new InvoiceType("event", "Annual Gala", "Annual Gala — ticket", new BigDecimal("125.00"), "EVT-GALA", null),
            new InvoiceType("other", null, "Donation — scholarship fund", new BigDecimal("80.00"), DONATION_SKU, null));

    static final String MAPPINGS = """
            customers:
              contacts: sub-customers
              billWithParent: false
              sourceOwnedFields:
                created: [DisplayName, GivenName, FamilyName, CompanyName, PrimaryEmailAddr, PrimaryPhone, BillAddr]
                matched: [PrimaryPhone, BillAddr]
            memberships:
              Gold Membership:
                itemSku: OB-MEM-GOLD
              Silver Membership:
                itemSku: MEM-SILVER
              Bronze Membership:
                itemSku: OB-MEM-BRONZE
              All Memberships:
                itemSku: MEM-ALL
            events:
              Annual Gala:
                itemSku: EVT-GALA
              Spring Conference:
                itemSku: EVT-CONF
              # No QBO item has this SKU: it is found by its name.
              Networking Breakfast:
                itemSku: Networking Breakfast Seat
              All Events:
                itemSku: EVT-ALL
            default:
              itemSku: OB-GEN-DONATION
            """;

    private static final String CONSONANTS = "BDFGKLMNPRSTVZHC";
    private static final String VOWELS = "aeiou";
    private static final List<String> FIRST = List.of("Ingrid", "Tomas", "Wanda", "Osric", "Lena", "Piet", "Marta",
            "Ravi", "Selma", "Anouk");

    final List<Party> parties = new ArrayList<>();
    /** The seed's customers, in order: the sandbox answers their ids in the same order. */
    final ArrayNode customers = JSON.createArrayNode();
    final ArrayNode items = JSON.createArrayNode();
    /** The company that only its contacts make a customer (never billed). */
    final Party parent;
    private int next;

    OnboardingFixture() {
        // ~150 that are one QBO customer by e-mail: 120 contacts, 30 companies. The QBO side has another name and,
        // for every third, the e-mail in other case.
        for (int i = 0; i < 150; i++) {
            String t = token();
            boolean company = i >= 120;
            String email = (company ? "billing@" + t.toLowerCase(Locale.ROOT) + "-analytics.example.com"
                    : "m" + i + "." + t.toLowerCase(Locale.ROOT) + "@members-onb.example.org");
            Party p = company ? company(t + " Analytics Group", email, Expect.EMAIL)
                    : contact(first(i), t, email, null, Expect.EMAIL);
            String qboEmail = i % 3 == 0 ? email.toUpperCase(Locale.ROOT) : email;
            p.qbo.add(company ? companyCustomer(t + " Accounts Payable", null, qboEmail)
                    : personCustomer(t + " Family Account", first(i), t, qboEmail));
        }
        // ~50 that are one QBO customer by normalised name only (their e-mails differ).
        for (int i = 0; i < 20; i++) {
            String t = token();
            String email = t.toLowerCase(Locale.ROOT) + ".n@members-onb.example.org";
            String qboEmail = t.toLowerCase(Locale.ROOT) + "@old-address.example.net";
            Party p;
            switch (i % 4) {
                case 0 -> { // case
                    p = contact("Ines", t, email, null, Expect.DISPLAY_NAME);
                    p.qbo.add(personCustomer(("Ines " + t).toUpperCase(Locale.ROOT), "INES", t.toUpperCase(Locale.ROOT), qboEmail));
                }
                case 1 -> { // accents
                    p = contact("Renée", t + "é", email, null, Expect.DISPLAY_NAME);
                    p.qbo.add(personCustomer("Renee " + t + "e", "Renee", t + "e", null));
                }
                case 2 -> { // punctuation
                    p = contact("Mary-Kate", t, email, null, Expect.DISPLAY_NAME);
                    p.qbo.add(personCustomer("Mary Kate " + t, "Mary Kate", t, qboEmail));
                }
                default -> { // apostrophe and spacing
                    p = contact("Siân", "O'" + t, email, null, Expect.DISPLAY_NAME);
                    p.qbo.add(personCustomer("sian  o" + t.toLowerCase(Locale.ROOT), "Sian", "O" + t, null));
                }
            }
        }
        for (int i = 0; i < 20; i++) {
            String t = token();
            String email = "office@" + t.toLowerCase(Locale.ROOT) + ".example.com";
            String qboEmail = "accounts@" + t.toLowerCase(Locale.ROOT) + "-old.example.net";
            Party p;
            switch (i % 4) {
                case 0 -> { // legal suffix and punctuation
                    p = company(t + " Marine Inc.", email, Expect.DISPLAY_NAME);
                    p.qbo.add(companyCustomer(t + " Marine, LLC", t + " Marine, LLC", qboEmail));
                }
                case 1 -> { // ampersand, legal suffix
                    p = company(t + " & Sons Hardware", email, Expect.DISPLAY_NAME);
                    p.qbo.add(companyCustomer(t + " and Sons Hardware Ltd", null, qboEmail));
                }
                case 2 -> { // leading "The", case and accent
                    p = company("The " + t + " Cafe", email, Expect.DISPLAY_NAME);
                    p.qbo.add(companyCustomer(t.toUpperCase(Locale.ROOT) + " CAFÉ", null, null));
                }
                default -> { // hyphen, legal suffix
                    p = company(t + "-Lund Design Co.", email, Expect.DISPLAY_NAME);
                    p.qbo.add(companyCustomer(t + " Lund Design", t + " Lund Design", qboEmail));
                }
            }
        }
        for (int i = 0; i < 10; i++) {
            // The QBO customer's DisplayName is an account label; its CompanyName is the company's name.
            String t = token();
            Party p = company(t + " Holdings", "ir@" + t.toLowerCase(Locale.ROOT) + "-holdings.example.com",
                    Expect.COMPANY_NAME);
            p.qbo.add(companyCustomer("Acct " + t + " Receivables", t + " Holdings, Inc.", null));
        }
        // ~20 ambiguous: two QBO customers share the e-mail, or have the normalised name.
        for (int i = 0; i < 10; i++) {
            String t = token();
            String email = "shared." + t.toLowerCase(Locale.ROOT) + "@households.example.net";
            Party p = contact("Ola", t, email, null, Expect.AMBIGUOUS);
            p.qbo.add(personCustomer(t + " Senior", "Karl", t, email));
            p.qbo.add(personCustomer(t + " Junior", "Nils", t, email.toUpperCase(Locale.ROOT)));
        }
        for (int i = 0; i < 10; i++) {
            String t = token();
            Party p = company(t + " Freight Co.", "dispatch@" + t.toLowerCase(Locale.ROOT) + "-freight.example.com",
                    Expect.AMBIGUOUS);
            p.qbo.add(companyCustomer(t.toUpperCase(Locale.ROOT) + " FREIGHT LLC", null, null));
            p.qbo.add(companyCustomer(t + " Freight, Inc.", t + " Freight, Inc.", "ops@" + t.toLowerCase(Locale.ROOT)
                    + "-freight.example.org"));
        }
        // ~50 with no counterpart: 10 companies and 40 contacts, 4 of them working for the first of those companies
        // and 6 for a company that is never billed.
        parent = company(token() + " Parent Works", "hq@parent-works.example.com", Expect.UNMATCHED);
        List<Party> newCompanies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String t = token();
            newCompanies.add(company(t + " Newco Studio", "hello@" + t.toLowerCase(Locale.ROOT) + "-newco.example.com",
                    Expect.UNMATCHED));
        }
        for (int i = 0; i < 40; i++) {
            String t = token();
            String companyId = i < 4 ? newCompanies.get(0).id : i < 10 ? parent.id : null;
            contact(first(i), t, t.toLowerCase(Locale.ROOT) + "@new-members.example.org", companyId, Expect.UNMATCHED);
        }
        // ~100 QBO customers no source party stands for.
        for (int i = 0; i < 100; i++) {
            String t = token();
            if (i % 2 == 0) {
                personCustomer("Dormant " + t + " Client", "Dora", t, t.toLowerCase(Locale.ROOT) + "@dormant.example.com");
            } else {
                companyCustomer(t + " Legacy Traders", t + " Legacy Traders", null);
            }
        }
        // ~30 items: 29 with a SKU (3 of them mapped), one found by its name only.
        item(GOLD_SKU, "Onboarding Gold Dues", "Membership Income");
        item(BRONZE_SKU, "Onboarding Bronze Dues", "Membership Income");
        item(DONATION_SKU, "Onboarding Donations", "Other Income");
        for (int i = 1; i <= 26; i++) {
            item(String.format("OB-MISC-%02d", i), String.format("Merchandise Item %02d", i), "Other Income");
        }
        item(null, BREAKFAST_ITEM_NAME, "Event Income");

        int n = 0;
        for (Party p : parties) {
            if (p != parent) {
                p.invoiceId = String.format("OB-I-%03d", ++n);
                p.invoiceType = INVOICE_TYPES.get(n % INVOICE_TYPES.size());
            }
        }
    }

    List<Party> with(Expect expect) {
        return parties.stream().filter(p -> p.expect == expect).toList();
    }

    List<Party> billed() {
        return parties.stream().filter(p -> p.invoiceId != null).toList();
    }

    /** The sandbox seed document: {@code {"Item":[…],"Customer":[…]}} (accounts by name, from the sample's seed). */
    ObjectNode seed() {
        ObjectNode seed = JSON.createObjectNode();
        seed.set("Item", items.deepCopy());
        seed.set("Customer", customers.deepCopy());
        return seed;
    }

    /** The source records, one kind per document: companies must be in the feed before their contacts. */
    ObjectNode companies() {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("companies");
        for (Party p : parties) {
            if (!p.contact()) {
                list.addObject().put("id", p.id).put("name", p.name).put("email", p.email);
            }
        }
        return doc;
    }

    ObjectNode contacts() {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("contacts");
        for (Party p : parties) {
            if (p.contact()) {
                ObjectNode c = list.addObject().put("id", p.id).put("firstName", p.firstName).put("lastName", p.lastName)
                        .put("email", p.email);
                if (p.companyId != null) {
                    c.put("companyId", p.companyId);
                }
            }
        }
        return doc;
    }

    ObjectNode invoices() {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("invoices");
        int n = 0;
        for (Party p : billed()) {
            InvoiceType type = p.invoiceType;
            ObjectNode i = list.addObject();
            i.put("id", p.invoiceId).put("number", "OB-" + (20001 + n++)).put("billToType", p.kind)
                    .put("billToId", p.id).put("category", type.category());
            if (type.typeName() != null) {
                i.put("typeName", type.typeName());
            }
            i.put("issueDate", "2026-03-02").put("dueDate", "2026-04-01").put("currency", "USD");
            i.putArray("lines").addObject().put("description", type.description()).put("quantity", BigDecimal.ONE)
                    .put("unitPrice", type.price()).put("amount", type.price());
            i.put("total", type.price()).put("status", "open");
        }
        return doc;
    }

    // ---- building blocks --------------------------------------------------------------------------------------

    private Party contact(String first, String last, String email, String companyId, Expect expect) {
        Party p = new Party("contact", String.format("OB-C-%03d", parties.size() + 1), first, last, null, email,
                companyId, expect);
        parties.add(p);
        return p;
    }

    private Party company(String name, String email, Expect expect) {
        Party p = new Party("company", String.format("OB-CO-%03d", parties.size() + 1), null, null, name, email, null,
                expect);
        parties.add(p);
        return p;
    }

    private int personCustomer(String displayName, String given, String family, String email) {
        ObjectNode c = customers.addObject().put("DisplayName", displayName).put("GivenName", given)
                .put("FamilyName", family).put("Active", true);
        if (email != null) {
            c.putObject("PrimaryEmailAddr").put("Address", email);
        }
        return customers.size() - 1;
    }

    private int companyCustomer(String displayName, String companyName, String email) {
        ObjectNode c = customers.addObject().put("DisplayName", displayName).put("Active", true);
        if (companyName != null) {
            c.put("CompanyName", companyName);
        }
        if (email != null) {
            c.putObject("PrimaryEmailAddr").put("Address", email);
        }
        return customers.size() - 1;
    }

    private void item(String sku, String name, String incomeAccount) {
        ObjectNode item = items.addObject().put("Name", name).put("Type", "Service").put("UnitPrice", BigDecimal.TEN);
        if (sku != null) {
            item.put("Sku", sku);
        }
        item.putObject("IncomeAccountRef").put("name", incomeAccount);
    }

    private static String first(int i) {
        return FIRST.get(i % FIRST.size());
    }

    /** A unique invented word, e.g. "Bakeb": consonant, vowel, consonant, vowel, consonant. */
    private String token() {
        int n = next++;
        StringBuilder b = new StringBuilder();
        b.append(CONSONANTS.charAt(n % 16));
        n /= 16;
        b.append(VOWELS.charAt(n % 5));
        n /= 5;
        b.append(Character.toLowerCase(CONSONANTS.charAt(n % 16)));
        n /= 16;
        b.append(VOWELS.charAt(n % 5));
        n /= 5;
        b.append(Character.toLowerCase(CONSONANTS.charAt(n % 16)));
        return b.toString();
    }
}
