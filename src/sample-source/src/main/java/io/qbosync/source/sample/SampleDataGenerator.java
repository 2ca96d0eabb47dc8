package io.qbosync.source.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.qbosync.source.feed.NameKeys;
import io.qbosync.source.feed.SourceAddress;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourceInvoiceLine;
import io.qbosync.source.feed.SourcePayment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Builds the bundled sample data: the hand-made {@link SampleCases} plus seeded random members, companies,
 * invoices and payments. The same seed and size always give the same records (java.util.Random's algorithm
 * is fixed by its specification, and no clock is read).
 *
 * <p>Guarantees: every invoice bills an existing contact or company; line amount = quantity × unitPrice
 * rounded half-up to cents; total = sum of line amounts; payments only pay open invoices and never more than
 * the balance; a party's updatedAt precedes its invoices', an invoice's precedes its payments'.
 */
public class SampleDataGenerator {
    /** Standard set: 120 contacts, 30 companies, 200 invoices, 120 payments. */
    public static final int STANDARD_CONTACTS = 120;
    public static final int STANDARD_COMPANIES = 30;
    public static final int STANDARD_INVOICES = 200;
    public static final int STANDARD_PAYMENTS = 120;
    public static final int STANDARD_TOTAL = STANDARD_CONTACTS + STANDARD_COMPANIES + STANDARD_INVOICES + STANDARD_PAYMENTS;
    public static final int FIRST_INVOICE_NUMBER = 10001;
    /** Chapters issuing invoices (see routes/mappings/two-companies.yaml for routing them to two QBO companies). */
    public static final List<String> CHAPTERS = List.of("North", "South", "North", "South", "Pacific");

    private static final Instant START = Instant.parse("2025-07-01T08:00:00Z");
    private static final Instant END = Instant.parse("2026-03-31T18:00:00Z");
    private static final Duration PARTY_WINDOW = Duration.ofDays(160);
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private final long seed;
    private final int totalRecords;
    private final List<String> chapters;

    /**
     * @param seed         random seed
     * @param totalRecords 0 for the standard set, else about this many records in the standard proportions
     *                     (never fewer than the hand-made cases need)
     */
    public SampleDataGenerator(long seed, int totalRecords) {
        this(seed, totalRecords, 0);
    }

    /** @param chapters 0 for {@link #CHAPTERS}, else this many chapters C001, C002, … taking invoices in turn */
    public SampleDataGenerator(long seed, int totalRecords, int chapters) {
        if (totalRecords < 0) {
            throw new IllegalArgumentException("totalRecords must be ≥ 0, got " + totalRecords);
        }
        this.seed = seed;
        this.totalRecords = totalRecords;
        this.chapters = chapters == 0 ? CHAPTERS
                : java.util.stream.IntStream.rangeClosed(1, chapters).mapToObj(i -> String.format("C%03d", i)).toList();
    }

    /** Generates the data set. Cheap enough to call per start (10,000 records in well under a second). */
    public SampleDataSet generate() {
        return new Run(new Random(seed)).build();
    }

    private int scaled(int standard, int minimum) {
        if (totalRecords == 0) {
            return standard;
        }
        return Math.max(minimum, (int) Math.round((double) totalRecords * standard / STANDARD_TOTAL));
    }

    /** Per-call state, so that a generator instance can be reused and shared. */
    private final class Run {
        private final Random rnd;
        private final List<SourceContact> contacts = new ArrayList<>();
        private final List<SourceCompany> companies = new ArrayList<>();
        private final List<SourceInvoice> invoices = new ArrayList<>();
        private final List<SourcePayment> payments = new ArrayList<>();
        private final Set<String> usedNames = new HashSet<>();
        private final Set<String> usedEmails = new HashSet<>();
        private final Set<String> reservedNameKeys = new HashSet<>();
        /** Remaining balance per invoice index; null for voided invoices. */
        private final List<BigDecimal> balances = new ArrayList<>();

