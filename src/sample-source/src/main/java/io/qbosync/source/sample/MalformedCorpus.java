package io.qbosync.source.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourceIds;
import io.qbosync.source.sample.MalformedRecord.Problem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A deterministic corpus of malformed source records for the bad-input fuzz check (docs/fuzz.md): contacts,
 * companies, invoices and payments with missing fields, wrong types, numbers as strings, negative, absurd and
 * non-finite amounts, too many decimals, strings over QBO's limits and over 1 MB, bad dates, unknown references,
 * invalid UTF-8, control characters, lone surrogates, lines that do not add up, duplicate ids, null and empty
 * records, non-objects and nested garbage. Each record carries the specific outcome it must get
 * ({@link MalformedRecord#expectedFragments()}).
 *
 * <p>About 140 templates are used in turn (kinds interleaved), each instance with its own id and seeded random
 * values, so any size gives every template about equally often. The same seed and size always give the same
 * bytes. Ids start with {@code FZ-} and references point at ids starting with {@code FZ-…-GHOST-}, so the corpus
 * never touches the sample data set's records. Everything served is one JSON value (a record that is not would
 * make the whole page unreadable, which is not what this corpus tests).
 *
 * <p>{@code source.sample.malformed=N} mixes N of them into the sample source's feed; the {@link #main} prints a
 * summary the benchmark uses.
 */
public final class MalformedCorpus {
    public static final String SOURCE_INVALID = "SOURCE_INVALID";
    public static final String BILL_TO_NOT_FOUND = "BILL_TO_NOT_FOUND";
    public static final String INVOICE_NOT_FOUND = "INVOICE_NOT_FOUND";
    /** The feed positions of the corpus span the generated data's timeline, so bad records sit among good ones. */
    public static final Instant FEED_FROM = Instant.parse("2025-07-01T08:00:00Z");
    public static final Instant FEED_TO = Instant.parse("2026-03-31T18:00:00Z");
    static final int MEGABYTE = 1024 * 1024;

    private static final String RAW = "\u00a7RAW\u00a7";
    private static final String BAD = "\u00a7BAD\u00a7";
    private static final String KEY = "{key}";
    private static final int[] CONTROL_CHARS = {0x00, 0x01, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F, 0x85, 0x9F};
    private static final int[] CONTROL_CHARS_MULTILINE = {0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x85, 0x9F};
    /** Byte sequences that are not UTF-8: stray bytes, overlong forms, encoded surrogates, cut sequences. */
    private static final byte[][] BAD_UTF8 = {
            {(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0x80}, {(byte) 0xFE, (byte) 0xFE}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC1, (byte) 0xBF}};
    private static final String[] FIRST = {"Ana", "Bram", "Chloé", "Dmitri", "Eun-ji", "Farah", "Göran", "Hiro", "Inès", "Jonas"};
    private static final String[] LAST = {"Okafor", "Lindqvist", "Moreau", "Novak", "Park", "Quinn", "Rossi", "Sato", "Tran", "Weber"};
    private static final String[] STREETS = {"Elm St", "Lake Rd", "Harbour Way", "Mill Lane", "Cedar Ave"};
    private static final String[] CITIES = {"Madison", "Duluth", "Green Bay", "Eau Claire", "Racine"};
    private static final String[] PRICES = {"450.00", "275.00", "150.00", "45.00", "125.00", "289.50", "96.6667", "35.00"};
    private static final String[] METHODS = {"card", "check", "bank transfer", "cash"};
    private static final String[] BAD_EMAILS = {"x@", "@example.org", "no-at.example.org", "two@@example.org",
            "a b@example.org", "user@localhost", "user@example.", "user@.example.org", "user@exa mple.org", "user@example..org"};
    private static final String[] BAD_TIMESTAMPS = {"yesterday", "2026-01-05 09:00:00", "2026-01-05T09:00:00",
            "2026-02-30T09:00:00Z", "2026-01-05T25:00:00Z", "05/01/2026 09:00", "2026-01-05", "2026-01-05T09:00:00+25:00"};
    private static final String[] BAD_DATES = {"2026-02-30", "2025-13-01", "2025-00-10", "31/01/2026", "2026-1-5", "20260105",
            "2026-01-05T00:00:00Z", " 2026-01-05", "2025-02-29", "0000-00-00", "2025-04-31", "next week"};

    private final long seed;
    private final int size;

    /**
     * @param seed random seed (the sample source passes its own)
     * @param size how many records; every template is used once the size reaches the template count
     */
    public MalformedCorpus(long seed, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be ≥ 0, got " + size);
        }
        this.seed = seed;
        this.size = size;
    }

    /** Builds the corpus (a few MB when it includes the over-1-MB records; build it once and keep it). */
    public List<MalformedRecord> records() {
        Run run = new Run(new Random(seed * 31 + 0x5eed), size);
        List<Template> templates = templates();
        List<MalformedRecord> out = new ArrayList<>(size);
        for (int seq = 0; seq < size; seq++) {
            Template t = templates.get(seq % templates.size());
            int n = seq / templates.size();
            out.add(run.build(seq, t, n));
        }
        return out;
    }

    /** How many templates a corpus cycles through. */
    public static int templateCount() {
        return templates().size();
    }

    // ---- templates -----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Maker {
        Built make(Ctx c);
    }

    private record Template(String name, SourceKind kind, int number, Maker maker) {
    }

    /** What a template made: bytes, problem, field, code and expected message fragments ({@code {key}} = source id). */
    private record Built(byte[] json, Problem problem, String field, String code, List<String> fragments) {
    }

    private static List<Template> templates() {
        Map<SourceKind, List<Maker>> byKind = new EnumMap<>(SourceKind.class);
        byKind.put(SourceKind.CONTACT, contactMakers());
        byKind.put(SourceKind.COMPANY, companyMakers());
        byKind.put(SourceKind.INVOICE, invoiceMakers());
        byKind.put(SourceKind.PAYMENT, paymentMakers());
        // Interleave the kinds so that every stretch of the corpus (and of the feed) mixes them.
        List<Template> all = new ArrayList<>();
        int longest = byKind.values().stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (SourceKind kind : List.of(SourceKind.CONTACT, SourceKind.COMPANY, SourceKind.INVOICE, SourceKind.PAYMENT)) {
                List<Maker> makers = byKind.get(kind);
                if (i < makers.size()) {
                    all.add(new Template(kind.wire() + "-" + String.format("%02d", i + 1), kind, i + 1, makers.get(i)));
                }
            }
        }
        return all;
    }

    private static List<Maker> contactMakers() {
        return List.of(
                c -> c.invalid(c.without(c.contact(), "id"), Problem.MISSING_FIELD, "id", "contact " + KEY + ": id is missing"),
                c -> c.invalid(c.without(c.contact(), "firstName", "lastName"), Problem.MISSING_FIELD, "firstName",
                        c.label() + ": firstName and lastName are both missing or blank (a contact needs a name)"),
                c -> {
                    ObjectNode o = c.contact();
                    String[] blanks = {" ", "   ", "\t", "\u2003", " \n "};
                    o.put("firstName", blanks[c.n % blanks.length]);
                    o.put("lastName", "");
                    return c.invalid(o, Problem.BLANK_FIELD, "firstName",
                            c.label() + ": firstName and lastName are both missing or blank (a contact needs a name)");
                },
                c -> c.invalid(c.without(c.contact(), "updatedAt"), Problem.MISSING_FIELD, "updatedAt", c.label() + ": updatedAt is missing"),
                c -> {
                    int v = 1000 + c.n;
                    return c.invalid(c.contact().put("firstName", v), Problem.WRONG_TYPE, "firstName",
                            c.label() + ": firstName: expected a string, got " + v);
                },
                c -> {
                    boolean v = c.n % 2 == 0;
                    return c.invalid(c.contact().put("lastName", v), Problem.WRONG_TYPE, "lastName",
                            c.label() + ": lastName: expected a string, got " + v);
                },
                c -> {
                    ObjectNode o = c.contact();
                    o.putArray("email").add("fz" + c.n + "@example.org");
                    return c.invalid(o, Problem.WRONG_TYPE, "email", c.label() + ": email: expected a string, got an array");
                },
                c -> {
                    ObjectNode o = c.contact();
                    String got;
                    switch (c.n % 3) {
                        case 0 -> {
                            o.put("address", "12 Elm St");
                            got = "\"12 Elm St\"";
                        }
                        case 1 -> {
                            o.put("address", 53703 + c.n);
                            got = String.valueOf(53703 + c.n);
                        }
                        default -> {
                            o.putArray("address").add("12 Elm St").add("Madison");
                            got = "an array";
                        }
                    }
                    return c.invalid(o, Problem.WRONG_TYPE, "address", c.label() + ": address: expected an object, got " + got);
                },
                c -> {
                    long id = 900_000 + c.n;
                    ObjectNode o = c.contact().put("id", id);
                    return c.invalid(o, Problem.BAD_ID, "id", "contact " + id + ": id: expected a string, got " + id);
                },
                c -> {
                    long phone = 6085550100L + c.n;
                    return c.invalid(c.contact().put("phone", phone), Problem.WRONG_TYPE, "phone",
                            c.label() + ": phone: expected a string, got " + phone);
                },
                c -> {
                    boolean huge = c.n < 2;
                    int len = huge ? MEGABYTE + 1 + c.rnd.nextInt(1000) : 501 + c.rnd.nextInt(20_000);
                    return c.invalid(c.contact().put("lastName", c.letters(len)), huge ? Problem.OVER_1MB : Problem.OVER_LIMIT,
                            "lastName", c.label() + ": lastName is " + len + " characters long (max 500)");
                },
                c -> {
                    String email = BAD_EMAILS[c.n % BAD_EMAILS.length];
                    return c.invalid(c.contact().put("email", email), Problem.BAD_EMAIL, "email",
                            c.label() + ": email \"" + email + "\" is not a valid address");
                },
                c -> {
                    int ch = CONTROL_CHARS[c.n % CONTROL_CHARS.length];
                    return c.invalid(c.contact().put("lastName", "Smi" + (char) ch + "th"), Problem.CONTROL_CHARACTER, "lastName",
                            c.label() + ": lastName contains a control character " + cp(ch) + " at position 3");
                },
                c -> c.badBytes(c.contact().put("firstName", "Jo" + BAD + "hn"), "firstName",
                        c.label() + ": firstName contains invalid UTF-8 (replacement character U+FFFD at position 2)"),
                c -> {
                    String[] escapes = {"\\ud83d", "\\udc00", "\\ude00\\ud83d", "\\udbff"};
                    String[] reported = {"U+D83D", "U+DC00", "U+DE00", "U+DBFF"};
                    int k = c.n % escapes.length;
                    return c.rawToken(c.contact().put("lastName", RAW), "\"Fuzz" + escapes[k] + "er\"", Problem.LONE_SURROGATE, "lastName",
                            c.label() + ": lastName contains an unpaired surrogate " + reported[k] + " at position 4 (not valid Unicode)");
                },
                c -> {
                    String v = BAD_TIMESTAMPS[c.n % BAD_TIMESTAMPS.length];
                    return c.invalid(c.contact().put("updatedAt", v), Problem.BAD_DATE, "updatedAt",
                            c.label() + ": updatedAt " + quoted(v) + " is not a timestamp (ISO-8601 with offset, e.g. 2026-01-05T09:00:00Z)");
                },
                c -> {
                    ObjectNode o = c.contact();
                    // Depth 700 nests about 930 levels: with the page around it, just under the parser's limit of 1000.
                    o.set("firstName", c.nestedObject(c.n == 0 ? 700 : 2 + c.rnd.nextInt(60)));
                    return c.invalid(o, Problem.NESTED_GARBAGE, "firstName", c.label() + ": firstName: expected a string, got an object");
                },
                c -> c.notAnObject("contact"),
                c -> c.emptyObject("contact"),
                c -> c.allNull(c.contact(), "contact"),
                c -> c.idTooLong(c.contact(), "contact"),
                c -> c.idWithBadCharacter(c.contact(), "contact"),
                c -> {
                    String id = "FZ-C-DUP-" + String.format("%04d", c.n / 2);
                    ObjectNode o = c.contact().put("id", id).put("firstName", 7).put("phone", "+1-608-555-010" + (c.n % 2));
                    return c.invalid(o, Problem.DUPLICATE_ID, "firstName", "contact " + id + ": firstName: expected a string, got 7");
                },
                c -> {
                    int v = 42 + c.n;
                    return c.invalid(c.contact().put("companyId", v), Problem.WRONG_TYPE, "companyId",
                            c.label() + ": companyId: expected a string, got " + v);
                },
                c -> {
                    ObjectNode o = c.contact();
                    ((ObjectNode) o.get("address")).set("line1", c.nestedObject(3 + c.n % 20));
                    return c.invalid(o, Problem.NESTED_GARBAGE, "address.line1", c.label() + ": address.line1: expected a string, got an object");
                },
                c -> {
                    ObjectNode o = c.contact().put("email", "x@").put("phone", "9".repeat(31 + c.n % 10)).put("lastName", 3.5);
                    return c.invalid(o, Problem.SEVERAL_PROBLEMS, "email",
                            c.label() + ": lastName: expected a string, got 3.5",
                            c.label() + ": email \"x@\" is not a valid address",
                            c.label() + ": phone is " + (31 + c.n % 10) + " characters long (max 30)");
                });
    }

    private static List<Maker> companyMakers() {
        return List.of(
                c -> c.invalid(c.without(c.company(), "name"), Problem.MISSING_FIELD, "name", c.label() + ": name is missing"),
                c -> {
                    String[] blanks = {" ", "   ", "\t \t", "\u2003\u2003"};
                    return c.invalid(c.company().put("name", blanks[c.n % blanks.length]), Problem.BLANK_FIELD, "name",
                            c.label() + ": name is blank");
                },
                c -> {
                    int v = 77 + c.n;
                    return c.invalid(c.company().put("name", v), Problem.WRONG_TYPE, "name", c.label() + ": name: expected a string, got " + v);
                },
                c -> {
                    boolean huge = c.n < 2;
                    int len = huge ? MEGABYTE + 1 + c.rnd.nextInt(1000) : 501 + c.rnd.nextInt(50_000);
                    return c.invalid(c.company().put("name", c.letters(len)), huge ? Problem.OVER_1MB : Problem.OVER_LIMIT, "name",
                            c.label() + ": name is " + len + " characters long (max 500)");
                },
                c -> {
                    int ch = CONTROL_CHARS[(c.n + 3) % CONTROL_CHARS.length];
                    return c.invalid(c.company().put("name", "Acme" + (char) ch + "Ltd"), Problem.CONTROL_CHARACTER, "name",
                            c.label() + ": name contains a control character " + cp(ch) + " at position 4");
                },
                c -> c.badBytes(c.company().put("name", "Caf" + BAD + " Ltd"), "name",
                        c.label() + ": name contains invalid UTF-8 (replacement character U+FFFD at position 3)"),
                c -> {
                    String email = BAD_EMAILS[(c.n + 5) % BAD_EMAILS.length];
                    return c.invalid(c.company().put("email", email), Problem.BAD_EMAIL, "email",
                            c.label() + ": email \"" + email + "\" is not a valid address");
                },
                c -> {
                    ObjectNode o = c.company();
                    o.putObject("phone").put("number", "555-01" + c.n);
                    return c.invalid(o, Problem.WRONG_TYPE, "phone", c.label() + ": phone: expected a string, got an object");
                },
                c -> {
                    ObjectNode o = c.company();
                    String line = "1 " + c.letters(500 + c.rnd.nextInt(2500));
                    ((ObjectNode) o.get("address")).put("line1", line);
                    return c.invalid(o, Problem.OVER_LIMIT, "address.line1",
                            c.label() + ": address.line1 is " + line.length() + " characters long (max 500)");
                },
                c -> {
                    ObjectNode o = c.company();
                    ((ObjectNode) o.get("address")).putObject("country").put("code", "US").put("n", c.n);
                    return c.invalid(o, Problem.WRONG_TYPE, "address.country", c.label() + ": address.country: expected a string, got an object");
                },
                c -> {
                    String v = BAD_TIMESTAMPS[(c.n + 3) % BAD_TIMESTAMPS.length];
                    return c.invalid(c.company().put("updatedAt", v), Problem.BAD_DATE, "updatedAt",
                            c.label() + ": updatedAt " + quoted(v) + " is not a timestamp (ISO-8601 with offset, e.g. 2026-01-05T09:00:00Z)");
                },
                c -> c.notAnObject("company"),
                c -> c.invalid(c.without(c.company(), "id"), Problem.MISSING_FIELD, "id", "company " + KEY + ": id is missing"),
                c -> {
                    String[] blanks = {" ", "  ", "\t", "\u2003"};
                    return c.invalid(c.company().put("id", blanks[c.n % blanks.length]), Problem.BLANK_FIELD, "id",
                            "company " + KEY + ": id is blank");
                },
                c -> {
                    long id = 700_000 + c.n;
                    return c.invalid(c.company().put("id", id), Problem.BAD_ID, "id", "company " + id + ": id: expected a string, got " + id);
                },
                c -> {
                    String id = "FZ-O-DUP-" + String.format("%04d", c.n / 2);
                    ObjectNode o = c.company().put("id", id).put("name", "").put("phone", "+1-608-555-020" + (c.n % 2));
                    return c.invalid(o, Problem.DUPLICATE_ID, "name", "company " + id + ": name is blank");
                },
                c -> {
                    ObjectNode o = c.company();
                    o.set("name", c.nestedArray(2 + c.n % 40));
                    return c.invalid(o, Problem.NESTED_GARBAGE, "name", c.label() + ": name: expected a string, got an array");
                },
                c -> c.rawToken(c.company().put("name", RAW), "\"Fuzz \\udfff Holdings\"", Problem.LONE_SURROGATE, "name",
                        c.label() + ": name contains an unpaired surrogate U+DFFF at position 5 (not valid Unicode)"),
                c -> c.emptyObject("company"),
                c -> {
                    long epoch = 1_767_600_000L + c.n;
                    return c.invalid(c.company().put("updatedAt", epoch), Problem.WRONG_TYPE, "updatedAt",
                            c.label() + ": updatedAt: expected a string, got " + epoch);
                },
                c -> c.idTooLong(c.company(), "company"),
                c -> c.allNull(c.company(), "company"));
    }

    private static List<Maker> invoiceMakers() {
        return List.of(
                c -> c.invalid(c.without(c.invoice(), "number"), Problem.MISSING_FIELD, "number", "invoice " + c.id + ": number is missing"),
                c -> {
                    int v = 10_000 + c.n;
                    return c.invalid(c.invoice().put("number", v), Problem.WRONG_TYPE, "number",
                            "invoice " + c.id + ": number: expected a string, got " + v);
                },
                c -> {
                    String[] v = {"vendor", "Contact", "person", "customer", "COMPANY", "employee"};
                    String s = v[c.n % v.length];
                    return c.invalid(c.invoice().put("billToType", s), Problem.BAD_ENUM, "billToType",
                            c.label() + ": billToType \"" + s + "\" is not one of contact, company");
                },
                c -> c.invalid(c.without(c.invoice(), "billToType"), Problem.MISSING_FIELD, "billToType", c.label() + ": billToType is missing"),
                c -> c.invalid(c.without(c.invoice(), "billToId"), Problem.MISSING_FIELD, "billToId", c.label() + ": billToId is missing"),
                c -> {
                    int v = 42 + c.n;
                    return c.invalid(c.invoice().put("billToId", v), Problem.WRONG_TYPE, "billToId",
                            c.label() + ": billToId: expected a string, got " + v);
                },
                c -> {
                    String[] v = {"sports", "Membership", "events", "donation", "EVENT"};
                    String s = v[c.n % v.length];
                    return c.invalid(c.invoice().put("category", s), Problem.BAD_ENUM, "category",
                            c.label() + ": category \"" + s + "\" is not one of membership, event, other");
                },
                c -> {
                    String[] v = {"paid", "draft", "OPEN", "void", "cancelled"};
                    String s = v[c.n % v.length];
                    return c.invalid(c.invoice().put("status", s), Problem.BAD_ENUM, "status",
                            c.label() + ": status \"" + s + "\" is not one of open, voided");
                },
                c -> {
                    String v = BAD_DATES[c.n % BAD_DATES.length];
                    return c.invalid(c.invoice().put("issueDate", v), Problem.BAD_DATE, "issueDate",
                            c.label() + ": issueDate " + quoted(v) + " is not a date (YYYY-MM-DD)");
                },
                c -> c.invalid(c.without(c.invoice(), "issueDate"), Problem.MISSING_FIELD, "issueDate", c.label() + ": issueDate is missing"),
                c -> {
                    ObjectNode o = c.invoice();
                    LocalDate issue = LocalDate.parse(o.get("issueDate").asText());
                    LocalDate due = issue.minusDays(1 + c.rnd.nextInt(60));
                    o.put("dueDate", due.toString());
                    return c.invalid(o, Problem.BAD_DATE, "dueDate", c.label() + ": dueDate " + due + " is before issueDate " + issue);
                },
                c -> {
                    int v = 20_251_001 + c.n;
                    return c.invalid(c.invoice().put("dueDate", v), Problem.WRONG_TYPE, "dueDate",
                            c.label() + ": dueDate: expected a string, got " + v);
                },
                c -> {
                    String[] v = {"usd", "US$", "EU", "Usd", "12 ", "USDX", "EURO"};
                    String s = v[c.n % v.length];
                    String detail = s.length() > 3 ? "currency is " + s.length() + " characters long (max 3)"
                            : "currency \"" + s + "\" is not an ISO 4217 code (three capital letters)";
                    return c.invalid(c.invoice().put("currency", s), Problem.BAD_ENUM, "currency", c.label() + ": " + detail);
                },
                c -> c.invalid(c.without(c.invoice(), "lines"), Problem.MISSING_FIELD, "lines", c.label() + ": lines is missing"),
                c -> {
                    ObjectNode o = c.invoice();
                    String got;
                    if (c.n % 2 == 0) {
                        JsonNode first = o.get("lines").get(0);
                        o.putObject("lines").set("0", first);
                        got = "an object";
                    } else {
                        o.put("lines", "none");
                        got = "\"none\"";
                    }
                    return c.invalid(o, Problem.WRONG_TYPE, "lines", c.label() + ": lines: expected an array, got " + got);
                },
                c -> {
                    ObjectNode o = c.invoice();
                    o.putArray("lines");
                    return c.invalid(o, Problem.NULL_OR_EMPTY, "lines", c.label() + ": lines is empty (an invoice needs at least one line)");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    ArrayNode lines = (ArrayNode) o.get("lines");
                    String got;
                    switch (c.n % 3) {
                        case 0 -> {
                            lines.setNull(k);
                            got = "null";
                        }
                        case 1 -> {
                            lines.set(k, SourceJson.mapper().getNodeFactory().textNode("line " + c.n));
                            got = "\"line " + c.n + "\"";
                        }
                        default -> {
                            lines.set(k, SourceJson.mapper().getNodeFactory().numberNode(5 + c.n));
                            got = String.valueOf(5 + c.n);
                        }
                    }
                    return c.invalid(o, c.n % 3 == 0 ? Problem.NULL_OR_EMPTY : Problem.WRONG_TYPE, "lines[" + k + "]",
                            c.label() + ": lines[" + k + "]: expected an object, got " + got);
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    String q = c.line(o, k).get("quantity").asText();
                    c.line(o, k).put("quantity", q);
                    return c.invalid(o, Problem.NUMBER_AS_STRING, "lines[" + k + "].quantity",
                            c.label() + ": lines[" + k + "].quantity: expected a number, got \"" + q + "\"");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    String p = c.line(o, k).get("unitPrice").decimalValue().toPlainString();
                    c.line(o, k).put("unitPrice", p);
                    return c.invalid(o, Problem.NUMBER_AS_STRING, "lines[" + k + "].unitPrice",
                            c.label() + ": lines[" + k + "].unitPrice: expected a number, got \"" + p + "\"");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    String t = o.get("total").decimalValue().toPlainString();
                    o.put("total", t);
                    return c.invalid(o, Problem.NUMBER_AS_STRING, "total", c.label() + ": total: expected a number, got \"" + t + "\"");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    int q = -(c.n % 4);
                    c.line(o, k).put("quantity", q);
                    return c.invalid(o, Problem.NEGATIVE_AMOUNT, "lines[" + k + "].quantity",
                            c.label() + ": lines[" + k + "].quantity must be > 0 (got " + q + ")");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    BigDecimal p = c.line(o, k).get("unitPrice").decimalValue().negate();
                    c.line(o, k).put("unitPrice", p);
                    return c.invalid(o, Problem.NEGATIVE_AMOUNT, "lines[" + k + "].unitPrice",
                            c.label() + ": lines[" + k + "].unitPrice must be ≥ 0 (got " + p.toPlainString() + ")");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    BigDecimal p = new BigDecimal("96.6666").add(new BigDecimal("0.00001").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(9))));
                    c.line(o, k).put("unitPrice", p);
                    return c.invalid(o, Problem.TOO_MANY_DECIMALS, "lines[" + k + "].unitPrice",
                            c.label() + ": lines[" + k + "].unitPrice " + p.toPlainString() + " has more than 4 decimals");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    BigDecimal a = c.line(o, k).get("amount").decimalValue().add(new BigDecimal("0.001").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(9))));
                    c.line(o, k).put("amount", a);
                    return c.invalid(o, Problem.TOO_MANY_DECIMALS, "lines[" + k + "].amount",
                            c.label() + ": lines[" + k + "].amount " + a.toPlainString() + " has more than 2 decimals");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    ObjectNode line = c.line(o, k);
                    BigDecimal a = line.get("amount").decimalValue().add(new BigDecimal("0.01").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(500))));
                    line.put("amount", a);
                    c.retotal(o);
                    return c.invalid(o, Problem.LINES_NOT_SUMMING, "lines[" + k + "].amount",
                            c.label() + ": lines[" + k + "].amount " + a.toPlainString() + " does not equal quantity × unitPrice ("
                                    + line.get("quantity").decimalValue().toPlainString() + " × " + line.get("unitPrice").decimalValue().toPlainString()
                                    + " = " + c.lineAmount(line).toPlainString() + ")");
                },
                c -> {
                    // The Spring Conference group rate: rounding half-up matters (QBO 6070 when it is done wrong).
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    ObjectNode line = c.line(o, k);
                    BigDecimal q = BigDecimal.valueOf(1 + c.n % 9);
                    BigDecimal p = new BigDecimal("96.6667");
                    BigDecimal right = q.multiply(p).setScale(2, RoundingMode.HALF_UP);
                    BigDecimal wrong = c.n % 2 == 0 ? right.add(new BigDecimal("0.01")) : right.subtract(new BigDecimal("0.01"));
                    line.put("quantity", q).put("unitPrice", p).put("amount", wrong);
                    c.retotal(o);
                    return c.invalid(o, Problem.LINES_NOT_SUMMING, "lines[" + k + "].amount",
                            c.label() + ": lines[" + k + "].amount " + wrong.toPlainString() + " does not equal quantity × unitPrice ("
                                    + q.toPlainString() + " × 96.6667 = " + right.toPlainString() + ")");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    BigDecimal sum = o.get("total").decimalValue();
                    BigDecimal delta = new BigDecimal("0.01").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(10_000)));
                    BigDecimal total = c.n % 3 == 1 && sum.compareTo(delta) > 0 ? sum.subtract(delta) : sum.add(delta);
                    o.put("total", total);
                    return c.invalid(o, Problem.LINES_NOT_SUMMING, "total", c.label() + ": total " + total.toPlainString()
                            + " does not equal the sum of line amounts (" + sum.setScale(2, RoundingMode.HALF_UP).toPlainString() + ")");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    BigDecimal t = o.get("total").decimalValue().negate();
                    o.put("total", t);
                    return c.invalid(o, Problem.NEGATIVE_AMOUNT, "total", c.label() + ": total must be ≥ 0 (got " + t.toPlainString() + ")");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    BigDecimal t = o.get("total").decimalValue().add(new BigDecimal("0.001").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(9))));
                    o.put("total", t);
                    return c.invalid(o, Problem.TOO_MANY_DECIMALS, "total", c.label() + ": total " + t.toPlainString() + " has more than 2 decimals");
                },
                c -> {
                    String[] tokens = {"1e12", "2000000000", "999999999999.99", "1E+15", "-5e9", "1000000000.01"};
                    String tok = tokens[c.n % tokens.length];
                    return c.rawToken(c.invoice().put("total", RAW), tok, Problem.ABSURD_AMOUNT, "total", c.label() + ": total "
                            + new BigDecimal(tok).toPlainString() + " is out of range (more than 1000000000 in size)");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    String[] tokens = {"NaN", "Infinity", "-Infinity"};
                    String tok = tokens[c.n % tokens.length];
                    c.line(o, k).put("unitPrice", RAW);
                    return c.rawToken(o, tok, Problem.NON_FINITE_NUMBER, "lines[" + k + "].unitPrice",
                            c.label() + ": lines[" + k + "].unitPrice: expected a finite number, got " + tok);
                },
                c -> {
                    // Tiny JSON, enormous number: printing 1e-999999999 plainly once exhausted the heap.
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    String[][] cases = {
                            {"quantity", "1e999999999", "1E+999999999 is out of range (more than 1000000000 in size)"},
                            {"amount", "1e-999999999", "1E-999999999 has more than 2 decimals"},
                            {"unitPrice", "-1E+400", "-1E+400 is out of range (more than 1000000000 in size)"},
                            {"quantity", "5e-60", "5E-60 has more than 4 decimals"}};
                    String[] cs = cases[c.n % cases.length];
                    c.line(o, k).put(cs[0], RAW);
                    return c.rawToken(o, cs[1], Problem.ABSURD_AMOUNT, "lines[" + k + "]." + cs[0],
                            c.label() + ": lines[" + k + "]." + cs[0] + " " + cs[2]);
                },
                c -> {
                    boolean huge = c.n < 2;
                    int len = huge ? MEGABYTE + 1 + c.rnd.nextInt(1000) : 4001 + c.rnd.nextInt(200_000);
                    return c.invalid(c.invoice().put("memo", c.letters(len)), huge ? Problem.OVER_1MB : Problem.OVER_LIMIT, "memo",
                            c.label() + ": memo is " + len + " characters long (max 4000)");
                },
                c -> {
                    int ch = CONTROL_CHARS_MULTILINE[c.n % CONTROL_CHARS_MULTILINE.length];
                    String memo = "Dues\nfor\t2026 " + (char) ch + "end";
                    return c.invalid(c.invoice().put("memo", memo), Problem.CONTROL_CHARACTER, "memo",
                            c.label() + ": memo contains a control character " + cp(ch) + " at position 14");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    c.line(o, k).put("description", "Gala " + BAD + "ticket");
                    return c.badBytes(o, "lines[" + k + "].description", c.label() + ": lines[" + k
                            + "].description contains invalid UTF-8 (replacement character U+FFFD at position 5)");
                },
                c -> {
                    int len = 101 + c.rnd.nextInt(300);
                    return c.invalid(c.invoice().put("typeName", c.letters(len)), Problem.OVER_LIMIT, "typeName",
                            c.label() + ": typeName is " + len + " characters long (max 100)");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    String got;
                    switch (c.n % 3) {
                        case 0 -> {
                            o.putObject("typeName").put("name", "Gala");
                            got = "an object";
                        }
                        case 1 -> {
                            o.putArray("typeName").add("Gold Membership");
                            got = "an array";
                        }
                        default -> {
                            o.put("typeName", false);
                            got = "false";
                        }
                    }
                    return c.invalid(o, Problem.WRONG_TYPE, "typeName", c.label() + ": typeName: expected a string, got " + got);
                },
                c -> {
                    ObjectNode o = c.invoice();
                    if (c.n % 2 == 0) {
                        ArrayNode lines = o.putArray("lines");
                        lines.add(c.nestedArray(2 + c.n % 50));
                        return c.invalid(o, Problem.NESTED_GARBAGE, "lines[0]", c.label() + ": lines[0]: expected an object, got an array");
                    }
                    int k = c.badLine(o);
                    c.line(o, k).set("quantity", c.nestedObject(2 + c.n % 50));
                    return c.invalid(o, Problem.NESTED_GARBAGE, "lines[" + k + "].quantity",
                            c.label() + ": lines[" + k + "].quantity: expected a number, got an object");
                },
                c -> {
                    String ghost = "FZ-C-GHOST-" + c.code();
                    ObjectNode o = c.invoice().put("billToType", "contact").put("billToId", ghost);
                    return c.built(o, Problem.UNKNOWN_REFERENCE, "billToId", BILL_TO_NOT_FOUND,
                            "Invoice " + c.id + " bills contact " + ghost + ", which the source never sent");
                },
                c -> {
                    String ghost = "FZ-O-GHOST-" + c.code();
                    ObjectNode o = c.invoice().put("billToType", "company").put("billToId", ghost);
                    return c.built(o, Problem.UNKNOWN_REFERENCE, "billToId", BILL_TO_NOT_FOUND,
                            "Invoice " + c.id + " bills company " + ghost + ", which the source never sent");
                },
                c -> c.notAnObject("invoice"),
                c -> c.invalid(c.without(c.invoice(), "id"), Problem.MISSING_FIELD, "id", c.label() + ": id is missing"),
                c -> {
                    String v = BAD_TIMESTAMPS[(c.n + 5) % BAD_TIMESTAMPS.length];
                    return c.invalid(c.invoice().put("updatedAt", v), Problem.BAD_DATE, "updatedAt",
                            c.label() + ": updatedAt " + quoted(v) + " is not a timestamp (ISO-8601 with offset, e.g. 2026-01-05T09:00:00Z)");
                },
                c -> {
                    String id = "FZ-I-DUP-" + String.format("%04d", c.n / 2);
                    String number = "FZN-DUP-" + String.format("%04d", c.n / 2);
                    ObjectNode o = c.invoice().put("id", id).put("number", number).put("memo", "copy " + (c.n % 2));
                    o.put("total", "450.00");
                    c.retotalTo(o, "450.00");
                    return c.invalid(o, Problem.DUPLICATE_ID, "total", "invoice " + number + ": total: expected a number, got \"450.00\"");
                },
                c -> {
                    // The label is the invoice number; the id only has to be filed somewhere storable.
                    String id = c.id + "-" + "L".repeat(90 + c.rnd.nextInt(c.n == 0 ? 2000 : 300));
                    return c.invalid(c.invoice().put("id", id), Problem.OVER_LIMIT, "id",
                            c.label() + ": id is " + id.length() + " characters long (max 100)");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    BigDecimal q = new BigDecimal("1.2345").add(new BigDecimal("0.00001").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(9))));
                    c.line(o, k).put("quantity", q);
                    return c.invalid(o, Problem.TOO_MANY_DECIMALS, "lines[" + k + "].quantity",
                            c.label() + ": lines[" + k + "].quantity " + q.toPlainString() + " has more than 4 decimals");
                },
                c -> {
                    ObjectNode o = c.invoice();
                    int k = c.badLine(o);
                    BigDecimal a = new BigDecimal("-10000000000").subtract(BigDecimal.valueOf(c.rnd.nextInt(1000)));
                    c.line(o, k).put("amount", a);
                    return c.invalid(o, Problem.ABSURD_AMOUNT, "lines[" + k + "].amount",
                            c.label() + ": lines[" + k + "].amount " + a.toPlainString() + " is out of range (more than 1000000000 in size)");
                },
                c -> {
                    // Bad bytes at the end of the number: the label (the number) itself shows the damage, escaped.
                    ObjectNode o = c.invoice().put("number", c.number + BAD);
                    return c.badBytes(o, new byte[]{(byte) 0xFF}, "number", "invoice \"" + c.number + "\\uFFFD\": number contains"
                            + " invalid UTF-8 (replacement character U+FFFD at position " + c.number.length() + ")");
                },
                c -> {
                    ObjectNode o = c.invoice().put("category", "sports").put("issueDate", "2026-13-40");
                    c.line(o, 0).put("quantity", "abc");
                    return c.invalid(o, Problem.SEVERAL_PROBLEMS, "category",
                            c.label() + ": category \"sports\" is not one of membership, event, other",
                            c.label() + ": issueDate \"2026-13-40\" is not a date (YYYY-MM-DD)",
                            c.label() + ": lines[0].quantity: expected a number, got \"abc\"");
                },
                c -> c.emptyObject("invoice"),
                c -> c.allNull(c.invoice(), "invoice"));
    }

    private static List<Maker> paymentMakers() {
        return List.of(
                c -> c.invalid(c.without(c.payment(), "invoiceId"), Problem.MISSING_FIELD, "invoiceId", c.label() + ": invoiceId is missing"),
                c -> c.invalid(c.payment().put("invoiceId", c.n % 2 == 0 ? "" : "   "), Problem.BLANK_FIELD, "invoiceId",
                        c.label() + ": invoiceId is blank"),
                c -> {
                    int v = 17 + c.n;
                    return c.invalid(c.payment().put("invoiceId", v), Problem.WRONG_TYPE, "invoiceId",
                            c.label() + ": invoiceId: expected a string, got " + v);
                },
                c -> c.invalid(c.without(c.payment(), "amount"), Problem.MISSING_FIELD, "amount", c.label() + ": amount is missing"),
                c -> {
                    ObjectNode o = c.payment();
                    String a = o.get("amount").decimalValue().toPlainString();
                    o.put("amount", a);
                    return c.invalid(o, Problem.NUMBER_AS_STRING, "amount", c.label() + ": amount: expected a number, got \"" + a + "\"");
                },
                c -> {
                    String[] tokens = {"0", "0.00", "-0.00", "0.0"};
                    String tok = tokens[c.n % tokens.length];
                    return c.rawToken(c.payment().put("amount", RAW), tok, Problem.NEGATIVE_AMOUNT, "amount",
                            c.label() + ": amount must be > 0 (got " + new BigDecimal(tok).toPlainString() + ")");
                },
                c -> {
                    ObjectNode o = c.payment();
                    BigDecimal a = o.get("amount").decimalValue().negate();
                    o.put("amount", a);
                    return c.invalid(o, Problem.NEGATIVE_AMOUNT, "amount", c.label() + ": amount must be > 0 (got " + a.toPlainString() + ")");
                },
                c -> {
                    ObjectNode o = c.payment();
                    BigDecimal a = o.get("amount").decimalValue().add(new BigDecimal("0.001").multiply(BigDecimal.valueOf(1 + c.rnd.nextInt(9))));
                    o.put("amount", a);
                    return c.invalid(o, Problem.TOO_MANY_DECIMALS, "amount", c.label() + ": amount " + a.toPlainString() + " has more than 2 decimals");
                },
                c -> {
                    String[] tokens = {"1e10", "1000000000.01", "99999999999", "1E+15", "-2e9"};
                    String tok = tokens[c.n % tokens.length];
                    return c.rawToken(c.payment().put("amount", RAW), tok, Problem.ABSURD_AMOUNT, "amount",
                            c.label() + ": amount " + new BigDecimal(tok).toPlainString() + " is out of range (more than 1000000000 in size)");
                },
                c -> {
                    String[] tokens = {"NaN", "Infinity", "-Infinity"};
                    String tok = tokens[c.n % tokens.length];
                    return c.rawToken(c.payment().put("amount", RAW), tok, Problem.NON_FINITE_NUMBER, "amount",
                            c.label() + ": amount: expected a finite number, got " + tok);
                },
                c -> {
                    String[][] cases = {
                            {"1e999999999", "1E+999999999 is out of range (more than 1000000000 in size)"},
                            {"1e-999999999", "1E-999999999 has more than 2 decimals"},
                            {"-1e999999999", "-1E+999999999 is out of range (more than 1000000000 in size)"},
                            {"12.5e-300", "1.25E-299 has more than 2 decimals"}};
                    String[] cs = cases[c.n % cases.length];
                    return c.rawToken(c.payment().put("amount", RAW), cs[0], Problem.ABSURD_AMOUNT, "amount",
                            c.label() + ": amount " + cs[1]);
                },
                c -> {
                    String v = BAD_DATES[(c.n + 4) % BAD_DATES.length];
                    return c.invalid(c.payment().put("paidOn", v), Problem.BAD_DATE, "paidOn",
                            c.label() + ": paidOn " + quoted(v) + " is not a date (YYYY-MM-DD)");
                },
                c -> c.invalid(c.without(c.payment(), "paidOn"), Problem.MISSING_FIELD, "paidOn", c.label() + ": paidOn is missing"),
                c -> {
                    int v = 20_251_015 + c.n;
                    return c.invalid(c.payment().put("paidOn", v), Problem.WRONG_TYPE, "paidOn",
                            c.label() + ": paidOn: expected a string, got " + v);
                },
                c -> {
                    int len = 101 + c.rnd.nextInt(400);
                    return c.invalid(c.payment().put("method", c.letters(len)), Problem.OVER_LIMIT, "method",
                            c.label() + ": method is " + len + " characters long (max 100)");
                },
                c -> {
                    ObjectNode o = c.payment();
                    o.putObject("method").put("type", "card").put("n", c.n);
                    return c.invalid(o, Problem.WRONG_TYPE, "method", c.label() + ": method: expected a string, got an object");
                },
                c -> {
                    int ch = CONTROL_CHARS[(c.n + 7) % CONTROL_CHARS.length];
                    return c.invalid(c.payment().put("reference", "CHK" + (char) ch + "1042"), Problem.CONTROL_CHARACTER, "reference",
                            c.label() + ": reference contains a control character " + cp(ch) + " at position 3");
                },
                c -> c.badBytes(c.payment().put("reference", "TXN-" + BAD + "77"), "reference",
                        c.label() + ": reference contains invalid UTF-8 (replacement character U+FFFD at position 4)"),
                c -> {
                    String ghost = "FZ-I-GHOST-" + c.code();
                    return c.built(c.payment().put("invoiceId", ghost), Problem.UNKNOWN_REFERENCE, "invoiceId", INVOICE_NOT_FOUND,
                            "Payment " + c.id + " is for invoice " + ghost + ", which the source never sent");
                },
                c -> c.notAnObject("payment"),
                c -> c.invalid(c.without(c.payment(), "id"), Problem.MISSING_FIELD, "id", "payment " + KEY + ": id is missing"),
                c -> {
                    String id = "FZ-P-DUP-" + String.format("%04d", c.n / 2);
                    ObjectNode o = c.payment().put("id", id).put("amount", new BigDecimal("-5.00")).put("method", METHODS[c.n % 2]);
                    return c.invalid(o, Problem.DUPLICATE_ID, "amount", "payment " + id + ": amount must be > 0 (got -5.00)");
                },
                c -> {
                    ObjectNode o = c.payment();
                    String got;
                    if (c.n % 2 == 0) {
                        o.set("amount", c.nestedArray(2 + c.n % 30));
                        got = "an array";
                    } else {
                        o.set("amount", c.nestedObject(2 + c.n % 30));
                        got = "an object";
                    }
                    return c.invalid(o, Problem.NESTED_GARBAGE, "amount", c.label() + ": amount: expected a number, got " + got);
                },
                c -> {
                    long epoch = 1_767_600_000L + c.n;
                    return c.invalid(c.payment().put("updatedAt", epoch), Problem.WRONG_TYPE, "updatedAt",
                            c.label() + ": updatedAt: expected a string, got " + epoch);
                },
                c -> c.idTooLong(c.payment(), "payment"),
                c -> {
                    String[] escapes = {"\\ud800", "\\udfff", "\\udc00\\udc00"};
                    String[] reported = {"U+D800", "U+DFFF", "U+DC00"};
                    int k = c.n % escapes.length;
                    return c.rawToken(c.payment().put("method", RAW), "\"card" + escapes[k] + "\"", Problem.LONE_SURROGATE, "method",
                            c.label() + ": method contains an unpaired surrogate " + reported[k] + " at position 4 (not valid Unicode)");
                },
                c -> c.emptyObject("payment"),
                c -> {
                    ObjectNode o = c.payment();
                    String got;
                    switch (c.n % 4) {
                        case 0 -> {
                            o.putObject("id").put("value", c.id);
                            got = "an object";
                        }
                        case 1 -> {
                            o.putArray("id").add(c.id);
                            got = "an array";
                        }
                        case 2 -> {
                            o.put("id", new BigDecimal("12.5").add(BigDecimal.valueOf(c.n)));
                            got = new BigDecimal("12.5").add(BigDecimal.valueOf(c.n)).toPlainString();
                        }
                        default -> {
                            o.put("id", true);
                            got = "true";
                        }
                    }
                    return c.invalid(o, Problem.BAD_ID, "id", "payment " + KEY + ": id: expected a string, got " + got);
                },
                c -> {
                    ObjectNode o = c.without(c.payment(), "invoiceId").put("paidOn", "2025-02-29");
                    String a = o.get("amount").decimalValue().toPlainString();
                    o.put("amount", a);
                    return c.invalid(o, Problem.SEVERAL_PROBLEMS, "invoiceId",
                            c.label() + ": invoiceId is missing",
                            c.label() + ": amount: expected a number, got \"" + a + "\"",
                            c.label() + ": paidOn \"2025-02-29\" is not a date (YYYY-MM-DD)");
                },
                c -> c.idWithBadCharacter(c.payment(), "payment"));
    }

    // ---- per-record context ----------------------------------------------------------------------------------------

    /** One generation run: the seeded random stream shared by all templates, in corpus order. */
    private static final class Run {
        private final Random rnd;
        private final int size;

        Run(Random rnd, int size) {
            this.rnd = rnd;
            this.size = size;
        }

        MalformedRecord build(int seq, Template t, int n) {
            Ctx c = new Ctx(rnd, t, n);
            Built b = t.maker().make(c);
            JsonNode parsed = parseLeniently(b.json());
            String sourceId = SourceIds.of(parsed);
            List<String> fragments = b.fragments().stream().map(f -> f.replace(KEY, sourceId)).toList();
            return new MalformedRecord(seq, t.name(), t.kind(), sourceId, b.json(), feedTimeOf(seq), b.problem(), b.field(),
                    b.code(), fragments);
        }

        /** Evenly over the timeline, a few seconds off the whole minutes the generated records use. */
        private Instant feedTimeOf(int seq) {
            long minutes = Duration.between(FEED_FROM, FEED_TO).toMinutes();
            return FEED_FROM.plus(Duration.ofMinutes(minutes * seq / size)).plusSeconds(7 + seq % 50);
        }
    }

    /** What a template sees: the random stream, its instance number, the record's id and number, and builders. */
    private static final class Ctx {
        final Random rnd;
        final Template t;
        final int n;
        final String id;
        final String number;

        Ctx(Random rnd, Template t, int n) {
            this.rnd = rnd;
            this.t = t;
            this.n = n;
            String letter = switch (t.kind()) {
                case CONTACT -> "C";
                case COMPANY -> "O";
                case INVOICE -> "I";
                case PAYMENT -> "P";
            };
            this.id = "FZ-" + letter + "-" + code();
            this.number = "FZN-" + code();
        }

        /** Template number and instance, e.g. {@code 07-0003}. */
        String code() {
            return String.format("%02d-%04d", t.number(), n);
        }

        /** How the validator names this record when its id (or, for invoices, number) is intact. */
        String label() {
            return t.kind().wire() + " " + (t.kind() == SourceKind.INVOICE ? number : id);
        }

        ObjectNode contact() {
            ObjectNode o = SourceJson.mapper().createObjectNode();
            o.put("id", id);
            o.put("firstName", pick(FIRST));
            o.put("lastName", pick(LAST));
            o.put("email", id.toLowerCase() + "@example.org");
            o.put("phone", "+1-608-555-" + String.format("%04d", rnd.nextInt(10_000)));
            o.set("address", address());
            o.put("updatedAt", timestamp());
            return o;
        }

        ObjectNode company() {
            ObjectNode o = SourceJson.mapper().createObjectNode();
            o.put("id", id);
            o.put("name", pick(LAST) + " " + pick(new String[]{"Holdings", "Catering", "Design", "Dental", "Partners"}) + " " + code());
            o.put("email", "billing." + id.toLowerCase() + "@example.net");
            o.put("phone", "+1-608-555-" + String.format("%04d", rnd.nextInt(10_000)));
            o.set("address", address());
            o.put("updatedAt", timestamp());
            return o;
        }

        /** A valid invoice billing a contact that does not exist, so that a record the validator lets through cannot reach QBO. */
        ObjectNode invoice() {
            ObjectNode o = SourceJson.mapper().createObjectNode();
            o.put("id", id);
            o.put("number", number);
            o.put("billToType", "contact");
            o.put("billToId", "FZ-C-GHOST-" + code());
            o.put("category", "membership");
            o.put("typeName", "Gold Membership");
            LocalDate issue = LocalDate.of(2025, 7, 1).plusDays(rnd.nextInt(270));
            o.put("issueDate", issue.toString());
            o.put("dueDate", issue.plusDays(30).toString());
            o.put("currency", "USD");
            ArrayNode lines = o.putArray("lines");
            int count = 1 + rnd.nextInt(3);
            for (int i = 0; i < count; i++) {
                ObjectNode line = lines.addObject();
                BigDecimal q = BigDecimal.valueOf(1 + rnd.nextInt(4));
                BigDecimal p = new BigDecimal(PRICES[rnd.nextInt(PRICES.length)]);
                line.put("description", "Fuzz line " + (i + 1));
                line.put("quantity", q);
                line.put("unitPrice", p);
                line.put("amount", q.multiply(p).setScale(2, RoundingMode.HALF_UP));
            }
            retotal(o);
            o.put("status", "open");
            o.put("memo", "fuzz " + code());
            o.put("updatedAt", timestamp());
            return o;
        }

        /** A valid payment of an invoice that does not exist. */
        ObjectNode payment() {
            ObjectNode o = SourceJson.mapper().createObjectNode();
            o.put("id", id);
            o.put("invoiceId", "FZ-I-GHOST-" + code());
            o.put("amount", BigDecimal.valueOf(500 + rnd.nextInt(50_000), 2));
            o.put("paidOn", LocalDate.of(2025, 8, 1).plusDays(rnd.nextInt(240)).toString());
            o.put("method", pick(METHODS));
            o.put("reference", "R" + code());
            o.put("updatedAt", timestamp());
            return o;
        }

        private ObjectNode address() {
            ObjectNode a = SourceJson.mapper().createObjectNode();
            a.put("line1", (1 + rnd.nextInt(999)) + " " + pick(STREETS));
            a.put("city", pick(CITIES));
            a.put("region", "WI");
            a.put("postalCode", String.format("%05d", 10_000 + rnd.nextInt(89_999)));
            a.put("country", "US");
            return a;
        }

        private String timestamp() {
            return FEED_FROM.plus(Duration.ofMinutes(rnd.nextInt(390_000))).toString();
        }

        ObjectNode line(ObjectNode invoice, int k) {
            return (ObjectNode) invoice.get("lines").get(k);
        }

        /** A random line index of the invoice (the one the template breaks). */
        int badLine(ObjectNode invoice) {
            return rnd.nextInt(invoice.get("lines").size());
        }

        BigDecimal lineAmount(ObjectNode line) {
            return line.get("quantity").decimalValue().multiply(line.get("unitPrice").decimalValue()).setScale(2, RoundingMode.HALF_UP);
        }

        /** Sets total to the sum of the line amounts (so that only the intended problem remains). */
        void retotal(ObjectNode invoice) {
            BigDecimal sum = BigDecimal.ZERO.setScale(2);
            for (JsonNode line : invoice.get("lines")) {
                sum = sum.add(line.get("amount").decimalValue());
            }
            invoice.put("total", sum);
        }

        /** Makes the lines add up to {@code total} (one line of that amount). */
        void retotalTo(ObjectNode invoice, String total) {
            ArrayNode lines = invoice.putArray("lines");
            lines.addObject().put("description", "Gold Membership").put("quantity", 1)
                    .put("unitPrice", new BigDecimal(total)).put("amount", new BigDecimal(total));
        }

        ObjectNode without(ObjectNode o, String... fields) {
            for (String f : fields) {
                o.remove(f);
            }
            return o;
        }

        String pick(String[] values) {
            return values[rnd.nextInt(values.length)];
        }

        /** {@code len} random letters, in runs, so that a huge string is cheap to build. */
        String letters(int len) {
            StringBuilder b = new StringBuilder(len);
            while (b.length() < len) {
                char ch = (char) ('a' + rnd.nextInt(26));
                int run = Math.min(len - b.length(), 1 + rnd.nextInt(64));
                b.append(String.valueOf(ch).repeat(run));
            }
            return b.toString();
        }

        JsonNode nestedObject(int depth) {
            ObjectNode root = SourceJson.mapper().createObjectNode();
            ObjectNode cur = root;
            for (int i = 1; i < depth; i++) {
                cur = i % 3 == 0 ? cur.putArray("k" + i).addObject() : cur.putObject("k" + i);
            }
            cur.put("leaf", n);
            return root;
        }

        JsonNode nestedArray(int depth) {
            ArrayNode root = SourceJson.mapper().createArrayNode();
            ArrayNode cur = root;
            for (int i = 1; i < depth; i++) {
                cur = cur.addArray();
            }
            cur.add("x" + n);
            return root;
        }

        Built invalid(ObjectNode o, Problem problem, String field, String... fragments) {
            return new Built(bytes(o), problem, field, SOURCE_INVALID, List.of(fragments));
        }

        Built built(ObjectNode o, Problem problem, String field, String code, String fragment) {
            return new Built(bytes(o), problem, field, code, List.of(fragment));
        }

        /** Serialises {@code o}, then puts the raw JSON token in place of the string {@code "§RAW§"}. */
        Built rawToken(ObjectNode o, String token, Problem problem, String field, String fragment) {
            String text = new String(bytes(o), StandardCharsets.UTF_8);
            String placeholder = "\"" + RAW + "\"";
            if (!text.contains(placeholder)) {
                throw new IllegalStateException("template " + t.name() + " has no raw placeholder");
            }
            return new Built(text.replace(placeholder, token).getBytes(StandardCharsets.UTF_8), problem, field, SOURCE_INVALID,
                    List.of(fragment));
        }

        /** Serialises {@code o}, then puts a byte sequence that is not UTF-8 in place of {@code §BAD§} inside a string. */
        Built badBytes(ObjectNode o, String field, String fragment) {
            return badBytes(o, BAD_UTF8[n % BAD_UTF8.length], field, fragment);
        }

        Built badBytes(ObjectNode o, byte[] bad, String field, String fragment) {
            String text = new String(bytes(o), StandardCharsets.UTF_8);
            int at = text.indexOf(BAD);
            if (at < 0) {
                throw new IllegalStateException("template " + t.name() + " has no bad-bytes placeholder");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
            out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bad);
            out.writeBytes(text.substring(at + BAD.length()).getBytes(StandardCharsets.UTF_8));
            return new Built(out.toByteArray(), Problem.INVALID_UTF8, field, SOURCE_INVALID, List.of(fragment));
        }

        /** null, booleans, an empty array, strings, numbers and arrays where a record belongs. */
        Built notAnObject(String kind) {
            String token;
            String got;
            switch (n) {
                case 0 -> {
                    token = "null";
                    got = "null";
                }
                case 1 -> {
                    token = "true";
                    got = "true";
                }
                case 2 -> {
                    token = "false";
                    got = "false";
                }
                case 3 -> {
                    token = "[]";
                    got = "an array";
                }
                default -> {
                    switch (n % 3) {
                        case 0 -> {
                            token = "\"" + kind + " record " + n + "\"";
                            got = token;
                        }
                        case 1 -> {
                            token = n + ".5";
                            got = token;
                        }
                        default -> {
                            token = "[" + n + ",[\"" + kind + "\",{\"id\":\"FZ-NESTED-" + n + "\"}]]";
                            got = "an array";
                        }
                    }
                }
            }
            return new Built(token.getBytes(StandardCharsets.UTF_8), n == 0 ? Problem.NULL_OR_EMPTY : Problem.NOT_AN_OBJECT,
                    "(record)", SOURCE_INVALID, List.of(kind + " " + KEY + ": expected a JSON object, got " + got));
        }

        /** {@code {}} once, then objects holding only a field the validator does not know. */
        Built emptyObject(String kind) {
            String token = n == 0 ? "{}" : "{\"seq\":" + n + "}";
            return new Built(token.getBytes(StandardCharsets.UTF_8), Problem.NULL_OR_EMPTY, "id", SOURCE_INVALID,
                    List.of(kind + " " + KEY + ": id is missing"));
        }

        /** Every field of a record present but null, plus a marker so that each instance is a different record. */
        Built allNull(ObjectNode o, String kind) {
            List<String> fields = new ArrayList<>();
            o.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                o.putNull(f);
            }
            o.put("seq", n);
            return new Built(bytes(o), Problem.NULL_OR_EMPTY, "id", SOURCE_INVALID, List.of(kind + " " + KEY + ": id is missing"));
        }

        /** An id over 100 characters (once over 1 MB): named in the message by its first 40 characters. */
        Built idTooLong(ObjectNode o, String kind) {
            boolean huge = n == 0;
            int len = huge ? MEGABYTE + 1 + rnd.nextInt(1000) : 101 + rnd.nextInt(400);
            String longId = id + "-" + "x".repeat(len - id.length() - 1);
            o.put("id", longId);
            return new Built(bytes(o), huge ? Problem.OVER_1MB : Problem.OVER_LIMIT, "id", SOURCE_INVALID,
                    List.of(kind + " \"" + longId.substring(0, 40) + "…\": id is " + len + " characters long (max 100)"));
        }

        /** An id holding a control character or bytes that are not UTF-8: named with the character escaped. */
        Built idWithBadCharacter(ObjectNode o, String kind) {
            if (n % 3 == 2) {
                o.put("id", id + BAD);
                return badBytes(o, new byte[]{(byte) 0xFF}, "id", kind + " \"" + id + "\\uFFFD\": id contains invalid UTF-8"
                        + " (replacement character U+FFFD at position " + id.length() + ")");
            }
            int ch = n % 3 == 0 ? 0x00 : 0x1B;
            o.put("id", id + (char) ch);
            return new Built(bytes(o), Problem.CONTROL_CHARACTER, "id", SOURCE_INVALID,
                    List.of(kind + " \"" + id + String.format("\\u%04X", ch) + "\": id contains a control character " + cp(ch)
                            + " at position " + id.length()));
        }

        private static byte[] bytes(JsonNode node) {
            try {
                return SourceJson.mapper().writeValueAsBytes(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Reads bytes the way the source client does: malformed UTF-8 becomes U+FFFD, then one JSON value. */
    static JsonNode parseLeniently(byte[] json) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(json)).toString();
            return SourceJson.mapper().readTree(text);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        } catch (IOException e) {
            throw new IllegalStateException("corpus record is not one JSON value: " + e.getMessage(), e);
        }
    }

    private static String cp(int ch) {
        return String.format("U+%04X", ch);
    }

    /** A short value quoted as the validator quotes it (no odd characters in the values this corpus quotes). */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Prints what a corpus holds, for scripts: {@code --seed=42 --size=1000} → one line
     * {@code records=… contacts=… companies=… invoices=… payments=… rows_customer=… rows_invoice=… rows_payment=…}
     * (rows = distinct sync-store records it should end as; duplicates share one).
     */
    public static void main(String[] args) {
        long seed = 42;
        int size = 1000;
        for (String a : args) {
            if (a.startsWith("--seed=")) {
                seed = Long.parseLong(a.substring(7));
            } else if (a.startsWith("--size=")) {
                size = Integer.parseInt(a.substring(7));
            } else {
                System.err.println("usage: MalformedCorpus [--seed=42] [--size=1000]");
                System.exit(2);
            }
        }
        List<MalformedRecord> records = new MalformedCorpus(seed, size).records();
        Map<String, Long> counts = new TreeMap<>();
        for (SourceKind k : SourceKind.values()) {
            counts.put(k.plural(), records.stream().filter(r -> r.kind() == k).count());
        }
        Map<String, java.util.Set<String>> rows = new TreeMap<>();
        for (MalformedRecord r : records) {
            rows.computeIfAbsent(r.storeEntityType().toLowerCase(), x -> new java.util.HashSet<>()).add(r.storeSourceId());
        }
        System.out.println("records=" + records.size() + " contacts=" + counts.get("contacts") + " companies=" + counts.get("companies")
                + " invoices=" + counts.get("invoices") + " payments=" + counts.get("payments")
                + " rows_customer=" + rows.getOrDefault("customer", java.util.Set.of()).size()
                + " rows_invoice=" + rows.getOrDefault("invoice", java.util.Set.of()).size()
                + " rows_payment=" + rows.getOrDefault("payment", java.util.Set.of()).size());
    }
}
