package io.qbosync.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed fields out of one raw record and collects a message for every problem instead of stopping at
 * the first. Each message starts with the record's label ({@code invoice GU-10007}) and names the field path.
 * Package-private: {@link SourceRecordValidator} is the public face.
 */
final class FieldReader {
    static final BigDecimal ABSURD = new BigDecimal("1000000000");
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final String label;
    private final List<String> errors = new ArrayList<>();

    FieldReader(String label) {
        this.label = label;
    }

    List<String> errors() {
        return errors;
    }

    boolean ok() {
        return errors.isEmpty();
    }

    void error(String pathAndProblem) {
        errors.add(label + ": " + pathAndProblem);
    }

    /** The child node, or null when absent or JSON null. */
    static JsonNode child(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n == null || n.isNull() ? null : n;
    }

    /**
     * A single-line or multi-line text field. Blank optional strings read as null (many systems send "" for
     * "no value"); blank required ones are an error.
     */
    String string(JsonNode parent, String field, String path, boolean required, int max, boolean multiline) {
        JsonNode n = child(parent, field);
        if (n == null) {
            if (required) {
                error(path + " is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            error(path + ": expected a string, got " + describe(n));
            return null;
        }
        String s = n.textValue();
        if (s.isBlank()) {
            if (required) {
                error(path + " is blank");
            }
            return null;
        }
        boolean clean = checkText(path, s, multiline);
        if (s.length() > max) {
            error(path + " is " + s.length() + " characters long (max " + max + ")");
            clean = false;
        }
        return clean ? s : null;
    }

    /** Flags text that cannot be passed on: bad UTF-8 (decoded as U+FFFD), lone surrogates, control chars. */
    private boolean checkText(String path, String s, boolean multiline) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\uFFFD') {
                error(path + " contains invalid UTF-8 (replacement character U+FFFD at position " + i + ")");
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                error(path + " contains an unpaired surrogate " + codePoint(c) + " at position " + i + " (not valid Unicode)");
                return false;
            }
            if (Character.isLowSurrogate(c)) {
                error(path + " contains an unpaired surrogate " + codePoint(c) + " at position " + i + " (not valid Unicode)");
                return false;
            }
            boolean allowedWhitespace = multiline && (c == '\n' || c == '\r' || c == '\t');
            if (Character.isISOControl(c) && !allowedWhitespace) {
                error(path + " contains a control character " + codePoint(c) + " at position " + i);
                return false;
            }
        }
        return true;
    }

    /** A string that must be one of {@code allowed}; the message lists them. */
    String oneOf(JsonNode parent, String field, String path, boolean required, List<String> allowed) {
        String s = string(parent, field, path, required, 100, false);
        if (s != null && !Set.copyOf(allowed).contains(s)) {
            error(path + " " + quote(s) + " is not one of " + String.join(", ", allowed));
            return null;
        }
        return s;
    }

    /**
     * A JSON number with at most {@code maxDecimals} significant decimals and |x| ≤ 1e9. Strings holding
     * digits are refused on purpose: a source that quotes its numbers has a bug worth seeing.
     */
    BigDecimal decimal(JsonNode parent, String field, String path, boolean required, int maxDecimals) {
        JsonNode n = child(parent, field);
        if (n == null) {
            if (required) {
                error(path + " is missing");
            }
            return null;
        }
        if (!n.isNumber()) {
            error(path + ": expected a number, got " + describe(n));
            return null;
        }
        if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
            error(path + ": expected a finite number, got " + n.asText());
            return null;
        }
        BigDecimal v = n.decimalValue();
        if (v.abs().compareTo(ABSURD) > 0) {
            error(path + " " + render(v) + " is out of range (more than 1000000000 in size)");
            return null;
        }
        if (Math.max(0, v.stripTrailingZeros().scale()) > maxDecimals) {
            error(path + " " + render(v) + " has more than " + maxDecimals + " decimals");
            return null;
        }
        return v;
    }

    /**
     * A number as shown in a message: plain digits when that is short, else scientific notation. {@code 1e-999999999}
     * is a valid JSON number of 12 characters whose plain form has a billion digits: printing it plainly would
     * exhaust the heap and stop the poll.
     */
    static String render(BigDecimal v) {
        long digits = v.precision();
        long plainLength = v.scale() > 0 ? Math.max(digits, (long) v.scale() + 1) : digits - (long) v.scale();
        return plainLength <= 40 ? v.toPlainString() : v.toString();
    }

    /** A calendar date in the strict {@code YYYY-MM-DD} form (2026-02-30 is refused). */
    LocalDate date(JsonNode parent, String field, String path, boolean required) {
        String s = string(parent, field, path, required, 100, false);
        if (s == null) {
            return null;
        }
        if (DATE_SHAPE.matcher(s).matches()) {
            try {
                return LocalDate.parse(s);
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        error(path + " " + quote(s) + " is not a date (YYYY-MM-DD)");
        return null;
    }

    /** An ISO-8601 timestamp with an offset or Z ({@code 2026-01-05T09:00:00Z}). */
    String timestamp(JsonNode parent, String field, String path, boolean required) {
        String s = string(parent, field, path, required, 100, false);
        if (s == null) {
            return null;
        }
        try {
            OffsetDateTime.parse(s);
            return s;
        } catch (DateTimeParseException e) {
            error(path + " " + quote(s) + " is not a timestamp (ISO-8601 with offset, e.g. 2026-01-05T09:00:00Z)");
            return null;
        }
    }

    /** Short, log-safe rendering of a JSON value for messages. */
    static String describe(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return quote(n.textValue());
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        return n.asText();
    }

    /** Quotes and truncates a string; control and odd characters become \\uXXXX so the message stays one clean line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        int limit = Math.min(s.length(), 40);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFFFD') {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > limit) {
            b.append('…');
        }
        return b.append('"').toString();
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