        Run(Random rnd) {
            this.rnd = rnd;
            // Names and e-mails the QBO seed's customers own are off limits for random parties, so collisions happen
            // only where planned: a random name must differ from them even once normalised as matching compares
            // names (case, accents, punctuation, legal suffixes), and a random e-mail must differ from theirs.
            for (JsonNode c : SampleQboSeed.create().path("Customer")) {
                for (String field : List.of("DisplayName", "CompanyName")) {
                    String name = c.path(field).asText(null);
                    if (name != null) {
                        usedNames.add(name);
                        reservedNameKeys.add(NameKeys.name(name));
                    }
                }
                String email = c.path("PrimaryEmailAddr").path("Address").asText(null);
                if (email != null) {
                    usedEmails.add(email.toLowerCase(Locale.ROOT));
                }
            }
        }

        /** A random name that is taken, or that matching would take for one of the QBO seed's customers. */
        private boolean taken(String name) {
            return usedNames.contains(name) || reservedNameKeys.contains(NameKeys.name(name));
        }

        SampleDataSet build() {
            addCases();
            int nContacts = scaled(STANDARD_CONTACTS, contacts.size());
            int nCompanies = scaled(STANDARD_COMPANIES, companies.size());
            int nInvoices = scaled(STANDARD_INVOICES, invoices.size());
            int nPayments = totalRecords == 0 ? STANDARD_PAYMENTS
                    : Math.max(payments.size(), totalRecords - nContacts - nCompanies - nInvoices);
            // Companies first: a random contact may work for one of them.
            while (companies.size() < nCompanies) {
                randomCompany();
            }
            while (contacts.size() < nContacts) {
                randomContact();
            }
            int voidTarget = (int) Math.round(nInvoices * 0.01);
            int extraVoided = Math.max(0, voidTarget - SampleCases.VOIDED_INVOICE_IDS.size());
            int firstRandomInvoice = invoices.size();
            int nRandom = nInvoices - firstRandomInvoice;
            Set<Integer> voidedSlots = new HashSet<>();
            while (voidedSlots.size() < Math.min(extraVoided, nRandom)) {
                voidedSlots.add(rnd.nextInt(nRandom));
            }
            for (int i = 0; i < nRandom; i++) {
                randomInvoice(voidedSlots.contains(i));
            }
            randomPayments(nPayments);
            return new SampleDataSet(contacts, companies, invoices, payments);
        }

        // ---- hand-made cases ---------------------------------------------------------------------------

