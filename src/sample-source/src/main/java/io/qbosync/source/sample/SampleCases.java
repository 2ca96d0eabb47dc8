package io.qbosync.source.sample;

import java.util.List;

/**
 * Ids and names of the hand-made records that every generated data set contains (whatever the seed or size),
 * each staging one situation the pipeline must handle. docs/sample-source.md explains each one;
 * {@link SampleQboSeed} holds the QBO side of the collisions, built from the same constants.
 */
public final class SampleCases {
    private SampleCases() {
    }

    /** Contact "Margaret O'Brien": apostrophe in the name (QBO query escaping, display name). */
    public static final String APOSTROPHE_CONTACT_ID = "C-0001";
    /** Contact "Siobhán O'Neill": apostrophe and a non-ASCII letter. */
    public static final String APOSTROPHE_ACCENT_CONTACT_ID = "C-0007";
    /** Company "O'Reilly & Daughters Catering": apostrophe and ampersand in a company name. */
    public static final String APOSTROPHE_COMPANY_ID = "CO-0002";

    /** Contact whose display name equals an active QBO Vendor → 6240 Duplicate Name Exists. */
    public static final String VENDOR_NAME_CONTACT_ID = "C-0002";
    public static final String VENDOR_NAME = "Daniel Whitfield";
    /** Contact whose display name equals an <em>inactive</em> QBO Vendor → still 6240 (names never die). */
    public static final String INACTIVE_VENDOR_NAME_CONTACT_ID = "C-0003";
    public static final String INACTIVE_VENDOR_NAME = "Priya Raman";
    /** Contact whose display name equals a QBO Employee → 6240. */
    public static final String EMPLOYEE_NAME_CONTACT_ID = "C-0004";
    public static final String EMPLOYEE_NAME = "Tomasz Nowak";

    /** Contact without an e-mail address: can only be matched by name. */
    public static final String NO_EMAIL_CONTACT_ID = "C-0005";

    /** Contact sharing its e-mail with a pre-existing QBO customer of another display name → match, not create. */
    public static final String EMAIL_MATCH_CONTACT_ID = "C-0006";
    public static final String EMAIL_MATCH_CONTACT_EMAIL = "lucia@fernandez-design.example.com";
    public static final String EMAIL_MATCH_CONTACT_QBO_NAME = "Fernandez Design Studio";
    /** Company sharing its e-mail with a pre-existing QBO customer of another display name → match, not create. */
    public static final String EMAIL_MATCH_COMPANY_ID = "CO-0001";
    public static final String EMAIL_MATCH_COMPANY_EMAIL = "accounts@harbourside-dental.example.com";
    public static final String EMAIL_MATCH_COMPANY_QBO_NAME = "Harbourside Dental";

    /**
     * Contact whose e-mail is shared by two pre-existing QBO customers of other names (a family's address) → never
     * guessed between: HELD with DUPLICATE_MATCH and both customers as ranked suggestions.
     */
    public static final String SHARED_EMAIL_CONTACT_ID = "C-0009";
    public static final String SHARED_EMAIL = "quist.family@example.net";
    /** The two QBO customers carrying {@link #SHARED_EMAIL}, in seed order. */
    public static final List<String> SHARED_EMAIL_QBO_NAMES = List.of("Theo Quist", "Annika Quist");

    /**
     * Company whose name is near-identical to two pre-existing QBO customers: all three normalise to the same key
     * (case, punctuation and the legal suffixes Co. / LLC / INC dropped) → HELD with DUPLICATE_MATCH, two suggestions.
     */
    public static final String AMBIGUOUS_NAME_COMPANY_ID = "CO-0003";
    public static final String AMBIGUOUS_NAME_COMPANY = "Northwind Trading Co.";
    /** The two QBO customers named like {@link #AMBIGUOUS_NAME_COMPANY}, in seed order. */
    public static final List<String> AMBIGUOUS_NAME_QBO_NAMES = List.of("NORTHWIND TRADING INC", "Northwind Trading, LLC");

    /** Company whose name is near-identical to exactly one pre-existing QBO customer → linked by name, not created. */
    public static final String NEAR_NAME_COMPANY_ID = "CO-0004";
    public static final String NEAR_NAME_COMPANY = "Maple Leaf Bakery";
    public static final String NEAR_NAME_QBO_NAME = "The Maple Leaf Bakery Ltd.";

    /** A plain contact billed by the duplicate-number, breakfast and voided cases. */
    public static final String PLAIN_CONTACT_ID = "C-0008";

    /** Invoice billing each special party, so that every party above is pushed as a customer. */
    public static final String APOSTROPHE_INVOICE_ID = "I-0001";
    public static final String VENDOR_NAME_INVOICE_ID = "I-0002";
    public static final String INACTIVE_VENDOR_NAME_INVOICE_ID = "I-0003";
    public static final String EMPLOYEE_NAME_INVOICE_ID = "I-0004";
    public static final String NO_EMAIL_INVOICE_ID = "I-0005";
    public static final String EMAIL_MATCH_CONTACT_INVOICE_ID = "I-0006";
    public static final String EMAIL_MATCH_COMPANY_INVOICE_ID = "I-0007";
    public static final String APOSTROPHE_COMPANY_INVOICE_ID = "I-0008";

    /** Invoices billing the ambiguous and near-identical parties, so that each becomes a customer record. */
    public static final String SHARED_EMAIL_INVOICE_ID = "I-0014";
    public static final String AMBIGUOUS_NAME_INVOICE_ID = "I-0015";
    public static final String NEAR_NAME_INVOICE_ID = "I-0016";

    /** Invoice whose number is already the DocNumber of another customer's invoice in QBO → 6140. */
    public static final String DUPLICATE_NUMBER_INVOICE_ID = "I-0009";
    public static final String DUPLICATE_DOC_NUMBER = "GU-10009";
    /** The QBO customer owning the pre-existing invoice with {@link #DUPLICATE_DOC_NUMBER}. */
    public static final String DUPLICATE_NUMBER_QBO_CUSTOMER = "Westbrook Library Friends";

    /** Event invoice for "Networking Breakfast" (no specific mapping → "All Events"). */
    public static final String UNMAPPED_EVENT_INVOICE_ID = "I-0010";
    /** Membership invoice for "Student Membership" (no specific mapping → "All Memberships"). */
    public static final String UNMAPPED_MEMBERSHIP_INVOICE_ID = "I-0011";

    /** Invoices voided in the source. */
    public static final List<String> VOIDED_INVOICE_IDS = List.of("I-0012", "I-0013");

    /** Payment settling {@link #APOSTROPHE_INVOICE_ID} in full. */
    public static final String FULL_PAYMENT_ID = "P-0001";
    /** Payment paying part of {@link #EMAIL_MATCH_CONTACT_INVOICE_ID}. */
    public static final String PARTIAL_PAYMENT_ID = "P-0002";
    /** Payment settling {@link #NEAR_NAME_INVOICE_ID} in full (a customer linked by name, not created). */
    public static final String NEAR_NAME_PAYMENT_ID = "P-0003";

    /** Membership type names, exactly as the source spells them. */
    public static final List<String> MEMBERSHIP_TYPES =
            List.of("Gold Membership", "Silver Membership", "Bronze Membership", "Student Membership");
    /** Event names, exactly as the source spells them. */
    public static final List<String> EVENT_TYPES = List.of("Annual Gala", "Spring Conference", "Networking Breakfast");
}
