package io.qbosync.source.feed;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The normalised forms matching compares: a name without case, accents, punctuation and legal suffixes
 * ("Harbourside Dental Group, LLC" and "harbourside dental group" are one key), an e-mail without case or spaces.
 * The same function builds the keys stored at onboarding and the keys a source party is looked up by.
 */
public final class NameKeys {

    /** Legal-form words dropped from the end of a name (repeatedly: "Acme Holdings Co. Ltd" → "acme holdings"). */
    static final Set<String> LEGAL_SUFFIXES = Set.of("llc", "l l c", "ltd", "limited", "inc", "incorporated", "corp",
            "corporation", "co", "company", "plc", "llp", "lp", "pllc", "pc", "gmbh", "ag", "sa", "sarl", "bv", "nv",
            "pty", "pty ltd", "srl", "oy", "ab", "as");

    private static final List<String> LEADING = List.of("the ");

    private NameKeys() {
    }

    /** @return the key of a customer or company name, or null for a blank one */
    public static String name(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        s = s.replace("&", " and ").replace("+", " and ");
        // Apostrophes join ("O'Brien" = "OBrien"); every other non-letter-or-digit separates words.
        s = s.replaceAll("['’`]", "").replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
        for (String lead : LEADING) {
            if (s.startsWith(lead) && s.length() > lead.length()) {
                s = s.substring(lead.length());
            }
        }
        boolean dropped = true;
        while (dropped) {
            dropped = false;
            for (String suffix : LEGAL_SUFFIXES) {
                if (s.endsWith(" " + suffix) && s.length() > suffix.length() + 1) {
                    s = s.substring(0, s.length() - suffix.length() - 1).trim();
                    dropped = true;
                }
            }
        }
        return s.isEmpty() ? null : s;
    }

    /** @return the key of an e-mail address, or null for a blank one */
    public static String email(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** @return the key of an item SKU (SKUs compare without case or surrounding spaces), or null for a blank one */
    public static String sku(String sku) {
        return email(sku);
    }
}