        private void addCases() {
            Instant t = START;
            fixedCompany(SampleCases.EMAIL_MATCH_COMPANY_ID, "Harbourside Dental Group", SampleCases.EMAIL_MATCH_COMPANY_EMAIL,
                    "+1-401-555-0110", new SourceAddress("12 Wharf St", "Suite 300", "Providence", "RI", "02903", "US"), t);
            fixedCompany(SampleCases.APOSTROPHE_COMPANY_ID, "O'Reilly & Daughters Catering", "billing@oreilly-catering.example.net",
                    "+1-802-555-0121", new SourceAddress("88 Church Ln", null, "Burlington", "VT", "05401", "US"), t = t.plusSeconds(60));
            fixedContact(SampleCases.APOSTROPHE_CONTACT_ID, "Margaret", "O'Brien", "margaret.obrien@example.org", null, t = t.plusSeconds(60));
            fixedContact(SampleCases.VENDOR_NAME_CONTACT_ID, "Daniel", "Whitfield", "dwhitfield@example.net", null, t = t.plusSeconds(60));
            fixedContact(SampleCases.INACTIVE_VENDOR_NAME_CONTACT_ID, "Priya", "Raman", "priya.raman@example.com", null, t = t.plusSeconds(60));
            fixedContact(SampleCases.EMPLOYEE_NAME_CONTACT_ID, "Tomasz", "Nowak", "tomasz.nowak@example.org", null, t = t.plusSeconds(60));
            fixedContact(SampleCases.NO_EMAIL_CONTACT_ID, "Helen", "Achebe", null, null, t = t.plusSeconds(60));
            fixedContact(SampleCases.EMAIL_MATCH_CONTACT_ID, "Lucia", "Fernandez", SampleCases.EMAIL_MATCH_CONTACT_EMAIL, null, t = t.plusSeconds(60));
            fixedContact(SampleCases.APOSTROPHE_ACCENT_CONTACT_ID, "Siobhán", "O'Neill", "siobhan.oneill@example.org",
                    SampleCases.APOSTROPHE_COMPANY_ID, t = t.plusSeconds(60));
            fixedContact(SampleCases.PLAIN_CONTACT_ID, "Marcus", "Bell", "marcus.bell@example.com", null, t = t.plusSeconds(60));
            fixedCompany(SampleCases.AMBIGUOUS_NAME_COMPANY_ID, SampleCases.AMBIGUOUS_NAME_COMPANY,
                    "ap@northwind-trading.example.com", "+1-503-555-0132",
                    new SourceAddress("400 Harbor Rd", null, "Portland", "OR", "97209", "US"), t = t.plusSeconds(60));
            fixedCompany(SampleCases.NEAR_NAME_COMPANY_ID, SampleCases.NEAR_NAME_COMPANY, "orders@mapleleafbakery.example.com",
                    "+1-608-555-0143", new SourceAddress("7 Market St", null, "Madison", "WI", "53703", "US"), t = t.plusSeconds(60));
            fixedContact(SampleCases.SHARED_EMAIL_CONTACT_ID, "Theodora", "Quist", SampleCases.SHARED_EMAIL, null,
                    t = t.plusSeconds(60));

            Instant inv = START.plus(Duration.ofDays(1)).plusSeconds(3600);
            LocalDate d = LocalDate.of(2025, 7, 2);
            fixedInvoice("contact", SampleCases.APOSTROPHE_CONTACT_ID, "membership", "Gold Membership", d, "open",
                    "Renewal for membership year 2025–26", inv, line("Gold Membership — annual dues", "1", "450.00"));
            fixedInvoice("contact", SampleCases.VENDOR_NAME_CONTACT_ID, "event", "Annual Gala", d, "open", null,
                    inv = inv.plusSeconds(600), line("Annual Gala — ticket", "2", "125.00"));
            fixedInvoice("contact", SampleCases.INACTIVE_VENDOR_NAME_CONTACT_ID, "membership", "Silver Membership", d, "open", null,
                    inv = inv.plusSeconds(600), line("Silver Membership — annual dues", "1", "275.00"));
            fixedInvoice("contact", SampleCases.EMPLOYEE_NAME_CONTACT_ID, "event", "Spring Conference", d, "open", null,
                    inv = inv.plusSeconds(600), line("Spring Conference — registration", "1", "289.50"));
            fixedInvoice("contact", SampleCases.NO_EMAIL_CONTACT_ID, "membership", "Bronze Membership", d, "open", null,
                    inv = inv.plusSeconds(600), line("Bronze Membership — annual dues", "1", "150.00"));
            fixedInvoice("contact", SampleCases.EMAIL_MATCH_CONTACT_ID, "event", "Annual Gala", d, "open", null,
                    inv = inv.plusSeconds(600), line("Annual Gala — ticket", "1", "125.00"), line("Gala table sponsorship", "1", "500.00"));
            fixedInvoice("company", SampleCases.EMAIL_MATCH_COMPANY_ID, "membership", "Gold Membership", d, "open",
                    "Corporate membership", inv = inv.plusSeconds(600), line("Gold Membership — annual dues", "1", "450.00"),
                    line("Late renewal fee", "1", "15.00"));
            fixedInvoice("company", SampleCases.APOSTROPHE_COMPANY_ID, "other", null, d, "open", "Thank you for supporting O'Reilly's scholarship drive",
                    inv = inv.plusSeconds(600), line("Donation — scholarship fund", "1", "250.00"));
            fixedInvoice("contact", SampleCases.PLAIN_CONTACT_ID, "membership", "Silver Membership", d, "open", null,
                    inv = inv.plusSeconds(600), line("Silver Membership — annual dues", "1", "275.00"));
            fixedInvoice("contact", SampleCases.PLAIN_CONTACT_ID, "event", "Networking Breakfast", d, "open", null,
                    inv = inv.plusSeconds(600), line("Networking Breakfast — seat", "3", "35.00"));
            fixedInvoice("contact", SampleCases.APOSTROPHE_ACCENT_CONTACT_ID, "membership", "Student Membership", d, "open", null,
                    inv = inv.plusSeconds(600), line("Student Membership — annual dues", "1", "45.00"));
            fixedInvoice("contact", SampleCases.PLAIN_CONTACT_ID, "event", "Spring Conference", d, "voided",
                    "Registration cancelled", inv = inv.plusSeconds(600), line("Spring Conference — registration", "1", "289.50"));
            fixedInvoice("company", SampleCases.APOSTROPHE_COMPANY_ID, "other", null, d, "voided", "Entered twice",
                    inv = inv.plusSeconds(600), line("Donation — building fund", "1", "100.00"));
            fixedInvoice("contact", SampleCases.SHARED_EMAIL_CONTACT_ID, "membership", "Silver Membership", d, "open", null,
                    inv = inv.plusSeconds(600), line("Silver Membership — annual dues", "1", "275.00"));
            fixedInvoice("company", SampleCases.AMBIGUOUS_NAME_COMPANY_ID, "event", "Annual Gala", d, "open",
                    "Corporate table", inv = inv.plusSeconds(600), line("Annual Gala — ticket", "8", "125.00"));
            fixedInvoice("company", SampleCases.NEAR_NAME_COMPANY_ID, "membership", "Gold Membership", d, "open",
                    "Corporate membership", inv = inv.plusSeconds(600), line("Gold Membership — annual dues", "1", "450.00"));

            Instant pay = START.plus(Duration.ofDays(9)).plusSeconds(7200);
            fixedPayment(0, new BigDecimal("450.00"), LocalDate.of(2025, 7, 10), "card", "TXN-700101", pay);
            fixedPayment(5, new BigDecimal("300.00"), LocalDate.of(2025, 7, 10), "check", "CHK-1042", pay.plusSeconds(600));
            fixedPayment(15, new BigDecimal("450.00"), LocalDate.of(2025, 7, 10), "bank transfer", "ACH-700316",
                    pay.plusSeconds(1200));
        }

        private void fixedCompany(String id, String name, String email, String phone, SourceAddress address, Instant at) {
            usedNames.add(name);
            usedEmails.add(email);
            companies.add(new SourceCompany(id, name, email, phone, address, at.toString()));
        }

        private void fixedContact(String id, String first, String last, String email, String companyId, Instant at) {
            usedNames.add(first + " " + last);
            if (email != null) {
                usedEmails.add(email);
            }
            contacts.add(new SourceContact(id, first, last, email, "+1-202-555-01" + String.format("%02d", contacts.size()),
                    companyId, new SourceAddress((100 + contacts.size()) + " Main St", null, "Madison", "WI", "53703", "US"),
                    at.toString()));
        }

        private void fixedInvoice(String billToType, String billToId, String category, String typeName, LocalDate issue,
                                  String status, String memo, Instant at, SourceInvoiceLine... lines) {
            addInvoice(billToType, billToId, category, typeName, issue, status, memo, at, List.of(lines));
        }

        private void fixedPayment(int invoiceIndex, BigDecimal amount, LocalDate paidOn, String method, String ref, Instant at) {
            addPayment(invoiceIndex, amount, paidOn, method, ref, at);
        }

        // ---- random records ----------------------------------------------------------------------------

        private void randomCompany() {
            String name;
            int tries = 0;
            do {
                name = pick(SampleNames.COMPANY_PREFIX) + " " + pick(SampleNames.COMPANY_NOUN) + " " + pick(SampleNames.COMPANY_SUFFIX);
                if (++tries > 20) {
                    name = name + " " + (companies.size() + 1);
                }
            } while (taken(name));
            usedNames.add(name);
            String slug = slug(name.replaceAll(" (LLC|Inc\\.|Co\\.|Group|Partners|Ltd)$", ""), "-");
            String email = uniqueEmail(pick(List.of("billing", "accounts", "office")), slug + ".example.com");
            Instant at = partyTime();
            companies.add(new SourceCompany(String.format("CO-%04d", companies.size() + 1), name, email, phone(),
                    address(), at.toString()));
        }

        private void randomContact() {
            String first;
            String last;
            int tries = 0;
            do {
                first = pick(SampleNames.FIRST);
                last = pick(SampleNames.LAST);
                if (++tries > 10) {
                    first = first + " " + (char) ('A' + rnd.nextInt(26)) + ".";
                }
                if (tries > 40) {
                    last = last + "-" + (contacts.size() + 1);
                }
            } while (taken(first + " " + last));
            usedNames.add(first + " " + last);
            String email = rnd.nextInt(100) < 5 ? null
                    : uniqueEmail(slug(first.replace(".", ""), "") + "." + slug(last, ""), pick(List.of("example.org", "example.com", "example.net")));
            SourceCompany company = !companies.isEmpty() && rnd.nextInt(100) < 40
                    ? companies.get(rnd.nextInt(companies.size())) : null;
            SourceAddress address = rnd.nextInt(100) < 30 ? null : address();
            Instant at = partyTime();
            if (company != null && !at.isAfter(Instant.parse(company.updatedAt()))) {
                // The company a contact works for comes first in the feed.
                at = Instant.parse(company.updatedAt()).plus(Duration.ofMinutes(1 + rnd.nextInt(600)));
            }
            contacts.add(new SourceContact(String.format("C-%04d", contacts.size() + 1), first, last, email, phone(),
                    company == null ? null : company.id(), address, at.toString()));
        }

        private void randomInvoice(boolean voided) {
            boolean billCompany = rnd.nextInt(100) < 25;
            String billToId;
            Instant partyAt;
            if (billCompany) {
                SourceCompany c = companies.get(rnd.nextInt(companies.size()));
                billToId = c.id();
                partyAt = Instant.parse(c.updatedAt());
            } else {
                SourceContact c = contacts.get(rnd.nextInt(contacts.size()));
                billToId = c.id();
                partyAt = Instant.parse(c.updatedAt());
            }
            Instant at = between(partyAt.plus(Duration.ofHours(1)), END);
            LocalDate issue = LocalDate.ofInstant(at, ZoneOffset.UTC);
            int roll = rnd.nextInt(100);
            String category = roll < 45 ? "membership" : roll < 85 ? "event" : "other";
            String typeName = switch (category) {
                case "membership" -> weighted(SampleCases.MEMBERSHIP_TYPES, 20, 35, 30, 15);
                case "event" -> weighted(SampleCases.EVENT_TYPES, 35, 40, 25);
                default -> null;
            };
            List<SourceInvoiceLine> lines = new ArrayList<>();
            String memo = null;
            switch (String.valueOf(typeName)) {
                case "Gold Membership" -> lines.add(line("Gold Membership — annual dues", "1", "450.00"));
                case "Silver Membership" -> lines.add(line("Silver Membership — annual dues", "1", "275.00"));
                case "Bronze Membership" -> lines.add(line("Bronze Membership — annual dues", "1", "150.00"));
                case "Student Membership" -> lines.add(line("Student Membership — annual dues", "1", "45.00"));
                case "Annual Gala" -> {
                    lines.add(line("Annual Gala — ticket", String.valueOf(1 + rnd.nextInt(6)), "125.00"));
                    if (rnd.nextInt(100) < 25) {
                        lines.add(line("Gala table sponsorship", "1", "500.00"));
                    }
                }
                case "Spring Conference" -> {
                    if (rnd.nextInt(100) < 30) {
                        // A four-decimal group rate: exercises half-up rounding to cents (QBO 6070 if done wrong).
                        lines.add(line("Spring Conference — group rate", String.valueOf(3 + rnd.nextInt(6)), "96.6667"));
                    } else {
                        lines.add(line("Spring Conference — registration", String.valueOf(1 + rnd.nextInt(3)), "289.50"));
                    }
                }
                case "Networking Breakfast" -> lines.add(line("Networking Breakfast — seat", String.valueOf(1 + rnd.nextInt(4)), "35.00"));
                default -> {
                    String fund = pick(SampleNames.DONATION_FUNDS);
                    BigDecimal amount = new BigDecimal(1000 + rnd.nextInt(99000)).divide(HUNDRED, 2, RoundingMode.UNNECESSARY);
                    lines.add(line("Donation — " + fund, "1", amount.toPlainString()));
                    memo = "Donation to the " + fund;
                }
            }
            if ("membership".equals(category)) {
                if (rnd.nextInt(100) < 15) {
                    lines.add(line("Late renewal fee", "1", "15.00"));
                }
                if (rnd.nextInt(100) < 30) {
                    memo = "Renewal for membership year " + issue.getYear() + "–" + String.valueOf(issue.getYear() + 1).substring(2);
                }
            }
            if (voided) {
                memo = "Voided at the member's request";
            }
            addInvoice(billCompany ? "company" : "contact", billToId, category, typeName, issue, voided ? "voided" : "open",
                    memo, at, lines);
        }

        private void randomPayments(int target) {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < invoices.size(); i++) {
                if (balances.get(i) != null && balances.get(i).signum() > 0) {
                    open.add(i);
                }
            }
            while (payments.size() < target && !open.isEmpty()) {
                int slot = rnd.nextInt(open.size());
                int idx = open.get(slot);
                BigDecimal balance = balances.get(idx);
                BigDecimal amount;
                if (rnd.nextInt(100) < 65 || balance.compareTo(new BigDecimal("1.00")) < 0) {
                    amount = balance;
                } else {
                    int percent = 20 + rnd.nextInt(61);
                    amount = balance.multiply(BigDecimal.valueOf(percent)).divide(HUNDRED, 2, RoundingMode.DOWN);
                }
                SourceInvoice inv = invoices.get(idx);
                Instant invAt = Instant.parse(inv.updatedAt());
                Instant lastAt = lastPaymentAt(inv.id(), invAt);
                Instant at = between(lastAt.plus(Duration.ofHours(1)), lastAt.plus(Duration.ofDays(45)));
                String method = pick(SampleNames.PAYMENT_METHODS);
                String ref = switch (method) {
                    case "check" -> "CHK-" + (1000 + rnd.nextInt(9000));
                    case "card" -> "TXN-" + (100000 + rnd.nextInt(900000));
                    case "bank transfer" -> "ACH-" + (100000 + rnd.nextInt(900000));
                    default -> null;
                };
                addPayment(idx, amount, LocalDate.ofInstant(at, ZoneOffset.UTC), method, ref, at);
                if (balances.get(idx).signum() == 0) {
                    open.remove(slot);
                }
            }
        }

        // ---- shared building blocks --------------------------------------------------------------------

        /**
         * The issuing chapter, from the invoice's position only (no draw from the random sequence, so every other
         * field stays as it was): of the named chapters two in five North, two in five South, one in five Pacific.
         */
        private String chapterOf(int n) {
            return chapters.get(n % chapters.size());
        }

        private void addInvoice(String billToType, String billToId, String category, String typeName, LocalDate issue,
                                String status, String memo, Instant at, List<SourceInvoiceLine> lines) {
            int n = invoices.size() + 1;
            BigDecimal total = lines.stream().map(SourceInvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            invoices.add(new SourceInvoice(String.format("I-%04d", n), "GU-" + (FIRST_INVOICE_NUMBER + n - 1), billToType,
                    billToId, category, typeName, issue.toString(), issue.plusDays(30).toString(), "USD", lines, total,
                    status, memo, at.toString(), chapterOf(n)));
            balances.add("voided".equals(status) ? null : total);
        }

        private void addPayment(int invoiceIndex, BigDecimal amount, LocalDate paidOn, String method, String ref, Instant at) {
            BigDecimal balance = balances.get(invoiceIndex);
            if (balance == null || amount.signum() <= 0 || amount.compareTo(balance) > 0) {
                throw new IllegalStateException("payment of " + amount + " does not fit invoice #" + invoiceIndex);
            }
            balances.set(invoiceIndex, balance.subtract(amount));
            payments.add(new SourcePayment(String.format("P-%04d", payments.size() + 1), invoices.get(invoiceIndex).id(),
                    amount, paidOn.toString(), method, ref, at.toString()));
        }

        private Instant lastPaymentAt(String invoiceId, Instant floor) {
            Instant last = floor;
            for (int i = payments.size() - 1; i >= 0; i--) {
                SourcePayment p = payments.get(i);
                if (p.invoiceId().equals(invoiceId)) {
                    Instant t = Instant.parse(p.updatedAt());
                    return t.isAfter(last) ? t : last;
                }
            }
            return last;
        }

        private SourceInvoiceLine line(String description, String qty, String price) {
            return SampleDataGenerator.line(description, qty, price);
        }

        private Instant partyTime() {
            // After the hand-made cases, within the first months, so that there is time left to bill them.
            return between(START.plus(Duration.ofDays(12)), START.plus(PARTY_WINDOW));
        }

        /** A whole-minute instant in [from, to]; to is used when the range is empty. */
        private Instant between(Instant from, Instant to) {
            long minutes = Duration.between(from, to).toMinutes();
            Instant t = minutes <= 0 ? from : from.plus(Duration.ofMinutes((long) (rnd.nextDouble() * minutes)));
            return Instant.ofEpochSecond(((t.getEpochSecond() + 59) / 60) * 60);
        }

        private String pick(List<String> options) {
            return options.get(rnd.nextInt(options.size()));
        }

        private String weighted(List<String> options, int... weights) {
            int sum = 0;
            for (int w : weights) {
                sum += w;
            }
            int roll = rnd.nextInt(sum);
            for (int i = 0; i < weights.length; i++) {
                roll -= weights[i];
                if (roll < 0) {
                    return options.get(i);
                }
            }
            return options.get(options.size() - 1);
        }

        private String phone() {
            return String.format("+1-%03d-555-%04d", 200 + rnd.nextInt(790), rnd.nextInt(10000));
        }

        private SourceAddress address() {
            String[] city = SampleNames.CITIES.get(rnd.nextInt(SampleNames.CITIES.size()));
            String line2 = rnd.nextInt(100) < 20 ? "Suite " + (100 + rnd.nextInt(400)) : null;
            return new SourceAddress((1 + rnd.nextInt(9999)) + " " + pick(SampleNames.STREETS), line2, city[0], city[1],
                    String.format("%05d", 1000 + rnd.nextInt(98000)), "US");
        }

        private String uniqueEmail(String local, String domain) {
            String email = local + "@" + domain;
            int n = 2;
            while (usedEmails.contains(email)) {
                email = local + n++ + "@" + domain;
            }
            usedEmails.add(email);
            return email;
        }
    }

    /** A line whose amount is quantity × unitPrice rounded half-up to cents, as QBO computes it. */
    static SourceInvoiceLine line(String description, String qty, String price) {
        BigDecimal q = new BigDecimal(qty);
        BigDecimal p = new BigDecimal(price);
        return new SourceInvoiceLine(description, q, p, q.multiply(p).setScale(2, RoundingMode.HALF_UP));
    }

    /** Lower-case ASCII letters and digits of {@code s}, accents dropped, words joined with {@code sep}. */
    static String slug(String s, String sep) {
        String ascii = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String joined = ascii.replaceAll("[^a-z0-9]+", sep);
        if (!sep.isEmpty()) {
            joined = joined.replaceAll("^" + sep + "+|" + sep + "+$", "");
        }
        return joined;
    }
}
